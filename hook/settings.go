package hook

import (
	"fmt"
	"os"
	"unicode"
	"unicode/utf8"
)

// settings holds the values that otelgen.yaml gives integrations' settings,
// by variable name. otelgen writes them into this package, in the file
// otelgen_settings.go of the overlay, whose init function fills the map
// before any hook package (each imports this one) is initialised.
var settings = map[string]string{}

// Setting returns the value of an integration's setting, read from its
// variable env: the variable's value when it is set and not empty, which
// lets a deployment change the setting without a new build, else the value
// otelgen.yaml compiled in, else "" (the integration's default).
func Setting(env string) string {
	if v := os.Getenv(env); v != "" {
		return v
	}
	return settings[env]
}

// MaxNameLen bounds a name that a setting of type name gives.
const MaxNameLen = 64

// NameProblem says what makes s unfit as a name that a setting of type name
// gives, such as the key of a log field: "" when it is fit. A name is 1 to
// MaxNameLen bytes of UTF-8 without spaces or control characters, and
// without '=', '"' or '\', which key=value lines and JSON would quote or
// split (dots and other punctuation are fine: "dd.trace_id", "trace.id").
// otelgen checks otelgen.yaml's values with it, and NameSetting the
// variable's at run time, so that both accept the same names.
func NameProblem(s string) string {
	switch {
	case s == "":
		return "it is empty"
	case len(s) > MaxNameLen:
		return fmt.Sprintf("it is longer than %d bytes", MaxNameLen)
	case !utf8.ValidString(s):
		return "it is not UTF-8"
	}
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			return "it holds a space"
		case unicode.IsControl(r) || !unicode.IsPrint(r):
			return fmt.Sprintf("it holds the character %U", r)
		case r == '=' || r == '"' || r == '\\':
			return fmt.Sprintf("it holds %q", r)
		}
	}
	return ""
}

// NameSetting returns a setting of type name: the variable's value when it
// is set to a fit name (see NameProblem), else the value otelgen.yaml
// compiled in, else def. A variable set to an unfit name is ignored, as if
// unset, so that a typo cannot break the program's log format.
func NameSetting(env, def string) string {
	if v := os.Getenv(env); v != "" && NameProblem(v) == "" {
		return v
	}
	if v := settings[env]; v != "" && NameProblem(v) == "" {
		return v
	}
	return def
}

package hook

import "os"

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

// Package bound keeps attribute values that come from the program's data
// (query texts, URLs, command bodies) to a size a collector accepts: a
// megabyte of query string must not make a megabyte attribute.
package bound

// MaxText is the default bound, in bytes.
const MaxText = 4096

// Cut returns s cut to at most max bytes, on a UTF-8 boundary, ending with
// "..." when it was longer.
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max - len("...")
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + "..."
}

package rules

import (
	"slices"
	"testing"
)

func TestDisableIntegration(t *testing.T) {
	builtin, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var nethttp []string
	for _, r := range builtin {
		if r.Integration() == "nethttp" {
			nethttp = append(nethttp, r.ID)
		}
	}
	if len(nethttp) < 2 {
		t.Fatalf("nethttp has rules %v", nethttp)
	}
	set, err := Load(builtin, &Config{Disable: []string{"nethttp", "sdk-start"}}, "otelgen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Rules {
		if r.Integration() == "nethttp" || r.ID == "sdk-start" {
			t.Errorf("rule %s is still in force", r.ID)
		}
	}
	want := slices.Sorted(slices.Values(append(nethttp, "sdk-start")))
	if !slices.Equal(set.Disabled, want) {
		t.Errorf("Disabled = %v, want %v", set.Disabled, want)
	}
	if _, err := Load(builtin, &Config{Disable: []string{"nosuch"}, Pos: map[string]Pos{}}, "otelgen.yaml"); err == nil {
		t.Errorf("disable: [nosuch] loads")
	}
}

func TestIntegration(t *testing.T) {
	for file, want := range map[string]string{
		"rules/nethttp/nethttp.yaml": "nethttp",
		"gls-runtime/patch/gls.yaml": "",
		"otelgen.yaml":               "",
	} {
		r := &Rule{Pos: Pos{File: file}}
		if got := r.Integration(); got != want {
			t.Errorf("Integration of a rule in %s = %q, want %q", file, got, want)
		}
	}
}

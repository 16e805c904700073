package app

// Version is added by otelgen's file rule app-version.
func (Info) Version() string { return "v1-otel" }

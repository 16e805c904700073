package app

// Added by otelgen's file rule app-banner.
func init() {
	Banner = "[instrumented] " + Banner
}

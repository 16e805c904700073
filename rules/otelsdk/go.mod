module github.com/otelgen/otelgen/rules/otelsdk

go 1.26.0

require (
	github.com/otelgen/otelgen v0.0.0
	github.com/otelgen/otelgen/gls-runtime v0.0.0
	go.opentelemetry.io/otel v1.47.0
	go.opentelemetry.io/otel/trace v1.47.0
)

require github.com/cespare/xxhash/v2 v2.3.0 // indirect

// Developed together: each otelgen module replaces the others with this checkout.
replace (
	github.com/otelgen/otelgen => ../..
	github.com/otelgen/otelgen/gls-runtime => ../../gls-runtime
)

module example.com/httpapp

go 1.26.0

require (
	github.com/google/uuid v1.6.0
	github.com/otelgen/otelgen v0.0.0
)

// bench/run.sh rewrites this to the absolute repository root in its temporary
// copy; the relative path lets the module build in place too.
replace github.com/otelgen/otelgen => ../..

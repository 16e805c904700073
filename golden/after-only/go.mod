module example.com/golden

go 1.26.0

require github.com/otelgen/otelgen v0.0.0

// The golden test replaces this path with the checkout it runs in.
replace github.com/otelgen/otelgen => ../..

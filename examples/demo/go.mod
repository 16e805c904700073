module example.com/demo

go 1.26.0

require github.com/otelgen/otelgen v0.0.0

replace github.com/otelgen/otelgen => ../..

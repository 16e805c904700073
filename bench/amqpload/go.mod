module example.com/amqpload

go 1.26.0

replace github.com/otelgen/otelgen => ../..

tool github.com/otelgen/otelgen/cmd/otelgen

require github.com/rabbitmq/amqp091-go v1.16.0

require (
	github.com/aymanbagabas/go-udiff v0.4.1 // indirect
	github.com/otelgen/otelgen v0.0.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
)

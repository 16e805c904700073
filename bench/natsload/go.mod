module example.com/natsload

go 1.26.0

require github.com/nats-io/nats.go v1.55.0

require (
	example.com/loadkit v0.0.0
	github.com/aymanbagabas/go-udiff v0.4.1 // indirect
	github.com/klauspost/compress v1.20.0 // indirect
	github.com/nats-io/nkeys v0.4.16 // indirect
	github.com/nats-io/nuid v1.0.1 // indirect
	github.com/otelgen/otelgen v0.0.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/crypto v0.57.0 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
)

replace github.com/otelgen/otelgen => ../..

tool github.com/otelgen/otelgen/cmd/otelgen

replace example.com/loadkit => ../loadkit

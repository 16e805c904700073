package sdk

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"go.opentelemetry.io/contrib/propagators/aws/xray"
	"go.opentelemetry.io/contrib/propagators/b3"
	"go.opentelemetry.io/contrib/propagators/jaeger"
	"go.opentelemetry.io/contrib/propagators/ot"
	"go.opentelemetry.io/otel/propagation"
)

// The propagators of OTEL_PROPAGATORS, read as contrib's autoprop reads it,
// but made here, and only those the variable names. autoprop builds every
// propagator it knows in its package initialisation, so that a program
// linking it touched the code and data of all of them at start, with the
// SDK disabled too; this switch runs only from Start.

// errUnknownPropagator is autoprop's error for a name it does not know.
var errUnknownPropagator = errors.New("unknown propagator")

// propagatorByName makes the propagator of one name of the specification
// (and autoprop's registry): ok is false for any other.
func propagatorByName(name string) (p propagation.TextMapPropagator, ok bool) {
	switch name {
	case "tracecontext":
		return propagation.TraceContext{}, true
	case "baggage":
		return propagation.Baggage{}, true
	case "b3":
		return b3.New(), true
	case "b3multi":
		return b3.New(b3.WithInjectEncoding(b3.B3MultipleHeader)), true
	case "jaeger":
		return jaeger.Jaeger{}, true
	case "xray":
		return xray.Propagator{}, true
	case "ottrace":
		return ot.OT{}, true
	}
	return nil, false
}

// textMapPropagator is the propagator that OTEL_PROPAGATORS names:
// tracecontext,baggage when it is empty, or when none of its names is
// known; a propagator that does nothing when it holds none. Unknown names
// are returned as an error, and the known ones are still used. As autoprop
// does, names are split at commas and not trimmed.
func textMapPropagator() (propagation.TextMapPropagator, error) {
	v := os.Getenv("OTEL_PROPAGATORS")
	if v == "" {
		return defaultPropagator(), nil
	}
	var props []propagation.TextMapPropagator
	var unknown []string
	for _, name := range strings.Split(v, ",") {
		if name == "none" {
			// none wins over any other name.
			return propagation.NewCompositeTextMapPropagator(), nil
		}
		p, ok := propagatorByName(name)
		if !ok {
			unknown = append(unknown, name)
			continue
		}
		props = append(props, p)
	}
	var err error
	if len(unknown) > 0 {
		err = fmt.Errorf("%w: %s", errUnknownPropagator, strings.Join(unknown, ","))
	}
	switch len(props) {
	case 0:
		return defaultPropagator(), err
	case 1:
		return props[0], err
	}
	return propagation.NewCompositeTextMapPropagator(props...), err
}

func defaultPropagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

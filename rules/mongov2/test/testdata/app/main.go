// The test program of the MongoDB driver v2 integration: it runs, against
// the server the test names in MONGO_ADDR, each kind of call the test
// checks, every group inside a span of its own (started with the
// OpenTelemetry API, as a program does), through a client whose options
// carry a command monitor of the program's. It prints what that monitor
// saw, then "done".
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.opentelemetry.io/otel"
)

// value is the secret the test looks for in every span: a document's
// field, which the command bodies carry.
const value = "planted-value-5d2e"

var tracer = otel.Tracer("app")

// seen counts the events the program's own monitor gets.
var seen struct {
	sync.Mutex
	started, succeeded, failed int
	failedNames                []string
}

func main() {
	uri := "mongodb://" + os.Getenv("MONGO_ADDR") + "/"
	bg := context.Background()

	monitor := &event.CommandMonitor{
		Started: func(context.Context, *event.CommandStartedEvent) {
			seen.Lock()
			seen.started++
			seen.Unlock()
		},
		Succeeded: func(context.Context, *event.CommandSucceededEvent) {
			seen.Lock()
			seen.succeeded++
			seen.Unlock()
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			seen.Lock()
			seen.failed++
			seen.failedNames = append(seen.failedNames, e.CommandName)
			seen.Unlock()
		},
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetMonitor(monitor))
	must(err)
	orders := client.Database("shop").Collection("orders")

	group("crud", func(ctx context.Context) {
		_, err := orders.InsertOne(ctx, bson.D{{Key: "item", Value: "tea"}, {Key: "qty", Value: 2}, {Key: "note", Value: value}})
		must(err)
		cur, err := orders.Find(ctx, bson.D{{Key: "item", Value: "tea"}})
		must(err)
		var docs []bson.M
		must(cur.All(ctx, &docs))
		if len(docs) != 1 {
			fail("find: %d documents, want 1", len(docs))
		}
		_, err = orders.UpdateOne(ctx, bson.D{{Key: "item", Value: "tea"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "qty", Value: 3}}}})
		must(err)
		agg, err := orders.Aggregate(ctx, mongo.Pipeline{
			{{Key: "$match", Value: bson.D{{Key: "item", Value: "tea"}}}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$item"}, {Key: "total", Value: bson.D{{Key: "$sum", Value: "$qty"}}}}}},
		})
		must(err)
		must(agg.All(ctx, &docs))
		_, err = orders.DeleteOne(ctx, bson.D{{Key: "item", Value: "tea"}})
		must(err)
	})

	group("failing", func(ctx context.Context) {
		err := client.Database("shop").RunCommand(ctx, bson.D{{Key: "nosuchcommand", Value: 1}}).Err()
		var se mongo.ServerError
		if !errors.As(err, &se) {
			fail("nosuchcommand: %v, want a server error", err)
		}
	})

	// context.Background() on a goroutine that a goroutine with a current
	// span started: the parent comes from the goroutine.
	_, span := tracer.Start(bg, "without-context")
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := orders.FindOne(bg, bson.D{{Key: "item", Value: "none"}}).Err()
		if !errors.Is(err, mongo.ErrNoDocuments) {
			fail("FindOne: %v", err)
		}
	}()
	<-done
	span.End()

	// A second client, without a monitor of the program's.
	group("new-client", func(ctx context.Context) {
		c, err := mongo.Connect(options.Client().ApplyURI(uri))
		must(err)
		must(c.Database("inventory").RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err())
		must(c.Disconnect(ctx))
	})

	group("disconnect", func(ctx context.Context) {
		must(client.Disconnect(ctx))
	})

	seen.Lock()
	fmt.Printf("monitor started=%d succeeded=%d failed=%d %v\n", seen.started, seen.succeeded, seen.failed, seen.failedNames)
	seen.Unlock()
	fmt.Println("done")
}

// group runs f inside a span named name.
func group(name string, f func(ctx context.Context)) {
	ctx, span := tracer.Start(context.Background(), name)
	defer span.End()
	f(ctx)
}

func must(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "app: "+format+"\n", args...)
	os.Exit(1)
}

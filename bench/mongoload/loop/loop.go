// Package loop is the measured loop of bench/mongo.sh: a FindOne of one
// document by _id through the MongoDB Go driver v1, again and again, on
// one client.
package loop

import (
	"context"
	"fmt"
	"os"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"example.com/loadkit"
)

// Run parses the flags, connects to $MONGO_URI with opts applied after the
// URI (the caller's monitor, for one), stores one document, runs -warmup
// then -n FindOne calls of it with context.Background() (each command a
// root span for a tracer), and prints "ns/op N cpu_ns/op M": the wall time
// per call, and the CPU time (user + system, every thread of the process:
// the exporter's too) per call, which a loaded machine disturbs less.
// With -cpuprofile it writes a CPU profile of the measured calls.
func Run(opts ...*options.ClientOptions) {
	ctx := context.Background()
	all := append([]*options.ClientOptions{options.Client().ApplyURI(os.Getenv("MONGO_URI"))}, opts...)
	client, err := mongo.Connect(ctx, all...)
	loadkit.Check("connect", err)
	defer client.Disconnect(ctx)
	coll := client.Database("bench").Collection("items")
	_, err = coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: 1}}, bson.D{{Key: "v", Value: "value"}}, options.Replace().SetUpsert(true))
	loadkit.Check("replace", err)
	filter := bson.D{{Key: "_id", Value: 1}}
	find := func() {
		var doc struct {
			V string `bson:"v"`
		}
		if err := coll.FindOne(ctx, filter).Decode(&doc); err != nil || doc.V != "value" {
			fmt.Fprintln(os.Stderr, "FindOne:", doc.V, err)
			os.Exit(1)
		}
	}
	loadkit.Measure(find)
}

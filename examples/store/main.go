// Command store is a small greeting service that knows nothing of
// OpenTelemetry: GET /greetings/{name} reads the greeting from a Redis cache
// and, on a miss, from PostgreSQL (database/sql over pgx), then fills the
// cache. Each request also records a visit from another goroutine, with no
// context at all. At start it creates its tables and seeds them, then calls
// itself for a few names (a miss, another miss, a hit) and exits.
//
// Built with otelgen's overlay, each request becomes one trace: the server
// span, under it the Redis GET, the SQL query and the Redis SET of a miss,
// and the audit INSERT, which the goroutine-local storage carries into the
// trace where no context does.
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"
)

// schema creates the tables and the greetings the service knows; running it
// again changes nothing.
const schema = `
CREATE TABLE IF NOT EXISTS greetings (
	name text NOT NULL,
	lang text NOT NULL,
	greeting text NOT NULL,
	PRIMARY KEY (name, lang)
);
CREATE TABLE IF NOT EXISTS visits (
	id bigserial PRIMARY KEY,
	name text NOT NULL,
	at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO greetings (name, lang, greeting) VALUES
	('ada', 'en', 'Hello, Ada'),
	('grace', 'en', 'Hello, Grace'),
	('ada', 'fr', 'Bonjour, Ada')
ON CONFLICT DO NOTHING`

// cacheTTL is how long a greeting stays in Redis.
const cacheTTL = 10 * time.Minute

type service struct {
	db  *sql.DB
	rdb *redis.Client
}

func main() {
	dsn := os.Getenv("DATABASE_URL")
	addr := os.Getenv("REDIS_ADDR")
	if dsn == "" || addr == "" {
		log.Fatal("store: set DATABASE_URL (postgres://...) and REDIS_ADDR (host:port)")
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()

	ctx := context.Background()
	if _, err := db.ExecContext(ctx, schema); err != nil {
		log.Fatalf("store: creating the tables: %v", err)
	}
	names := []string{"ada", "grace", "ada"}
	// Start cold, so that the first request for each name is a miss.
	if err := rdb.Del(ctx, cacheKey("ada"), cacheKey("grace")).Err(); err != nil {
		log.Fatalf("store: clearing the cache: %v", err)
	}

	s := &service{db: db, rdb: rdb}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /greetings/{name}", s.greeting)
	base := serve(mux)

	for _, name := range names {
		resp, err := http.Get(base + "/greetings/" + name)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Fprintf(os.Stderr, "store: GET /greetings/%s -> %d %s (%s)\n", name, resp.StatusCode, body, resp.Header.Get("X-Source"))
	}
}

func cacheKey(name string) string { return "greeting:en:" + name }

// greeting answers with the English greeting for the name in the path.
func (s *service) greeting(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	ctx := r.Context()

	// Record the visit from another goroutine, with no context, as code
	// that predates contexts does; the response waits for it.
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := s.db.Exec("INSERT INTO visits (name) VALUES ($1)", name); err != nil {
			log.Printf("store: recording the visit: %v", err)
		}
	}()
	defer func() { <-done }()

	source := "cache"
	greeting, err := s.rdb.Get(ctx, cacheKey(name)).Result()
	if errors.Is(err, redis.Nil) {
		source = "database"
		err = s.db.QueryRowContext(ctx,
			"SELECT greeting FROM greetings WHERE name = $1 AND lang = 'en'", name).Scan(&greeting)
		if errors.Is(err, sql.ErrNoRows) {
			http.Error(w, "no greeting for "+name, http.StatusNotFound)
			return
		}
		if err == nil {
			err = s.rdb.Set(ctx, cacheKey(name), greeting, cacheTTL).Err()
		}
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("X-Source", source)
	fmt.Fprintf(w, "%s!", greeting)
}

// serve starts a server for h on a free loopback port and returns its URL.
func serve(h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, h)
	return "http://" + ln.Addr().String()
}

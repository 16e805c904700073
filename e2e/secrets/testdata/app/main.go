// Command app is the secrets test's program: a service of the usual kind
// that handles secrets the way services do. It serves GET /login, whose
// handler reads a token from the query and the Authorization header, calls
// a second server with credentials in the URL, writes a literal into a
// statement through database/sql (pgx's stdlib driver) and through native
// pgx, sends AUTH to Redis, and logs through slog. It prints "listening
// URL" and returns from main when its stdin ends.
package main

import (
	"database/sql"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"
)

func main() {
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	backend := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "session="+r.URL.Query().Get("token"))
		io.WriteString(w, "ok")
	}))

	http.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		token := r.URL.Query().Get("token")
		// The credentials go on to the backend in the URL, as some APIs want.
		u := "http://svc:" + token + "@" + backend[len("http://"):] + "/check?api_key=" + token
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
		}
		// A literal in the statement, through database/sql and native pgx.
		var n int
		if err := db.QueryRowContext(ctx, "SELECT length('"+token+"')").Scan(&n); err != nil {
			slog.ErrorContext(ctx, "database/sql", "err", err)
		}
		conn, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
		if err == nil {
			conn.QueryRow(ctx, "SELECT length('"+token+"')").Scan(&n)
			conn.Close(ctx)
		}
		// Redis: a password and a value.
		rdb.Do(ctx, "AUTH", token)
		rdb.Set(ctx, "session:1", strings.ToUpper(token), 0)
		slog.InfoContext(ctx, "login", "user", "ada")
		fmt.Fprintf(w, "welcome %d", n)
	})
	fmt.Println("listening", serve(http.DefaultServeMux))
	io.Copy(io.Discard, os.Stdin)
}

// serve serves h on a loopback port and returns its URL.
func serve(h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, h)
	return "http://" + ln.Addr().String()
}

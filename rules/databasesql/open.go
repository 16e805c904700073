package databasesql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strconv"
	"sync"
	"weak"

	"github.com/otelgen/otelgen/hook"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/semconv/v1.43.0/dbconv"
)

type openCall struct{ driver, dsn string }

// OpenBefore keeps sql.Open's driver name and data source name for
// OpenAfter: a driver that opens connectors (lib/pq, pgx, mysql) keeps the
// name to itself.
func OpenBefore(c *hook.Call, driverName *string, dsn *string) {
	c.Data = openCall{*driverName, *dsn}
}

// OpenAfter gives the new *sql.DB the server address, port and database
// name of its data source name (never its user or password).
func OpenAfter(c *hook.Call, db **sql.DB, err *error) {
	oc, ok := c.Data.(openCall)
	if !ok || *db == nil {
		return
	}
	st := stateOfDB(*db)
	if st == nil {
		return
	}
	system := driverSystem((*db).Driver())
	t := parseDSN(system, oc.dsn)
	if old := st.info.Load(); old != nil && t.host == "" && t.namespace == "" {
		return // the connector told more
	}
	st.info.Store(newInfo(system, t))
}

// OpenDBBefore keeps the connector for OpenDBAfter.
func OpenDBBefore(c *hook.Call, connector *driver.Connector) {
	c.Data = *connector
}

// OpenDBAfter gives the new *sql.DB what its connector says of the
// database, and adds its pool to those the connection metrics report.
func OpenDBAfter(c *hook.Call, db **sql.DB) {
	conn, _ := c.Data.(driver.Connector)
	field := stateField(*db)
	if field == nil || conn == nil {
		return
	}
	system := driverSystem(conn.Driver())
	st := &dbState{}
	st.info.Store(newInfo(system, connectorTarget(system, conn)))
	*field = st
	addPool(*db, st)
}

// CloseBefore takes a closed database's pool out of the metrics.
func CloseBefore(c *hook.Call, db *sql.DB) {
	if st := stateOfDB(db); st != nil {
		st.closed.Store(true)
	}
}

// pools are the open databases, for the connection metrics. A database
// that the program drops without closing goes when it is collected.
var pools struct {
	mu  sync.Mutex
	dbs []pool
}

type pool struct {
	w  weak.Pointer[sql.DB]
	st *dbState
}

func addPool(db *sql.DB, st *dbState) {
	pools.mu.Lock()
	defer pools.mu.Unlock()
	pools.dbs = append(pools.dbs, pool{w: weak.Make(db), st: st})
}

// livePools returns the databases still open, and forgets the others.
func livePools() []pool {
	pools.mu.Lock()
	defer pools.mu.Unlock()
	out := pools.dbs[:0]
	for _, p := range pools.dbs {
		if !p.st.closed.Load() && p.w.Value() != nil {
			out = append(out, p)
		}
	}
	clear(pools.dbs[len(out):])
	pools.dbs = out
	return append([]pool(nil), out...)
}

// registerPools registers the callback that observes every open
// database's pool: db.client.connection.count by state (idle, used) and
// db.client.connection.max when the program set a maximum.
func registerPools(meter metric.Meter) metric.Registration {
	count, err := dbconv.NewClientConnectionCountObservable(meter)
	if err != nil {
		otel.Handle(err)
		return nil
	}
	max, err := dbconv.NewClientConnectionMaxObservable(meter)
	if err != nil {
		otel.Handle(err)
		return nil
	}
	idle := attribute.String("db.client.connection.state", string(dbconv.ClientConnectionStateIdle))
	used := attribute.String("db.client.connection.state", string(dbconv.ClientConnectionStateUsed))
	reg, err := meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		names := map[string]int{}
		for _, p := range livePools() {
			db := p.w.Value()
			if db == nil {
				continue
			}
			s := db.Stats()
			name := p.st.info.Load().pool
			// Two pools of the same name would be one series: the second
			// gets a number.
			if n := names[name]; n > 0 {
				names[name] = n + 1
				name += "#" + strconv.Itoa(n+1)
			} else {
				names[name] = 1
			}
			pn := attribute.String("db.client.connection.pool.name", name)
			o.ObserveInt64(count.Inst(), int64(s.Idle), metric.WithAttributes(pn, idle))
			o.ObserveInt64(count.Inst(), int64(s.InUse), metric.WithAttributes(pn, used))
			if s.MaxOpenConnections > 0 {
				o.ObserveInt64(max.Inst(), int64(s.MaxOpenConnections), metric.WithAttributes(pn))
			}
		}
		return nil
	}, count.Inst(), max.Inst())
	if err != nil {
		otel.Handle(err)
		return nil
	}
	return reg
}

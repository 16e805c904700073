package databasesql

import (
	"net"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// A target is what a data source name or a connector says about the
// database: never its user or password.
type target struct {
	namespace string // the database's name, or a SQLite file
	host      string
	port      int
}

// systemOf names the database system of a driver from its package path, as
// db.system.name wants it: the driver is all database/sql knows.
func systemOf(pkgPath string) string {
	p := strings.ToLower(pkgPath)
	switch {
	case strings.Contains(p, "sqlite"):
		return "sqlite"
	case strings.Contains(p, "lib/pq"), strings.Contains(p, "pgx"), strings.Contains(p, "postgres"), strings.Contains(p, "pgdriver"):
		return "postgresql"
	case strings.Contains(p, "mysql"):
		return "mysql"
	case strings.Contains(p, "mssql"), strings.Contains(p, "sqlserver"):
		return "microsoft.sql_server"
	case strings.Contains(p, "clickhouse"):
		return "clickhouse"
	case strings.Contains(p, "godror"), strings.Contains(p, "go-ora"), strings.Contains(p, "oracle"):
		return "oracle.db"
	case strings.Contains(p, "trino"):
		return "trino"
	}
	return "other_sql"
}

// defaultPort is the port a client of the system uses when the data source
// name gives a host alone.
func defaultPort(system string) int {
	switch system {
	case "postgresql":
		return 5432
	case "mysql", "mariadb":
		return 3306
	case "microsoft.sql_server":
		return 1433
	}
	return 0
}

// parseDSN reads a data source name in the forms the common drivers take:
// a URL (postgres://h:p/db, sqlserver://...), PostgreSQL's key=value list,
// go-sql-driver/mysql's user:pass@tcp(h:p)/db, and a SQLite file name.
func parseDSN(system, dsn string) target {
	var t target
	switch {
	case system == "sqlite":
		name := strings.TrimPrefix(dsn, "file:")
		if i := strings.IndexByte(name, '?'); i >= 0 {
			name = name[:i]
		}
		t.namespace = name
		return t
	case strings.Contains(dsn, "://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return t
		}
		t.host = u.Hostname()
		t.port, _ = strconv.Atoi(u.Port())
		t.namespace = strings.TrimPrefix(u.Path, "/")
		if t.namespace == "" {
			t.namespace = u.Query().Get("database")
		}
	case system == "mysql":
		t = parseMySQL(dsn)
	case strings.Contains(dsn, "="):
		for k, v := range keyValues(dsn) {
			switch k {
			case "host":
				// Several hosts, for failover: the first.
				t.host, _, _ = strings.Cut(v, ",")
			case "port":
				p, _, _ := strings.Cut(v, ",")
				t.port, _ = strconv.Atoi(p)
			case "dbname", "database":
				t.namespace = v
			}
		}
	}
	if strings.HasPrefix(t.host, "/") {
		// A Unix socket's directory: no server address.
		t.host, t.port = "", 0
	}
	if t.host != "" && t.port == 0 {
		t.port = defaultPort(system)
	}
	return t
}

// parseMySQL reads go-sql-driver/mysql's [user[:pass]@][net[(addr)]]/db[?params].
func parseMySQL(dsn string) target {
	var t target
	if i := strings.IndexByte(dsn, '?'); i >= 0 {
		dsn = dsn[:i]
	}
	slash := strings.LastIndexByte(dsn, '/')
	if slash < 0 {
		return t
	}
	t.namespace = dsn[slash+1:]
	rest := dsn[:slash]
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = rest[at+1:]
	}
	netw, addr, _ := strings.Cut(rest, "(")
	addr = strings.TrimSuffix(addr, ")")
	switch netw {
	case "", "tcp", "tcp4", "tcp6":
		if addr == "" {
			addr = "127.0.0.1:3306"
		}
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			host, port = addr, "3306"
		}
		t.host = host
		t.port, _ = strconv.Atoi(port)
	}
	return t
}

// keyValues reads PostgreSQL's key=value connection string, where a value
// may be quoted with single quotes.
func keyValues(s string) map[string]string {
	m := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		k, rest, ok := strings.Cut(s, "=")
		if !ok {
			break
		}
		k = strings.TrimSpace(k)
		rest = strings.TrimLeft(rest, " ")
		var v strings.Builder
		if strings.HasPrefix(rest, "'") {
			i := 1
			for ; i < len(rest) && rest[i] != '\''; i++ {
				if rest[i] == '\\' && i+1 < len(rest) {
					i++
				}
				v.WriteByte(rest[i])
			}
			s = rest[min(i+1, len(rest)):]
		} else {
			end := strings.IndexAny(rest, " \t\n")
			if end < 0 {
				end = len(rest)
			}
			v.WriteString(rest[:end])
			s = rest[end:]
		}
		m[k] = v.String()
	}
	return m
}

// connectorTarget reads the host, port and database name from a
// connector's fields, for a database opened with sql.OpenDB: pgx's
// ConnConfig (Host, Port, Database), go-sql-driver/mysql's Config (Addr,
// DBName), lib/pq's option map (host, port, dbname). It only reads, and
// only fields of those names, a few levels deep.
func connectorTarget(system string, c any) target {
	var t target
	walk(reflect.ValueOf(c), 0, &t)
	if t.host != "" && t.port == 0 {
		t.port = defaultPort(system)
	}
	return t
}

func walk(v reflect.Value, depth int, t *target) {
	if depth > 4 {
		return
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String || v.Type().Elem().Kind() != reflect.String {
			return
		}
		it := v.MapRange()
		for it.Next() {
			set(t, it.Key().String(), it.Value())
		}
	case reflect.Struct:
		ty := v.Type()
		for i := 0; i < ty.NumField(); i++ {
			f := ty.Field(i)
			fv := v.Field(i)
			name := strings.ToLower(f.Name)
			if set(t, name, fv) {
				continue
			}
			if f.Anonymous || strings.Contains(name, "conf") || name == "cfg" || name == "opts" || name == "dsn" {
				walk(fv, depth+1, t)
			}
		}
	}
}

// set takes one field or option of a connector into t, and reports
// whether it was one of those wanted.
func set(t *target, name string, v reflect.Value) bool {
	switch name {
	case "host", "addr", "port", "database", "dbname":
	default:
		return false
	}
	var s string
	switch v.Kind() {
	case reflect.String:
		s = v.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s = strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s = strconv.FormatUint(v.Uint(), 10)
	default:
		return false
	}
	if s == "" || s == "0" {
		return true
	}
	switch name {
	case "host":
		if t.host == "" {
			t.host, _, _ = strings.Cut(s, ",")
		}
	case "addr":
		if h, p, err := net.SplitHostPort(s); err == nil && t.host == "" {
			t.host = h
			t.port, _ = strconv.Atoi(p)
		}
	case "port":
		if t.port == 0 {
			t.port, _ = strconv.Atoi(s)
		}
	case "database", "dbname":
		if t.namespace == "" {
			t.namespace = s
		}
	}
	return true
}

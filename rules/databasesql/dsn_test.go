package databasesql

import (
	"errors"
	"fmt"
	"testing"
)

func TestParseDSN(t *testing.T) {
	for _, tc := range []struct {
		system, dsn string
		want        target
	}{
		{"postgresql", "postgres://u:secret@db.example:6432/shop?sslmode=disable", target{"shop", "db.example", 6432}},
		{"postgresql", "postgresql://u@db.example/shop", target{"shop", "db.example", 5432}},
		{"postgresql", "host=db.example port=6543 user=u password='se cret' dbname=shop", target{"shop", "db.example", 6543}},
		{"postgresql", "host=/var/run/postgresql dbname=shop", target{"shop", "", 0}},
		{"postgresql", "host=a.example,b.example port=5433,5434 dbname=x", target{"x", "a.example", 5433}},
		{"mysql", "user:p@ss/w@rd@tcp(10.0.0.5:3307)/orders?parseTime=true", target{"orders", "10.0.0.5", 3307}},
		{"mysql", "root@tcp(db.example)/test", target{"test", "db.example", 3306}},
		{"mysql", "root@/test", target{"test", "127.0.0.1", 3306}},
		{"mysql", "root@unix(/tmp/mysql.sock)/test", target{"test", "", 0}},
		{"sqlite", "file:/data/app.db?cache=shared&_pragma=foreign_keys(1)", target{"/data/app.db", "", 0}},
		{"sqlite", ":memory:", target{":memory:", "", 0}},
		{"microsoft.sql_server", "sqlserver://sa:pw@mssql.example:1433?database=crm", target{"crm", "mssql.example", 1433}},
		{"other_sql", "garbage", target{}},
	} {
		if got := parseDSN(tc.system, tc.dsn); got != tc.want {
			t.Errorf("parseDSN(%q, %q) = %+v, want %+v", tc.system, tc.dsn, got, tc.want)
		}
	}
}

func TestSystemOf(t *testing.T) {
	for pkg, want := range map[string]string{
		"github.com/lib/pq":               "postgresql",
		"github.com/jackc/pgx/v5/stdlib":  "postgresql",
		"github.com/jackc/pgx/v4/stdlib":  "postgresql",
		"github.com/go-sql-driver/mysql":  "mysql",
		"modernc.org/sqlite":              "sqlite",
		"github.com/mattn/go-sqlite3":     "sqlite",
		"github.com/microsoft/go-mssqldb": "microsoft.sql_server",
		"example.com/mydriver":            "other_sql",
	} {
		if got := systemOf(pkg); got != want {
			t.Errorf("systemOf(%q) = %q, want %q", pkg, got, want)
		}
	}
}

// The connector fields of the drivers, as connectorTarget finds them.
type pgconnConfig struct {
	Host     string
	Port     uint16
	Database string
	Password string
}
type pgxConnConfig struct{ pgconnConfig }
type pgxConnector struct {
	pgxConnConfig
	driver any
}
type mysqlConfig struct {
	User, Passwd, Net, Addr, DBName string
}
type mysqlConnector struct{ cfg *mysqlConfig }
type pqConnector struct {
	opts map[string]string
}

func TestConnectorTarget(t *testing.T) {
	for _, tc := range []struct {
		system string
		c      any
		want   target
	}{
		{"postgresql", &pgxConnector{pgxConnConfig: pgxConnConfig{pgconnConfig{"db.example", 6432, "shop", "secret"}}}, target{"shop", "db.example", 6432}},
		{"mysql", &mysqlConnector{&mysqlConfig{"root", "pw", "tcp", "10.0.0.5:3307", "orders"}}, target{"orders", "10.0.0.5", 3307}},
		{"postgresql", &pqConnector{map[string]string{"host": "db.example", "dbname": "shop", "password": "x"}}, target{"shop", "db.example", 5432}},
	} {
		if got := connectorTarget(tc.system, tc.c); got != tc.want {
			t.Errorf("connectorTarget(%T) = %+v, want %+v", tc.c, got, tc.want)
		}
	}
}

type sqlState string

func (s sqlState) Error() string    { return "pg error " + string(s) }
func (s sqlState) SQLState() string { return string(s) }

type mysqlError struct {
	Number  uint16
	Message string
}

func (e *mysqlError) Error() string { return e.Message }

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		err            error
		errType, state string
	}{
		{fmt.Errorf("query: %w", sqlState("42P01")), "42P01", "42P01"},
		{&mysqlError{1146, "no table"}, "1146", "1146"},
		{errors.New("x"), "*errors.errorString", ""},
	} {
		if et, st := classify(tc.err); et != tc.errType || st != tc.state {
			t.Errorf("classify(%v) = %q, %q, want %q, %q", tc.err, et, st, tc.errType, tc.state)
		}
	}
}

// The test program of the gorm integration: given a PostgreSQL URL, it
// creates its table, then runs each kind of gorm operation inside a span of
// its own named "run", one of them from a goroutine without a context.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"go.opentelemetry.io/otel"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// Greeting is the model, in table gorm_greetings.
type Greeting struct {
	ID   int `gorm:"primaryKey;autoIncrement:false"`
	Name string
}

func (Greeting) TableName() string { return "gorm_greetings" }

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: app postgres-url")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "run:", err)
		os.Exit(1)
	}
	fmt.Println("done")
}

func run(url string) error {
	db, err := gorm.Open(postgres.Open(url), &gorm.Config{})
	if err != nil {
		return err
	}
	for _, q := range []string{
		"DROP TABLE IF EXISTS gorm_greetings",
		"CREATE TABLE gorm_greetings (id int PRIMARY KEY, name text)",
	} {
		if err := db.Exec(q).Error; err != nil {
			return fmt.Errorf("%s: %v", q, err)
		}
	}

	ctx, root := otel.Tracer("app").Start(context.Background(), "run")
	defer root.End()
	tx := db.WithContext(ctx)
	if err := tx.Create(&Greeting{ID: 1, Name: "grace"}).Error; err != nil {
		return fmt.Errorf("create: %v", err)
	}
	var g Greeting
	if err := tx.First(&g, 1).Error; err != nil || g.Name != "grace" {
		return fmt.Errorf("first: %+v, %v", g, err)
	}
	// No record: not a failure.
	if err := tx.First(&Greeting{}, 99).Error; !errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("not found: %v", err)
	}
	if err := tx.Model(&Greeting{ID: 1}).Update("name", "lovelace").Error; err != nil {
		return fmt.Errorf("update: %v", err)
	}
	// Literals in a raw statement: db.query.text must not show them.
	if err := tx.Exec("UPDATE gorm_greetings SET name = 'secret' WHERE id = 1").Error; err != nil {
		return fmt.Errorf("exec: %v", err)
	}
	var n int
	if err := tx.Model(&Greeting{}).Select("count(*)").Row().Scan(&n); err != nil || n != 1 {
		return fmt.Errorf("row: %d, %v", n, err)
	}
	// A failing operation.
	if err := tx.Table("no_such_table").Find(&[]Greeting{}).Error; err == nil {
		return errors.New("no error from a missing table")
	}
	if err := tx.Delete(&Greeting{}, 1).Error; err != nil {
		return fmt.Errorf("delete: %v", err)
	}

	// An operation without a context, from a goroutine: its parent is
	// "run".
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := db.Create(&Greeting{ID: 2, Name: "ada"}).Error; err != nil {
			fmt.Fprintln(os.Stderr, "goroutine:", err)
			os.Exit(1)
		}
	}()
	wg.Wait()
	return nil
}

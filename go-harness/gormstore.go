package main

// gormstore.go — the REAL wader/gormstore/v2 (the store gin-contrib/sessions/gorm wraps) on
// gorm.io/gorm with the postgres, mysql and sqlite drivers, for live interop tests of
// gorillacompat.gormstore.
//
// `decode` request kinds:
//
//	gorm_migrate  open → NewOptions (AutoMigrate unless skip_create_table); the SQL GORM ran
//	gorm_save     open → NewOptions → New(r with cookie) → merge values, add flashes, set MaxAge → Save
//	gorm_load     open → NewOptions → New(r with cookie) → values, ID, IsNew, error
//	gorm_cleanup  open → NewOptions → Cleanup() (rows with expires_at <= now are deleted)
//
// Request fields: dialect ("postgres", "mysql", "sqlite"), dsn (the driver's DSN), table_name,
// skip_create_table, keys (hex, nil for no block key), name ("session"), cookie, values (typed
// view), clear, flashes (strings added with AddFlash), max_age (the session's Options.MaxAge),
// store_max_age (SessionOpts.MaxAge), max_length (Store.MaxLength), now (pins the codecs' clock).
// Every answer carries "sql": the statements GORM ran, in order, as its logger reports them.
// Versions: gormstore/v2 v2.0.3, gorm v1.25.12, drivers postgres v1.5.11, mysql v1.5.7,
// sqlite v1.5.7 (mattn/go-sqlite3), the ones gin-contrib/sessions v1.0.4 resolves with.

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wader/gormstore/v2"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

func init() { registerDecoder(gormRequest, "gorm_migrate", "gorm_save", "gorm_load", "gorm_cleanup") }

// gormReq: the common members (storeReq) and gormstore's.
type gormReq struct {
	storeReq
	Dialect         string `json:"dialect"`
	DSN             string `json:"dsn"`
	TableName       string `json:"table_name"`
	SkipCreateTable bool   `json:"skip_create_table"`
	StoreMaxAge     *int   `json:"store_max_age"`
}

// sqlLog is a gorm logger that keeps every statement (and writes nothing to stdout, which
// carries the answers).
type sqlLog struct{ stmts []string }

func (l *sqlLog) LogMode(logger.LogLevel) logger.Interface      { return l }
func (l *sqlLog) Info(context.Context, string, ...interface{})  {}
func (l *sqlLog) Warn(context.Context, string, ...interface{})  {}
func (l *sqlLog) Error(context.Context, string, ...interface{}) {}
func (l *sqlLog) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	l.stmts = append(l.stmts, sql)
}

func (q *gormReq) dialector() (gorm.Dialector, error) {
	switch q.Dialect {
	case "postgres":
		return postgres.Open(q.DSN), nil
	case "mysql":
		return mysql.Open(q.DSN), nil
	case "sqlite":
		return sqlite.Open(q.DSN), nil
	}
	return nil, fmt.Errorf("unknown dialect %q", q.Dialect)
}

func (q *gormReq) open(log *sqlLog) (*gorm.DB, *gormstore.Store, error) {
	pairs, err := hexKeyPairs(q.Keys)
	if err != nil {
		return nil, nil, err
	}
	d, err := q.dialector()
	if err != nil {
		return nil, nil, err
	}
	db, err := gorm.Open(d, &gorm.Config{Logger: log})
	if err != nil {
		return nil, nil, err
	}
	st := gormstore.NewOptions(db, gormstore.Options{TableName: q.TableName, SkipCreateTable: q.SkipCreateTable}, pairs...)
	if q.StoreMaxAge != nil {
		st.MaxAge(*q.StoreMaxAge)
	}
	q.tune(st, st.Codecs)
	return db, st, nil
}

func gormRequest(raw json.RawMessage) (any, error) {
	var q gormReq
	if err := decodeStoreReq(raw, &q, &q.storeReq); err != nil {
		return nil, err
	}
	log := &sqlLog{}
	db, st, err := q.open(log)
	if err != nil {
		return q.openError(err), nil
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	ans, err := gormRun(&q, st)
	if err != nil {
		return nil, err
	}
	return append(ans, kv{"sql", log.stmts}), nil
}

func gormRun(q *gormReq, st *gormstore.Store) (obj, error) {
	switch q.Kind {
	case "gorm_migrate":
		return obj{{"id", q.ID}}, nil
	case "gorm_cleanup":
		st.Cleanup()
		return obj{{"id", q.ID}}, nil
	}
	return q.run(st, q.Kind == "gorm_load")
}

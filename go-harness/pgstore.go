package main

// pgstore.go — the REAL antonlindstrom/pgstore (the store gin-contrib/sessions/postgres wraps)
// against a given PostgreSQL server, for live interop tests of gorillacompat.pgstore.
//
// `decode` request kinds:
//
//	pg_save     NewPGStore(dsn) → New(r with cookie) → merge values, add flashes, set MaxAge → Save
//	pg_load     NewPGStore(dsn) → New(r with cookie) → values, ID, IsNew, error
//	pg_cleanup  NewPGStore(dsn) → Cleanup(10ms) → wait → StopCleanup (expired rows deleted)
//
// Request fields: dsn, keys (hex, nil for no block key), name ("session"), cookie, values (typed
// view), clear, flashes (strings added with AddFlash), max_age (the session's Options.MaxAge),
// store_max_age (PGStore.MaxAge), max_length (PGStore.MaxLength), now (pins the codecs' clock).
// pgstore version: v0.0.0-20220421113606-e3a6e3fed12a, the one gin-contrib/sessions v1.0.4 requires.

import (
	"encoding/json"
	"time"

	"github.com/antonlindstrom/pgstore"
)

func init() { registerDecoder(pgRequest, "pg_save", "pg_load", "pg_cleanup") }

// pgReq: the common members (storeReq) and PGStore's.
type pgReq struct {
	storeReq
	DSN         string `json:"dsn"`
	StoreMaxAge *int   `json:"store_max_age"`
}

func (q *pgReq) open() (*pgstore.PGStore, error) {
	pairs, err := hexKeyPairs(q.Keys)
	if err != nil {
		return nil, err
	}
	st, err := pgstore.NewPGStore(q.DSN, pairs...)
	if err != nil {
		return nil, err
	}
	if q.StoreMaxAge != nil {
		st.MaxAge(*q.StoreMaxAge)
	}
	q.tune(st, st.Codecs)
	return st, nil
}

func pgRequest(raw json.RawMessage) (any, error) {
	var q pgReq
	if err := decodeStoreReq(raw, &q, &q.storeReq); err != nil {
		return nil, err
	}
	st, err := q.open()
	if err != nil {
		return q.openError(err), nil
	}
	defer st.Close()
	if q.Kind == "pg_cleanup" {
		quit, done := st.Cleanup(10 * time.Millisecond)
		time.Sleep(150 * time.Millisecond)
		st.StopCleanup(quit, done)
		return obj{{"id", q.ID}}, nil
	}
	return q.run(st, q.Kind == "pg_load")
}

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
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/antonlindstrom/pgstore"
)

func init() {
	decoders["pg_save"] = pgRequest
	decoders["pg_load"] = pgRequest
	decoders["pg_cleanup"] = pgRequest
}

type pgReq struct {
	ID          any             `json:"id"`
	Kind        string          `json:"kind"`
	DSN         string          `json:"dsn"`
	Keys        []*string       `json:"keys"`
	Name        string          `json:"name"`
	Cookie      *string         `json:"cookie"`
	Values      json.RawMessage `json:"values"`
	Clear       bool            `json:"clear"`
	Flashes     []string        `json:"flashes"`
	MaxAge      *int            `json:"max_age"`
	StoreMaxAge *int            `json:"store_max_age"`
	MaxLength   *int            `json:"max_length"`
	Now         *int64          `json:"now"`
}

func (q *pgReq) open() (*pgstore.PGStore, error) {
	var pairs [][]byte
	for i, k := range q.Keys {
		if k == nil {
			pairs = append(pairs, nil)
			continue
		}
		b, err := hex.DecodeString(*k)
		if err != nil {
			return nil, fmt.Errorf("keys[%d]: %v", i, err)
		}
		pairs = append(pairs, b)
	}
	st, err := pgstore.NewPGStore(q.DSN, pairs...)
	if err != nil {
		return nil, err
	}
	if q.StoreMaxAge != nil {
		st.MaxAge(*q.StoreMaxAge)
	}
	if q.MaxLength != nil {
		st.MaxLength(*q.MaxLength)
	}
	if q.Now != nil {
		pinStoreCodecs(st.Codecs, *q.Now)
	}
	return st, nil
}

func pgRequest(raw json.RawMessage) (any, error) {
	var q pgReq
	if err := json.Unmarshal(raw, &q); err != nil {
		return nil, err
	}
	if q.Name == "" {
		q.Name = "session"
	}
	st, err := q.open()
	if err != nil {
		return obj{{"id", q.ID}, {"open_error", err.Error()}}, nil
	}
	defer st.Close()
	if q.Kind == "pg_cleanup" {
		quit, done := st.Cleanup(10 * time.Millisecond)
		time.Sleep(150 * time.Millisecond)
		st.StopCleanup(quit, done)
		return obj{{"id", q.ID}}, nil
	}
	r := httptest.NewRequest("GET", "http://example.test/", nil)
	if q.Cookie != nil {
		r.AddCookie(&http.Cookie{Name: q.Name, Value: *q.Cookie})
	}
	sess, loadErr := st.New(r, q.Name)
	ans := obj{{"id", q.ID}, {"load_error", errText(loadErr)}, {"is_new", sess.IsNew},
		{"session_id", sess.ID}}
	if q.Kind == "pg_load" {
		return append(ans, kv{"values", typedView(sess.Values)}), nil
	}
	if q.Clear {
		for k := range sess.Values {
			delete(sess.Values, k)
		}
	}
	if len(q.Values) > 0 && string(q.Values) != "null" {
		tree, err := decodeJSONTree(q.Values)
		if err != nil {
			return nil, err
		}
		v, err := fromTypedView(tree)
		if err != nil {
			return nil, err
		}
		m, ok := v.(map[interface{}]interface{})
		if !ok {
			return nil, fmt.Errorf("values must be a map[interface {}]interface {}, got %T", v)
		}
		for k, x := range m {
			sess.Values[k] = x
		}
	}
	for _, f := range q.Flashes {
		sess.AddFlash(f)
	}
	if q.MaxAge != nil {
		sess.Options.MaxAge = *q.MaxAge
	}
	w := httptest.NewRecorder()
	err = st.Save(r, w, sess)
	return append(ans, kv{"error", errText(err)}, kv{"saved_id", sess.ID},
		kv{"set_cookie", w.Header().Values("Set-Cookie")}), nil
}

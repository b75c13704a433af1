package main

// memcache.go — the REAL bradleypeabody/gorilla-sessions-memcache (the store gin-contrib/sessions/
// memcached wraps) over bradfitz/gomemcache against a given memcached, for live interop tests of
// gorillacompat.memcache.
//
// `decode` request kinds:
//
//	mc_save  NewMemcacheStore(client, prefix, keys) → New(r with cookie) → merge values, add flashes,
//	         set MaxAge → Save
//	mc_load  NewMemcacheStore(client, prefix, keys) → New(r with cookie) → values, ID, IsNew, error
//
// Request fields: addr ("host:port"), keys (hex, nil for no block key), name ("session"), cookie,
// key_prefix, store_method ("securecookie" | "gob" | "json"; empty = the store's default),
// via ("gin": gin-contrib's memcached.NewStore instead of gsm's constructor; it reaches neither
// StoreMethod nor the codecs), values (typed view), clear, flashes (strings added with AddFlash),
// max_age (the session's Options.MaxAge), max_length (MaxLength), now (pins the codecs' clock).
// Versions: gorilla-sessions-memcache v0.0.0-20240916143655-c0e34fd2f304, gin-contrib/sessions v1.0.4.

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/bradfitz/gomemcache/memcache"
	gsm "github.com/bradleypeabody/gorilla-sessions-memcache"
	ginmemcached "github.com/gin-contrib/sessions/memcached"
	"github.com/gorilla/sessions"
)

func init() {
	decoders["mc_save"] = mcRequest
	decoders["mc_load"] = mcRequest
}

type mcReq struct {
	ID          any             `json:"id"`
	Kind        string          `json:"kind"`
	Addr        string          `json:"addr"`
	Keys        []*string       `json:"keys"`
	Name        string          `json:"name"`
	Cookie      *string         `json:"cookie"`
	KeyPrefix   string          `json:"key_prefix"`
	StoreMethod string          `json:"store_method"`
	Via         string          `json:"via"`
	Values      json.RawMessage `json:"values"`
	Clear       bool            `json:"clear"`
	Flashes     []string        `json:"flashes"`
	MaxAge      *int            `json:"max_age"`
	MaxLength   *int            `json:"max_length"`
	Now         *int64          `json:"now"`
}

// mcStore is what both constructors give: gorilla's sessions.Store.
type mcStore interface {
	New(r *http.Request, name string) (*sessions.Session, error)
	Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error
}

func (q *mcReq) open() (mcStore, error) {
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
	client := memcache.New(q.Addr)
	if q.Via == "gin" {
		if q.StoreMethod != "" || q.MaxLength != nil || q.Now != nil {
			return nil, fmt.Errorf("via gin reaches neither store_method, max_length nor now")
		}
		return ginmemcached.NewStore(client, q.KeyPrefix, pairs...), nil
	}
	st := gsm.NewMemcacheStore(client, q.KeyPrefix, pairs...)
	if q.StoreMethod != "" {
		st.StoreMethod = gsm.StoreMethod(q.StoreMethod)
	}
	if q.MaxLength != nil {
		st.MaxLength(*q.MaxLength)
	}
	if q.Now != nil {
		pinStoreCodecs(st.Codecs, *q.Now)
	}
	return st, nil
}

func mcRequest(raw json.RawMessage) (any, error) {
	var q mcReq
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
	r := httptest.NewRequest("GET", "http://example.test/", nil)
	if q.Cookie != nil {
		r.AddCookie(&http.Cookie{Name: q.Name, Value: *q.Cookie})
	}
	sess, loadErr := st.New(r, q.Name)
	ans := obj{{"id", q.ID}, {"load_error", errText(loadErr)}, {"is_new", sess.IsNew},
		{"session_id", sess.ID}}
	if q.Kind == "mc_load" {
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

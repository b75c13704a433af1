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
	"encoding/json"
	"fmt"

	"github.com/bradfitz/gomemcache/memcache"
	gsm "github.com/bradleypeabody/gorilla-sessions-memcache"
	ginmemcached "github.com/gin-contrib/sessions/memcached"
	"github.com/gorilla/sessions"
)

func init() { registerDecoder(mcRequest, "mc_save", "mc_load") }

// mcReq: the common members (storeReq) and the memcache store's.
type mcReq struct {
	storeReq
	Addr        string `json:"addr"`
	KeyPrefix   string `json:"key_prefix"`
	StoreMethod string `json:"store_method"`
	Via         string `json:"via"`
}

// open gives gsm's store, or gin-contrib's wrapper of it (via "gin").
func (q *mcReq) open() (sessions.Store, error) {
	pairs, err := hexKeyPairs(q.Keys)
	if err != nil {
		return nil, err
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
	q.tune(st, st.Codecs)
	return st, nil
}

func mcRequest(raw json.RawMessage) (any, error) {
	var q mcReq
	if err := decodeStoreReq(raw, &q, &q.storeReq); err != nil {
		return nil, err
	}
	st, err := q.open()
	if err != nil {
		return q.openError(err), nil
	}
	return q.run(st, q.Kind == "mc_load")
}

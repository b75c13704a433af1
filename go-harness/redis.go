package main

// redis.go — the REAL Go Redis session stores against a given Redis server, for live
// interop tests of gorillacompat.redistore.
//
// `decode` request kinds (see README.md, "redistore"):
//
//	redis_save    New(r with cookie) → merge values / set MaxAge → Save → Set-Cookie
//	redis_load    New(r with cookie) → values, ID, IsNew, error
//	redis_delete  New(r with cookie) → RediStore.Delete (boj flavours only)
//
// Flavours: "v2" = github.com/boj/redistore/v2 v2.0.1 (NewStore), "v1" = github.com/boj/redistore
// v1.4.2 (NewRediStore + setters), "rbc" = github.com/rbcervilla/redisstore/v9 v9.0.0.
// Modes: "single" (the store's own connection code: redigo pool for boj, go-redis Client for
// rbc), "cluster" (go-redis ClusterClient) and "sentinel" (go-redis FailoverClient). boj/redistore
// talks redigo and has no cluster/sentinel support of its own, so in those modes its pool dials
// `universalConn`, a redigo.Conn that forwards Do to the go-redis client; all of redistore's own
// logic (keys, TTL, serializer, cookie) still runs unchanged.
//
// Request fields: storeReq's (store_request.go; now is not used) plus flavor, mode, addrs,
// master, default_max_age, key_prefix, serializer ("json" for the JSONSerializer).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"

	redistore1 "github.com/boj/redistore"
	redistore2 "github.com/boj/redistore/v2"
	redigo "github.com/gomodule/redigo/redis"
	"github.com/gorilla/sessions"
	"github.com/rbcervilla/redisstore/v9"
	goredis "github.com/redis/go-redis/v9"
)

func init() { registerDecoder(redisRequest, "redis_save", "redis_load", "redis_delete") }

// redisReq: the common members (storeReq) and the Redis stores'.
type redisReq struct {
	storeReq
	Flavor        string   `json:"flavor"`
	Mode          string   `json:"mode"`
	Addrs         []string `json:"addrs"`
	Master        string   `json:"master"`
	DefaultMaxAge *int     `json:"default_max_age"`
	KeyPrefix     *string  `json:"key_prefix"`
	Serializer    string   `json:"serializer"`
}

// goStore is what the three Go stores have in common.
type goStore interface {
	sessions.Store
	Close() error
}

// universalConn is a redigo.Conn over a go-redis client (cluster / sentinel modes).
type universalConn struct{ c goredis.UniversalClient }

func (u universalConn) Close() error { return nil }
func (u universalConn) Err() error   { return nil }
func (u universalConn) Do(cmd string, args ...interface{}) (interface{}, error) {
	if cmd == "" {
		return nil, nil
	}
	v, err := u.c.Do(context.Background(), append([]interface{}{cmd}, args...)...).Result()
	if errors.Is(err, goredis.Nil) {
		return nil, nil
	}
	return v, err
}
func (u universalConn) Send(string, ...interface{}) error { return errors.New("universalConn: Send") }
func (u universalConn) Flush() error                      { return nil }
func (u universalConn) Receive() (interface{}, error) {
	return nil, errors.New("universalConn: Receive")
}

func (q *redisReq) universal() (goredis.UniversalClient, error) {
	switch q.Mode {
	case "", "single":
		return goredis.NewClient(&goredis.Options{Addr: q.Addrs[0]}), nil
	case "cluster":
		return goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: q.Addrs}), nil
	case "sentinel":
		return goredis.NewFailoverClient(&goredis.FailoverOptions{
			MasterName: q.Master, SentinelAddrs: q.Addrs,
		}), nil
	}
	return nil, fmt.Errorf("unknown mode %q", q.Mode)
}

type closers []func() error

func (c closers) Close() error {
	for _, f := range c {
		_ = f()
	}
	return nil
}

type storeWithClose struct {
	goStore
	extra closers
}

func (s storeWithClose) Close() error { s.goStore.Close(); return s.extra.Close() }

func (q *redisReq) open() (goStore, error) {
	if len(q.Addrs) == 0 {
		return nil, errors.New("addrs is required")
	}
	keys, err := hexKeyPairs(q.Keys)
	if err != nil {
		return nil, errors.Unwrap(err) // the bare hex error, as redis answers always gave it
	}
	single := q.Mode == "" || q.Mode == "single"
	var uc goredis.UniversalClient
	if !single || q.Flavor == "rbc" {
		if uc, err = q.universal(); err != nil {
			return nil, err
		}
	}
	pool := func() *redigo.Pool {
		return &redigo.Pool{MaxIdle: 4, Dial: func() (redigo.Conn, error) { return universalConn{uc}, nil }}
	}
	switch q.Flavor {
	case "", "v2":
		opts := []redistore2.Option{}
		if single {
			opts = append(opts, redistore2.WithAddress("tcp", q.Addrs[0]))
		} else {
			opts = append(opts, redistore2.WithPool(pool()))
		}
		if q.DefaultMaxAge != nil {
			opts = append(opts, redistore2.WithDefaultMaxAge(*q.DefaultMaxAge))
		}
		if q.KeyPrefix != nil {
			opts = append(opts, redistore2.WithKeyPrefix(*q.KeyPrefix))
		}
		if q.MaxLength != nil {
			opts = append(opts, redistore2.WithMaxLength(*q.MaxLength))
		}
		if q.Serializer == "json" {
			opts = append(opts, redistore2.WithSerializer(redistore2.JSONSerializer{}))
		}
		st, err := redistore2.NewStore(keys, opts...)
		if err != nil {
			return nil, err
		}
		return storeWithClose{st, closers{closeUniversal(uc)}}, nil
	case "v1":
		var st *redistore1.RediStore
		if single {
			st, err = redistore1.NewRediStore(4, "tcp", q.Addrs[0], "", "", keys...)
		} else {
			st, err = redistore1.NewRediStoreWithPool(pool(), keys...)
		}
		if err != nil {
			return nil, err
		}
		if q.DefaultMaxAge != nil {
			st.DefaultMaxAge = *q.DefaultMaxAge
		}
		if q.KeyPrefix != nil {
			st.SetKeyPrefix(*q.KeyPrefix)
		}
		if q.MaxLength != nil {
			st.SetMaxLength(*q.MaxLength)
		}
		if q.Serializer == "json" {
			st.SetSerializer(redistore1.JSONSerializer{})
		}
		return storeWithClose{st, closers{closeUniversal(uc)}}, nil
	case "rbc":
		st, err := redisstore.NewRedisStore(context.Background(), uc)
		if err != nil {
			uc.Close()
			return nil, err
		}
		if q.KeyPrefix != nil {
			st.KeyPrefix(*q.KeyPrefix)
		}
		return st, nil
	}
	return nil, fmt.Errorf("unknown flavor %q", q.Flavor)
}

func closeUniversal(uc goredis.UniversalClient) func() error {
	return func() error {
		if uc != nil {
			return uc.Close()
		}
		return nil
	}
}

func redisRequest(raw json.RawMessage) (any, error) {
	var q redisReq
	if err := decodeStoreReq(raw, &q, &q.storeReq); err != nil {
		return nil, err
	}
	// redistore's JSONSerializer prints its errors to stdout, which carries our answers:
	// capture it and report it as "stdout".
	captured, err := os.CreateTemp("", "redis-stdout-")
	if err != nil {
		return nil, err
	}
	defer os.Remove(captured.Name())
	defer captured.Close()
	realStdout := os.Stdout
	os.Stdout = captured
	defer func() { os.Stdout = realStdout }()
	printed := func() string {
		b, _ := os.ReadFile(captured.Name())
		return string(b)
	}
	st, err := q.open()
	if err != nil {
		return q.openError(err), nil
	}
	defer st.Close()
	c := q.newSession(st)
	switch q.Kind {
	case "redis_load":
		return append(c.withValues(), kv{"stdout", printed()}), nil
	case "redis_save":
		if err := q.edit(c.sess); err != nil {
			return nil, err
		}
		err = st.Save(c.r, c.w, c.sess)
	case "redis_delete":
		d, ok := redisDeleter(st)
		if !ok {
			return nil, fmt.Errorf("flavor %q has no Delete", q.Flavor)
		}
		err = d.Delete(c.r, c.w, c.sess)
		c.ans = append(c.ans, kv{"values_after", typedView(c.sess.Values)})
	}
	return append(c.saved(err), kv{"stdout", printed()}), nil
}

type deleter interface {
	Delete(r *http.Request, w http.ResponseWriter, s *sessions.Session) error
}

// redisDeleter is the RediStore.Delete of the boj flavours (rbc has none).
func redisDeleter(st goStore) (deleter, bool) {
	if sw, ok := st.(storeWithClose); ok {
		st = sw.goStore
	}
	d, ok := st.(deleter)
	return d, ok
}

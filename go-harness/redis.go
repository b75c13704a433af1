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
// Also the `redis-bench` subcommand (get+save per second of the real v2 store).

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"time"

	redistore1 "github.com/boj/redistore"
	redistore2 "github.com/boj/redistore/v2"
	redigo "github.com/gomodule/redigo/redis"
	"github.com/gorilla/sessions"
	"github.com/rbcervilla/redisstore/v9"
	goredis "github.com/redis/go-redis/v9"
)

func init() {
	decoders["redis_save"] = redisRequest
	decoders["redis_load"] = redisRequest
	decoders["redis_delete"] = redisRequest
	commands["redis-bench"] = cmdRedisBench
}

type redisReq struct {
	ID            any       `json:"id"`
	Kind          string    `json:"kind"`
	Flavor        string    `json:"flavor"`
	Mode          string    `json:"mode"`
	Addrs         []string  `json:"addrs"`
	Master        string    `json:"master"`
	Keys          []*string `json:"keys"`
	Name          string    `json:"name"`
	Cookie        *string   `json:"cookie"`
	Values        any       `json:"values"`
	Clear         bool      `json:"clear"`
	MaxAge        *int      `json:"max_age"`
	DefaultMaxAge *int      `json:"default_max_age"`
	KeyPrefix     *string   `json:"key_prefix"`
	Serializer    string    `json:"serializer"`
	MaxLength     *int      `json:"max_length"`
}

// goStore is what the three Go stores have in common.
type goStore interface {
	New(r *http.Request, name string) (*sessions.Session, error)
	Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error
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

func (q *redisReq) keyPairs() ([][]byte, error) {
	out := make([][]byte, 0, len(q.Keys))
	for _, k := range q.Keys {
		if k == nil {
			out = append(out, nil)
			continue
		}
		b, err := hex.DecodeString(*k)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
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
	keys, err := q.keyPairs()
	if err != nil {
		return nil, err
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

func errText(err error) any {
	if err == nil {
		return nil
	}
	return err.Error()
}

func redisRequest(raw json.RawMessage) (any, error) {
	var q redisReq
	if err := json.Unmarshal(raw, &q); err != nil {
		return nil, err
	}
	if q.Name == "" {
		q.Name = "session"
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
		return obj{{"id", q.ID}, {"open_error", err.Error()}}, nil
	}
	defer st.Close()
	r := httptest.NewRequest("GET", "http://example.test/", nil)
	if q.Cookie != nil {
		r.AddCookie(&http.Cookie{Name: q.Name, Value: *q.Cookie})
	}
	sess, loadErr := st.New(r, q.Name)
	ans := obj{{"id", q.ID}, {"load_error", errText(loadErr)}, {"is_new", sess.IsNew},
		{"session_id", sess.ID}}
	w := httptest.NewRecorder()
	switch q.Kind {
	case "redis_load":
		ans = append(ans, kv{"values", typedView(sess.Values)}, kv{"stdout", printed()})
		return ans, nil
	case "redis_save":
		if q.Clear {
			for k := range sess.Values {
				delete(sess.Values, k)
			}
		}
		if q.Values != nil {
			v, err := fromTypedView(q.Values)
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
		if q.MaxAge != nil {
			sess.Options.MaxAge = *q.MaxAge
		}
		err = st.Save(r, w, sess)
	case "redis_delete":
		type deleter interface {
			Delete(r *http.Request, w http.ResponseWriter, s *sessions.Session) error
		}
		inner := st
		if sw, ok := st.(storeWithClose); ok {
			inner = sw.goStore
		}
		d, ok := inner.(deleter)
		if !ok {
			return nil, fmt.Errorf("flavor %q has no Delete", q.Flavor)
		}
		err = d.Delete(r, w, sess)
		ans = append(ans, kv{"values_after", typedView(sess.Values)})
	}
	ans = append(ans, kv{"error", errText(err)}, kv{"saved_id", sess.ID},
		kv{"set_cookie", w.Header().Values("Set-Cookie")}, kv{"stdout", printed()})
	return ans, nil
}

// ---- redis-bench ------------------------------------------------------------------------

// benchRedisValues is the session of the redis get+save workload (same as tests/bench).
func benchRedisValues() map[interface{}]interface{} {
	return map[interface{}]interface{}{
		"user_id": 1234567, "name": "Ann Example", "email": "ann.example@example.com",
		"verified": true, "theme": "dark", "csrf": "5f2b8c1e9a7d4e3f", "login_at": int64(1700000000),
	}
}

// cmdRedisBench: one op = New (GET of an existing session through its cookie) + Save (SETEX)
// with the real boj/redistore v2.0.1 store; prints {"ops_per_sec": x, "ops": n, "workers": k}.
func cmdRedisBench(args []string) error {
	fs := flag.NewFlagSet("redis-bench", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:6379", "Redis address")
	workers := fs.Int("workers", 1, "concurrent goroutines (pool size = workers)")
	dur := fs.Duration("time", 2*time.Second, "run time")
	sessionsN := fs.Int("sessions", 100, "distinct sessions")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := redistore2.NewStore([][]byte{benchHashKey}, redistore2.WithAddress("tcp", *addr),
		redistore2.WithPoolSize(*workers))
	if err != nil {
		return err
	}
	defer st.Close()
	// Seed sessions, remember their cookies.
	cookies := make([]string, *sessionsN)
	for i := range cookies {
		r := httptest.NewRequest("GET", "http://x/", nil)
		s, _ := st.New(r, "session")
		for k, v := range benchRedisValues() {
			s.Values[k] = v
		}
		w := httptest.NewRecorder()
		if err := st.Save(r, w, s); err != nil {
			return err
		}
		c := w.Result().Cookies()[0]
		cookies[i] = c.Value
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	deadline := time.Now().Add(*dur)
	start := time.Now()
	var firstErr error
	for g := 0; g < *workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			n := 0
			for i := g; time.Now().Before(deadline); i++ {
				r := httptest.NewRequest("GET", "http://x/", nil)
				r.AddCookie(&http.Cookie{Name: "session", Value: cookies[i%len(cookies)]})
				s, err := st.New(r, "session")
				if err == nil {
					s.Values["n"] = i
					err = st.Save(r, httptest.NewRecorder(), s)
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				n++
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}(g)
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	el := time.Since(start).Seconds()
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"ops_per_sec": float64(total) / el, "ops": total, "workers": *workers,
	})
}

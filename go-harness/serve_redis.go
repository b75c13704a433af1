package main

// serve_redis.go — `serve -store redis`: the serve app (serve.go) on the REAL boj/redistore, so a
// Go app and Python apps on gorillacompat.redistore.RedisStore can share one login through one
// Redis (tests/e2e/test_browser_redis.py, tests/redistore/test_shared_login.py).
//
//   go-harness serve -store redis -redis-addr 127.0.0.1:PORT [-redistore v2|v1] \
//       [-redis-prefix session_] -name gsession -hash-key HEX [-block-key HEX] ...
//
// v2 = github.com/boj/redistore/v2 v2.0.1 NewStore(keyPairs, WithAddress("tcp", addr),
// WithKeyPrefix(p)); v1 = github.com/boj/redistore v1.4.2 NewRediStore(size, "tcp", addr, "",
// "", keyPairs...) + SetKeyPrefix(p). Both PING Redis when opened, so a wrong address fails at
// start, not at the first request. Everything else (session IDs, keys, TTLs, gob values, the
// cookie) is redistore's own code, unchanged.

import (
	"flag"
	"fmt"

	redistore1 "github.com/boj/redistore"
	redistore2 "github.com/boj/redistore/v2"
	"github.com/gorilla/sessions"
)

// serveRedisFlags are the `serve` flags of the redis store.
type serveRedisFlags struct {
	addr    *string
	flavor  *string
	prefix  *string
	maxIdle *int
}

func addServeRedisFlags(fs *flag.FlagSet) *serveRedisFlags {
	return &serveRedisFlags{
		addr:    fs.String("redis-addr", "", "-store redis: Redis address host:port (required)"),
		flavor:  fs.String("redistore", "v2", "-store redis: v2 (boj/redistore/v2 v2.0.1) | v1 (boj/redistore v1.4.2)"),
		prefix:  fs.String("redis-prefix", "session_", "-store redis: Redis key prefix (redistore's default: session_)"),
		maxIdle: fs.Int("redis-pool", 10, "-store redis: pool size (v2 WithPoolSize; v1 NewRediStore size)"),
	}
}

// open builds the store; maxAge -2 keeps redistore's default (Options.MaxAge = 30 days),
// anything else calls RediStore.SetMaxAge (Options.MaxAge and the codecs' MaxAge, as
// sessions.CookieStore.MaxAge does).
func (f *serveRedisFlags) open(pairs [][]byte, maxAge int) (*sessions.Options, sessions.Store, error) {
	if *f.addr == "" {
		return nil, nil, fmt.Errorf("-store redis needs -redis-addr host:port")
	}
	switch *f.flavor {
	case "v2":
		s, err := redistore2.NewStore(pairs,
			redistore2.WithAddress("tcp", *f.addr),
			redistore2.WithPoolSize(*f.maxIdle),
			redistore2.WithKeyPrefix(*f.prefix))
		if err != nil {
			return nil, nil, err
		}
		if maxAge != -2 {
			s.SetMaxAge(maxAge)
		}
		return s.Options, s, nil
	case "v1":
		s, err := redistore1.NewRediStore(*f.maxIdle, "tcp", *f.addr, "", "", pairs...)
		if err != nil {
			return nil, nil, err
		}
		s.SetKeyPrefix(*f.prefix)
		if maxAge != -2 {
			s.SetMaxAge(maxAge)
		}
		return s.Options, s, nil
	}
	return nil, nil, fmt.Errorf("-redistore must be v2 or v1, not %q", *f.flavor)
}

package main

// bench_stores.go — the `store-bench` subcommand: get+save per second of the Go session store a
// Gin app uses, per gin-contrib/sessions v1.0.4 backend, against a server the caller started
// (tests/bench/bench_stores.py runs it next to gorillacompat's stores on the same server).
//
// One op = what a Gin handler does per request: Get (gorilla's registry → the store's New:
// decode the cookie, load the row/item) + set one value + Save (write it back, Set-Cookie).
// Sessions are seeded first; op i uses session i % -sessions. An untimed -warmup run comes first
// (the pools open their connections), then the timed -time run.
//
// Stores come from gin-contrib/sessions' own constructors:
//
//	postgres       postgres.NewStore(sql.Open("postgres", dsn), keys...)   → antonlindstrom/pgstore
//	memcached      memcached.NewStore(memcache.New(addr), "", keys...)     → gorilla-sessions-memcache
//	gorm-sqlite    gorm.NewStore(gorm.Open(sqlite.Open(dsn)), false, keys...) → wader/gormstore/v2
//	gorm-postgres  … postgres.Open(dsn) (pgx) …
//	gorm-mysql     … mysql.Open(dsn) (go-sql-driver) …
//
// One setting differs from the constructors' defaults: the client pool keeps -workers idle
// connections (database/sql and gomemcache keep 2), so 16 goroutines do not reconnect on every
// request; the Python stores get a pool of the same size. GORM's logger is silenced (it prints
// slow queries to stdout, which carries the JSON answer).
//
// Prints {"ops_per_sec": x, "ops": n, "workers": k, "backend": b, "cpu_us_per_op": c}, c being
// this process's CPU time (user + system, every thread) over the timed loop, per op.

import (
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
	ginsessions "github.com/gin-contrib/sessions"
	gingorm "github.com/gin-contrib/sessions/gorm"
	ginmemcached "github.com/gin-contrib/sessions/memcached"
	ginpostgres "github.com/gin-contrib/sessions/postgres"
	"github.com/gorilla/sessions"
	gormmysql "gorm.io/driver/mysql"
	gormpostgres "gorm.io/driver/postgres"
	gormsqlite "gorm.io/driver/sqlite"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"
)

func init() {
	commands["store-bench"] = cmdStoreBench
}

// storeBenchOpen makes the Gin app's store for a backend; close releases its client.
func storeBenchOpen(backend, dsn string, workers int, keys [][]byte) (st ginsessions.Store, close func(), err error) {
	switch backend {
	case "postgres":
		db, err := sql.Open("postgres", dsn)
		if err != nil {
			return nil, nil, err
		}
		db.SetMaxOpenConns(workers)
		db.SetMaxIdleConns(workers)
		st, err := ginpostgres.NewStore(db, keys...)
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		return st, func() { db.Close() }, nil
	case "memcached":
		c := memcache.New(dsn)
		c.MaxIdleConns = workers
		return ginmemcached.NewStore(c, "", keys...), func() { c.Close() }, nil
	case "gorm-sqlite", "gorm-postgres", "gorm-mysql":
		var dial gorm.Dialector
		switch backend {
		case "gorm-sqlite":
			dial = gormsqlite.Open(dsn)
		case "gorm-postgres":
			dial = gormpostgres.Open(dsn)
		default:
			dial = gormmysql.Open(dsn)
		}
		db, err := gorm.Open(dial, &gorm.Config{Logger: gormlogger.Default.LogMode(gormlogger.Silent)})
		if err != nil {
			return nil, nil, err
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, nil, err
		}
		sqlDB.SetMaxOpenConns(workers)
		sqlDB.SetMaxIdleConns(workers)
		return gingorm.NewStore(db, false, keys...), func() { sqlDB.Close() }, nil
	}
	return nil, nil, fmt.Errorf("unknown backend %q (postgres, memcached, gorm-sqlite, gorm-postgres, gorm-mysql)", backend)
}

// storeBenchSeed saves n sessions holding the bench values; their cookie values.
func storeBenchSeed(st sessions.Store, n int) ([]string, error) {
	cookies := make([]string, n)
	for i := range cookies {
		r := httptest.NewRequest("GET", "http://x/", nil)
		s, err := st.New(r, "session")
		if err != nil {
			return nil, err
		}
		for k, v := range benchRedisValues() {
			s.Values[k] = v
		}
		w := httptest.NewRecorder()
		if err := st.Save(r, w, s); err != nil {
			return nil, err
		}
		cookies[i] = w.Result().Cookies()[0].Value
	}
	return cookies, nil
}

func cmdStoreBench(args []string) error {
	fs := flag.NewFlagSet("store-bench", flag.ContinueOnError)
	backend := fs.String("backend", "postgres", "postgres | memcached | gorm-sqlite | gorm-postgres | gorm-mysql")
	dsn := fs.String("dsn", "", "lib/pq or GORM DSN, or memcached host:port")
	keysHex := fs.String("keys", "", "comma-separated hex key pairs (hash,block,...)")
	workers := fs.Int("workers", 1, "concurrent goroutines (and idle connections kept)")
	dur := fs.Duration("time", 2*time.Second, "run time")
	warmup := fs.Duration("warmup", 500*time.Millisecond, "untimed run first (connections open, caches fill)")
	sessionsN := fs.Int("sessions", 100, "distinct sessions")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *workers < 1 || *sessionsN < 1 {
		return errors.New("-workers and -sessions must be at least 1")
	}
	var keys [][]byte
	for _, h := range strings.Split(*keysHex, ",") {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) == 0 {
			return fmt.Errorf("-keys: %q is not a hex key", h)
		}
		keys = append(keys, b)
	}
	st, closeStore, err := storeBenchOpen(*backend, *dsn, *workers, keys)
	if err != nil {
		return err
	}
	defer closeStore()
	cookies, err := storeBenchSeed(st, *sessionsN)
	if err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	if _, err := storeBenchPhase(st, cookies, *workers, *warmup); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	cpu0, start := storeBenchCPU(), time.Now()
	total, err := storeBenchPhase(st, cookies, *workers, *dur)
	el, cpu := time.Since(start).Seconds(), storeBenchCPU()-cpu0
	if err != nil {
		return err
	}
	if total == 0 {
		return errors.New("no op completed in time")
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"ops_per_sec": float64(total) / el, "ops": total, "workers": *workers, "backend": *backend,
		"cpu_us_per_op": cpu.Seconds() * 1e6 / float64(total),
	})
}

// storeBenchPhase runs the op in `workers` goroutines for d; the ops completed, or the first error.
func storeBenchPhase(st sessions.Store, cookies []string, workers int, d time.Duration) (int, error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	var firstErr error
	deadline := time.Now().Add(d)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			n := 0
			var err error
			for i := g; err == nil && time.Now().Before(deadline); i += workers {
				r := httptest.NewRequest("GET", "http://x/", nil)
				r.AddCookie(&http.Cookie{Name: "session", Value: cookies[i%len(cookies)]})
				var s *sessions.Session
				if s, err = st.Get(r, "session"); err == nil && s.IsNew {
					err = fmt.Errorf("session %d was not found", i%len(cookies))
				}
				if err == nil {
					s.Values["n"] = i
					err = st.Save(r, httptest.NewRecorder(), s)
				}
				if err == nil {
					n++
				}
			}
			mu.Lock()
			total += n
			if err != nil && firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}(g)
	}
	wg.Wait()
	return total, firstErr
}

// storeBenchCPU is the CPU time (user + system) the process has used so far.
func storeBenchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

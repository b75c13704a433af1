package main

// redis_bench.go — the `redis-bench` subcommand: get+save per second of the real
// boj/redistore v2.0.1 store (tests/bench/bench_redistore.py runs it next to gorillacompat's).
//
// One op = Get (New: GET of an existing session through its cookie) + Save (SETEX), as in
// store-bench (bench_stores.go, whose seeding and timed loop it uses); no warm-up run.
// Prints {"ops_per_sec": x, "ops": n, "workers": k}.

import (
	"encoding/json"
	"flag"
	"os"
	"time"

	redistore2 "github.com/boj/redistore/v2"
)

func init() {
	commands["redis-bench"] = cmdRedisBench
}

// benchRedisValues is the session of the get+save workloads (same as tests/bench).
func benchRedisValues() map[interface{}]interface{} {
	return map[interface{}]interface{}{
		"user_id": 1234567, "name": "Ann Example", "email": "ann.example@example.com",
		"verified": true, "theme": "dark", "csrf": "5f2b8c1e9a7d4e3f", "login_at": int64(1700000000),
	}
}

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
	cookies, err := storeBenchSeed(st, *sessionsN)
	if err != nil {
		return err
	}
	start := time.Now()
	total, err := storeBenchPhase(st, cookies, *workers, *dur)
	if err != nil {
		return err
	}
	el := time.Since(start).Seconds()
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"ops_per_sec": float64(total) / el, "ops": total, "workers": *workers,
	})
}

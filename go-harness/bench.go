package main

// bench.go — the `bench` subcommand: ns/op of the real libraries on fixed workloads, for
// comparison with the Python implementation (which uses the identical values, written
// to fixtures/bench/ by the `fixtures` command).
//
// Workloads are registered in `benchmarks` (main.go); gob workloads can be added from
// other files' init() functions.

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/gorilla/securecookie"
)

func init() {
	commands["bench"] = cmdBench
	benchmarks["securecookie_json_aes256_sha256"] = benchSecurecookieJSON
	fixtureWriters["bench"] = writeBenchFixtures
}

// benchDuration is the target run time of each timed loop (-time flag).
var benchDuration = time.Second

// benchSessionJSON is the ~200-byte JSON session value of the JSON workload (the exact
// value is documented in README.md and written to fixtures/bench/session_json.json).
func benchSessionJSON() map[string]interface{} {
	return map[string]interface{}{
		"user_id":  float64(1234567),
		"name":     "Ann Example",
		"email":    "ann.example@example.com",
		"roles":    []interface{}{"admin", "editor", "viewer"},
		"verified": true,
		"beta":     false,
		"theme":    "dark",
		"csrf":     "5f2b8c1e9a7d4e3f",
		"login_at": float64(1700000000),
	}
}

// Bench keys: fixed, derived from the fixture seed (see README.md).
var (
	benchHashKey  = seedBytes("bench:hash", 32)
	benchBlockKey = seedBytes("bench:block", 32)
)

func writeBenchFixtures(out string) error {
	v := benchSessionJSON()
	ser := mustSerialize("json", v)
	tree := obj{
		{"description", "the JSON session value of the securecookie_json_aes256_sha256 benchmark (go-harness bench)"},
		{"value", typedView(v)},
		{"serialized", string(ser)},
		{"serialized_len", int64(len(ser))},
		{"hash_key", fmt.Sprintf("%x", benchHashKey)},
		{"block_key", fmt.Sprintf("%x", benchBlockKey)},
		{"hash", "sha256"},
		{"serializer", "json"},
		{"name", "session"},
	}
	return writeFixtureJSON(out, "bench/session_json.json", tree)
}

// timeLoop runs f in a loop for about benchDuration and returns ns per call.
func timeLoop(f func()) float64 {
	n := 1
	for {
		start := time.Now()
		for i := 0; i < n; i++ {
			f()
		}
		el := time.Since(start)
		if el >= benchDuration/10 || n >= 1<<30 {
			// Extrapolate to the full duration.
			target := int(float64(n) * float64(benchDuration) / float64(el+1))
			if target < n {
				target = n
			}
			start = time.Now()
			for i := 0; i < target; i++ {
				f()
			}
			return float64(time.Since(start).Nanoseconds()) / float64(target)
		}
		n *= 2
	}
}

func benchSecurecookieJSON() (float64, float64) {
	codec := securecookie.New(benchHashKey, benchBlockKey)
	codec.SetSerializer(securecookie.JSONEncoder{})
	return benchCodec(codec, benchSessionJSON(), func() any { return new(interface{}) })
}

// benchCodec times codec.Encode of v and codec.Decode of its cookie into newDst().
func benchCodec(codec *securecookie.SecureCookie, v any, newDst func() any) (float64, float64) {
	cookie, err := codec.Encode("session", v)
	if err != nil {
		panic(err)
	}
	encNs := timeLoop(func() {
		if _, err := codec.Encode("session", v); err != nil {
			panic(err)
		}
	})
	decNs := timeLoop(func() {
		if err := codec.Decode("session", cookie, newDst()); err != nil {
			panic(err)
		}
	})
	return encNs, decNs
}

func cmdBench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON {workload: {encode_ns, decode_ns}}")
	only := fs.String("only", "", "run only this workload")
	dur := fs.Duration("time", time.Second, "target duration of each timed loop")
	if err := fs.Parse(args); err != nil {
		return err
	}
	benchDuration = *dur
	names := make([]string, 0, len(benchmarks))
	for n := range benchmarks {
		if *only == "" || *only == n {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return fmt.Errorf("no such workload %q", *only)
	}
	res := obj{}
	for _, n := range names {
		e, d := benchmarks[n]()
		res = append(res, kv{n, obj{{"encode_ns", e}, {"decode_ns", d}}})
		if !*asJSON {
			fmt.Printf("%-40s encode %10.0f ns/op   decode %10.0f ns/op\n", n, e, d)
		}
	}
	if *asJSON {
		os.Stdout.Write(append(compactJSON(res), '\n'))
	}
	return nil
}

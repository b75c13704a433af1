package main

// bench_gob.go — gob workloads of the `bench` subcommand. The values are types.go's
// gobBenchValues (also written, with Go's fresh-process bytes, to fixtures/bench/gob.json
// so the Python benchmark uses identical values):
//
//	gob_session_securecookie_aes256_sha256  the 6-entry session in securecookie.New(benchHashKey,
//	                                        benchBlockKey) (gob, AES-256-CTR, HMAC-SHA256): Encode / Decode
//	gob_large                               plain gob of the ~3 KB session map: new Encoder + Encode / new Decoder + Decode
//	gob_struct                              plain gob of the session holding *main.Account and main.Person
//
// Each op uses a new Encoder/Decoder (as securecookie and redistore do), into a fresh
// map[interface{}]interface{}.

import (
	"bytes"
	"encoding/gob"

	"github.com/gorilla/securecookie"
)

func init() {
	benchmarks["gob_session_securecookie_aes256_sha256"] = benchGobSessionCookie
	benchmarks["gob_large"] = func() (float64, float64) { return benchGobPlain("large") }
	benchmarks["gob_struct"] = func() (float64, float64) { return benchGobPlain("struct") }
}

func gobBenchValue(id string) interface{} {
	for _, b := range gobBenchValues() {
		if b.id == id {
			return b.v
		}
	}
	panic("no gob bench value " + id)
}

func benchGobSessionCookie() (float64, float64) {
	codec := securecookie.New(benchHashKey, benchBlockKey)
	return benchCodec(codec, gobBenchValue("session"), func() any {
		dst := map[interface{}]interface{}{}
		return &dst
	})
}

func benchGobPlain(id string) (float64, float64) {
	v := gobBenchValue(id)
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		panic(err)
	}
	data := buf.Bytes()
	encNs := timeLoop(func() {
		var b bytes.Buffer
		if err := gob.NewEncoder(&b).Encode(v); err != nil {
			panic(err)
		}
	})
	decNs := timeLoop(func() {
		dst := map[interface{}]interface{}{}
		if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&dst); err != nil {
			panic(err)
		}
	})
	return encNs, decNs
}

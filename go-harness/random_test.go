package main

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestSameGoValueFloatsAndTimes(t *testing.T) {
	nan1 := math.Float64frombits(0x7ff8000000000001)
	nan2 := math.Float64frombits(0x7ff8000000000002)
	negz := math.Copysign(0, -1)
	cases := []struct {
		name string
		a, b interface{}
		same bool
	}{
		{"nan same bits", nan1, nan1, true},
		{"nan other payload", nan1, nan2, false},
		{"zero vs neg zero", 0.0, negz, false},
		{"float32 nan", []float32{float32(math.NaN())}, []float32{float32(math.NaN())}, true},
		{"complex neg zero", complex(0, negz), complex(0, 0), false},
		{"nil vs empty slice", []int(nil), []int{}, false},
		{"nil vs empty map", map[string]int(nil), map[string]int{}, false},
		{"int vs int64 key", map[interface{}]interface{}{1: "a"}, map[interface{}]interface{}{int64(1): "a"}, false},
		{"same mixed keys", map[interface{}]interface{}{1: "a", true: "b", 1.0: "c"},
			map[interface{}]interface{}{1.0: "c", true: "b", 1: "a"}, true},
		{"neg zero key", map[float64]int{negz: 1}, map[float64]int{0: 1}, false},
		{"iface types", []interface{}{int8(1)}, []interface{}{uint8(1)}, false},
		{"ptr", func() *int { i := 1; return &i }(), func() *int { i := 1; return &i }(), true},
		{"fixed zone, two locations", time.Date(2020, 1, 2, 3, 4, 5, 6, time.FixedZone("", 3600)),
			time.Date(2020, 1, 2, 3, 4, 5, 6, time.FixedZone("", 3600)), true},
		{"same instant, other offset", time.Date(2020, 1, 2, 3, 4, 5, 6, time.FixedZone("", 3600)),
			time.Date(2020, 1, 2, 2, 4, 5, 6, time.UTC), false},
	}
	for _, c := range cases {
		err := sameGoValue(c.a, c.b)
		if (err == nil) != c.same {
			t.Errorf("%s: sameGoValue = %v, want same=%v", c.name, err, c.same)
		}
	}
}

// Cases must not depend on which other indices the process built before.
func TestRandomDeterministic(t *testing.T) {
	const seed = 11
	first := map[int]rndGenLine{}
	for i := 0; i < 200; i++ {
		c, err := rndBuildCase(seed, i)
		if err != nil {
			t.Fatal(err)
		}
		first[i] = c.genLine()
	}
	for i := 199; i >= 0; i-- {
		c, err := rndBuildCase(seed, i)
		if err != nil {
			t.Fatal(err)
		}
		a, b := first[i], c.genLine()
		if a.Type != b.Type || !reflect.DeepEqual(a.Kinds, b.Kinds) || !reflect.DeepEqual(a.Registered, b.Registered) ||
			!reflect.DeepEqual(a.Cookie.JSON, b.Cookie.JSON) || a.Cookie.HashKey != b.Cookie.HashKey {
			t.Fatalf("case %d differs when rebuilt", i)
		}
		// gob bytes may differ (type ids, map order) but must decode to the same value
		if a.Gob != nil {
			if err := rndCompare(func() (interface{}, error) { return rndDecodeGob(c.Gob, c.T) },
				func() (interface{}, error) { return rndDecodeGob(c.Gob, c.T) }); err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
		}
	}
}

// rndFindCore6 walks a decoded value for a map[interface{}]interface{} holding the six
// distinct keys 1, true, 1.0, int64(1), int8(1), uint(1).
func rndFindCore6(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		return !v.IsNil() && rndFindCore6(v.Elem())
	case reflect.Map:
		if rndHasCore6(v) {
			return true
		}
		for it := v.MapRange(); it.Next(); {
			if rndFindCore6(it.Value()) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if rndFindCore6(v.Index(i)) {
				return true
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && rndFindCore6(v.Field(i)) {
				return true
			}
		}
	}
	return false
}

// The mixed-key cases really carry 1, true, 1.0, int64(1), int8(1), uint(1) as six distinct
// keys of one map through gob.
func TestRandomMixedKeysCore6(t *testing.T) {
	found := 0
	for i := 0; i < 300; i++ {
		c, err := rndBuildCase(3, i)
		if err != nil {
			t.Fatal(err)
		}
		tagged := false
		for _, k := range c.Kinds {
			tagged = tagged || k == "mixed_keys_core6"
		}
		if !tagged {
			continue
		}
		var m map[interface{}]interface{}
		if err := gob.NewDecoder(bytes.NewReader(c.SessionGob)).Decode(&m); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !rndFindCore6(reflect.ValueOf(m)) {
			t.Fatalf("case %d: tagged mixed_keys_core6 but the decoded session has no such map", i)
		}
		found++
	}
	if found < 10 {
		t.Fatalf("only %d mixed_keys_core6 cases in 300", found)
	}
}

// rndGoReaderAnswer is the answer Go gives in Python's place: every part of the generated
// line read and written back by the real Go libraries, the way tests/random_go.py does it
// (gob into the case's type, the session and the gob cookie into map[interface{}]interface{},
// the JSON cookie into interface{}, since its reader has no Go type).
//
// Except the gob parts of a case with a time.Time whose zone offset has seconds: there Go's
// own round trip is not faithful for negative offsets (time.Time.UnmarshalBinary adds the
// version-2 seconds byte unsigned: -6616s is written as -110 min and -16 s, read back as
// -6600+240 = -6360s, another instant), so those parts keep Go's generated bytes, which is
// what Python must give back byte for byte anyway. reread reports whether they were re-read.
func rndGoReaderAnswer(t *testing.T, c *rndCase) (a *rndAnswer, reread bool) {
	t.Helper()
	l := c.genLine()
	idx := c.Index
	a = &rndAnswer{ID: l.ID, Index: &idx}
	reread = !slices.Contains(c.Kinds, "time_seconds_offset")
	if !reread {
		a.Gob, a.SessionGob, a.CookieGob = l.Gob, l.SessionGob, l.Cookie.Gob
	}
	hexOf := func(b []byte) *string { s := hex.EncodeToString(b); return &s }
	if c.Gob != nil && reread {
		v, err := rndDecodeGob(c.Gob, c.T)
		if err != nil {
			t.Fatalf("case %s: gob: %v", c.ID, err)
		}
		b, err := rndGobEncode(v)
		if err != nil {
			t.Fatalf("case %s: gob: %v", c.ID, err)
		}
		a.Gob = hexOf(b)
	}
	if c.SessionGob != nil && reread {
		var m map[interface{}]interface{}
		if err := gob.NewDecoder(bytes.NewReader(c.SessionGob)).Decode(&m); err != nil {
			t.Fatalf("case %s: session_gob: %v", c.ID, err)
		}
		b, err := rndGobEncode(m)
		if err != nil {
			t.Fatalf("case %s: session_gob: %v", c.ID, err)
		}
		a.SessionGob = hexOf(b)
	}
	reader := func(cookie string, jsonSerializer bool, into interface{}) *string {
		sc := rndCodec(c, jsonSerializer)
		if err := sc.Decode(rndCookieName, cookie, into); err != nil {
			t.Fatalf("case %s: cookie (json %v): %v", c.ID, jsonSerializer, err)
		}
		var out string
		var err error
		withIV(c.IV, func() { out, err = sc.Encode(rndCookieName, reflect.ValueOf(into).Elem().Interface()) })
		if err != nil {
			t.Fatalf("case %s: cookie (json %v): %v", c.ID, jsonSerializer, err)
		}
		return &out
	}
	if l.Cookie.Gob != nil && reread {
		a.CookieGob = reader(*l.Cookie.Gob, false, new(map[interface{}]interface{}))
	}
	if l.Cookie.JSON != nil {
		a.CookieJSON = reader(*l.Cookie.JSON, true, new(interface{}))
	}
	return a, reread
}

// Go's own answers pass `check`: the generated bytes themselves for the gob parts, and every
// part as Go reads and writes it back (what Python has to match). Go's JSON cookie of the
// TYPED value is not a reader's answer whenever it differs from the interface{} round trip
// (struct field order, integers beyond 2^53, invalid UTF-8): `check` must refuse it, or it
// would not see a Python that stopped sorting keys.
func TestRandomSelfCheck(t *testing.T) {
	const seed, n = 5, 300
	counts := map[string]int{}
	typedRefused := 0
	for i := 0; i < n; i++ {
		c, err := rndBuildCase(seed, i)
		if err != nil {
			t.Fatal(err)
		}
		l := c.genLine()
		idx := i

		// The generated gob bytes, as they are.
		a := &rndAnswer{ID: l.ID, Index: &idx, Gob: l.Gob, SessionGob: l.SessionGob, CookieGob: l.Cookie.Gob}
		if v := rndCheckOne(seed, n, a); !v.OK {
			t.Fatalf("case %d, generated bytes: %+v", i, v)
		}

		// Go as the reader.
		a, reread := rndGoReaderAnswer(t, c)
		if reread {
			counts["reread_gob_parts"]++
		}
		v := rndCheckOne(seed, n, a)
		if !v.OK {
			t.Fatalf("case %d, Go as the reader: %+v", i, v)
		}
		want := 0
		for _, p := range []*string{a.Gob, a.SessionGob, a.CookieGob, a.CookieJSON} {
			if p != nil {
				want++
			}
		}
		if len(v.Parts) != want {
			t.Fatalf("case %d: checked parts %v, answered %d", i, v.Parts, want)
		}
		for _, p := range v.Parts {
			counts["checked_"+p]++
		}

		// Go's typed JSON encoding: accepted exactly when it is its own round trip.
		if l.Cookie.JSON == nil {
			continue
		}
		typed := &rndAnswer{ID: l.ID, Index: &idx, CookieJSON: l.Cookie.JSON}
		tv := rndCheckOne(seed, n, typed)
		if fixed := *l.Cookie.JSON == *a.CookieJSON; tv.OK != fixed {
			t.Fatalf("case %d: typed JSON cookie (its own round trip: %v): %+v", i, fixed, tv)
		} else if !fixed {
			if tv.Part != "cookie_json" || !strings.Contains(tv.Error, "typed value") {
				t.Fatalf("case %d: typed JSON cookie refused for the wrong reason: %+v", i, tv)
			}
			typedRefused++
		}
	}
	t.Logf("seed %d: parts checked %v; %d typed JSON cookies are not a reader's answer", seed, counts, typedRefused)
	if counts["checked_gob"] != n || counts["checked_session_gob"] < n/2 || counts["checked_cookie_gob"] < n/2 ||
		counts["checked_cookie_json"] < n/10 || counts["reread_gob_parts"] < n/2 {
		t.Fatalf("too few parts checked: %v", counts)
	}
	if typedRefused == 0 {
		t.Fatal("no JSON cookie whose typed encoding differs from its interface{} round trip")
	}
}

// `check` refuses what it must: a JSON cookie with the right value but keys out of order, and
// parts that decode to other values or carry another timestamp.
func TestRandomCheckRefuses(t *testing.T) {
	const seed, n = 5, 300
	refused := map[string]int{}
	for i := 0; i < 60; i++ {
		c, err := rndBuildCase(seed, i)
		if err != nil {
			t.Fatal(err)
		}
		good, _ := rndGoReaderAnswer(t, c)
		expect := func(what, part string, a *rndAnswer) {
			t.Helper()
			if v := rndCheckOne(seed, n, a); v.OK || v.Part != part {
				t.Fatalf("case %d, %s: want a %s failure, got %+v", i, what, part, v)
			}
			refused[what]++
		}
		if good.CookieJSON != nil {
			tree, err := rndDecodeCookie(c, true, c.CookieJSON, ifaceType)
			if err != nil {
				t.Fatal(err)
			}
			if m, ok := tree.(map[string]interface{}); ok && len(m) > 1 {
				// The same object, keys in reverse order (sent as a json.RawMessage, which Encode keeps).
				keys := make([]string, 0, len(m))
				for k := range m {
					keys = append(keys, k)
				}
				sort.Sort(sort.Reverse(sort.StringSlice(keys)))
				var buf bytes.Buffer
				buf.WriteByte('{')
				for j, k := range keys {
					if j > 0 {
						buf.WriteByte(',')
					}
					kb, _ := json.Marshal(k)
					vb, _ := json.Marshal(m[k])
					buf.Write(kb)
					buf.WriteByte(':')
					buf.Write(vb)
				}
				buf.WriteByte('}')
				a := &rndAnswer{ID: good.ID, Index: good.Index}
				s, err := rndEncodeCookie(c, true, json.RawMessage(buf.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				a.CookieJSON = &s
				expect("json keys out of order", "cookie_json", a)
			}
			// Another timestamp.
			other := *c
			other.TS++
			s, err := rndEncodeCookie(&other, true, tree)
			if err != nil {
				t.Fatal(err)
			}
			expect("json timestamp", "cookie_json", &rndAnswer{ID: good.ID, Index: good.Index, CookieJSON: &s})
			// Another value.
			s, err = rndEncodeCookie(c, true, []interface{}{tree})
			if err != nil {
				t.Fatal(err)
			}
			expect("json value", "cookie_json", &rndAnswer{ID: good.ID, Index: good.Index, CookieJSON: &s})
		}
		if good.CookieGob != nil {
			m := map[interface{}]interface{}{"another": "value"}
			s, err := rndEncodeCookie(c, false, m)
			if err != nil {
				t.Fatal(err)
			}
			expect("gob cookie value", "cookie_gob", &rndAnswer{ID: good.ID, Index: good.Index, CookieGob: &s})
		}
	}
	for _, what := range []string{"json keys out of order", "json timestamp", "json value", "gob cookie value"} {
		if refused[what] == 0 {
			t.Errorf("no case exercised %q", what)
		}
	}
}

package main

import (
	"bytes"
	"encoding/gob"
	"math"
	"reflect"
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

// Go's own encodings pass `check`.
func TestRandomSelfCheck(t *testing.T) {
	for i := 0; i < 300; i++ {
		c, err := rndBuildCase(5, i)
		if err != nil {
			t.Fatal(err)
		}
		l := c.genLine()
		idx := i
		a := &rndAnswer{ID: l.ID, Index: &idx, Gob: l.Gob, SessionGob: l.SessionGob, CookieGob: l.Cookie.Gob, CookieJSON: l.Cookie.JSON}
		if v := rndCheckOne(5, 300, a); !v.OK {
			t.Fatalf("case %d: %+v", i, v)
		}
	}
}

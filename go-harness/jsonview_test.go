package main

import (
	"math"
	"reflect"
	"testing"
	"time"
)

func TestPyFloatRepr(t *testing.T) {
	want := map[float64]string{1: "1.0", 1e16: "1e+16", 1e15: "1000000000000000.0", 1e-5: "1e-05",
		1e-4: "0.0001", 0.1: "0.1", 5e-324: "5e-324", math.MaxFloat64: "1.7976931348623157e+308",
		123456789.125: "123456789.125", -2.5: "-2.5", 0: "0.0"}
	for f, s := range want {
		if got := pyFloatRepr(f); got != s {
			t.Errorf("pyFloatRepr(%v) = %q, want %q", f, got, s)
		}
	}
}

func TestCompactJSONStrings(t *testing.T) {
	got := string(compactJSON("\"\\\b\f\n\r\t\x01\x7f<>&\u2028é😀"))
	want := "\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\x7f<>&\u2028é😀\""
	if got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

func TestTypedViewRoundTrip(t *testing.T) {
	vals := []any{
		map[interface{}]interface{}{"foo": "bar", 1: int8(-3), 1.5: float32(0.1), "b": []byte("hi"), "n": nil,
			"big": uint64(1) << 60, "z": math.Copysign(0, -1), "bad": "a\xffb", "c": complex(1, -2),
			"t": time.Date(2024, 2, 29, 13, 45, 30, 123456789, time.UTC), "l": []interface{}{"x", 2, [3]int{1, 2, 3}}},
		map[string]interface{}{"a": []interface{}{1.5, "x", nil, true}, "e": []interface{}{}, "nil": []string(nil)},
		[]byte(nil), []byte{}, int64(math.MinInt64), uint64(math.MaxUint64),
		[]float64{math.NaN(), math.Float64frombits(0x7ff8000000000000), math.Float64frombits(0xfff0000000000001)},
		[]float32{float32(math.NaN())}, complex(math.NaN(), math.Float64frombits(0x7ff4000000000000)),
		[]time.Time{time.Date(2022, 2, 2, 2, 2, 2, 2, time.FixedZone("UTC", 0)), time.Date(2022, 2, 2, 2, 2, 2, 2, time.Local),
			time.Date(2022, 2, 2, 2, 2, 2, 2, time.UTC), time.Date(2022, 2, 2, 2, 2, 2, 2, time.FixedZone("X", 3600)), {}},
	}
	for _, v := range vals {
		text := compactJSON(typedView(v))
		tree, err := decodeJSONTree(text)
		if err != nil {
			t.Fatal(err)
		}
		back, err := fromTypedView(tree)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if again := compactJSON(typedView(back)); string(again) != string(text) {
			t.Errorf("round trip changed\n%s\n%s", text, again)
		}
		if reflect.TypeOf(back) != reflect.TypeOf(v) {
			t.Errorf("type %T != %T", back, v)
		}
	}
}

func TestParseTypeName(t *testing.T) {
	for _, s := range []string{"map[interface {}]interface {}", "[]interface {}", "[3]int", "*map[string][]uint8",
		"map[string]map[int][]*time.Time", "interface {}", "uintptr"} {
		rt, err := parseTypeName(s)
		if err != nil || rt.String() != s {
			t.Errorf("parseTypeName(%q) = %v, %v", s, rt, err)
		}
	}
}

func TestTypedViewExtensions(t *testing.T) {
	cases := map[string]any{
		`{"t":"float64","v":{"$float":"NaN"}}`:                                          math.NaN(),
		`{"t":"float64","v":{"$float":"NaN","bits":"7ff8000000000000"}}`:                math.Float64frombits(0x7ff8000000000000),
		`{"t":"time.Time","v":{"$time":"2022-02-02T02:02:02Z","offset":0}}`:             time.Date(2022, 2, 2, 2, 2, 2, 0, time.UTC),
		`{"t":"time.Time","v":{"$time":"2022-02-02T02:02:02Z","offset":0,"utc":false}}`: time.Date(2022, 2, 2, 2, 2, 2, 0, time.FixedZone("", 0)),
	}
	for text, v := range cases {
		if got := string(compactJSON(typedView(v))); got != text {
			t.Errorf("typedView(%v) = %s, want %s", v, got, text)
		}
		tree, _ := decodeJSONTree([]byte(text))
		back, err := fromTypedView(tree)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if tm, ok := back.(time.Time); ok {
			b1, _ := tm.MarshalBinary()
			b2, _ := v.(time.Time).MarshalBinary()
			if string(b1) != string(b2) {
				t.Errorf("%s: MarshalBinary %x, want %x", text, b1, b2)
			}
		} else if math.Float64bits(back.(float64)) != math.Float64bits(v.(float64)) {
			t.Errorf("%s: bits %x", text, math.Float64bits(back.(float64)))
		}
	}
	for _, bad := range []string{`{"t":"float64","v":{"$float":"NaN","bits":"3ff0000000000000"}}`,
		`{"t":"time.Time","v":{"$time":"2022-02-02T02:02:02+01:00","offset":3600,"utc":true}}`} {
		tree, _ := decodeJSONTree([]byte(bad))
		if _, err := fromTypedView(tree); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

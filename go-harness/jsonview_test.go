package main

import (
	"bytes"
	"encoding/gob"
	"fmt"
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

// zeroLenFields holds one field of each kind whose zero length the views show.
type zeroLenFields struct {
	S []string
	I []interface{}
	B []byte
	M map[string]int
	N int // non-zero, so the struct is not empty on the wire
}

// gobTrip encodes v with a fresh gob.Encoder and decodes it into a new value of v's type.
func gobTrip(t *testing.T, v any) any {
	t.Helper()
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatalf("encode %#v: %v", v, err)
	}
	out := reflect.New(reflect.TypeOf(v))
	if err := gob.NewDecoder(&buf).Decode(out.Interface()); err != nil {
		t.Fatalf("decode %#v: %v", v, err)
	}
	return out.Elem().Interface()
}

func checkViews(t *testing.T, what string, v any, typed, plain string) {
	t.Helper()
	if got := string(compactJSON(typedView(v))); got != typed {
		t.Errorf("%s: typedView = %s, want %s", what, got, typed)
	}
	if got := string(compactJSON(plainView(v))); got != plain {
		t.Errorf("%s: plainView = %s, want %s", what, got, plain)
	}
}

func inIface(typed, plain string) (string, string) {
	return `{"t":"map[string]interface {}","v":[[{"t":"string","v":"v"},` + typed + `]]}`, `{"$map":[["v",` + plain + `]]}`
}

// TestIssue13ZeroLengthSlices: a nil or empty slice or []byte renders as an empty one in
// both views ([] / {"$bytes": ""}) at top level, inside an interface and as a struct field,
// before and after gob, which writes both alike and decodes both to nil. Only
// typedViewNils (encoding/json inputs) keeps a nil one apart as "v": null.
func TestIssue13ZeroLengthSlices(t *testing.T) {
	gob.Register([]string{})
	gob.Register([]interface{}{})
	kinds := []struct {
		nilV, emptyV         any
		typed, plain, nilsNV string
	}{
		{[]string(nil), []string{}, `{"t":"[]string","v":[]}`, `[]`, `{"t":"[]string","v":null}`},
		{[]interface{}(nil), []interface{}{}, `{"t":"[]interface {}","v":[]}`, `[]`, `{"t":"[]interface {}","v":null}`},
		{[]byte(nil), []byte{}, `{"t":"[]uint8","v":{"$bytes":""}}`, `{"$bytes":""}`, `{"t":"[]uint8","v":null}`},
	}
	for _, k := range kinds {
		if got := string(compactJSON(typedViewNils(k.nilV))); got != k.nilsNV {
			t.Errorf("typedViewNils(%#v) = %s, want %s", k.nilV, got, k.nilsNV)
		}
		if got := string(compactJSON(typedViewNils(k.emptyV))); got != k.typed {
			t.Errorf("typedViewNils(%#v) = %s, want %s", k.emptyV, got, k.typed)
		}
		for _, v := range []any{k.nilV, k.emptyV} {
			what := fmt.Sprintf("%#v", v)
			checkViews(t, what, v, k.typed, k.plain)
			back := gobTrip(t, v)
			if !reflect.ValueOf(back).IsNil() {
				t.Errorf("%s: gob gave back a non-nil %#v", what, back)
			}
			checkViews(t, what+" (gob, top level)", back, k.typed, k.plain)
			m := map[string]interface{}{"v": v}
			typedIn, plainIn := inIface(k.typed, k.plain)
			checkViews(t, what+" (in an interface)", m, typedIn, plainIn)
			checkViews(t, what+" (gob, in an interface)", gobTrip(t, m), typedIn, plainIn)
		}
		// Reading back: the empty rendering gives an empty value, the extension's null a nil one.
		for text, wantNil := range map[string]bool{k.typed: false, k.nilsNV: true} {
			tree, err := decodeJSONTree([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			back, err := fromTypedView(tree)
			if err != nil {
				t.Fatalf("%s: %v", text, err)
			}
			if reflect.TypeOf(back) != reflect.TypeOf(k.nilV) || reflect.ValueOf(back).IsNil() != wantNil {
				t.Errorf("%s read back as %#v", text, back)
			}
			checkViews(t, text+" read back", back, k.typed, k.plain)
		}
	}
	fieldsTyped := `{"t":"main.zeroLenFields","v":{"S":{"t":"[]string","v":[]},"I":{"t":"[]interface {}","v":[]},` +
		`"B":{"t":"[]uint8","v":{"$bytes":""}},"M":{"t":"map[string]int","v":[]},"N":{"t":"int","v":1}}}`
	fieldsPlain := `{"$struct":"zeroLenFields","fields":{"S":[],"I":[],"B":{"$bytes":""},"M":{"$map":[]},"N":1}}`
	for _, v := range []zeroLenFields{
		{M: map[string]int{}, N: 1},
		{S: []string{}, I: []interface{}{}, B: []byte{}, M: map[string]int{}, N: 1},
	} {
		what := fmt.Sprintf("%#v", v)
		checkViews(t, what, v, fieldsTyped, fieldsPlain)
		checkViews(t, what+" (gob)", gobTrip(t, v), fieldsTyped, fieldsPlain)
	}
}

// TestIssue13NilMaps: a nil map is {"$map": []} in plain but "v": null in typed, because gob
// carries nil vs empty for maps: the encoder omits a nil map field and sends an empty one,
// which decodes back non-nil. At top level and in an interface both decode to an empty map.
func TestIssue13NilMaps(t *testing.T) {
	const nilT, emptyT, plain = `{"t":"map[string]int","v":null}`, `{"t":"map[string]int","v":[]}`, `{"$map":[]}`
	nilM, emptyM := map[string]int(nil), map[string]int{}
	checkViews(t, "nil map", nilM, nilT, plain)
	checkViews(t, "empty map", emptyM, emptyT, plain)
	for _, v := range []map[string]int{nilM, emptyM} {
		checkViews(t, fmt.Sprintf("%#v (gob, top level)", v), gobTrip(t, v), emptyT, plain)
		typedIn, plainIn := inIface(emptyT, plain)
		checkViews(t, fmt.Sprintf("%#v (gob, in an interface)", v), gobTrip(t, map[string]interface{}{"v": v}), typedIn, plainIn)
	}
	fields := func(m string) string {
		return `{"t":"main.zeroLenFields","v":{"S":{"t":"[]string","v":[]},"I":{"t":"[]interface {}","v":[]},` +
			`"B":{"t":"[]uint8","v":{"$bytes":""}},"M":` + m + `,"N":{"t":"int","v":1}}}`
	}
	fieldsPlain := `{"$struct":"zeroLenFields","fields":{"S":[],"I":[],"B":{"$bytes":""},"M":{"$map":[]},"N":1}}`
	for _, c := range []struct {
		v     zeroLenFields
		typed string
	}{{zeroLenFields{N: 1}, fields(nilT)}, {zeroLenFields{M: emptyM, N: 1}, fields(emptyT)}} {
		checkViews(t, fmt.Sprintf("%#v", c.v), c.v, c.typed, fieldsPlain)
		checkViews(t, fmt.Sprintf("%#v (gob)", c.v), gobTrip(t, c.v), c.typed, fieldsPlain)
	}
}

// Keys whose plain text is the same keep one order, whatever order Go's map gives them.
func TestIssue13PlainTiesFollowTypedText(t *testing.T) {
	m := map[interface{}]interface{}{1: "a", int64(1): "b", int8(1): "c", "1": "d", true: "e"}
	want := `{"$map":[["1","d"],[1,"a"],[1,"b"],[1,"c"],[true,"e"]]}`
	for i := 0; i < 50; i++ {
		if got := string(compactJSON(plainView(m))); got != want {
			t.Fatalf("plain view %s, want %s", got, want)
		}
	}
}

package main

// fixtures_json.go — fixtures/json/*.json from Go's encoding/json (the classic encoder of
// the Go toolchain that runs the harness; MANIFEST.json records which), plus the
// "json_marshal" and "json_unmarshal" request kinds of `decode`.

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"strings"
	"time"
)

func init() {
	fixtureWriters["json"] = writeJSONFixtures
	decoders["json_marshal"] = jsonMarshalRequest
	decoders["json_unmarshal"] = jsonUnmarshalRequest
}

type jsonMarshalCase struct {
	id, desc string
	v        any
}

// marshalView runs json.Marshal and json.NewEncoder(...).Encode on v.
func marshalView(v any) (marshal, encoder, errv any) {
	b, err := json.Marshal(v)
	if err != nil {
		errv = err.Error()
	} else {
		marshal = hex.EncodeToString(b)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err == nil {
		encoder = hex.EncodeToString(buf.Bytes())
	}
	return
}

// unmarshalView decodes input into an interface{} with json.Unmarshal ("unmarshal") or
// one json.NewDecoder(...).Decode call ("decoder").
func unmarshalView(input []byte, mode string) (value any, errv any) {
	var v any
	var err error
	if mode == "decoder" {
		err = json.NewDecoder(bytes.NewReader(input)).Decode(&v)
	} else {
		err = json.Unmarshal(input, &v)
	}
	if err != nil {
		errv = err.Error()
	}
	return typedView(v), errv
}

func writeJSONFixtures(out string) error {
	var mc []obj
	for _, c := range jsonMarshalCases() {
		marshal, encoder, errv := marshalView(c.v)
		mc = append(mc, obj{{"id", c.id}, {"description", c.desc}, {"value", typedViewNils(c.v)},
			{"marshal", marshal}, {"encoder", encoder}, {"error", errv}})
	}
	if err := writeFixtureFile(out, "json/marshal.json", "json/marshal",
		"json.Marshal (no newline, HTML escaping on) and json.NewEncoder(w).Encode (same + \"\\n\") of Go values; error = Go's text", mc); err != nil {
		return err
	}
	var uc []obj
	for _, c := range jsonUnmarshalCases() {
		for _, mode := range []string{"unmarshal", "decoder"} {
			v, errv := unmarshalView([]byte(c.in), mode)
			uc = append(uc, obj{{"id", c.id + "-" + mode}, {"description", c.desc}, {"decoder", mode},
				{"input", hex.EncodeToString([]byte(c.in))}, {"value", v}, {"error", errv}})
		}
	}
	return writeFixtureFile(out, "json/unmarshal.json", "json/unmarshal",
		"json.Unmarshal(input, &iface) and json.NewDecoder(input).Decode(&iface); value = typed view of what the interface{} held afterwards (also on error)", uc)
}

func jsonMarshalCases() []jsonMarshalCase {
	var cs []jsonMarshalCase
	add := func(id, desc string, v any) { cs = append(cs, jsonMarshalCase{id, desc, v}) }
	// Strings.
	ascii := make([]byte, 128)
	for i := range ascii {
		ascii[i] = byte(i)
	}
	add("str-all-ascii", "every ASCII byte 0x00-0x7f", string(ascii))
	add("str-html", "<>& escaped", "<a href=\"x\">&amp;</a>")
	add("str-u2028-u2029", "line/paragraph separators", "\u2028\u2029")
	add("str-emoji", "emoji raw", "😀👍🏽")
	add("str-accents", "accents raw", "é ü ñ 中文 Ω")
	add("str-bf", "\\b and \\f (Go 1.22+: short escapes)", "\b\f")
	add("str-invalid-ff", "lone 0xff byte", "a\xffb")
	add("str-invalid-mixed", "truncated 2-byte sequence and an encoded surrogate", "a\xffb\xc3(\xed\xa0\x80z")
	add("str-invalid-overlong", "overlong encoding of '/'", "\xc0\xaf")
	add("str-invalid-trailing-cont", "stray continuation bytes", "\x80\x80x")
	add("str-invalid-truncated-4", "truncated 4-byte sequence at the end", "ok\xf0\x9f\x98")
	add("str-max-rune", "U+10FFFF", "\U0010ffff")
	add("str-above-max-rune", "f4 90 80 80 (above U+10FFFF) is invalid", "\xf4\x90\x80\x80")
	add("str-replacement-char", "a real U+FFFD is written raw", "\ufffd")
	add("str-empty", "empty string", "")
	add("str-del", "DEL is written raw", "\x7f")
	// Numbers.
	add("int-zero", "0", 0)
	add("int-neg", "-42", -42)
	add("int64-min", "MinInt64", int64(math.MinInt64))
	add("int64-max", "MaxInt64", int64(math.MaxInt64))
	add("uint64-max", "MaxUint64", uint64(math.MaxUint64))
	add("int8-min", "int8 -128", int8(-128))
	add("uint8", "uint8 255 (a number, not base64)", uint8(255))
	add("uintptr", "uintptr", uintptr(12345))
	add("mixed-int-list", "spec json.md §9 example", []interface{}{int64(-9007199254740993), uint64(18446744073709551615), int8(-5)})
	for _, f := range []float64{0, 1, -1, 1.5, 0.1, 0.2, 0.3, 100, 1e6, 1e-5, 1e-6, 9.99e-7, 1e-7, 2.5e-7, 1e-10, 5e-324,
		1e20, 999999999999999900000, 1e21, -1e21, 1.23456789e21, 12345678901234567890, 9007199254740992,
		math.MaxFloat64, 2.5e-300, 1e100, 123456789.123456789, 1.0 / 3, 2.0 / 3, 1e15, 1e16, 1e17, 123e-20, math.SmallestNonzeroFloat64 * 3,
		0.000001234, 0.0000001234, 4.35, 100.5e18} {
		add(fmt.Sprintf("f64-%s", fid(f)), fmt.Sprintf("float64 %v", f), f)
	}
	add("f64-neg-zero", "-0 keeps its sign", math.Copysign(0, -1))
	for _, f := range []float32{0.1, 0.3, 1.0000001, 0.00001, 1e-7, 1e21, 3.4e38, 16777216, 16777218, 1e-6, 9.99e-7, 1e20, math.MaxFloat32, math.SmallestNonzeroFloat32, 1.0 / 3} {
		add(fmt.Sprintf("f32-%s", fid(float64(f))), fmt.Sprintf("float32 %v", f), f)
	}
	r := rand.New(rand.NewSource(20231114))
	for i := 0; i < 40; i++ {
		// Random magnitudes across the ES6 cut-offs, deterministic seed.
		f := (r.Float64()*2 - 1) * math.Pow(10, float64(r.Intn(60)-30))
		add(fmt.Sprintf("f64-random-%02d", i), "deterministic pseudo-random float64", f)
		add(fmt.Sprintf("f32-random-%02d", i), "deterministic pseudo-random float32", float32(f))
	}
	add("f64-nan", "NaN: unsupported value", math.NaN())
	add("f64-inf", "+Inf", math.Inf(1))
	add("f64-neg-inf", "-Inf", math.Inf(-1))
	add("f32-nan", "float32 NaN", float32(math.NaN()))
	add("nan-in-list", "NaN nested in a list", []interface{}{1.0, math.NaN()})
	// Other values.
	add("nil", "nil → null", nil)
	add("true", "true", true)
	add("bytes", "[]byte → standard base64", []byte("hi?>"))
	add("bytes-empty", "[]byte{} → \"\"", []byte{})
	add("bytes-nil", "nil []byte → null", []byte(nil))
	add("bytes-binary", "[]byte 0..255", allBytes())
	add("slice-empty", "empty []interface{}", []interface{}{})
	add("slice-nil", "nil []interface{} → null", []interface{}(nil))
	add("map-nil", "nil map → null", map[string]interface{}(nil))
	add("array-int", "[3]int", [3]int{1, 2, 3})
	add("array-byte", "[4]byte is an array of numbers", [4]byte{1, 2, 3, 4})
	add("strings", "[]string", []string{"a", "<", ""})
	add("map-sorted", "key sorting (spec example)", map[string]interface{}{"b": 1.0, "a": 2.0, "B": 3.0, "é": 4.0, "aa": 5.0, "": 6.0, "z\u2028": 7.0})
	add("map-int-keys", "map[int]int: integer keys sorted as strings", map[int]int{10: 1, 9: 2, -1: 3})
	add("map-uint8-keys", "map[uint8]string", map[uint8]string{2: "b", 10: "a"})
	add("map-html-key", "keys are HTML-escaped", map[string]int{"<&>": 1})
	add("map-invalid-utf8-key", "invalid UTF-8 key", map[string]int{"a\xffb": 1, "a": 2})
	add("map-interface-keys", "map[interface{}]interface{}: unsupported type", map[interface{}]interface{}{"a": 1})
	add("map-empty", "empty map", map[string]interface{}{})
	add("spec-example-9", "json.md §9 first example", map[string]interface{}{"b": []interface{}{}, "a": map[string]interface{}{}, "t": true, "s": "xé\x7f"})
	add("nested-deep", "nested maps/lists", map[string]interface{}{"l": []interface{}{[]interface{}{[]interface{}{map[string]interface{}{"x": nil}}}}})
	add("time-utc", "time.Time (MarshalJSON, RFC 3339 nano)", time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC))
	add("time-offset", "time.Time with +01:00", time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("", 3600)))
	add("time-in-map", "time.Time inside a map", map[string]interface{}{"t": time.Date(2024, 2, 29, 13, 45, 30, 123456789, time.UTC)})
	add("complex", "complex128: unsupported type", complex(1, 2))
	add("chan", "chan: unsupported type", make(chan int))
	add("func", "func: unsupported type", func() {})
	many := map[string]interface{}{}
	for i := 0; i < 100; i++ {
		many[fmt.Sprintf("key%03d-%c", (i*37)%100, 'a'+rune(i%26))] = i
	}
	add("map-100-keys", "100 keys sorted bytewise", many)
	return cs
}

// fid makes a case-id fragment for a float.
func fid(f float64) string {
	s := strings.NewReplacer("+", "p", "-", "m", ".", "_").Replace(fmt.Sprintf("%g", f))
	return s
}

type jsonUnmarshalCase struct{ id, desc, in string }

func jsonUnmarshalCases() []jsonUnmarshalCase {
	u := func(id, desc, in string) jsonUnmarshalCase { return jsonUnmarshalCase{id, desc, in} }
	return []jsonUnmarshalCase{
		u("object", "an object", `{"a":1,"b":"x","c":[true,false,null]}`),
		u("array", "an array", `[1,"2",[3]]`),
		u("int-as-float", "integers become float64", `42`),
		u("big-int", "12345678901234567890 → nearest float64", `12345678901234567890`),
		u("int-2p53-plus-1", "9007199254740993 → 9007199254740992", `9007199254740993`),
		u("num-1e400", "out of float64 range", `1e400`),
		u("num-neg-1e400", "out of range, negative", `-1e400`),
		u("num-1e400-in-object", "out of range inside an object", `{"a":1e400,"b":2}`),
		u("num-tiny", "1e-400 underflows to 0 (no error)", `1e-400`),
		u("num-neg-zero", "-0 → float64 -0", `-0`),
		u("num-neg-zero-float", "-0.0", `-0.0`),
		u("num-leading-zero", "leading zero: invalid", `01`),
		u("num-leading-zeros-frac", "00.5 invalid", `00.5`),
		u("num-plus", "+1 invalid", `+1`),
		u("num-dot5", ".5 invalid", `.5`),
		u("num-5dot", "5. invalid", `5.`),
		u("num-exp", "1E+2", `1E+2`),
		u("num-exp-bare", "1e invalid", `1e`),
		u("num-minus-only", "- invalid", `-`),
		u("num-hex", "0x10 invalid", `0x10`),
		u("num-max", "1.7976931348623157e308", `1.7976931348623157e308`),
		u("num-subnormal", "5e-324", `5e-324`),
		u("num-many-digits", "0.1000000000000000055511151231257827", `0.1000000000000000055511151231257827`),
		u("nan", "NaN literal rejected", `NaN`),
		u("infinity", "Infinity rejected", `Infinity`),
		u("neg-infinity", "-Infinity rejected", `-Infinity`),
		u("nan-in-array", "NaN inside an array", `[NaN]`),
		u("dup-keys", "duplicate keys: last wins", `{"a":1,"a":2}`),
		u("dup-keys-types", "duplicate keys with different types", `{"a":{"x":1},"a":[1]}`),
		u("invalid-utf8-string", "invalid UTF-8 bytes in a string → U+FFFD", "\"a\xffb\xc3(\xed\xa0\x80z\""),
		u("invalid-utf8-key", "invalid UTF-8 in a key", "{\"k\xff\":1}"),
		u("lone-high-surrogate", "\\ud800 → U+FFFD", `"\ud800"`),
		u("lone-low-surrogate", "\\udc00 → U+FFFD", `"\udc00"`),
		u("surrogate-pair", "\\ud83d\\ude00 → 😀", `"\ud83d\ude00"`),
		u("reversed-surrogates", "\\ude00\\ud83d → two U+FFFD", `"\ude00\ud83d"`),
		u("high-then-char", "\\ud800x", `"\ud800x"`),
		u("high-then-escape", "\\ud800\\n", `"\ud800\n"`),
		u("escapes", "all short escapes and \\u", `"\"\\\/\b\f\n\r\t\u0041\u00e9"`),
		u("bad-escape", "\\x invalid", `"\x41"`),
		u("short-u-escape", "\\u12 invalid", `"\u12"`),
		u("raw-control", "raw control char in a string", "\"a\x01b\""),
		u("raw-newline", "raw newline in a string", "\"a\nb\""),
		u("raw-tab", "raw tab in a string", "\"a\tb\""),
		u("raw-del", "raw DEL is allowed", "\"a\x7fb\""),
		u("trailing-garbage", "value then garbage", `{"a":1} garbage`),
		u("trailing-second-value", "two values", `{"a":1}{"b":2}`),
		u("trailing-whitespace", "whitespace after the value", "{\"a\":1} \r\n\t"),
		u("leading-whitespace", "whitespace before the value", " \n{\"a\":1}"),
		u("trailing-comma-object", "trailing comma", `{"a":1,}`),
		u("trailing-comma-array", "trailing comma in array", `[1,]`),
		u("empty", "empty input", ``),
		u("whitespace-only", "only whitespace", "  \n"),
		u("truncated-object", "truncated", `{"a":`),
		u("truncated-string", "unterminated string", `"abc`),
		u("single-quotes", "single quotes are invalid", `{'a':1}`),
		u("comment", "comments are invalid", `{"a":1 /* c */}`),
		u("bom", "a UTF-8 BOM is invalid", "\xef\xbb\xbf{}"),
		u("true-prefix", "tru invalid", `tru`),
		u("null", "null → nil", `null`),
		u("nested-empty", "empty containers", `{"a":{},"b":[]}`),
		u("unicode-key", "non-ASCII keys", `{"é":1,"😀":2}`),
		u("u2028-raw", "raw U+2028 inside a string is allowed", "\"a\u2028b\""),
		u("deep-nesting", "100 nested arrays", strings.Repeat("[", 100)+strings.Repeat("]", 100)),
		u("nul-in-string-escaped", "\\u0000 in a string", `"a\u0000b"`),
		u("upper-hex-escape", "\\u00E9 (upper-case hex)", `"\u00E9"`),
		u("session-json", "a securecookie JSON payload with its newline", "{\"foo\":\"\\u003cb\\u003e\\u0026\",\"n\":1,\"z\":null}\n"),
	}
}

// ---------------------------------------------------------------------------
// decode request kinds

func jsonMarshalRequest(raw json.RawMessage) (any, error) {
	var r struct {
		ID    any             `json:"id"`
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	tree, err := decodeJSONTree(r.Value)
	if err != nil {
		return nil, err
	}
	v, err := fromTypedView(tree)
	if err != nil {
		return nil, err
	}
	marshal, encoder, errv := marshalView(v)
	return obj{{"id", jsonScalar(r.ID)}, {"marshal", marshal}, {"encoder", encoder}, {"error", errv}}, nil
}

func jsonUnmarshalRequest(raw json.RawMessage) (any, error) {
	var r struct {
		ID      any    `json:"id"`
		Input   string `json:"input"`
		Decoder string `json:"decoder"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	in, err := hex.DecodeString(r.Input)
	if err != nil {
		return nil, fmt.Errorf("input: %v", err)
	}
	v, errv := unmarshalView(in, r.Decoder)
	return obj{{"id", jsonScalar(r.ID)}, {"value", v}, {"error", errv}}, nil
}

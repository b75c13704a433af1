package main

// pyjson.go — a JSON writer whose compact output is byte-identical to Python's
// json.dumps(obj, separators=(",", ":"), ensure_ascii=False) for the trees the harness
// builds (obj, []any, string, bool, nil, integers, finite float64, json.Number).
//
// Why not encoding/json: Go escapes U+2028/U+2029 and lays floats out ES6-style
// (1e+21, 0.00001, "1" for 1.0), Python writes them raw / repr-style (1e+21, 1e-05,
// "1.0"). The canonical order of map entries in jsonview is defined on this compact
// text, so Go and Python must produce the same bytes for the same tree.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// kv is one member of an ordered JSON object.
type kv struct {
	K string
	V any
}

// obj is a JSON object that keeps its member order (Go maps would be sorted).
type obj []kv

// get returns the value of member k (nil, false when absent).
func (o obj) get(k string) (any, bool) {
	for _, e := range o {
		if e.K == k {
			return e.V, true
		}
	}
	return nil, false
}

// MarshalJSON lets an obj be embedded in trees handed to encoding/json.
func (o obj) MarshalJSON() ([]byte, error) { return compactJSON(o), nil }

// compactJSON renders v like Python's json.dumps(v, separators=(",",":"), ensure_ascii=False).
func compactJSON(v any) []byte {
	var b bytes.Buffer
	writePy(&b, v)
	return b.Bytes()
}

func writePy(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		writePyString(b, x)
	case int:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case uint64:
		b.WriteString(strconv.FormatUint(x, 10))
	case float64:
		b.WriteString(pyFloatRepr(x))
	case json.Number:
		b.WriteString(string(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writePy(b, e)
		}
		b.WriteByte(']')
	case obj:
		b.WriteByte('{')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writePyString(b, e.K)
			b.WriteByte(':')
			writePy(b, e.V)
		}
		b.WriteByte('}')
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		writePy(b, l)
	case map[string]any:
		// Only for convenience in hand-built trees: written in sorted key order.
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sortStrings(keys)
		o := make(obj, 0, len(keys))
		for _, k := range keys {
			o = append(o, kv{k, x[k]})
		}
		writePy(b, o)
	default:
		panic(fmt.Sprintf("pyjson: unsupported node type %T", v))
	}
}

// writePyString escapes like Python's json with ensure_ascii=False: only `"`, `\` and
// C0 controls are escaped (\b \f \n \r \t short forms, others \u00xx lowercase).
// The string must be valid UTF-8 (callers route invalid strings to $badstr).
func writePyString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				fmt.Fprintf(b, `\u%04x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

// pyFloatRepr is Python's repr(float) for finite values: shortest round-trip digits;
// exponent form (e-05, e+16) iff the decimal exponent is < -4 or >= 16; otherwise
// fixed form with ".0" added to integral values.
func pyFloatRepr(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		panic("pyjson: non-finite float")
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	i := strings.LastIndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[i+1:])
	if exp < -4 || exp >= 16 {
		return e // Go's 'e' form: at least two exponent digits, explicit sign — as Python.
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

package main

// jsonview.go — Go side of /work/shared/spec/jsonview.md.
//
//   typedView(v)      Go value → typed tree   {"t": "<%T>", "v": ...}
//   typedViewNils(v)  the same, nil slices/[]byte as "v": null (encoding/json inputs)
//   plainView(v)      Go value → plain tree
//   fromTypedView(n)  typed tree (decoded with UseNumber) → Go value
//
// Trees are made of obj (ordered object), []any, string, bool, nil, int64, uint64,
// float64; render them with compactJSON (pyjson.go), which matches Python's
// json.dumps(separators=(",", ":"), ensure_ascii=False) byte for byte.
//
// GOB ENGINEER: fromTypedView resolves type names through parseTypeName; register struct
// types and other named types you need in `typedTypes` (e.g. from an init() in
// types.go: typedTypes["main.Person"] = reflect.TypeOf(Person{})). Names of pointer,
// slice, array and map types are composed automatically ("*main.Person",
// "[]main.Person", "map[string]main.Person").

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// typedTypes maps a type name as it appears in "t" to its reflect.Type, for names that
// are not predeclared Go types. Extend it from other files' init() functions.
var typedTypes = map[string]reflect.Type{
	"time.Time": reflect.TypeOf(time.Time{}),
}

var (
	timeType  = reflect.TypeOf(time.Time{})
	ifaceType = reflect.TypeOf((*any)(nil)).Elem()
)

const maxSafeInt = 1 << 53

func sortStrings(s []string) { sort.Strings(s) }

// viewOpts selects naming choices the spec leaves to the producer.
type viewOpts struct {
	// bareStructNames: a struct that did NOT travel in an interface is named by its bare
	// type name (reflect.Type.Name(), e.g. "Address") — the name gob puts on the wire —
	// instead of %T ("main.Address"). Default false (%T), as the harness brief asks.
	bareStructNames bool
	// nils: a nil slice or []byte renders "v": null instead of as an empty one (the
	// fixtures' extension for encoding/json inputs, where nil marshals to null and empty
	// to [] / ""). Default false: zero length renders [] / {"$bytes": ""}, nil or not, as
	// the spec says (gob does not carry nil vs empty slices). A nil map is "v": null
	// either way (see typed).
	nils bool
}

// typedView renders v (a Go value) as a typed jsonview tree. The top-level value is
// named by %T.
func typedView(v any) any {
	return viewOpts{}.typed(reflect.ValueOf(v), false)
}

// typedViewWire is typedView with bareStructNames set.
func typedViewWire(v any) any {
	return viewOpts{bareStructNames: true}.typed(reflect.ValueOf(v), false)
}

// typedViewNils is typedView keeping nil slices and []byte apart from empty ones
// ("v": null): for values given to encoding/json, which tells them apart.
func typedViewNils(v any) any {
	return viewOpts{nils: true}.typed(reflect.ValueOf(v), false)
}

// plainView renders v as a plain jsonview tree.
func plainView(v any) any {
	return viewOpts{}.plain(reflect.ValueOf(v), false)
}

// gobRegisteredName is the name gob.Register(v) gives v's type: "importpath.Name" for
// named non-pointer types, "Name" for predeclared ones, else reflect's String()
// ("*main.T", "[]interface {}", "map[string]interface {}").
func gobRegisteredName(rt reflect.Type) string {
	if rt.Name() != "" {
		if rt.PkgPath() == "" {
			return rt.Name()
		}
		return rt.PkgPath() + "." + rt.Name()
	}
	return rt.String()
}

func (o viewOpts) typeName(rt reflect.Type, inIface bool) string {
	if inIface {
		return gobRegisteredName(rt)
	}
	if o.bareStructNames && rt.Kind() == reflect.Struct && rt.Name() != "" && rt != timeType {
		return rt.Name()
	}
	return rt.String()
}

func node(t string, v any) obj { return obj{{"t", t}, {"v", v}} }

func intNode(i int64) any {
	if i > maxSafeInt || i < -maxSafeInt {
		return obj{{"$int", strconv.FormatInt(i, 10)}}
	}
	return i
}

func uintNode(u uint64) any {
	if u > maxSafeInt {
		return obj{{"$int", strconv.FormatUint(u, 10)}}
	}
	return u
}

// goNaNBits are the bits of math.NaN(): what {"$float": "NaN"} without "bits" stands for.
const goNaNBits = 0x7ff8000000000001

func floatNode(f float64) any {
	switch {
	case math.IsNaN(f):
		if b := math.Float64bits(f); b != goNaNBits {
			return obj{{"$float", "NaN"}, {"bits", fmt.Sprintf("%016x", b)}}
		}
		return obj{{"$float", "NaN"}}
	case math.IsInf(f, 1):
		return obj{{"$float", "+Inf"}}
	case math.IsInf(f, -1):
		return obj{{"$float", "-Inf"}}
	case f == 0 && math.Signbit(f):
		return obj{{"$float", "-0"}}
	}
	return f
}

func stringNode(s string) any {
	if !utf8.ValidString(s) {
		return obj{{"$badstr", base64.StdEncoding.EncodeToString([]byte(s))}}
	}
	return s
}

// timeNode renders a time.Time; "utc": false marks a zero-offset location that is not
// time.UTC (time.Local with TZ=UTC, FixedZone("UTC", 0), …), which gob writes as offset
// 00 00 instead of ff ff. Without it a zero offset means time.UTC.
func timeNode(t time.Time) any {
	_, off := t.Zone()
	n := obj{{"$time", t.Format(time.RFC3339Nano)}, {"offset", int64(off)}}
	if off == 0 && t.Location() != time.UTC {
		n = append(n, kv{"utc", false})
	}
	return n
}

func isByteSlice(rt reflect.Type) bool {
	return rt.Kind() == reflect.Slice && rt.Elem().Kind() == reflect.Uint8
}

// scalar renders kinds whose typed "v" equals their plain rendering; ok=false otherwise.
func scalar(rv reflect.Value) (any, bool) {
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intNode(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintNode(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return floatNode(rv.Float()), true // float32 → its exact float64 value
	case reflect.Complex64, reflect.Complex128:
		c := rv.Complex()
		return obj{{"$complex", []any{floatNode(real(c)), floatNode(imag(c))}}}, true
	case reflect.String:
		return stringNode(rv.String()), true
	}
	if rv.Type() == timeType {
		return timeNode(rv.Interface().(time.Time)), true
	}
	if isByteSlice(rv.Type()) {
		return obj{{"$bytes", base64.StdEncoding.EncodeToString(rv.Bytes())}}, true
	}
	return nil, false
}

// sortPairs orders [key, value] pairs by the compact JSON text of the key, bytewise; keys
// whose text is the same (1 and int64(1) in plain) by the compact text of ties[i], their typed
// view, so Go's random map order never shows. ties may be nil (typed keys never tie).
func sortPairs(pairs [][2]any, ties ...any) []any {
	keys := make([]string, len(pairs))
	idx := make([]int, len(pairs))
	for i, p := range pairs {
		keys[i] = string(compactJSON(p[0]))
		idx[i] = i
	}
	tie := func(i int) string {
		if i < len(ties) {
			return string(compactJSON(ties[i]))
		}
		return ""
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if keys[idx[a]] != keys[idx[b]] {
			return keys[idx[a]] < keys[idx[b]]
		}
		return tie(idx[a]) < tie(idx[b])
	})
	out := make([]any, len(pairs))
	for i, j := range idx {
		out[i] = []any{pairs[j][0], pairs[j][1]}
	}
	return out
}

func (o viewOpts) typed(rv reflect.Value, inIface bool) any {
	if !rv.IsValid() {
		return node("nil", nil)
	}
	rt := rv.Type()
	if rt.Kind() == reflect.Interface {
		if rv.IsNil() {
			return node("nil", nil)
		}
		return o.typed(rv.Elem(), true)
	}
	name := o.typeName(rt, inIface)
	if (rt.Kind() == reflect.Map || (o.nils && rt.Kind() == reflect.Slice)) && rv.IsNil() {
		// A nil map: "v" is null (an empty one is []). gob carries the difference: the
		// encoder omits a nil map field but sends an empty one ("the receiver might want
		// to use the map"), and decodes it back non-nil. With nils, also a nil slice or
		// []byte (for encoding/json inputs).
		return node(name, nil)
	}
	// A nil slice or []byte falls through and renders as an empty one ([], {"$bytes": ""}):
	// gob writes both alike and decodes both to nil.
	if s, ok := scalar(rv); ok {
		return node(name, s)
	}
	switch rt.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return node(name, nil)
		}
		return node(name, o.typed(rv.Elem(), false))
	case reflect.Slice, reflect.Array:
		l := make([]any, rv.Len())
		for i := range l {
			l[i] = o.typed(rv.Index(i), false)
		}
		return node(name, l)
	case reflect.Map:
		pairs := make([][2]any, 0, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			pairs = append(pairs, [2]any{o.typed(it.Key(), false), o.typed(it.Value(), false)})
		}
		return node(name, sortPairs(pairs))
	case reflect.Struct:
		f := obj{}
		for i := 0; i < rt.NumField(); i++ {
			sf := rt.Field(i)
			if !sf.IsExported() {
				continue
			}
			f = append(f, kv{sf.Name, o.typed(rv.Field(i), false)})
		}
		return node(name, f)
	}
	// chan, func, unsafe.Pointer: not representable by gob; show the type only.
	return node(name, obj{{"$unsupported", rt.String()}})
}

func (o viewOpts) plain(rv reflect.Value, inIface bool) any {
	if !rv.IsValid() {
		return nil
	}
	rt := rv.Type()
	if rt.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil
		}
		return o.plain(rv.Elem(), true)
	}
	if s, ok := scalar(rv); ok {
		return s
	}
	switch rt.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		if inIface && rt.Elem().Kind() == reflect.Struct && rt.Elem() != timeType {
			// A registered *T keeps its "*main.T" name in the $struct tag.
			p := o.plain(rv.Elem(), false).(obj)
			p[0].V = gobRegisteredName(rt)
			return p
		}
		return o.plain(rv.Elem(), false)
	case reflect.Slice, reflect.Array:
		l := make([]any, rv.Len())
		for i := range l {
			l[i] = o.plain(rv.Index(i), false)
		}
		return l
	case reflect.Map:
		pairs := make([][2]any, 0, rv.Len())
		it := rv.MapRange()
		var ties []any
		for it.Next() {
			pairs = append(pairs, [2]any{o.plain(it.Key(), false), o.plain(it.Value(), false)})
			ties = append(ties, o.typed(it.Key(), false))
		}
		return obj{{"$map", sortPairs(pairs, ties...)}}
	case reflect.Struct:
		f := obj{}
		for i := 0; i < rt.NumField(); i++ {
			sf := rt.Field(i)
			if !sf.IsExported() {
				continue
			}
			f = append(f, kv{sf.Name, o.plain(rv.Field(i), false)})
		}
		name := rt.Name()
		if inIface {
			name = gobRegisteredName(rt)
		}
		return obj{{"$struct", name}, {"fields", f}}
	}
	return obj{{"$unsupported", rt.String()}}
}

// ---------------------------------------------------------------------------
// fromTypedView

// decodeJSONTree parses JSON text into a tree of map[string]any / []any / json.Number /
// string / bool / nil (numbers kept exact).
func decodeJSONTree(data []byte) (any, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// parseTypeName turns a %T spelling into a reflect.Type: predeclared names, names in
// typedTypes, "interface {}", "*T", "[]T", "[N]T", "map[K]V".
func parseTypeName(s string) (reflect.Type, error) {
	t, rest, err := parseTypePrefix(s)
	if err != nil {
		return nil, err
	}
	if rest != "" {
		return nil, fmt.Errorf("jsonview: trailing %q in type %q", rest, s)
	}
	return t, nil
}

var basicTypes = map[string]reflect.Type{
	"bool": reflect.TypeOf(false), "string": reflect.TypeOf(""),
	"int": reflect.TypeOf(int(0)), "int8": reflect.TypeOf(int8(0)), "int16": reflect.TypeOf(int16(0)),
	"int32": reflect.TypeOf(int32(0)), "int64": reflect.TypeOf(int64(0)),
	"uint": reflect.TypeOf(uint(0)), "uint8": reflect.TypeOf(uint8(0)), "uint16": reflect.TypeOf(uint16(0)),
	"uint32": reflect.TypeOf(uint32(0)), "uint64": reflect.TypeOf(uint64(0)), "uintptr": reflect.TypeOf(uintptr(0)),
	"float32": reflect.TypeOf(float32(0)), "float64": reflect.TypeOf(float64(0)),
	"complex64": reflect.TypeOf(complex64(0)), "complex128": reflect.TypeOf(complex128(0)),
	"byte": reflect.TypeOf(byte(0)), "rune": reflect.TypeOf(rune(0)),
}

func parseTypePrefix(s string) (reflect.Type, string, error) {
	switch {
	case strings.HasPrefix(s, "interface {}"):
		return ifaceType, s[len("interface {}"):], nil
	case strings.HasPrefix(s, "*"):
		e, rest, err := parseTypePrefix(s[1:])
		if err != nil {
			return nil, "", err
		}
		return reflect.PointerTo(e), rest, nil
	case strings.HasPrefix(s, "[]"):
		e, rest, err := parseTypePrefix(s[2:])
		if err != nil {
			return nil, "", err
		}
		return reflect.SliceOf(e), rest, nil
	case strings.HasPrefix(s, "["):
		j := strings.IndexByte(s, ']')
		if j < 0 {
			return nil, "", fmt.Errorf("jsonview: bad array type %q", s)
		}
		n, err := strconv.Atoi(s[1:j])
		if err != nil {
			return nil, "", fmt.Errorf("jsonview: bad array length in %q", s)
		}
		e, rest, err := parseTypePrefix(s[j+1:])
		if err != nil {
			return nil, "", err
		}
		return reflect.ArrayOf(n, e), rest, nil
	case strings.HasPrefix(s, "map["):
		k, rest, err := parseTypePrefix(s[4:])
		if err != nil {
			return nil, "", err
		}
		if !strings.HasPrefix(rest, "]") {
			return nil, "", fmt.Errorf("jsonview: bad map type %q", s)
		}
		v, rest, err := parseTypePrefix(rest[1:])
		if err != nil {
			return nil, "", err
		}
		return reflect.MapOf(k, v), rest, nil
	}
	j := 0
	for j < len(s) && (s[j] == '.' || s[j] == '_' || s[j] == '/' || s[j] == '-' ||
		(s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')) {
		j++
	}
	name := s[:j]
	if t, ok := basicTypes[name]; ok {
		return t, s[j:], nil
	}
	if t, ok := typedTypes[name]; ok {
		return t, s[j:], nil
	}
	return nil, "", fmt.Errorf("jsonview: unknown type name %q (add it to typedTypes)", name)
}

// fromTypedView builds the Go value a typed tree describes. The tree must come from
// decodeJSONTree (numbers as json.Number). The result's dynamic type is the node's "t"
// ("nil" → untyped nil).
func fromTypedView(n any) (any, error) {
	rv, err := fromTyped(n)
	if err != nil {
		return nil, err
	}
	if !rv.IsValid() {
		return nil, nil
	}
	return rv.Interface(), nil
}

func typedParts(n any) (string, any, error) {
	m, ok := n.(map[string]any)
	if !ok {
		return "", nil, fmt.Errorf("jsonview: typed node must be an object, got %T", n)
	}
	t, ok := m["t"].(string)
	if !ok {
		return "", nil, fmt.Errorf("jsonview: typed node without string \"t\"")
	}
	v, ok := m["v"]
	if !ok {
		return "", nil, fmt.Errorf("jsonview: typed node without \"v\"")
	}
	return t, v, nil
}

// fromTyped returns the value of a typed node (invalid Value for "nil").
func fromTyped(n any) (reflect.Value, error) {
	t, v, err := typedParts(n)
	if err != nil {
		return reflect.Value{}, err
	}
	if t == "nil" {
		return reflect.Value{}, nil
	}
	rt, err := parseTypeName(t)
	if err != nil {
		return reflect.Value{}, err
	}
	out := reflect.New(rt).Elem()
	if err := setFromView(out, v); err != nil {
		return reflect.Value{}, fmt.Errorf("%s: %w", t, err)
	}
	return out, nil
}

// setTypedInto fills dst (any type) from a typed node: for an interface dst the node's
// own type is used; otherwise the node's value is converted into dst's type.
func setTypedInto(dst reflect.Value, n any) error {
	if dst.Kind() == reflect.Interface {
		rv, err := fromTyped(n)
		if err != nil {
			return err
		}
		if rv.IsValid() {
			dst.Set(rv)
		}
		return nil
	}
	_, v, err := typedParts(n)
	if err != nil {
		return err
	}
	return setFromView(dst, v)
}

func special(v any, key string) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	s, ok := m[key].(string)
	return s, ok
}

func viewInt(v any) (string, error) {
	switch x := v.(type) {
	case json.Number:
		return string(x), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	}
	if s, ok := special(v, "$int"); ok {
		return s, nil
	}
	return "", fmt.Errorf("expected an integer, got %T", v)
}

func viewFloat(v any) (float64, error) {
	switch x := v.(type) {
	case json.Number:
		return strconv.ParseFloat(string(x), 64)
	case float64:
		return x, nil
	}
	if s, ok := special(v, "$float"); ok {
		switch s {
		case "NaN":
			m := v.(map[string]any)
			bits, ok := m["bits"]
			if !ok {
				return math.NaN(), nil // math.NaN() is 0x7ff8000000000001
			}
			bs, _ := bits.(string)
			u, err := strconv.ParseUint(bs, 16, 64)
			if err != nil || len(bs) != 16 || !math.IsNaN(math.Float64frombits(u)) {
				return 0, fmt.Errorf("bad NaN bits %v", bits)
			}
			return math.Float64frombits(u), nil
		case "+Inf", "Inf":
			return math.Inf(1), nil
		case "-Inf":
			return math.Inf(-1), nil
		case "-0":
			return math.Copysign(0, -1), nil
		}
	}
	if s, ok := special(v, "$int"); ok {
		return strconv.ParseFloat(s, 64)
	}
	return 0, fmt.Errorf("expected a float, got %T", v)
}

func setFromView(dst reflect.Value, v any) error {
	rt := dst.Type()
	if rt == timeType {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("expected {\"$time\"...}")
		}
		s, _ := m["$time"].(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return err
		}
		_, have := t.Zone()
		off := have
		if offN, ok := m["offset"].(json.Number); ok {
			off, _ = strconv.Atoi(string(offN))
			if off != have {
				t = t.In(time.FixedZone("", off))
			}
		}
		// "utc" (default: offset == 0) tells time.UTC from another zero-offset location;
		// for the latter do what gob's UnmarshalBinary does: Local if its offset
		// matches, else an unnamed FixedZone.
		utc := off == 0
		if u, ok := m["utc"]; ok {
			b, isBool := u.(bool)
			if !isBool || (b && off != 0) {
				return fmt.Errorf("bad utc %v for offset %d", u, off)
			}
			utc = b
		}
		if !utc && off == 0 && t.Location() == time.UTC {
			if _, localOff := t.In(time.Local).Zone(); localOff == 0 {
				t = t.In(time.Local)
			} else {
				t = t.In(time.FixedZone("", 0))
			}
		}
		dst.Set(reflect.ValueOf(t))
		return nil
	}
	if isByteSlice(rt) {
		if v == nil {
			return nil
		}
		s, ok := special(v, "$bytes")
		if !ok {
			return fmt.Errorf("expected {\"$bytes\":...}")
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return err
		}
		dst.SetBytes(b)
		return nil
	}
	switch rt.Kind() {
	case reflect.Interface:
		return setTypedInto(dst, v) // v itself is a typed node
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("expected bool, got %T", v)
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s, err := viewInt(v)
		if err != nil {
			return err
		}
		i, err := strconv.ParseInt(s, 10, rt.Bits())
		if err != nil {
			return err
		}
		dst.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		s, err := viewInt(v)
		if err != nil {
			return err
		}
		u, err := strconv.ParseUint(s, 10, rt.Bits())
		if err != nil {
			return err
		}
		dst.SetUint(u)
	case reflect.Float32, reflect.Float64:
		f, err := viewFloat(v)
		if err != nil {
			return err
		}
		dst.SetFloat(f)
	case reflect.Complex64, reflect.Complex128:
		m, ok := v.(map[string]any)
		l, ok2 := m["$complex"].([]any)
		if !ok || !ok2 || len(l) != 2 {
			return fmt.Errorf("expected {\"$complex\":[re,im]}")
		}
		re, err := viewFloat(l[0])
		if err != nil {
			return err
		}
		im, err := viewFloat(l[1])
		if err != nil {
			return err
		}
		dst.SetComplex(complex(re, im))
	case reflect.String:
		if s, ok := v.(string); ok {
			dst.SetString(s)
			return nil
		}
		s, ok := special(v, "$badstr")
		if !ok {
			return fmt.Errorf("expected string, got %T", v)
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return err
		}
		dst.SetString(string(b))
	case reflect.Pointer:
		if v == nil {
			return nil
		}
		p := reflect.New(rt.Elem())
		if err := setTypedInto(p.Elem(), v); err != nil {
			return err
		}
		dst.Set(p)
	case reflect.Slice, reflect.Array:
		l, ok := v.([]any)
		if !ok {
			if v == nil {
				return nil
			}
			return fmt.Errorf("expected list, got %T", v)
		}
		if rt.Kind() == reflect.Slice {
			dst.Set(reflect.MakeSlice(rt, len(l), len(l)))
		} else if len(l) != rt.Len() {
			return fmt.Errorf("array length %d, got %d elements", rt.Len(), len(l))
		}
		for i, e := range l {
			if err := setTypedInto(dst.Index(i), e); err != nil {
				return err
			}
		}
	case reflect.Map:
		l, ok := v.([]any)
		if !ok {
			if v == nil {
				return nil
			}
			return fmt.Errorf("expected list of pairs, got %T", v)
		}
		dst.Set(reflect.MakeMapWithSize(rt, len(l)))
		for _, e := range l {
			p, ok := e.([]any)
			if !ok || len(p) != 2 {
				return fmt.Errorf("expected [key, value] pair")
			}
			k := reflect.New(rt.Key()).Elem()
			if err := setTypedInto(k, p[0]); err != nil {
				return err
			}
			val := reflect.New(rt.Elem()).Elem()
			if err := setTypedInto(val, p[1]); err != nil {
				return err
			}
			dst.SetMapIndex(k, val)
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("expected struct fields object, got %T", v)
		}
		for name, fv := range m {
			f := dst.FieldByName(name)
			if !f.IsValid() || !f.CanSet() {
				return fmt.Errorf("no settable field %q", name)
			}
			if err := setTypedInto(f, fv); err != nil {
				return fmt.Errorf("field %s: %w", name, err)
			}
		}
	default:
		return fmt.Errorf("cannot build kind %s", rt.Kind())
	}
	return nil
}

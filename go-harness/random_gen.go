package main

// random_gen.go — the generator behind `go-harness random`: random Go types (reflect.StructOf,
// MapOf, SliceOf, ArrayOf, PointerTo mixed with the named types of types.go, time.Time and
// interface{} slots) and random values of them, built ONLY from a PRNG seeded by
// (seed, index). rndBuildCase (random.go) calls rndNewGen(seed, index) and then draws the
// type, the value, the session map and the cookie keys in a fixed order, so `gen` and
// `check` rebuild identical cases whatever other indices the process handles.
//
// Restrictions (so that gob can encode every value and Go's comparison is meaningful):
//   - every generated struct has >= 1 exported field (field names A.., F0.., or a pool with
//     non-ASCII upper-case names), and its FIRST field carries the tag
//     `gen:"S<seed>_<index>_<k>"`, so struct types of different cases are distinct Go types
//     and may be registered under distinct names ("gen.S<seed>_<index>_<k>");
//   - pointers inside slices, arrays, map values, interface values and at top level are
//     non-nil at every level (gob: "encodeArray: nil element", "cannot encode nil pointer
//     ... inside interface", top-level nil pointer panics); only struct fields may hold nil
//     pointers (gob skips them);
//   - map keys: never NaN, never pointers; keys of interface type hold only comparable
//     values (basic, main.Celsius/Person/Color/IPv4/Version, arrays, generated key structs,
//     UTC time.Time);
//   - no chan/func values (gob refuses them; types.go's Rich keeps its chan/func fields nil,
//     gob ignores those fields);
//   - main.Address and main.Unregistered (never registered) never travel in an interface by
//     themselves (they may inside a registered composite type);
//   - time.Time zone offsets are never in [-119s, -60s] (offset/60 == -1 is refused by
//     Time.MarshalBinary) and stay within ±14h.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

const (
	rndMaxDepth  = 4 // type nesting depth
	rndMaxFields = 6 // fields per generated struct
	rndMaxElems  = 5 // elements per slice/map (plus nil and empty)
)

var (
	rndTimeType      = reflect.TypeOf(time.Time{})
	rndIfaceType     = reflect.TypeOf((*interface{})(nil)).Elem()
	rndBytesType     = reflect.TypeOf([]byte(nil))
	rndIfaceMapType  = reflect.TypeOf(map[interface{}]interface{}{})
	rndIfaceSlice    = reflect.TypeOf([]interface{}{})
	rndStrIfaceMap   = reflect.TypeOf(map[string]interface{}{})
	rndStrStrMap     = reflect.TypeOf(map[string]string{})
	rndStrIntMap     = reflect.TypeOf(map[string]int{})
	rndStringSlice   = reflect.TypeOf([]string{})
	rndCelsiusType   = reflect.TypeOf(Celsius(0))
	rndAccountType   = reflect.TypeOf(Account{})
	rndRegisteredBig = []reflect.Type{rndIfaceMapType, rndIfaceSlice, rndStrIfaceMap, rndStrStrMap, rndStrIntMap, rndStringSlice}
)

// rndBasicTypes: every basic kind and width, plus []byte.
var rndBasicTypes = []reflect.Type{
	reflect.TypeOf(false),
	reflect.TypeOf(int(0)), reflect.TypeOf(int8(0)), reflect.TypeOf(int16(0)), reflect.TypeOf(int32(0)), reflect.TypeOf(int64(0)),
	reflect.TypeOf(uint(0)), reflect.TypeOf(uint8(0)), reflect.TypeOf(uint16(0)), reflect.TypeOf(uint32(0)), reflect.TypeOf(uint64(0)),
	reflect.TypeOf(uintptr(0)),
	reflect.TypeOf(float32(0)), reflect.TypeOf(float64(0)),
	reflect.TypeOf(complex64(0)), reflect.TypeOf(complex128(0)),
	reflect.TypeOf(""),
	rndBytesType,
}

// rndNamedType is one named type of types.go the generator may use.
type rndNamedType struct {
	t       reflect.Type
	tags    []string
	ifaceOK bool // registered with gob (may travel in an interface)
	keyOK   bool // comparable: usable as a typed map key
	leaf    bool // cheap enough for the deepest level
}

var rndNamedTypes = []rndNamedType{
	{reflect.TypeOf(Person{}), []string{"named_struct"}, true, true, true},
	{rndAccountType, []string{"named_struct", "register_by_pointer"}, true, false, false},
	{reflect.TypeOf(Address{}), []string{"named_struct", "unregistered_named"}, false, true, true},
	{reflect.TypeOf(Unregistered{}), []string{"named_struct", "unregistered_named"}, false, true, true},
	{reflect.TypeOf(Node{}), []string{"named_struct", "recursive"}, true, false, false},
	{reflect.TypeOf(List{}), []string{"named_struct", "recursive"}, true, false, false},
	{reflect.TypeOf(Employee{}), []string{"named_struct", "recursive", "embedded"}, true, false, false},
	{rndCelsiusType, []string{"named_scalar"}, true, true, true},
	{reflect.TypeOf(Tags(nil)), []string{"named_slice"}, true, false, true},
	{reflect.TypeOf(Counts(nil)), []string{"named_map"}, true, false, true},
	{reflect.TypeOf(Version{}), []string{"gobencoder"}, true, true, true},
	{reflect.TypeOf(IPv4{}), []string{"binarymarshaler"}, true, true, true},
	{reflect.TypeOf(Color{}), []string{"textmarshaler"}, true, true, true},
	{reflect.TypeOf(Holder{}), []string{"named_struct", "gobencoder", "binarymarshaler", "textmarshaler"}, true, false, false},
	{reflect.TypeOf(Expiry{}), []string{"named_struct", "time_pointer_field"}, true, false, false},
	{reflect.TypeOf(Rich{}), []string{"named_struct", "ignored_fields"}, true, false, false},
}

var rndNamedByType = func() map[reflect.Type]*rndNamedType {
	m := map[reflect.Type]*rndNamedType{}
	for i := range rndNamedTypes {
		m[rndNamedTypes[i].t] = &rndNamedTypes[i]
	}
	return m
}()

// rndReg is one registration a case needs (recorded even when an earlier case of the same
// process already made it, so a case's output never depends on other cases).
type rndReg struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	ByPointer bool   `json:"by_pointer"`
}

// rndGen holds the PRNG and the bookkeeping of one case.
type rndGen struct {
	r       *rand.Rand
	seed    int64
	index   int
	mode    string
	edgeP   float64 // probability of an edge value for scalars
	mixedP  float64 // probability that a map with interface keys gets Python-equal key families
	nextK   int
	structK map[reflect.Type]int // generated struct type -> k (its registration name suffix)
	regSet  map[reflect.Type]bool
	regs    []rndReg
	tags    map[string]bool
}

func rndNewGen(seed int64, index int) *rndGen {
	return &rndGen{
		r:       rand.New(rand.NewPCG(uint64(seed), uint64(index))),
		seed:    seed,
		index:   index,
		edgeP:   0.35,
		mixedP:  0.3,
		structK: map[reflect.Type]int{},
		regSet:  map[reflect.Type]bool{},
		tags:    map[string]bool{},
	}
}

func (g *rndGen) tag(names ...string) {
	for _, n := range names {
		g.tags[n] = true
	}
}

func (g *rndGen) intn(n int) int                          { return g.r.IntN(n) }
func (g *rndGen) chance(p float64) bool                   { return g.r.Float64() < p }
func (g *rndGen) pickType(ts []reflect.Type) reflect.Type { return ts[g.r.IntN(len(ts))] }

func (g *rndGen) randBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return b
}

// ---------------------------------------------------------------------------
// Types.

func (g *rndGen) basicType() reflect.Type { return g.pickType(rndBasicTypes) }

// keyBasicType: a basic type usable as a map key (everything but []byte).
func (g *rndGen) keyBasicType() reflect.Type {
	return rndBasicTypes[g.intn(len(rndBasicTypes)-1)]
}

func (g *rndGen) namedType(leafOnly bool) reflect.Type {
	for {
		n := &rndNamedTypes[g.intn(len(rndNamedTypes))]
		if !leafOnly || n.leaf {
			return n.t
		}
	}
}

func (g *rndGen) leafType() reflect.Type {
	switch w := g.intn(100); {
	case w < 70:
		return g.basicType()
	case w < 80:
		return rndTimeType
	case w < 90:
		return g.namedType(true)
	default:
		return rndIfaceType
	}
}

// genType returns a random type; depth 0 is the top level.
func (g *rndGen) genType(depth int) reflect.Type {
	if depth >= rndMaxDepth {
		return g.leafType()
	}
	switch w := g.intn(100); {
	case w < 26:
		return g.basicType()
	case w < 35:
		return g.namedType(false)
	case w < 40:
		return rndTimeType
	case w < 48:
		return rndIfaceType
	case w < 58:
		return reflect.SliceOf(g.genType(depth + 1))
	case w < 64:
		return reflect.ArrayOf(g.arrayLen(), g.genType(depth+1))
	case w < 75:
		return reflect.MapOf(g.keyType(), g.genType(depth+1))
	case w < 91:
		return g.structType(depth)
	default:
		return g.pointerType(depth)
	}
}

// topType: a random concrete (non-interface) type.
func (g *rndGen) topType() reflect.Type {
	for {
		t := g.genType(0)
		if t.Kind() != reflect.Interface {
			return t
		}
	}
}

func (g *rndGen) arrayLen() int {
	if g.chance(0.05) {
		return 0
	}
	return 1 + g.intn(4)
}

func (g *rndGen) pointerType(depth int) reflect.Type {
	elem := g.genType(depth + 1)
	for elem.Kind() == reflect.Interface { // no *interface{}: gob cannot send it inside an interface
		elem = g.genType(depth + 1)
	}
	t := reflect.PointerTo(elem)
	switch w := g.intn(100); {
	case w < 20:
		t = reflect.PointerTo(t)
	case w < 27:
		t = reflect.PointerTo(reflect.PointerTo(t))
	}
	return t
}

// keyType: a comparable, pointer-free type for map keys.
func (g *rndGen) keyType() reflect.Type {
	switch w := g.intn(100); {
	case w < 50:
		return g.keyBasicType()
	case w < 58:
		return reflect.TypeOf("")
	case w < 75:
		return rndIfaceType
	case w < 81:
		return reflect.ArrayOf(1+g.intn(3), g.keyBasicType())
	case w < 87:
		return g.keyStructType()
	case w < 97:
		for {
			n := &rndNamedTypes[g.intn(len(rndNamedTypes))]
			if n.keyOK {
				return n.t
			}
		}
	default:
		return rndTimeType // values: UTC only
	}
}

var rndFieldPool = []string{"Name", "Value", "X", "Y2", "ID", "Ünïcode", "Δelta", "Long_Field_Name_With_Underscores", "Z", "Été", "Data", "N_1"}

func (g *rndGen) fieldNames(n int) []string {
	names := make([]string, 0, n)
	style := g.intn(4)
	seen := map[string]bool{}
	for i := 0; len(names) < n; i++ {
		var s string
		switch style {
		case 0, 1:
			s = string(rune('A' + i))
		case 2:
			s = fmt.Sprintf("F%d", i)
		default:
			s = rndFieldPool[g.intn(len(rndFieldPool))]
			if seen[s] {
				s = fmt.Sprintf("F%d", i)
			}
		}
		if seen[s] {
			continue
		}
		seen[s] = true
		names = append(names, s)
	}
	return names
}

// newStruct builds the struct type; the first field's tag makes it unique to this case.
func (g *rndGen) newStruct(names []string, types []reflect.Type) reflect.Type {
	k := g.nextK
	g.nextK++
	fields := make([]reflect.StructField, len(names))
	for i := range names {
		fields[i] = reflect.StructField{Name: names[i], Type: types[i]}
	}
	fields[0].Tag = reflect.StructTag(fmt.Sprintf(`gen:"S%d_%d_%d"`, g.seed, g.index, k))
	t := reflect.StructOf(fields)
	g.structK[t] = k
	return t
}

func (g *rndGen) structType(depth int) reflect.Type {
	n := 1 + g.intn(rndMaxFields)
	names := g.fieldNames(n)
	types := make([]reflect.Type, n)
	for i := range types {
		types[i] = g.genType(depth + 1)
	}
	return g.newStruct(names, types)
}

func (g *rndGen) keyStructType() reflect.Type {
	n := 1 + g.intn(3)
	names := g.fieldNames(n)
	types := make([]reflect.Type, n)
	for i := range types {
		types[i] = g.keyBasicType()
	}
	return g.newStruct(names, types)
}

// ---------------------------------------------------------------------------
// Registration.

// rndGobKnown: types gob or types.go/sessions/serve already registered (never re-registered:
// Account is registered by pointer, so registering Account{} would panic).
func rndGobKnown(base reflect.Type) bool {
	if base.Name() != "" {
		return true // predeclared types (gob's own), main.* named types, time.Time
	}
	if base.Kind() == reflect.Slice && base.Elem().Name() != "" && base.Elem().PkgPath() == "" &&
		base.Elem().Kind() != reflect.Interface {
		return true // gob pre-registers []T for every predeclared T
	}
	for _, t := range rndRegisteredBig {
		if base == t {
			return true // types.go / sessions registrations
		}
	}
	return false
}

// register makes t (its pointer-free base) travel in an interface; ok=false when the type
// must not be registered (main.Address, main.Unregistered).
func (g *rndGen) register(t reflect.Type) (ok bool) {
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if n := rndNamedByType[base]; n != nil && !n.ifaceOK {
		return false
	}
	if rndGobKnown(base) {
		if base == rndAccountType {
			g.tag("register_by_pointer")
		}
		return true
	}
	if g.regSet[base] {
		return true
	}
	g.regSet[base] = true
	if k, isGen := g.structK[base]; isGen {
		name := fmt.Sprintf("gen.S%d_%d_%d", g.seed, g.index, k)
		byPtr := g.chance(0.3)
		g.tag("gen_registered")
		if byPtr {
			g.tag("register_by_pointer")
			rndRegisterName(name, reflect.New(base).Interface())
		} else {
			rndRegisterName(name, reflect.Zero(base).Interface())
		}
		g.regs = append(g.regs, rndReg{name, base.String(), byPtr})
		return true
	}
	// Unnamed composite or predeclared type: the name gob.Register would use (gob
	// pre-registers the basic types and their slices under these very names).
	name := base.String()
	rndRegisterName(name, reflect.Zero(base).Interface())
	g.tag("unnamed_registered")
	g.regs = append(g.regs, rndReg{name, base.String(), false})
	return true
}

// ---------------------------------------------------------------------------
// Scalars.

func (g *rndGen) intValue(bits int) int64 {
	if g.chance(g.edgeP) {
		min := int64(-1) << (bits - 1)
		max := -(min + 1)
		edges := []int64{min, max, 0, 1, -1, 63, 64, -64, -65, 127, 128, -128, -129, 255, 256, 65535, 1 << 31, 1<<53 + 1, -(1 << 53) - 1}
		for {
			v := edges[g.intn(len(edges))]
			if v >= min && v <= max {
				if v == min || v == max {
					g.tag("int_limit")
				}
				return v
			}
		}
	}
	m := 1 + g.intn(bits-1)
	v := int64(g.r.Uint64() >> (64 - m))
	if g.chance(0.5) {
		v = -v
	}
	return v
}

func (g *rndGen) uintValue(bits int) uint64 {
	if g.chance(g.edgeP) {
		max := uint64(math.MaxUint64) >> (64 - bits)
		edges := []uint64{0, 1, max, 127, 128, 255, 256, 65535, 1 << (bits - 1), 1<<53 + 1}
		for {
			v := edges[g.intn(len(edges))]
			if v <= max {
				if v == max {
					g.tag("int_limit")
				}
				return v
			}
		}
	}
	m := 1 + g.intn(bits)
	return g.r.Uint64() >> (64 - m)
}

func (g *rndGen) float64Value(key bool) float64 {
	for {
		f := g.float64Raw()
		if math.IsNaN(f) {
			if key {
				continue
			}
			g.tag("nan")
		}
		g.floatTags(f)
		return f
	}
}

func (g *rndGen) floatTags(f float64) {
	switch {
	case math.IsInf(f, 0):
		g.tag("inf")
	case f == 0 && math.Signbit(f):
		g.tag("neg_zero")
	case f != 0 && math.Abs(f) < 0x1p-1022:
		g.tag("denorm")
	}
}

func (g *rndGen) float64Raw() float64 {
	if g.chance(g.edgeP) {
		switch g.intn(20) {
		case 0:
			return 0
		case 1:
			return math.Copysign(0, -1)
		case 2:
			return math.NaN()
		case 3: // NaN with a random payload and sign (quiet or signalling)
			g.tag("nan_payload")
			bits := uint64(0x7ff)<<52 | (g.r.Uint64()&(1<<52-1) | 1)
			if g.chance(0.5) {
				bits |= 1 << 63
			}
			return math.Float64frombits(bits)
		case 4:
			return math.Inf(1)
		case 5:
			return math.Inf(-1)
		case 6:
			return 1
		case 7:
			return 1.5
		case 8:
			return 0.1
		case 9:
			return math.MaxFloat64
		case 10:
			return math.SmallestNonzeroFloat64
		case 11:
			return -math.SmallestNonzeroFloat64
		case 12:
			return 1 << 53
		case 13:
			return 1 << 63
		case 14:
			return 1e100
		case 15:
			return -2.5
		case 16:
			return 1.0 / 3
		case 17:
			return 17
		case 18:
			return math.Nextafter(1, 2)
		default:
			return -1
		}
	}
	if g.chance(0.3) {
		return math.Float64frombits(g.r.Uint64()) // any bit pattern (may be NaN)
	}
	if g.chance(0.5) {
		return float64(g.intn(2000) - 1000)
	}
	return g.r.NormFloat64() * math.Pow(10, float64(g.intn(12)-4))
}

func (g *rndGen) float32Value(key bool) float32 {
	for {
		f := g.float32Raw()
		if f != f {
			if key {
				continue
			}
			g.tag("nan")
		}
		g.floatTags(float64(f))
		if f != 0 && math.Abs(float64(f)) < 0x1p-126 {
			g.tag("denorm")
		}
		return f
	}
}

func (g *rndGen) float32Raw() float32 {
	if g.chance(g.edgeP) {
		switch g.intn(14) {
		case 0:
			return 0
		case 1:
			return float32(math.Copysign(0, -1))
		case 2:
			return float32(math.NaN())
		case 3:
			g.tag("nan_payload")
			bits := uint32(0xff)<<23 | (g.r.Uint32()&(1<<23-1) | 1)
			if g.chance(0.5) {
				bits |= 1 << 31
			}
			return math.Float32frombits(bits)
		case 4:
			return float32(math.Inf(1))
		case 5:
			return float32(math.Inf(-1))
		case 6:
			return 1
		case 7:
			return 1.5
		case 8:
			return 0.1
		case 9:
			return math.MaxFloat32
		case 10:
			return math.SmallestNonzeroFloat32
		case 11:
			return 1 << 24
		case 12:
			return 16777217 // rounds to 2^24
		default:
			return -1
		}
	}
	if g.chance(0.3) {
		return math.Float32frombits(g.r.Uint32())
	}
	if g.chance(0.5) {
		return float32(g.intn(2000) - 1000)
	}
	return float32(g.r.NormFloat64() * math.Pow(10, float64(g.intn(8)-3)))
}

var rndStrings = []string{
	"", "a", "hello", "user", "é", "e\u0301", "日本語", "😀", "\x00\x01\x7f", "tab\tnl\n\"q\"\\", "1", "true", "True", "None", "null",
	"\xff", "a\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "ok\xfe\xffok", "\u2028\u2029", "<&>", "\ufeffbom",
}

func (g *rndGen) stringValue() string {
	var s string
	switch w := g.intn(100); {
	case w < 45:
		s = rndStrings[g.intn(len(rndStrings))]
	case w < 60: // random bytes (mostly invalid UTF-8)
		s = string(g.randBytes(g.intn(12)))
	case w < 75: // random runes, some of them astral / non-characters
		var b strings.Builder
		for i, n := 0, g.intn(8); i < n; i++ {
			var r rune
			switch g.intn(4) {
			case 0:
				r = rune(0x20 + g.intn(0x5f))
			case 1:
				r = rune(0x80 + g.intn(0x780))
			case 2:
				r = rune(0x800 + g.intn(0xd000))
			default:
				r = rune(0x10000 + g.intn(0x100000))
			}
			b.WriteRune(r)
		}
		s = b.String()
	case w < 80:
		s = strings.Repeat(string(rune('a'+g.intn(26))), 100+g.intn(2000))
		g.tag("long_string")
	default:
		s = fmt.Sprintf("s%d", g.intn(1000))
	}
	switch {
	case s == "":
		g.tag("empty_string")
	case !utf8.ValidString(s):
		g.tag("bad_utf8")
	default:
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				g.tag("unicode_string")
				break
			}
		}
	}
	return s
}

func (g *rndGen) bytesValue() []byte {
	g.tag("bytes")
	switch w := g.intn(100); {
	case w < 12:
		g.tag("nil_bytes")
		return nil
	case w < 24:
		g.tag("empty_bytes")
		return []byte{}
	case w < 30:
		return g.randBytes(200 + g.intn(600))
	default:
		return g.randBytes(1 + g.intn(40))
	}
}

// scalar returns a value of basic-kind type t (possibly named, e.g. main.Celsius).
func (g *rndGen) scalar(t reflect.Type, key bool) reflect.Value {
	v := reflect.New(t).Elem()
	g.tag(t.Kind().String())
	switch t.Kind() {
	case reflect.Bool:
		v.SetBool(g.chance(0.5))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(g.intValue(t.Bits()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(g.uintValue(t.Bits()))
	case reflect.Float32:
		*(*float32)(unsafe.Pointer(v.UnsafeAddr())) = g.float32Value(key) // keeps NaN payloads exact
	case reflect.Float64:
		v.SetFloat(g.float64Value(key))
	case reflect.Complex64:
		g.tag("complex")
		*(*[2]float32)(unsafe.Pointer(v.UnsafeAddr())) = [2]float32{g.float32Value(key), g.float32Value(key)}
	case reflect.Complex128:
		g.tag("complex")
		v.SetComplex(complex(g.float64Value(key), g.float64Value(key)))
	case reflect.String:
		v.SetString(g.stringValue())
	default:
		panic("rnd scalar: " + t.String())
	}
	if key && (t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64) {
		g.tag("float_key")
	}
	return v
}

// ---------------------------------------------------------------------------
// time.Time

func (g *rndGen) timeValue(key bool) time.Time {
	g.tag("time")
	w := g.intn(100)
	if key {
		w = 20 // UTC only
	}
	year := 1900 + g.intn(201)
	if g.chance(0.05) {
		year = []int{1, 9999, 1969, 1970, 2038}[g.intn(5)]
		g.tag("time_extreme")
	}
	ns := 0
	if g.chance(0.6) {
		ns = g.intn(1000000000)
	}
	mk := func(loc *time.Location) time.Time {
		return time.Date(year, time.Month(1+g.intn(12)), 1+g.intn(28), g.intn(24), g.intn(60), g.intn(60), ns, loc)
	}
	switch {
	case w < 15:
		g.tag("time_zero")
		return time.Time{}
	case w < 55:
		g.tag("time_utc")
		if key {
			g.tag("time_key")
		}
		return mk(time.UTC)
	case w < 92:
		g.tag("time_fixed")
		var off int
		if g.chance(0.1) {
			off = 0
			g.tag("time_fixed_zero_offset")
		} else {
			for {
				off = (g.intn(1681) - 840) * 60
				if off != -60 {
					break
				}
			}
		}
		name := []string{"", "", "EST", "X", "UTC+5", "Zone/Ünï"}[g.intn(6)]
		return mk(time.FixedZone(name, off))
	default:
		g.tag("time_fixed", "time_seconds_offset")
		var off int
		for {
			off = g.intn(50401) - 25200
			if off%60 != 0 && off/60 != -1 {
				break
			}
		}
		return mk(time.FixedZone("", off))
	}
}

// ---------------------------------------------------------------------------
// Values.

// count: -1 = nil, 0 = empty, else the number of elements.
func (g *rndGen) count(depth int) int {
	w := g.intn(100)
	if depth > rndMaxDepth+2 {
		if w < 50 {
			return -1
		}
		return 0
	}
	switch {
	case w < 8:
		return -1
	case w < 16:
		return 0
	}
	return 1 + g.intn(rndMaxElems)
}

// value returns a random value of type t. nonNil: every pointer level must be non-nil
// (anything but a struct field).
func (g *rndGen) value(t reflect.Type, depth int, nonNil bool) reflect.Value {
	if t == rndTimeType {
		return reflect.ValueOf(g.timeValue(false))
	}
	if t == rndBytesType {
		return reflect.ValueOf(g.bytesValue())
	}
	if n := rndNamedByType[t]; n != nil {
		g.tag(n.tags...)
		g.tag("named:" + t.Name())
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		return g.scalar(t, false)
	case reflect.Interface:
		return g.ifaceValue(depth)
	case reflect.Pointer:
		g.tag("pointer")
		if t.Elem().Kind() == reflect.Pointer {
			g.tag("multi_pointer")
		}
		if !nonNil && (depth > rndMaxDepth+1 || g.chance(0.2)) {
			g.tag("nil_pointer")
			return reflect.Zero(t)
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(g.value(t.Elem(), depth+1, nonNil))
		return p
	case reflect.Slice:
		g.tag("slice")
		n := g.count(depth)
		switch n {
		case -1:
			g.tag("nil_slice")
			return reflect.Zero(t)
		case 0:
			g.tag("empty_slice")
			return reflect.MakeSlice(t, 0, 0)
		}
		s := reflect.MakeSlice(t, n, n)
		for i := 0; i < n; i++ {
			s.Index(i).Set(g.value(t.Elem(), depth+1, true))
		}
		return s
	case reflect.Array:
		g.tag("array")
		if t.Len() == 0 {
			g.tag("array_len0")
		}
		a := reflect.New(t).Elem()
		for i := 0; i < t.Len(); i++ {
			a.Index(i).Set(g.value(t.Elem(), depth+1, true))
		}
		return a
	case reflect.Map:
		return g.mapValue(t, depth)
	case reflect.Struct:
		if _, gen := g.structK[t]; gen {
			g.tag("struct")
			if depth > 0 {
				g.tag("nested_struct")
			}
		}
		s := reflect.New(t).Elem()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || f.Type.Kind() == reflect.Func || f.Type.Kind() == reflect.Chan {
				continue
			}
			if f.Type.Kind() == reflect.Interface {
				g.tag("struct_iface_field")
			}
			s.Field(i).Set(g.value(f.Type, depth+1, false))
		}
		return s
	}
	panic("rnd value: unsupported type " + t.String())
}

func (g *rndGen) mapValue(t reflect.Type, depth int) reflect.Value {
	g.tag("map")
	n := g.count(depth)
	switch n {
	case -1:
		g.tag("nil_map")
		return reflect.Zero(t)
	case 0:
		g.tag("empty_map")
		return reflect.MakeMap(t)
	}
	m := reflect.MakeMap(t)
	if t.Key().Kind() == reflect.Interface {
		g.tag("iface_key")
		if g.chance(g.mixedP) {
			g.fillMixedKeys(m, depth)
			return m
		}
	}
	for i := 0; i < n; i++ {
		k := g.keyValue(t.Key(), depth+1)
		m.SetMapIndex(k, g.value(t.Elem(), depth+1, true))
	}
	return m
}

// keyValue: a value of comparable type t that is a valid, NaN-free map key.
func (g *rndGen) keyValue(t reflect.Type, depth int) reflect.Value {
	switch {
	case t == rndTimeType:
		return reflect.ValueOf(g.timeValue(true))
	case t.Kind() == reflect.Interface:
		return g.ifaceKey(depth)
	case t.Kind() == reflect.Array:
		g.tag("array_key")
		a := reflect.New(t).Elem()
		for i := 0; i < t.Len(); i++ {
			a.Index(i).Set(g.keyValue(t.Elem(), depth+1))
		}
		return a
	case t.Kind() == reflect.Struct:
		g.tag("struct_key")
		if n := rndNamedByType[t]; n != nil {
			g.tag(n.tags...)
			g.tag("named:" + t.Name())
		}
		s := reflect.New(t).Elem()
		for i := 0; i < t.NumField(); i++ {
			s.Field(i).Set(g.keyValue(t.Field(i).Type, depth+1))
		}
		return s
	default:
		if t == rndCelsiusType {
			g.tag("named_scalar")
		}
		return g.scalar(t, true)
	}
}

// ifaceKey: an interface{} holding a comparable key value.
func (g *rndGen) ifaceKey(depth int) reflect.Value {
	var dv reflect.Value
	switch w := g.intn(100); {
	case w < 55:
		dv = g.scalar(g.keyBasicType(), true)
	case w < 70:
		dv = reflect.ValueOf(g.stringValue())
	case w < 82:
		for {
			n := &rndNamedTypes[g.intn(len(rndNamedTypes))]
			if n.keyOK && n.ifaceOK {
				dv = g.keyValue(n.t, depth+1)
				break
			}
		}
	case w < 90:
		dv = g.keyValue(reflect.ArrayOf(1+g.intn(3), g.keyBasicType()), depth+1)
	case w < 96:
		dv = g.keyValue(g.keyStructType(), depth+1)
	default:
		dv = reflect.ValueOf(g.timeValue(true))
	}
	if !g.register(dv.Type()) {
		panic("rnd: unregistrable key type " + dv.Type().String())
	}
	return rndIface(dv)
}

func rndIface(dv reflect.Value) reflect.Value {
	iv := reflect.New(rndIfaceType).Elem()
	if dv.IsValid() {
		iv.Set(dv)
	}
	return iv
}

// ifaceValue: an interface{} slot's value (nil, basic, time, registered named types by
// value or by pointer, gob's pre-registered containers, generated registered types).
func (g *rndGen) ifaceValue(depth int) reflect.Value {
	g.tag("iface")
	if depth > rndMaxDepth+1 {
		switch g.intn(4) {
		case 0:
			g.tag("iface_nil")
			return rndIface(reflect.Value{})
		default:
			return rndIface(g.scalar(g.keyBasicType(), false))
		}
	}
	var dv reflect.Value
	switch w := g.intn(100); {
	case w < 7:
		g.tag("iface_nil")
		return rndIface(reflect.Value{})
	case w < 40:
		t := g.basicType()
		if t == rndBytesType {
			dv = reflect.ValueOf(g.bytesValue())
		} else {
			dv = g.scalar(t, false)
		}
	case w < 46:
		dv = reflect.ValueOf(g.timeValue(false))
		if g.chance(0.3) {
			dv = rndAddr(dv)
			g.tag("time_pointer")
		}
	case w < 62:
		var t reflect.Type
		for {
			n := &rndNamedTypes[g.intn(len(rndNamedTypes))]
			if n.ifaceOK {
				t = n.t
				break
			}
		}
		dv = g.value(t, depth+1, true)
	case w < 78:
		t := g.pickType(rndRegisteredBig)
		dv = g.value(t, depth+1, true)
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			g.tag("iface_container")
		}
	default:
		t := g.genType(depth + 1)
		if t.Kind() == reflect.Interface {
			t = rndIfaceSlice
		}
		dv = g.value(t, depth+1, true)
	}
	if dv.Kind() != reflect.Pointer && g.chance(0.25) && dv.Type() != rndBytesType {
		dv = rndAddr(dv)
	}
	dv = rndTrimPtr(dv)
	if !g.register(dv.Type()) {
		// main.Address / main.Unregistered: not registered by design; carry a basic value.
		dv = g.scalar(g.keyBasicType(), false)
	}
	base := dv.Type()
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	predeclared := base.Name() != "" && base.PkgPath() == ""
	switch {
	case predeclared && dv.Kind() == reflect.Pointer:
		g.tag("iface_basic", "iface_pointer")
	case predeclared:
		g.tag("iface_basic")
	case dv.Kind() == reflect.Pointer:
		g.tag("registered_pointer", "iface_pointer")
	default:
		g.tag("registered_value")
	}
	return rndIface(dv)
}

var (
	rndGobEncoderType      = reflect.TypeOf((*interface{ GobEncode() ([]byte, error) })(nil)).Elem()
	rndBinaryMarshalerType = reflect.TypeOf((*interface{ MarshalBinary() ([]byte, error) })(nil)).Elem()
)

// rndTrimPtr removes pointer levels from v (non-nil all the way) while it is a pointer of 3
// or more levels to a GobEncoder/BinaryMarshaler type (time.Time, main.Version, main.IPv4):
// Go's gob panics ("reflect: call of reflect.Value.IsNil on struct Value") when such a value
// is encoded at top level or inside an interface. Fewer levels, or the same pointer as a
// struct field, slice/array element or map value, encode fine.
func rndTrimPtr(v reflect.Value) reflect.Value {
	for {
		levels, base := 0, v.Type()
		for base.Kind() == reflect.Pointer {
			levels++
			base = base.Elem()
		}
		pb := reflect.PointerTo(base)
		if levels < 3 || !(pb.Implements(rndGobEncoderType) || pb.Implements(rndBinaryMarshalerType)) {
			return v
		}
		v = v.Elem()
	}
}

// rndAddr returns a pointer to a copy of v.
func rndAddr(v reflect.Value) reflect.Value {
	p := reflect.New(v.Type())
	p.Elem().Set(v)
	return p
}

// ---------------------------------------------------------------------------
// Maps with interface keys that Python would equate (1 == True == 1.0, ...).

func rndKeyFamilies() [][]interface{} {
	return [][]interface{}{
		// 0: one
		{1, true, 1.0, int64(1), int8(1), uint(1), int16(1), int32(1), uint8(1), uint16(1), uint32(1), uint64(1),
			uintptr(1), float32(1), complex(1, 0), complex64(1), "1", Celsius(1), "1.0", "true"},
		// 1: zero
		{0, false, 0.0, int64(0), int8(0), uint(0), uint8(0), float32(0), float32(math.Copysign(0, -1)),
			complex(0, 0), complex64(0), "", "0", Celsius(0), uintptr(0)},
		// 2: one and a half
		{1.5, float32(1.5), complex(1.5, 0), complex64(1.5), "1.5", Celsius(1.5)},
		// 3: minus one
		{-1, int8(-1), int64(-1), -1.0, float32(-1), complex(-1, 0), "-1", uint64(math.MaxUint64), uint(math.MaxUint), uint8(255), int16(-1)},
		// 4: big
		{int64(1 << 53), float64(1 << 53), int64(1<<53 + 1), float64(1<<53 + 2), uint64(1 << 63), float64(1 << 63),
			math.MaxInt64, uint64(math.MaxUint64), float64(1 << 64), float32(1 << 64), int64(math.MinInt64), float64(-(1 << 63))},
		// 5: infinities and friends
		{math.Inf(1), float32(math.Inf(1)), complex(math.Inf(1), 0), math.Inf(-1), "inf", "Infinity", math.MaxFloat64},
		// 6: composites
		{[2]int{1, 2}, [2]int8{1, 2}, [2]uint{1, 2}, [2]float64{1, 2}, [1]int{1}, [2]string{"1", "2"}, "(1, 2)",
			Person{"1", 1}, Color{1, 1, 1}, IPv4{1, 1, 1, 1}, Version{1, 0, 0},
			time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Unix(1, 0).UTC()},
		// 7: strings
		{"", "user", "\xff", "é", "e\u0301", "1", "True", "None", "null", "_flash", "v"},
	}
}

var rndCore6 = []interface{}{1, true, 1.0, int64(1), int8(1), uint(1)}

// fillMixedKeys fills m (a map with interface{} keys) with keys from several families of
// values Python would consider equal.
func (g *rndGen) fillMixedKeys(m reflect.Value, depth int) {
	g.tag("iface_map_mixed_keys")
	fams := rndKeyFamilies()
	var keys []interface{}
	if g.chance(0.5) {
		keys = append(keys, rndCore6...)
	}
	nf := 1 + g.intn(3)
	for i := 0; i < nf; i++ {
		f := fams[g.intn(len(fams))]
		perm := g.r.Perm(len(f))
		take := 2 + g.intn(len(f)-1)
		for _, j := range perm[:take] {
			keys = append(keys, f[j])
		}
	}
	if g.chance(0.3) { // a generated key struct among them
		keys = append(keys, g.keyValue(g.keyStructType(), depth+1).Interface())
	}
	for _, k := range keys {
		kv := reflect.ValueOf(k)
		if !g.register(kv.Type()) {
			continue
		}
		var val reflect.Value
		if m.Type().Elem().Kind() == reflect.Interface && g.chance(0.6) {
			// small, readable values: the key's description
			val = reflect.ValueOf(fmt.Sprintf("%T:%v", k, k))
		} else {
			val = g.value(m.Type().Elem(), depth+1, true)
		}
		m.SetMapIndex(rndIface(kv), val)
	}
	if rndHasCore6(m) {
		g.tag("mixed_keys_core6")
	}
}

// rndHasCore6: m holds the six distinct keys 1, true, 1.0, int64(1), int8(1), uint(1).
func rndHasCore6(m reflect.Value) bool {
	if m.Kind() != reflect.Map || m.Type().Key().Kind() != reflect.Interface {
		return false
	}
	for _, k := range rndCore6 {
		if !m.MapIndex(reflect.ValueOf(k)).IsValid() {
			return false
		}
	}
	return m.Len() >= len(rndCore6)
}

// mixedMap: a map[interface{}]interface{} that always has mixed key families.
func (g *rndGen) mixedMap(depth int) reflect.Value {
	m := reflect.MakeMap(rndIfaceMapType)
	g.tag("map", "iface_key")
	g.fillMixedKeys(m, depth)
	return m
}

// ---------------------------------------------------------------------------
// Case modes: the top-level type and value.

var rndModes = []struct {
	name   string
	weight int
}{
	{"random", 45}, {"mixed_keys", 20}, {"named", 12}, {"iface", 12}, {"scalar", 6}, {"time", 5},
}

func (g *rndGen) pickMode() string {
	w := g.intn(100)
	for _, m := range rndModes {
		if w < m.weight {
			return m.name
		}
		w -= m.weight
	}
	return "random"
}

// topValue draws the case's mode, top-level type and value.
func (g *rndGen) topValue() (reflect.Type, reflect.Value) {
	t, v := g.topValue1()
	if v2 := rndTrimPtr(v); v2.Type() != t {
		g.tag("trimmed_marshaler_pointer")
		return v2.Type(), v2
	}
	return t, v
}

func (g *rndGen) topValue1() (reflect.Type, reflect.Value) {
	g.mode = g.pickMode()
	switch g.mode {
	case "mixed_keys":
		g.mixedP = 0.7
		switch w := g.intn(100); {
		case w < 55:
			return rndIfaceMapType, g.mixedMap(0)
		case w < 75:
			t := g.newStruct([]string{"M", "X"}, []reflect.Type{rndIfaceMapType, g.genType(1)})
			s := reflect.New(t).Elem()
			s.Field(0).Set(g.mixedMap(1))
			s.Field(1).Set(g.value(t.Field(1).Type, 1, false))
			g.tag("struct")
			return t, s
		case w < 90:
			t := reflect.SliceOf(rndIfaceMapType)
			n := 1 + g.intn(3)
			s := reflect.MakeSlice(t, n, n)
			for i := 0; i < n; i++ {
				s.Index(i).Set(g.mixedMap(1))
			}
			g.tag("slice")
			return t, s
		default:
			n := 1 + g.intn(3)
			s := reflect.MakeSlice(rndIfaceSlice, n, n)
			for i := 0; i < n; i++ {
				s.Index(i).Set(rndIface(g.mixedMap(1)))
			}
			g.tag("slice", "iface", "iface_container")
			return rndIfaceSlice, s
		}
	case "named":
		nt := g.namedType(false)
		var t reflect.Type
		switch w := g.intn(100); {
		case w < 45:
			t = nt
		case w < 55:
			t = reflect.PointerTo(nt)
		case w < 70:
			t = reflect.SliceOf(nt)
		case w < 80:
			t = reflect.MapOf(reflect.TypeOf(""), nt)
		case w < 87:
			t = reflect.ArrayOf(1+g.intn(3), nt)
		default:
			t = g.newStruct(g.fieldNames(3), []reflect.Type{nt, g.namedType(false), reflect.PointerTo(g.namedType(false))})
		}
		return t, g.value(t, 0, true)
	case "iface":
		g.mixedP = 0.4
		var t reflect.Type
		switch w := g.intn(100); {
		case w < 35:
			t = rndIfaceSlice
		case w < 60:
			t = rndStrIfaceMap
		case w < 75:
			t = rndIfaceMapType
		default:
			n := 2 + g.intn(4)
			types := make([]reflect.Type, n)
			for i := range types {
				types[i] = rndIfaceType
			}
			types[n-1] = g.genType(1)
			t = g.newStruct(g.fieldNames(n), types)
		}
		return t, g.value(t, 0, true)
	case "scalar":
		g.edgeP = 0.6
		var t reflect.Type
		if g.chance(0.1) {
			t = rndCelsiusType
		} else {
			t = g.basicType()
		}
		if g.chance(0.15) {
			t = reflect.PointerTo(t)
		}
		return t, g.value(t, 0, true)
	case "time":
		var t reflect.Type
		switch w := g.intn(100); {
		case w < 35:
			t = rndTimeType
		case w < 50:
			t = reflect.PointerTo(rndTimeType)
		case w < 65:
			t = reflect.SliceOf(rndTimeType)
		case w < 75:
			t = reflect.MapOf(reflect.TypeOf(""), rndTimeType)
		case w < 85:
			t = g.newStruct([]string{"At", "Ptr", "Any"}, []reflect.Type{rndTimeType, reflect.PointerTo(rndTimeType), rndIfaceType})
		default:
			t = reflect.SliceOf(reflect.PointerTo(rndTimeType))
		}
		return t, g.value(t, 0, true)
	}
	t := g.topType()
	return t, g.value(t, 0, true)
}

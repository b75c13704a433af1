package main

// types.go — the Go types and values behind fixtures/gob/*.json, registered the way a
// gorilla/sessions application registers them, plus the `gob-encode-case` child
// subcommand that encodes one case in a FRESH process.
//
// Why a child process per case: encoding/gob numbers user types from a process-global
// counter on first encode (Go >= 1.21: first id 64; Go <= 1.20: 65). The bytes a fixture
// records must be what a fresh process writes for that value — what a securecookie or
// redistore user gets from a process's first encode, and what the Python encoder
// reproduces. Decoding never allocates type ids, so a child may decode after encoding.
//
// This file only uses the standard library and compiles with Go 1.19 on purpose:
// fixtures_gob.go copies it into a throw-away module built with an old toolchain to
// write the fixtures/gob/go119_*.json and go120_*.json variants (first id 65). Keep
// it that way: no min/max/clear builtins, no range-over-int, no slices/maps packages,
// no references to other files of the harness except the `commands` map (the old-Go
// stub defines it). gorilla/sessions registers []interface{} in its init(); the full
// harness imports sessions (fixtures_gob.go), the old-Go stub registers the same name.

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"time"
)

// Person is registered by value: interface name "main.Person".
type Person struct {
	Name string
	Age  int
}

// Account is registered by pointer (gob.Register(&Account{})): interface name
// "*main.Account"; an Account or *Account in an interface travels under that name.
type Account struct {
	ID       uint64
	Email    string
	Roles    []string
	Balance  float64
	Verified bool
	Created  time.Time
}

// Address is never registered: it only travels as a struct field.
type Address struct {
	Street string
	City   string
	Zip    string
}

// Rich has a field of every kind gob can carry, plus fields gob must ignore.
type Rich struct {
	B       bool
	I       int
	I8      int8
	I16     int16
	I32     int32
	I64     int64
	U       uint
	U8      uint8
	U16     uint16
	U32     uint32
	U64     uint64
	Uptr    uintptr
	F32     float32
	F64     float64
	C64     complex64
	C128    complex128
	S       string
	Bytes   []byte
	Arr     [3]int
	ByteArr [4]byte
	Strs    []string
	Nested  [][]int
	M       map[string]int
	MI      map[int]string
	Addr    Address
	AddrPtr *Address
	IntPtr  *int
	Iface   interface{}
	T       time.Time
	Tags    Tags
	Temp    Celsius
	OnSave  func()   // exported func field: not on the wire
	Events  chan int // exported chan field: not on the wire
	private int      // unexported: not on the wire
	hidden  string   // unexported: not on the wire
}

// Node is a recursive type (a tree), registered by value: "main.Node".
type Node struct {
	Name     string
	Value    int
	Children []*Node
}

// List is a recursive type through a pointer field, registered by value: "main.List".
type List struct {
	Val  int
	Next *List
}

// Employee embeds Person (gob does not flatten embedded structs: one field "Person")
// and refers to its own type through a pointer. Registered by value.
type Employee struct {
	Person
	Title   string
	Manager *Employee
}

// Celsius is a named non-struct type: "main.Celsius".
type Celsius float64

// Tags is a named slice type: "main.Tags".
type Tags []string

// Counts is a named map type: "main.Counts".
type Counts map[string]int

// Version implements GobEncoder/GobDecoder. Payload: "<major>.<minor>.<patch>" in ASCII,
// or no bytes at all for the zero Version.
type Version struct {
	Major, Minor, Patch int
}

func (v Version) GobEncode() ([]byte, error) {
	if v == (Version{}) {
		return []byte{}, nil
	}
	return []byte(fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)), nil
}

func (v *Version) GobDecode(b []byte) error {
	if len(b) == 0 {
		*v = Version{}
		return nil
	}
	if _, err := fmt.Sscanf(string(b), "%d.%d.%d", &v.Major, &v.Minor, &v.Patch); err != nil {
		return fmt.Errorf("main.Version: bad payload %q", b)
	}
	return nil
}

// IPv4 implements only encoding.BinaryMarshaler/BinaryUnmarshaler (payload: the 4 bytes).
type IPv4 [4]byte

func (ip IPv4) MarshalBinary() ([]byte, error) { return ip[:], nil }

func (ip *IPv4) UnmarshalBinary(b []byte) error {
	if len(b) != 4 {
		return errors.New("main.IPv4: want 4 bytes")
	}
	copy(ip[:], b)
	return nil
}

// Color implements only encoding.TextMarshaler: gob ignores it and sends a plain struct.
type Color struct {
	R, G, B uint8
}

func (c Color) MarshalText() ([]byte, error) {
	return []byte(fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)), nil
}

func (c *Color) UnmarshalText(b []byte) error {
	_, err := fmt.Sscanf(string(b), "#%02x%02x%02x", &c.R, &c.G, &c.B)
	return err
}

// Holder has GobEncoder/BinaryMarshaler fields (zero ones are omitted from the wire).
type Holder struct {
	Name string
	V    Version
	PV   *Version
	IP   IPv4
	C    Color
	T    time.Time
}

// Expiry has a pointer-to-GobEncoder field (a common `*time.Time` "deleted at" field).
type Expiry struct {
	Name string
	At   *time.Time
}

// Secret has no exported fields: gob refuses to encode it.
type Secret struct {
	token string
}

// Unregistered is deliberately not registered for interfaces.
type Unregistered struct {
	X int
}

func init() {
	gob.Register(Person{})
	gob.Register(&Account{})
	gob.Register(Rich{})
	gob.Register(Node{})
	gob.Register(List{})
	gob.Register(Employee{})
	gob.Register(Celsius(0))
	gob.Register(Tags(nil))
	gob.Register(Counts(nil))
	gob.Register(Version{})
	gob.Register(IPv4{})
	gob.Register(Color{})
	gob.Register(Holder{})
	gob.Register(Expiry{})
	gob.Register(Secret{})
	gob.Register(time.Time{})
	gob.Register(map[interface{}]interface{}{})
	gob.Register(map[string]interface{}{})
	gob.Register(map[string]string{})
	gob.Register(map[string]int{})

	commands["gob-encode-case"] = cmdGobEncodeCase
}

// ---------------------------------------------------------------------------
// The case table.

// gobCase is one encode fixture: Values are written by ONE fresh gob.Encoder in a fresh
// process (several values = several Encode calls on the same stream, topic "multi").
type gobCase struct {
	ID      string // unique within its topic's file; Key() is unique in the table
	Topic   string
	Desc    string
	Values  []interface{}
	WantErr bool // the (last) Encode call is expected to fail
}

// gobTopicDescriptions describes each fixtures/gob/<topic>.json file written from the table.
var gobTopicDescriptions = map[string]string{
	"scalars":       "top-level bool, every integer width, floats (NaN, ±Inf, -0) and complex values; `.iface` cases hold the same value in a map[interface {}]interface {} under key \"v\"",
	"strings":       "strings (empty, UTF-8, invalid UTF-8, long) and []byte (nil, empty, binary)",
	"slices_arrays": "slices (nil, empty, nested, of structs/pointers/interfaces), arrays, named slice types",
	"maps":          "maps with many key and element types, nil and empty maps, nested maps",
	"structs":       "registered and unregistered structs: zero-field omission, -0.0 omitted, pointers flattened, recursive types, embedded structs, ignored unexported/chan/func fields",
	"interfaces":    "interface values: inline type definitions splitting messages, nested interfaces, top-level interface",
	"time":          "time.Time (GobEncoder payload): UTC, fixed zones, a zero-offset non-UTC zone, the zero time, seconds-offset zones (version 2), extremes",
	"gobencoder":    "GobEncoder, BinaryMarshaler and TextMarshaler-only types; main.Version.GobEncode = ASCII \"<major>.<minor>.<patch>\" (empty for the zero Version); main.IPv4.MarshalBinary = its 4 bytes; main.Color implements only MarshalText (ignored by gob)",
	"sessions":      "gorilla/sessions Values maps (map[interface {}]interface {}): flashes, registered structs by value and by pointer, nested maps, big integers, times",
	"multi":         "several values written by one gob.Encoder on one stream (type definitions are sent once per stream); value/go_type/decoded are lists, one entry per Encode call",
	"bench":         "values of the gob benchmark workloads (also written to fixtures/bench/gob.json)",
}

func ifaceMap(v interface{}) map[interface{}]interface{} {
	return map[interface{}]interface{}{"v": v}
}

// gobCaseTable builds every encode case. Values are deterministic (no clock, no randomness).
func gobCaseTable() []*gobCase {
	var cs []*gobCase
	add := func(topic, id, desc string, v interface{}) {
		cs = append(cs, &gobCase{ID: id, Topic: topic, Desc: desc, Values: []interface{}{v}})
	}
	// addI adds the case and its interface-wrapped variant "<id>.iface".
	addI := func(topic, id, desc string, v interface{}) {
		add(topic, id, desc, v)
		add(topic, id+".iface", desc+"; inside map[interface {}]interface {}{\"v\": …}", ifaceMap(v))
	}
	addErr := func(id, desc string, vals ...interface{}) {
		cs = append(cs, &gobCase{ID: id, Topic: "errors", Desc: desc, Values: vals, WantErr: true})
	}
	multi := func(id, desc string, vals ...interface{}) {
		cs = append(cs, &gobCase{ID: id, Topic: "multi", Desc: desc, Values: vals})
	}

	// --- scalars
	s := "scalars"
	addI(s, "bool.true", "bool true", true)
	addI(s, "bool.false", "bool false (zero values are sent in singletons)", false)
	for _, c := range []struct {
		id string
		v  int
	}{{"0", 0}, {"1", 1}, {"-1", -1}, {"42", 42}, {"63", 63}, {"64", 64}, {"-64", -64}, {"-65", -65},
		{"127", 127}, {"128", 128}, {"-129", -129}, {"65535", 65535}, {"2p31", 1 << 31}} {
		if c.id == "42" || c.id == "-1" || c.id == "128" {
			addI(s, "int."+c.id, fmt.Sprintf("int %d", c.v), c.v)
		} else {
			add(s, "int."+c.id, fmt.Sprintf("int %d", c.v), c.v)
		}
	}
	addI(s, "int.max", "int max (int64 max)", math.MaxInt64)
	addI(s, "int.min", "int min (int64 min)", math.MinInt64)
	addI(s, "int8.min", "int8 -128", int8(math.MinInt8))
	add(s, "int8.max", "int8 127", int8(math.MaxInt8))
	addI(s, "int8.-1", "int8 -1", int8(-1))
	addI(s, "int16.min", "int16 min", int16(math.MinInt16))
	add(s, "int16.max", "int16 max", int16(math.MaxInt16))
	addI(s, "int32.min", "int32 min", int32(math.MinInt32))
	add(s, "int32.max", "int32 max", int32(math.MaxInt32))
	addI(s, "int64.max", "int64 max", int64(math.MaxInt64))
	add(s, "int64.min", "int64 min", int64(math.MinInt64))
	addI(s, "int64.2p53+1", "int64 2^53+1 (above the JSON-safe range)", int64(1<<53+1))
	add(s, "uint.0", "uint 0", uint(0))
	add(s, "uint.127", "uint 127", uint(127))
	addI(s, "uint.128", "uint 128", uint(128))
	add(s, "uint.255", "uint 255", uint(255))
	add(s, "uint.256", "uint 256", uint(256))
	addI(s, "uint.max", "uint max", uint(math.MaxUint64))
	addI(s, "uint8.255", "uint8 255", uint8(255))
	add(s, "uint16.max", "uint16 max", uint16(math.MaxUint16))
	addI(s, "uint32.max", "uint32 max", uint32(math.MaxUint32))
	addI(s, "uint64.max", "uint64 max (8-byte uint, f8 prefix)", uint64(math.MaxUint64))
	add(s, "uint64.2p63", "uint64 2^63", uint64(1)<<63)
	addI(s, "uintptr", "uintptr 0xdeadbeef (sent as uint)", uintptr(0xdeadbeef))
	addI(s, "float64.0", "float64 0", 0.0)
	addI(s, "float64.1.5", "float64 1.5", 1.5)
	add(s, "float64.17", "float64 17", 17.0)
	add(s, "float64.0.5", "float64 0.5", 0.5)
	add(s, "float64.-0.1", "float64 -0.1 (8 bytes after reversal)", -0.1)
	addI(s, "float64.-0", "float64 negative zero (sent: singletons send zero values)", math.Copysign(0, -1))
	addI(s, "float64.nan", "float64 math.NaN() (bits 7ff8000000000001)", math.NaN())
	add(s, "float64.+inf", "float64 +Inf", math.Inf(1))
	addI(s, "float64.-inf", "float64 -Inf", math.Inf(-1))
	add(s, "float64.denorm", "float64 smallest denormal 5e-324", math.SmallestNonzeroFloat64)
	add(s, "float64.max", "float64 max", math.MaxFloat64)
	add(s, "float64.pi", "float64 pi", math.Pi)
	add(s, "float64.1e100", "float64 1e100", 1e100)
	addI(s, "float32.0.5", "float32 0.5 (sent as float64)", float32(0.5))
	addI(s, "float32.0.1", "float32 0.1 (its exact float64 value is sent)", float32(0.1))
	add(s, "float32.max", "float32 max", float32(math.MaxFloat32))
	add(s, "float32.-inf", "float32 -Inf", float32(math.Inf(-1)))
	addI(s, "float32.nan", "float32 NaN (float32(math.NaN()) widens to bits 7ff8000000000000)", float32(math.NaN()))
	add(s, "float32.denorm", "float32 smallest denormal", float32(math.SmallestNonzeroFloat32))
	addI(s, "complex128.1+2i", "complex128 1+2i", complex(1, 2))
	add(s, "complex128.0", "complex128 0", complex128(0))
	add(s, "complex128.nan-0", "complex128 (NaN, -0)", complex(math.NaN(), math.Copysign(0, -1)))
	add(s, "complex128.inf", "complex128 (+Inf, -1.5)", complex(math.Inf(1), -1.5))
	addI(s, "complex64.1.5-2i", "complex64 1.5-2i", complex64(complex(1.5, -2)))
	add(s, "complex64.0.1+0.2i", "complex64 0.1+0.2i (float32 parts widened)", complex64(complex(0.1, 0.2)))
	addI(s, "celsius", "named float type main.Celsius 36.6", Celsius(36.6))

	// --- strings and []byte
	s = "strings"
	addI(s, "empty", "empty string", "")
	addI(s, "abc", "string abc", "abc")
	addI(s, "e-acute", "string é (2 UTF-8 bytes)", "é")
	add(s, "cjk", "string 日本語", "日本語")
	addI(s, "emoji", "string 😀 (4 UTF-8 bytes)", "😀")
	add(s, "controls", "string with NUL, \\x01, DEL, newline, tab, quote, backslash", "\x00\x01\x7f\n\t\"\\")
	add(s, "u2028", "string with U+2028 and U+2029", "a\u2028b\u2029c")
	addI(s, "invalid-utf8", "string with invalid UTF-8 bytes a\\xffb (gob does not validate)", "a\xffb")
	add(s, "truncated-utf8", "string ending in a truncated UTF-8 sequence \\xc3", "x\xc3")
	addI(s, "session-id", "52-char base32 session ID (redistore/FilesystemStore cookie payload)",
		"MZXW6YTBOI2DIMJRGI3TIOJUGQ2DINBUGQZDIMBXGQ3TMNJVGY3TQ")
	add(s, "len127", "127-byte string (1-byte length)", strings.Repeat("x", 127))
	add(s, "len128", "128-byte string (2-byte length ff 80)", strings.Repeat("y", 128))
	addI(s, "len300", "300-byte string (length fe 01 2c)", strings.Repeat("0123456789", 30))
	addI(s, "bytes.nil", "[]byte(nil) (length 0)", []byte(nil))
	addI(s, "bytes.empty", "[]byte{} (same bytes as nil)", []byte{})
	addI(s, "bytes.hi", "[]byte(\"hi\")", []byte("hi"))
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	addI(s, "bytes.0-255", "[]byte 0x00..0xff", all)
	add(s, "bytes.invalid-utf8", "[]byte ff fe (not UTF-8)", []byte{0xff, 0xfe})

	// --- slices and arrays
	s = "slices_arrays"
	add(s, "ints.empty", "[]int{}", []int{})
	add(s, "ints.nil", "[]int(nil) at top level (sent as length 0, like empty)", []int(nil))
	addI(s, "ints", "[]int{1,2,3}", []int{1, 2, 3})
	add(s, "ints.big", "[]int{-1, 1<<40}", []int{-1, 1 << 40})
	addI(s, "strings", "[]string{\"a\",\"b\"}", []string{"a", "b"})
	add(s, "strings.one-empty", "[]string{\"\"} (elements are sent even when zero)", []string{""})
	addI(s, "strings.nil", "[]string(nil)", []string(nil))
	addI(s, "ifaces", "[]interface{}{\"a\", 1, true, nil, 2.5}", []interface{}{"a", 1, true, nil, 2.5})
	addI(s, "ifaces.empty", "[]interface{}{}", []interface{}{})
	add(s, "ints.nested", "[][]int{{1},{2,3},{}}", [][]int{{1}, {2, 3}, {}})
	add(s, "strings.nested", "[][]string{{\"a\"},nil}", [][]string{{"a"}, nil})
	add(s, "persons", "[]main.Person (struct elements, zero fields omitted)",
		[]Person{{"Ann", 40}, {"Bob", 0}, {}})
	add(s, "person-ptrs", "[]*main.Person (pointers flattened; the slice elem has no name)",
		[]*Person{{"Ann", 40}, {"Cy", 7}})
	add(s, "array.int3", "[3]int{1,2,3}", [3]int{1, 2, 3})
	add(s, "array.int0", "[0]int{}", [0]int{})
	add(s, "array.bool2", "[2]bool{true,false}", [2]bool{true, false})
	add(s, "array.byte4", "[4]uint8{1,2,3,4} (arrays of bytes are ordinary arrays)", [4]byte{1, 2, 3, 4})
	add(s, "array.nested", "[2][2]int{{1,2},{3,4}}", [2][2]int{{1, 2}, {3, 4}})
	add(s, "array.zero", "[2]string{} (all zero elements are sent)", [2]string{})
	add(s, "array.ifaces", "[3]interface{}{1,\"a\",nil}", [3]interface{}{1, "a", nil})
	addI(s, "float32s", "[]float32{0.5,-1}", []float32{0.5, -1})
	addI(s, "float64s", "[]float64{NaN, -0, +Inf}", []float64{math.NaN(), math.Copysign(0, -1), math.Inf(1)})
	addI(s, "bools", "[]bool{true,false}", []bool{true, false})
	addI(s, "int8s", "[]int8{-1,127}", []int8{-1, 127})
	add(s, "int16s", "[]int16{-300}", []int16{-300})
	addI(s, "int32s", "[]int32{1,-2}", []int32{1, -2})
	addI(s, "int64s", "[]int64{max,min}", []int64{math.MaxInt64, math.MinInt64})
	addI(s, "uints", "[]uint{7}", []uint{7})
	addI(s, "uint16s", "[]uint16{65535}", []uint16{65535})
	add(s, "uint32s", "[]uint32{1}", []uint32{1})
	addI(s, "uint64s", "[]uint64{max}", []uint64{math.MaxUint64})
	addI(s, "uintptrs", "[]uintptr{1}", []uintptr{1})
	addI(s, "complex128s", "[]complex128{1+1i}", []complex128{complex(1, 1)})
	add(s, "complex64s", "[]complex64{2-1i}", []complex64{complex(2, -1)})
	addI(s, "tags", "named slice type main.Tags{\"x\",\"y\"}", Tags{"x", "y"})
	add(s, "maps", "[]map[string]int{{\"a\":1}}", []map[string]int{{"a": 1}})
	add(s, "times", "[]time.Time (GobEncoder elements)",
		[]time.Time{time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC), time.Date(1999, 12, 31, 23, 59, 59, 0, time.FixedZone("", 3600))})
	add(s, "ifaces.nested", "[][]interface{}{{1,\"x\"},{}}", [][]interface{}{{1, "x"}, {}})

	// --- maps
	s = "maps"
	addI(s, "string-int", "map[string]int{\"a\":1}", map[string]int{"a": 1})
	add(s, "string-int.3", "map[string]int with 3 entries", map[string]int{"a": 1, "b": 2, "c": 3})
	addI(s, "string-string", "map[string]string{\"k\":\"v\"}", map[string]string{"k": "v"})
	addI(s, "string-string.empty", "empty map[string]string", map[string]string{})
	addI(s, "string-string.nil", "nil map[string]string (same bytes as empty)", map[string]string(nil))
	addI(s, "string-iface", "map[string]interface{} with string, int, []interface{}",
		map[string]interface{}{"s": "x", "n": 1, "l": []interface{}{"a", 2}})
	add(s, "int-string", "map[int]string{1:\"one\",-1:\"neg\"}", map[int]string{1: "one", -1: "neg"})
	add(s, "int8-uint16", "map[int8]uint16{-128:65535}", map[int8]uint16{-128: 65535})
	add(s, "uint64-bool", "map[uint64]bool{max:true}", map[uint64]bool{math.MaxUint64: true})
	add(s, "float64-string", "map[float64]string{1.5:\"x\"}", map[float64]string{1.5: "x"})
	add(s, "bool-int", "map[bool]int{true:1,false:0}", map[bool]int{true: 1, false: 0})
	add(s, "complex-int", "map[complex128]int{1+1i:2}", map[complex128]int{complex(1, 1): 2})
	add(s, "array-key", "map[[2]int]string{{1,2}:\"a\"} (array keys)", map[[2]int]string{{1, 2}: "a"})
	add(s, "struct-key", "map[main.Person]bool (struct keys)", map[Person]bool{{"A", 1}: true})
	add(s, "string-strings", "map[string][]string", map[string][]string{"roles": {"admin", "dev"}})
	add(s, "nested", "map[string]map[string]int", map[string]map[string]int{"x": {"y": 1}})
	add(s, "string-person-ptr", "map[string]*main.Person (pointer elements flattened)",
		map[string]*Person{"p": {"Ann", 40}})
	add(s, "string-person", "map[string]main.Person (the struct's CommonType name is empty here)",
		map[string]Person{"p": {"Bo", 1}})
	add(s, "string-bytes", "map[string][]byte", map[string][]byte{"k": {0, 1, 2}})
	addI(s, "counts", "named map type main.Counts{\"x\":1}", Counts{"x": 1})
	add(s, "iface.int-key", "map[interface{}]interface{}{42:43}", map[interface{}]interface{}{42: 43})
	add(s, "iface.float-key", "map[interface{}]interface{}{1.5:\"f\"}", map[interface{}]interface{}{1.5: "f"})
	add(s, "iface.bool-key", "map[interface{}]interface{}{true:false}", map[interface{}]interface{}{true: false})
	add(s, "iface.nil-value", "map[interface{}]interface{}{\"z\":nil}", map[interface{}]interface{}{"z": nil})
	add(s, "iface.bytes-value", "map[interface{}]interface{}{\"b\":[]byte{1}}", map[interface{}]interface{}{"b": []byte{1}})
	add(s, "iface.empty", "empty map[interface{}]interface{}", map[interface{}]interface{}{})
	add(s, "iface.nil", "nil map[interface{}]interface{} (same bytes as empty)", map[interface{}]interface{}(nil))
	add(s, "iface.mixed-keys", "map[interface{}]interface{} with int, string and bool keys",
		map[interface{}]interface{}{1: "one", "two": 2, false: int8(3)})
	// Keys Python's == merges and Go keeps apart (issue 13): every one must survive a round trip.
	add(s, "iface.go-identity.one", "map[interface{}]interface{} keys \"user\", 1, true, 1.0, int64(1)",
		map[interface{}]interface{}{"user": "ann", 1: "one", true: "yes", 1.0: "float one", int64(1): "int64 one"})
	add(s, "iface.go-identity.widths", "map[interface{}]interface{} keys 1, int8(1), uint(1), int64(1), uint8(1)",
		map[interface{}]interface{}{1: "int", int8(1): "int8", uint(1): "uint", int64(1): "int64", uint8(1): "uint8"})
	add(s, "iface.go-identity.zeros", "map[interface{}]interface{} keys 0, false, 0.0, \"\", uint(0)",
		map[interface{}]interface{}{0: "int", false: "bool", 0.0: "float", "": "string", uint(0): "uint"})
	add(s, "iface.go-identity.floats", "map[interface{}]interface{} keys float32(1.5), 1.5",
		map[interface{}]interface{}{float32(1.5): "f32", 1.5: "f64"})
	add(s, "iface.go-identity.complex", "map[interface{}]interface{} keys complex(2,0), 2.0, 2",
		map[interface{}]interface{}{complex(2, 0): "c128", 2.0: "f64", 2: "int"})
	// At most 8 entries a map: Go's order of a larger map has too many variants to pin.
	add(s, "iface.go-identity.all-ints", "map[interface{}]interface{} with a 1 of eight integer Go types",
		map[interface{}]interface{}{1: "int", int8(1): "int8", int16(1): "int16", int32(1): "int32",
			int64(1): "int64", uint(1): "uint", uint8(1): "uint8", uint16(1): "uint16"})
	add(s, "iface.go-identity.all-others", "map[interface{}]interface{} with a 1 of eight other Go types",
		map[interface{}]interface{}{uint32(1): "uint32", uint64(1): "uint64", uintptr(1): "uintptr",
			float32(1): "float32", 1.0: "float64", complex64(1): "complex64", complex128(1): "complex128",
			true: "bool"})
	add(s, "iface.go-identity.named", "map[interface{}]interface{} keys main.Celsius(1.5), 1.5, float32(1.5)",
		map[interface{}]interface{}{Celsius(1.5): "celsius", 1.5: "f64", float32(1.5): "f32"})

	// --- structs
	s = "structs"
	addI(s, "person", "main.Person{\"Ann\",40} (registered by value)", Person{"Ann", 40})
	addI(s, "person.zero", "zero main.Person (just the struct terminator)", Person{})
	add(s, "person.age-only", "main.Person{Age:5} (Name omitted, delta 2)", Person{Age: 5})
	add(s, "person.name-only", "main.Person{Name:\"x\"}", Person{Name: "x"})
	addI(s, "person.ptr", "*main.Person (pointer flattened; in an interface it travels as main.Person)", &Person{"Ptr", 9})
	created := time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)
	acct := &Account{ID: 1 << 40, Email: "a@example.com", Roles: []string{"admin"}, Balance: 12.5, Verified: true, Created: created}
	addI(s, "account.ptr", "*main.Account (registered by pointer: interface name *main.Account)", acct)
	addI(s, "account.value", "main.Account value (in an interface it still travels as *main.Account)",
		Account{ID: 7, Email: "b@example.com"})
	i0 := 0
	rich := Rich{
		B: true, I: -1, I8: -8, I16: -16, I32: -32, I64: -64,
		U: 1, U8: 8, U16: 16, U32: 32, U64: math.MaxUint64, Uptr: 0xff,
		F32: 0.25, F64: -2.5, C64: complex(1, -1), C128: complex(-0.5, 2),
		S: "rich", Bytes: []byte{9, 8}, Arr: [3]int{1, 0, -1}, ByteArr: [4]byte{0xde, 0xad, 0xbe, 0xef},
		Strs: []string{"a", ""}, Nested: [][]int{{1}, {}}, M: map[string]int{"m": 1}, MI: map[int]string{2: "two"},
		Addr: Address{"1 Main St", "Springfield", "12345"}, AddrPtr: &Address{City: "Shelbyville"},
		IntPtr: &i0, Iface: Person{"In", 1}, T: created, Tags: Tags{"t"}, Temp: -40,
		OnSave: func() {}, Events: make(chan int), private: 1, hidden: "h",
	}
	addI(s, "rich", "main.Rich with every kind set (IntPtr points at 0: omitted; func/chan/unexported fields ignored)", rich)
	addI(s, "rich.zero", "zero main.Rich (arrays and nested structs are still sent)", Rich{})
	add(s, "rich.negzero", "main.Rich with F32/F64 = -0.0 (omitted as zero), empty non-nil M (sent, count 0), nil MI (omitted)",
		Rich{F32: float32(math.Copysign(0, -1)), F64: math.Copysign(0, -1), M: map[string]int{}, I: 3})
	add(s, "rich.ptr-fields", "main.Rich with AddrPtr set and IntPtr to 42; Iface holding *main.Account",
		Rich{AddrPtr: &Address{"s", "c", "z"}, IntPtr: func() *int { x := 42; return &x }(), Iface: acct})
	tree := &Node{Name: "root", Value: 1, Children: []*Node{
		{Name: "a", Value: 2, Children: []*Node{{Name: "a1", Value: 3}}},
		{Name: "b"},
	}}
	addI(s, "node.tree", "recursive main.Node tree (top level *main.Node)", tree)
	add(s, "node.leaf", "main.Node leaf value", Node{Name: "leaf"})
	addI(s, "list", "recursive main.List through a pointer field, 3 elements",
		List{Val: 1, Next: &List{Val: 2, Next: &List{Val: 3}}})
	addI(s, "employee", "main.Employee with an embedded Person (one field \"Person\") and a *Employee manager",
		Employee{Person: Person{"Eve", 30}, Title: "CTO", Manager: &Employee{Person: Person{Name: "Boss"}}})
	add(s, "address", "unregistered main.Address at top level (no interface: no registration needed)",
		Address{Street: "x", Zip: "0"})
	add(s, "anon", "anonymous struct type at top level (empty CommonType name)",
		struct {
			A int
			B string
		}{1, "b"})

	// --- interfaces
	s = "interfaces"
	add(s, "string-map.nested", "map[string]interface{} nested 3 deep with a main.Person inside (nested split)",
		map[string]interface{}{"a": map[string]interface{}{"b": map[string]interface{}{"p": Person{"Deep", 3}}}})
	add(s, "spec-11.4", "gob.md §11.4 shape: {\"m\": map[string]interface{}{\"p\": main.Person{…}}}",
		map[interface{}]interface{}{"m": map[string]interface{}{"p": Person{"P", 2}}})
	add(s, "same-struct-twice", "[]interface{}{Person, Person}: the definition is sent once",
		[]interface{}{Person{"A", 1}, Person{"B", 2}})
	add(s, "deep-ifaces", "[]interface{}{[]interface{}{[]interface{}{\"deep\"}}}",
		[]interface{}{[]interface{}{[]interface{}{"deep"}}})
	add(s, "person-and-account", "{\"a\": main.Person, \"b\": *main.Account}",
		map[interface{}]interface{}{"a": Person{"A", 1}, "b": &Account{ID: 2}})
	var top interface{} = "x"
	add(s, "top-level.string", "a top-level interface value: Encode(&v) with v interface{} = \"x\" (type id 8)", &top)
	var topP interface{} = Person{"Top", 1}
	add(s, "top-level.person", "a top-level interface value holding main.Person", &topP)
	add(s, "iface-map-in-iface-map", "map[interface{}]interface{} holding itself as a value type (no new definition)",
		map[interface{}]interface{}{"m": map[interface{}]interface{}{"k": "v"}})
	add(s, "strings-vs-ifaces", "[]string and []interface{} values in one map",
		map[interface{}]interface{}{"s": []string{"a"}, "i": []interface{}{"a"}})
	add(s, "rich-iface-node", "main.Rich whose Iface field holds a main.Node", Rich{Iface: Node{Name: "n"}})
	add(s, "tags-in-struct-iface", "main.Rich whose Iface field holds main.Tags and Temp is set", Rich{Iface: Tags{"q"}, Temp: 1.5})

	// --- time
	s = "time"
	addI(s, "utc.ns", "2020-01-02T03:04:05.000000006Z (UTC: offset ff ff)", time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC))
	addI(s, "fixed.+0100", "FixedZone +01:00 (offset 003c; seconds are the UTC instant)",
		time.Date(2020, 1, 2, 3, 4, 5, 6, time.FixedZone("", 3600)))
	add(s, "fixed.-0530", "FixedZone -05:30", time.Date(2021, 6, 30, 12, 0, 0, 500, time.FixedZone("X", -(5*3600+30*60))))
	addI(s, "fixed.utc-named", "FixedZone(\"UTC\", 0) — not time.UTC, so offset 00 00", time.Date(2022, 2, 2, 2, 2, 2, 2, time.FixedZone("UTC", 0)))
	addI(s, "local.tz-utc", "time.Local with TZ=UTC (a zero-offset Local zone: offset 00 00)", time.Date(2022, 3, 4, 5, 6, 7, 8, time.Local))
	addI(s, "zero", "the zero time.Time (year 1, UTC)", time.Time{})
	addI(s, "lmt.seconds-offset", "FixedZone -4:56:02 (offset not whole minutes: version 2 payload)",
		time.Date(1883, 11, 18, 12, 3, 58, 0, time.FixedZone("LMT", -17762)))
	add(s, "year1", "0001-01-01T00:00:01Z", time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC))
	add(s, "year9999", "9999-12-31T23:59:59.999999999Z", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC))
	add(s, "pre-1970", "1969-07-20T20:17:40Z", time.Date(1969, 7, 20, 20, 17, 40, 0, time.UTC))
	add(s, "unix0", "the Unix epoch in UTC", time.Unix(0, 0).UTC())
	add(s, "fixed.+1400", "FixedZone +14:00", time.Date(2024, 2, 29, 23, 0, 0, 0, time.FixedZone("", 14*3600)))
	add(s, "fixed.-1200", "FixedZone -12:00", time.Date(2024, 2, 29, 0, 0, 0, 1, time.FixedZone("", -12*3600)))
	add(s, "in-struct", "main.Account with a Created time (struct field)", Account{ID: 1, Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	add(s, "in-struct.zero", "main.Account with the zero Created time (omitted field)", Account{ID: 1})
	tp := time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)
	addI(s, "ptr", "*time.Time: gob builds the type for the pointer (no CommonType name, CommonType.Id = wire id + 1)", &tp)
	addI(s, "ptr-field", "main.Expiry{At *time.Time} (pointer-to-GobEncoder struct field)", Expiry{Name: "x", At: &tp})
	add(s, "ptr-field.nil", "main.Expiry with a nil At (omitted)", Expiry{Name: "x"})
	add(s, "ptr-slice", "[]*time.Time", []*time.Time{&tp})

	// --- GobEncoder / BinaryMarshaler / TextMarshaler
	s = "gobencoder"
	addI(s, "version", "main.Version{1,2,3} (GobEncoder struct: singleton path, payload \"1.2.3\")", Version{1, 2, 3})
	addI(s, "version.zero", "zero main.Version (empty payload)", Version{})
	addI(s, "version.ptr", "*main.Version at top level (type built for the pointer: no CommonType name, CommonType.Id = wire id + 1)", &Version{10, 0, 1})
	add(s, "versions", "[]main.Version", []Version{{1, 0, 0}, {}})
	add(s, "version-map", "map[string]main.Version", map[string]Version{"go": {1, 26, 0}})
	addI(s, "ipv4", "main.IPv4 (BinaryMarshaler only, wireType field 5)", IPv4{192, 168, 0, 1})
	addI(s, "color", "main.Color (TextMarshaler only: encoded as an ordinary struct)", Color{255, 128, 0})
	addI(s, "holder", "main.Holder with GobEncoder/BinaryMarshaler fields set",
		Holder{Name: "h", V: Version{1, 2, 3}, PV: &Version{4, 5, 6}, IP: IPv4{10, 0, 0, 1}, C: Color{1, 2, 3},
			T: time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)})
	add(s, "holder.zero", "zero main.Holder (zero GobEncoder fields are omitted; Color is a struct, sent)", Holder{})
	add(s, "holder.zero-ptr-version", "main.Holder with PV pointing at a zero Version", Holder{PV: &Version{}})

	// --- sessions
	s = "sessions"
	add(s, "foo-bar", "gob.md §11.1: {\"foo\":\"bar\"} — 47 bytes", map[interface{}]interface{}{"foo": "bar"})
	add(s, "n-42", "gob.md §11.2: {\"n\":42}", map[interface{}]interface{}{"n": 42})
	add(s, "flash", "gob.md §11.3: {\"_flash\": []interface{}{\"hello\"}} (the top-level split)",
		map[interface{}]interface{}{"_flash": []interface{}{"hello"}})
	add(s, "flashes", "three flashes, one a registered struct",
		map[interface{}]interface{}{"_flash": []interface{}{"a", "b", Person{"F", 1}}})
	add(s, "flash.custom-key", "AddFlash(v, \"_errors\"): a custom flash key",
		map[interface{}]interface{}{"_errors": []interface{}{"bad password"}})
	add(s, "user.value", "a registered struct stored by value", map[interface{}]interface{}{"user": Person{"Ann", 40}})
	add(s, "user.ptr-of-value-type", "&Person stored, Person registered by value: travels as main.Person",
		map[interface{}]interface{}{"user": &Person{"Ann", 40}})
	add(s, "account.ptr", "a struct registered by pointer (*main.Account)", map[interface{}]interface{}{"account": acct})
	add(s, "typical", "a typical login session with 6 entries",
		map[interface{}]interface{}{
			"user_id": int64(12345), "username": "ann", "authenticated": true,
			"login_at": time.Date(2024, 2, 29, 13, 45, 30, 123456789, time.UTC),
			"_flash":   []interface{}{"Welcome back!"}, "csrf": []byte{1, 2, 3, 4, 5, 6, 7, 8},
		})
	add(s, "nested-maps", "nested map[string]interface{} preferences",
		map[interface{}]interface{}{"prefs": map[string]interface{}{"theme": "dark", "n": map[string]interface{}{"x": 1.5}}})
	add(s, "uint64.max", "a big uint64", map[interface{}]interface{}{"big": uint64(math.MaxUint64)})
	add(s, "int64.min", "the smallest int64", map[interface{}]interface{}{"small": int64(math.MinInt64)})
	add(s, "time.utc", "time.Time in UTC", map[interface{}]interface{}{"t": time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)})
	add(s, "time.fixed", "time.Time in FixedZone +05:45", map[interface{}]interface{}{"t": time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("NPT", 20700))})
	add(s, "time.local-utc", "time.Time in time.Local with TZ=UTC (offset 00 00, not ff ff)",
		map[interface{}]interface{}{"t": time.Date(2020, 1, 2, 3, 4, 5, 0, time.Local)})
	add(s, "time.zero", "the zero time.Time", map[interface{}]interface{}{"t": time.Time{}})
	add(s, "time.ns", "time.Time with 999999999 ns", map[interface{}]interface{}{"t": time.Date(2030, 12, 31, 23, 59, 59, 999999999, time.UTC)})
	add(s, "empty", "an empty session (new session saved)", map[interface{}]interface{}{})
	add(s, "int-key", "an int key {42:43}", map[interface{}]interface{}{42: 43})
	add(s, "string-string", "a map[string]string value", map[interface{}]interface{}{"m": map[string]string{"a": "b"}})
	add(s, "roles", "a []string value", map[interface{}]interface{}{"roles": []string{"admin", "dev"}})
	add(s, "nil-value", "a nil value", map[interface{}]interface{}{"z": nil})
	add(s, "int-and-bool", "two predefined-type values", map[interface{}]interface{}{"count": 3, "ok": true})

	// --- multi (several Encode calls on one Encoder)
	multi("two-ints", "Encode(1); Encode(2)", 1, 2)
	multi("string-then-map", "Encode(\"abc\"); Encode(map{\"foo\":\"bar\"})", "abc", map[interface{}]interface{}{"foo": "bar"})
	multi("map-twice", "two session maps: the map type is defined once",
		map[interface{}]interface{}{"a": 1}, map[interface{}]interface{}{"b": 2})
	multi("flash-twice", "two flash maps: []interface{} defined once (second value has no inline definition)",
		map[interface{}]interface{}{"_flash": []interface{}{"x"}}, map[interface{}]interface{}{"_flash": []interface{}{"y"}})
	multi("person-twice", "main.Person twice", Person{"A", 1}, Person{"B", 2})
	multi("struct-then-ptr", "main.Person then *main.Person (same type id)", Person{"A", 1}, &Person{"B", 2})
	multi("mixed", "[]int, map[string]int, main.Person, []int",
		[]int{1}, map[string]int{"a": 1}, Person{"C", 3}, []int{2})
	multi("iface-then-direct", "Person inside a map, then Person at top level",
		map[interface{}]interface{}{"p": Person{"I", 1}}, Person{"D", 4})

	// --- encode errors
	addErr("encode.nil", "Encode(nil)", nil)
	addErr("encode.nil-ptr", "Encode((*main.Person)(nil)) — Go panics", (*Person)(nil))
	addErr("encode.chan", "Encode(make(chan int))", make(chan int))
	addErr("encode.func", "Encode(func(){})", func() {})
	addErr("encode.unregistered", "an unregistered struct inside an interface",
		map[interface{}]interface{}{"u": Unregistered{1}})
	addErr("encode.nil-ptr-in-iface", "a typed nil pointer inside an interface",
		map[interface{}]interface{}{"a": (*Account)(nil)})
	addErr("encode.no-exported-fields", "a struct without exported fields", Secret{"t"})
	addErr("encode.no-exported-fields.iface", "a registered struct without exported fields inside an interface",
		map[interface{}]interface{}{"s": Secret{"t"}})
	addErr("encode.time-offset-minus-1min", "time.Time with zone offset -1 minute (MarshalBinary refuses it)",
		time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("", -60)))
	addErr("encode.map-nil-elem", "map[string]*main.Person with a nil element", map[string]*Person{"a": nil})
	addErr("encode.slice-nil-elem", "[]*main.Person with a nil element", []*Person{nil})
	addErr("encode.unregistered-array", "an unregistered array type ([3]int) inside an interface", ifaceMap([3]int{1, 2, 3}))

	// --- bench workloads (also fixtures/bench/gob.json)
	for _, b := range gobBenchValues() {
		add("bench", b.id, b.desc, b.v)
	}
	return cs
}

type gobBenchCase struct {
	id, desc string
	v        interface{}
}

// gobBenchValues are the values of the gob benchmarks (bench_gob.go) and fixtures/bench/gob.json.
func gobBenchValues() []gobBenchCase {
	items := make([]interface{}, 20)
	for i := range items {
		items[i] = fmt.Sprintf("item %02d: %s", i, strings.Repeat(string(rune('a'+i)), 40))
	}
	return []gobBenchCase{
		{"session", "a typical gorilla session Values map with 6 entries", gobBenchSession()},
		{"large", "a ~3 KB session map: a 2040-byte string and a []interface{} of 20 strings",
			map[interface{}]interface{}{"blob": strings.Repeat("lorem ipsum ", 170), "items": items}},
		{"struct", "a session holding a registered struct (*main.Account) and a main.Person",
			map[interface{}]interface{}{
				"account": &Account{ID: 42, Email: "ann@example.com", Roles: []string{"admin", "editor"}, Balance: 99.5,
					Verified: true, Created: time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)},
				"person": Person{"Ann", 40},
			}},
	}
}

func gobBenchSession() map[interface{}]interface{} {
	return map[interface{}]interface{}{
		"user_id":       12345,
		"username":      "ann",
		"authenticated": true,
		"login_at":      time.Date(2024, 2, 29, 13, 45, 30, 123456789, time.UTC),
		"_flash":        []interface{}{"Welcome back!", "You have 3 new messages"},
		"theme":         "dark",
	}
}

// Key is "<topic>:<id>", the argument of gob-encode-case.
func (c *gobCase) Key() string { return c.Topic + ":" + c.ID }

func gobCaseByID(key string) *gobCase {
	for _, c := range gobCaseTable() {
		if c.Key() == key {
			return c
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// The child subcommand.

// gobChildExtra, when set (by fixtures_gob.go in the full harness), adds the jsonview
// renderings of a case to the child's answer. It runs after the fresh encode; encErr is
// the encode error (nil on success).
var gobChildExtra func(c *gobCase, stream []byte, encErr error, out map[string]interface{})

// gobEncodeValues writes vals with ONE encoder. A Go panic (e.g. Encode of a nil pointer
// at top level) is reported as an error with its text, and panicked = true.
func gobEncodeValues(vals []interface{}) (out []byte, err error, panicked bool) {
	var buf bytes.Buffer
	defer func() {
		if r := recover(); r != nil {
			out, err, panicked = buf.Bytes(), fmt.Errorf("%v", r), true
		}
	}()
	enc := gob.NewEncoder(&buf)
	for _, v := range vals {
		if err := enc.Encode(v); err != nil {
			return buf.Bytes(), err, false
		}
	}
	return buf.Bytes(), nil, false
}

// cmdGobEncodeCase: `gob-encode-case <topic>:<id>` (hidden; run as a fresh child) encodes one
// case of the table and prints one JSON object:
// {"gob": hex, "error": null|text, "panic": bool, ...extras}. On error "gob" holds what
// the Encoder had written before failing.
func cmdGobEncodeCase(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: gob-encode-case <topic>:<case id>")
	}
	c := gobCaseByID(args[0])
	if c == nil {
		return fmt.Errorf("unknown gob case %q", args[0])
	}
	stream, err, panicked := gobEncodeValues(c.Values)
	out := map[string]interface{}{"gob": hex.EncodeToString(stream), "error": nil, "panic": panicked}
	if err != nil {
		out["error"] = err.Error()
	}
	if gobChildExtra != nil {
		gobChildExtra(c, stream, err, out)
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

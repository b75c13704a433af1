package main

// fixtures_gob.go — fixtures/gob/*.json (and fixtures/bench/gob.json), written by the
// real encoding/gob, each value encoded in a FRESH child process (types.go explains why).
//
//   - encode cases (types.go's table): one `go-harness gob-encode-case <id>` child per run;
//     values holding a map with >= 2 entries are encoded repeatedly (Go's map order is
//     random) and the smallest hex is kept, so regenerating gives the same files;
//   - decode cases (errors.json, tolerance.json): crafted or mutated bytes, decoded in a
//     fresh child through the "gob" kind of `decode` (decode_gob.go);
//   - cookies.json: session maps through the real gorilla/securecookie (pinned clock and
//     IV, pin.go), one `gob-cookie-case <id>` child per run;
//   - go119_*.json, go120_*.json: the encode cases again, from a throw-away module
//     holding only types.go built with Go 1.19 / Go 1.20 (first type id 65), when that
//     toolchain is found (oldGobToolchains); otherwise existing files are kept.

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/securecookie"
	// gorilla/sessions registers []interface{} (flashes) in its init(), as in a real app.
	_ "github.com/gorilla/sessions"
)

func init() {
	fixtureWriters["gob"] = writeGobFixtures
	commands["gob-cookie-case"] = cmdGobCookieCase
	gobChildExtra = gobCaseExtra
}

const gobTypeIDs = "go1.21" // Go >= 1.21 numbering: first user type id 64

// ---------------------------------------------------------------------------
// Views

// gobView is typedView without exported chan/func struct fields (gob never sends them),
// and with a top-level *interface{} (Encode(&iface)) shown as the value it holds.
func gobView(v any) any {
	rv := reflect.ValueOf(v)
	if rv.IsValid() && rv.Kind() == reflect.Pointer && rv.Type().Elem().Kind() == reflect.Interface && !rv.IsNil() {
		return stripUnsupported(typedView(rv.Elem().Interface()))
	}
	return stripUnsupported(typedView(v))
}

func isUnsupportedNode(n any) bool {
	o, ok := n.(obj)
	if !ok {
		return false
	}
	inner, _ := o.get("v")
	io, ok := inner.(obj)
	if !ok || len(io) != 1 {
		return false
	}
	_, ok = io.get("$unsupported")
	return ok
}

func stripUnsupported(n any) any {
	switch x := n.(type) {
	case obj:
		out := make(obj, 0, len(x))
		for _, e := range x {
			if e.K != "v" && isUnsupportedNode(e.V) {
				continue // a chan/func struct field
			}
			out = append(out, kv{e.K, stripUnsupported(e.V)})
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = stripUnsupported(e)
		}
		return out
	}
	return n
}

// gobCaseExtra (child side) adds go_type, encoded_value (the value as the program held
// it) and value (what a fresh Go decoder returns for the bytes, into the same types).
func gobCaseExtra(c *gobCase, stream []byte, encErr error, out map[string]interface{}) {
	gt := []any{}
	ev := []any{}
	for _, v := range c.Values {
		gt = append(gt, fmt.Sprintf("%T", v))
		ev = append(ev, gobView(v))
	}
	out["go_type"] = gt
	out["encoded_value"] = ev
	if encErr != nil {
		return
	}
	dec := gob.NewDecoder(bytes.NewReader(stream))
	dv := []any{}
	for _, v := range c.Values {
		d := reflect.New(reflect.TypeOf(v))
		if err := dec.Decode(d.Interface()); err != nil {
			out["decode_error"] = err.Error()
			return
		}
		dv = append(dv, gobView(d.Elem().Interface()))
	}
	out["value"] = dv
}

// ---------------------------------------------------------------------------
// Children

// gobChildEnv is the environment of fixture children: TZ=UTC pins time.Local to a
// zero-offset zone (the "local" time cases).
func gobChildEnv() []string {
	env := []string{}
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "TZ=") && !strings.HasPrefix(e, gobFreshEnv+"=") {
			env = append(env, e)
		}
	}
	return append(env, "TZ=UTC")
}

func gobRunChild(exe string, stdin []byte, args ...string) (obj, error) {
	cmd := exec.Command(exe, args...)
	cmd.Env = gobChildEnv()
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %v: %v: %s", filepath.Base(exe), args, err, stderr.String())
	}
	t, err := decodeOrdered(out)
	if err != nil {
		return nil, fmt.Errorf("%s %v: bad output %q: %v", filepath.Base(exe), args, out, err)
	}
	o, ok := t.(obj)
	if !ok {
		return nil, fmt.Errorf("%s %v: output is not an object", filepath.Base(exe), args)
	}
	return o, nil
}

// hasMultiMap reports whether v holds a map with two or more entries (whose Go
// iteration order, and so the bytes, vary from run to run).
func hasMultiMap(rv reflect.Value, depth int) bool {
	if !rv.IsValid() || depth > 50 {
		return false
	}
	switch rv.Kind() {
	case reflect.Interface, reflect.Pointer:
		return !rv.IsNil() && hasMultiMap(rv.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		for i := 0; i < rv.Len(); i++ {
			if hasMultiMap(rv.Index(i), depth+1) {
				return true
			}
		}
	case reflect.Map:
		if rv.Len() >= 2 {
			return true
		}
		it := rv.MapRange()
		for it.Next() {
			if hasMultiMap(it.Key(), depth+1) || hasMultiMap(it.Value(), depth+1) {
				return true
			}
		}
	case reflect.Struct:
		for i := 0; i < rv.NumField(); i++ {
			if rv.Type().Field(i).IsExported() && hasMultiMap(rv.Field(i), depth+1) {
				return true
			}
		}
	}
	return false
}

// gobStable runs a child until its output (key) is stable: once when the value has no
// multi-entry map; otherwise until 200 runs in a row showed no new variant (at most 2000
// runs), keeping the smallest key. It returns the chosen answer and the variant count.
// Go (1.19, 1.20 and 1.26 alike) starts a small map's iteration at a random one of 8
// slots, so an order can come 1 run in 8: 40 quiet runs miss it about once in 200 such
// cases (seen: go119 sessions:nested-maps); 200 quiet runs about once in 4e11.
func gobStable(unstable bool, run func() (obj, error), key func(obj) string) (obj, int, error) {
	var best obj
	bestKey := ""
	seen := map[string]bool{}
	quiet := 0
	for i := 0; i < 2000; i++ {
		o, err := run()
		if err != nil {
			return nil, 0, err
		}
		k := key(o)
		if !seen[k] {
			seen[k] = true
			quiet = 0
		} else {
			quiet++
		}
		if best == nil || k < bestKey {
			best, bestKey = o, k
		}
		if !unstable || quiet >= 200 {
			break
		}
	}
	return best, len(seen), nil
}

func gobKey(o obj) string {
	g, _ := o.get("gob")
	s, _ := g.(string)
	return s
}

// parallel runs f(0..n-1) on a few workers and returns the first error.
func parallel(n int, f func(i int) error) error {
	workers := runtime.NumCPU() * 2
	if workers > 8 {
		workers = 8
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if next >= n || first != nil {
					mu.Unlock()
					return
				}
				i := next
				next++
				mu.Unlock()
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// ---------------------------------------------------------------------------
// Encode cases

type gobEncResult struct {
	c        *gobCase
	ans      obj // the child's answer (chosen sample)
	variants int
}

func runGobEncodeCases(exe string, cases []*gobCase) ([]gobEncResult, error) {
	res := make([]gobEncResult, len(cases))
	err := parallel(len(cases), func(i int) error {
		c := cases[i]
		unstable := hasMultiMap(reflect.ValueOf(c.Values), 0)
		ans, n, err := gobStable(unstable, func() (obj, error) {
			return gobRunChild(exe, nil, "gob-encode-case", c.Key())
		}, gobKey)
		if err != nil {
			return err
		}
		res[i] = gobEncResult{c, ans, n}
		return nil
	})
	return res, err
}

func single(l any, multi bool) any {
	if multi {
		return l
	}
	if x, ok := l.([]any); ok && len(x) == 1 {
		return x[0]
	}
	return l
}

// encodeCaseObj turns a child answer into a fixture case. views (optional) supplies
// go_type/value/encoded_value from another run (the Go 1.19 files reuse the Go 1.26 views).
func encodeCaseObj(r gobEncResult, typeIDs string, views obj) (obj, error) {
	c := r.c
	multi := c.Topic == "multi"
	src := r.ans
	if views != nil {
		src = views
	}
	get := func(o obj, k string) any { v, _ := o.get(k); return v }
	errv := get(r.ans, "error")
	o := obj{{"id", c.ID}, {"description", c.Desc}}
	if c.WantErr {
		if errv == nil {
			return nil, fmt.Errorf("gob case %s: expected an encode error, got none", c.ID)
		}
		o = append(o, kv{"op", "encode"}, kv{"go_type", single(get(src, "go_type"), len(c.Values) > 1)},
			kv{"value", single(get(src, "encoded_value"), len(c.Values) > 1)}, kv{"gob", nil},
			kv{"written", get(r.ans, "gob")}, kv{"type_ids", typeIDs}, kv{"error", errv}, kv{"panic", get(r.ans, "panic")})
		return o, nil
	}
	if errv != nil {
		return nil, fmt.Errorf("gob case %s: encode error: %v", c.ID, errv)
	}
	if de := get(src, "decode_error"); de != nil {
		return nil, fmt.Errorf("gob case %s: Go cannot decode its own bytes: %v", c.ID, de)
	}
	value := single(get(src, "value"), multi)
	encoded := single(get(src, "encoded_value"), multi)
	o = append(o, kv{"go_type", single(get(src, "go_type"), multi)}, kv{"value", value})
	if !bytes.Equal(compactJSON(value), compactJSON(encoded)) {
		o = append(o, kv{"encoded_value", encoded})
	}
	o = append(o, kv{"gob", get(r.ans, "gob")}, kv{"type_ids", typeIDs}, kv{"error", nil})
	if r.variants > 1 {
		o = append(o, kv{"map_order_variants", int64(r.variants)})
	}
	return o, nil
}

// gobSpecChecks are gob.md §11 examples that the fixtures must reproduce exactly.
var gobSpecChecks = map[string][2]string{ // case id → {go1.21 hex, go1.19 hex}
	"sessions:foo-bar": {
		"0d7f040102ff800001100110000020ff80000106737472696e670c050003666f6f06737472696e670c050003626172",
		"0eff81040102ff820001100110000020ff82000106737472696e670c050003666f6f06737472696e670c050003626172"},
	"sessions:n-42": {
		"0d7f040102ff800001100110000018ff80000106737472696e670c0300016e03696e7404020054",
		"0eff81040102ff820001100110000018ff82000106737472696e670c0300016e03696e7404020054"},
	"sessions:flash": {
		"0d7f040102ff800001100110000030ff80000106737472696e670c0800065f666c6173680e5b5d696e74657266616365207b7dff81020102ff82000110000015ff8212000106737472696e670c07000568656c6c6f", ""},
}

// ---------------------------------------------------------------------------
// Decode cases (errors.json, tolerance.json)

type gobDecCase struct {
	ID, Desc, Dest string
	Gob            []byte
	Tolerated      bool   // Go accepts it (tolerance.json)
	Topic          string // "" → errors.json / tolerance.json
}

func gU(x uint64) []byte {
	if x < 128 {
		return []byte{byte(x)}
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], x)
	i := 0
	for b[i] == 0 {
		i++
	}
	return append([]byte{byte(256 - (8 - i))}, b[i:]...)
}

func gI(i int64) []byte {
	if i < 0 {
		return gU(uint64(^i)<<1 | 1)
	}
	return gU(uint64(i) << 1)
}

func gS(s string) []byte { return append(gU(uint64(len(s))), s...) }

func gCat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// gMsg frames a message: uint(len(body)) body.
func gMsg(parts ...[]byte) []byte {
	body := gCat(parts...)
	return append(gU(uint64(len(body))), body...)
}

func gHex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// gobMessages splits a stream into its framed messages (for mutations).
func gobMessages(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		n, w := int(b[0]), 1
		if b[0] >= 0x80 {
			c := 256 - int(b[0])
			n = 0
			for _, x := range b[1 : 1+c] {
				n = n<<8 | int(x)
			}
			w = 1 + c
		}
		out = append(out, b[:w+n])
		b = b[w+n:]
	}
	return out
}

var (
	// map[interface{}]interface{} as type 64 (gob.md §5).
	gMapDef = gMsg(gHex("7f 04 01 02 ff80 00 01 10 01 10 00 00"))
	// []int as type 64.
	gIntSliceDef = gMsg(gHex("7f 02 01 02 ff80 00 01 04 00 00"))
)

// gStructDef frames a struct type definition: name, id, fields (name, type id).
func gStructDef(name string, id int64, fields ...interface{}) []byte {
	b := gCat(gI(-id), []byte{3, 1}, []byte{1}, gS(name), []byte{1}, gI(id), []byte{0}, []byte{1}, gU(uint64(len(fields)/2)))
	for i := 0; i < len(fields); i += 2 {
		b = gCat(b, []byte{1}, gS(fields[i].(string)), []byte{1}, gI(fields[i+1].(int64)), []byte{0})
	}
	return gMsg(b, []byte{0, 0})
}

// gSliceDef frames a slice type definition (unnamed).
func gSliceDef(id, elem int64) []byte {
	return gMsg(gI(-id), []byte{2, 1, 2}, gI(id), []byte{0, 1}, gI(elem), []byte{0, 0})
}

// gIface is an interface value: name, concrete type id, singleton payload.
func gIface(name string, id int64, payload []byte) []byte {
	return gCat(gS(name), gI(id), gU(uint64(len(payload))), payload)
}

func gStrIface(s string) []byte { return gIface("string", 6, gCat([]byte{0}, gS(s))) }

// gTimeDef is time.Time as GobEncoder type id (name "Time").
func gTimeDef(id int64) []byte {
	return gCat(gI(-id), []byte{5, 1, 1}, gS("Time"), []byte{1}, gI(id), []byte{0, 0, 0})
}

// gSessionWith is a map[interface{}]interface{} stream with one entry key → an
// interface value whose concrete type needs the inline definition def (id 65).
func gSessionWith(key, name string, def []byte, payload []byte) []byte {
	first := gCat(gI(64), []byte{0, 1}, gStrIface(key), gS(name), def)
	return gCat(gMapDef, gMsg(first), gMsg(gI(65), gU(uint64(len(payload))), payload))
}

func gobDecodeCases(enc map[string][]byte) ([]gobDecCase, error) {
	need := func(id string) []byte {
		b, ok := enc[id]
		if !ok {
			panic("gob decode cases: missing encode case " + id)
		}
		return b
	}
	fooBar := need("sessions:foo-bar")
	flash := need("sessions:flash")
	person := need("structs:person")
	personDef := gStructDef("Person", 64, "Name", int64(6), "Age", int64(2))
	if !bytes.Equal(gobMessages(person)[0], personDef) {
		return nil, fmt.Errorf("crafted Person definition %x != Go's %x", personDef, gobMessages(person)[0])
	}
	if !bytes.Equal(gobMessages(fooBar)[0], gMapDef) {
		return nil, fmt.Errorf("crafted map definition differs from Go's")
	}
	timeSession := func(payload []byte) []byte {
		return gSessionWith("t", "time.Time", gTimeDef(65), gCat([]byte{0}, gU(uint64(len(payload))), payload))
	}
	okTime := gHex("01 0000000ed59f54a5 00000006 ffff")
	var cs []gobDecCase
	e := func(id, desc, dest string, b []byte) {
		cs = append(cs, gobDecCase{ID: id, Desc: desc, Dest: dest, Gob: b})
	}
	t := func(id, desc, dest string, b []byte) {
		cs = append(cs, gobDecCase{ID: id, Desc: desc, Dest: dest, Gob: b, Tolerated: true})
	}
	im := "interface-map"

	// Truncations of real streams.
	for _, n := range []int{1, 13, 14, 15, 16, 40, 62, 63, 64, 65, 66, 84} {
		e(fmt.Sprintf("truncated.flash.%d", n), fmt.Sprintf("the first %d of the 85 bytes of sessions:flash", n), im, flash[:n])
	}
	for _, n := range []int{1, 10, 37, 38, 39, 45} {
		if n < len(person) {
			e(fmt.Sprintf("truncated.person.%d", n), fmt.Sprintf("the first %d of the %d bytes of structs:person", n, len(person)), "main.Person", person[:n])
		}
	}
	e("empty", "no bytes at all", im, []byte{})
	e("only-type-definition", "the type-definition message of {\"foo\":\"bar\"}, no value message", im, gMapDef)

	// Framing and integers.
	e("message-length.9-byte-uint", "a message length with a 9-byte count (f7)", im, gHex("f7 01 02 03 04 05 06 07 08 09"))
	e("message-length.huge", "a message length of 2^62 (>= tooBig)", im, gCat(gU(1<<62), []byte{1, 2, 3}))
	e("message-length.exceeds-input", "a message length of 1000 with 10 bytes following", im, gCat(gU(1000), make([]byte, 10)))
	e("uint.9-bytes", "an int value whose uint has a 9-byte count", "int", gMsg(gI(2), []byte{0}, gHex("f7 01 02 03 04 05 06 07 08 09")))
	e("uint.truncated", "an int value whose uint says 4 bytes but 2 follow", "int", gMsg(gI(2), []byte{0}, gHex("fc 01 02")))
	e("singleton.non-zero-delta", "a top-level int with field delta 1 instead of 0", "int", gMsg(gI(2), []byte{1}, gI(42)))

	// Type ids and definitions.
	e("type-id.undefined", "a value of type 64 without its definition", im, gMsg(gI(64), []byte{0, 0}))
	e("type-id.undefined-in-interface", "an interface value naming concrete type 70, never defined", im,
		gCat(gMapDef, gMsg(gI(64), []byte{0, 1}, gStrIface("k"), gS("string"), gI(70), []byte{2, 0, 0})))
	e("type-id.builtin-wiretype", "an interface value whose concrete type id is 16 (wireType, never user-visible)", im,
		gCat(gMapDef, gMsg(gI(64), []byte{0, 1}, gStrIface("k"), gS("string"), gI(16), []byte{2, 0, 0})))
	e("type.duplicate", "the map type definition sent twice", im, gCat(gMapDef, gMapDef, gobMessages(fooBar)[1]))
	e("type.id-below-64", "a type definition for id 10", im,
		gCat(gMsg(gHex("13 04 01 02 14 00 01 10 01 10 00 00")), gMsg(gI(10), []byte{0, 0})))
	e("type.empty-wiretype", "a type definition with no wireType field set", im, gCat(gMsg(gI(-64), []byte{0}), gMsg(gI(64), []byte{0, 0})))
	e("type.definition-only-id", "a message holding only int(-64)", im, gMsg(gI(-64)))
	e("type.extra-data", "trailing bytes after a top-level type definition (extra data in buffer)", im,
		gCat(gMsg(gHex("7f 04 01 02 ff80 00 01 10 01 10 00 00 00")), gobMessages(fooBar)[1]))
	e("type.elem-undefined", "[]T where T (id 99) is never defined", "[]int", gCat(gSliceDef(64, 99), gMsg(gI(64), []byte{0, 1, 2})))
	e("type.self-referential-slice", "a slice type whose element is itself", "interface-map",
		gCat(gSliceDef(64, 64), gMsg(gI(64), []byte{0, 0})))

	// Structs.
	e("struct.field-out-of-bounds", "main.Person value with field delta 5", "main.Person", gCat(personDef, gMsg(gI(64), []byte{5}, gI(1), []byte{0})))
	e("struct.no-fields-matched", "main.Person bytes decoded into main.Account", "main.Account", person)
	e("struct.wrong-field-type", "a Person definition whose Age is a string, into main.Person", "main.Person",
		gCat(gStructDef("Person", 64, "Name", int64(6), "Age", int64(6)), gMsg(gI(64), []byte{2}, gS("x"), []byte{0})))
	e("struct.map-into-struct", "{\"foo\":\"bar\"} into main.Person", "main.Person", fooBar)
	cs = append(cs, gobDecCase{ID: "nesting.ignored-depth", Topic: "limits", Dest: "main.List",
		Desc: "a struct field of 10001 nested slice types that the destination lacks (maxIgnoreNestingDepth = 10000); ~90 KB, kept out of errors.json",
		Gob: func() []byte {
			const n = 10001
			b := gStructDef("S", 64, "Val", int64(2), "X", int64(65))
			for i := int64(0); i < n; i++ {
				elem := 66 + i
				if i == n-1 {
					elem = 2
				}
				b = gCat(b, gSliceDef(65+i, elem))
			}
			return gCat(b, gMsg(gI(64), []byte{1}, gI(5), []byte{0}))
		}()})

	// Lengths and counts.
	e("string.length-huge", "a string of claimed length 2^63-1", "string", gMsg(gI(6), []byte{0}, gU(math.MaxInt64), []byte("abc")))
	e("string.length-exceeds-input", "a string of claimed length 10 with 3 bytes", "string", gMsg(gI(6), []byte{0}, gU(10), []byte("abc")))
	e("bytes.length-exceeds-input", "a []byte of claimed length 10 with 2 bytes", "[]uint8", gMsg(gI(5), []byte{0}, gU(10), []byte("ab")))
	e("slice.count-huge", "a []int of claimed length 2^40 with one element", "[]int", gCat(gIntSliceDef, gMsg(gI(64), []byte{0}, gU(1<<40), gI(1))))
	e("slice.count-exceeds-input", "a []int of claimed length 100 with 3 elements", "[]int", gCat(gIntSliceDef, gMsg(gI(64), []byte{0}, gU(100), gI(1), gI(2), gI(3))))
	e("map.count-huge", "a session map of claimed count 2^40 with no entries", im, gCat(gMapDef, gMsg(gI(64), []byte{0}, gU(1<<40))))
	e("map.count-exceeds-input", "a session map of claimed count 3 with one entry", im,
		gCat(gMapDef, gMsg(gI(64), []byte{0, 3}, gStrIface("a"), gStrIface("b"))))

	// Interfaces.
	e("iface.name-too-long", "an interface name of 1025 bytes", im, gCat(gMapDef, gMsg(gI(64), []byte{0, 1}, gS(strings.Repeat("a", 1025)), gI(6), []byte{2, 0, 0})))
	e("iface.name-length-exceeds-input", "an interface name of claimed length 500 with 6 bytes", im,
		gCat(gMapDef, gMsg(gI(64), []byte{0, 1}, gU(500), []byte("string"))))
	e("iface.name-not-registered", "an interface value named main.Nope", im,
		gCat(gMapDef, gMsg(gI(64), []byte{0, 1}, gStrIface("x"), gIface("main.Nope", 6, gCat([]byte{0}, gS("abc"))))))
	e("iface.top-level-not-registered", "a top-level interface value (type id 8) named main.Nope, into interface {}", "interface {}",
		gMsg(gI(8), []byte{0}, gIface("main.Nope", 6, gCat([]byte{0}, gS("abc")))))
	e("iface.concrete-into-interface", "{\"foo\":\"bar\"} (a map, not an interface) into interface {}", "interface {}", fooBar)
	e("iface.registered-name-wrong-type", "an interface value named int carrying a string", im,
		gCat(gMapDef, gMsg(gI(64), []byte{0, 1}, gStrIface("x"), gIface("int", 6, gCat([]byte{0}, gS("abc"))))))

	// Destination mismatches.
	e("dest.map-into-int", "{\"foo\":\"bar\"} into int", "int", fooBar)
	e("dest.map-into-map-string-string", "{\"foo\":\"bar\"} into map[string]string", "map[string]string", fooBar)
	e("dest.int-into-uint", "an int into uint", "uint", gMsg(gI(2), []byte{0}, gI(1)))
	e("dest.string-into-bytes", "a string into []uint8", "[]uint8", gMsg(gI(6), []byte{0}, gS("abc")))
	e("dest.int8-overflow", "int 300 into int8", "int8", gMsg(gI(2), []byte{0}, gI(300)))
	e("dest.uint8-overflow", "uint 256 into uint8", "uint8", gMsg(gI(3), []byte{0}, gU(256)))
	e("dest.float32-overflow", "float 1e300 into float32", "float32",
		gMsg(gI(4), []byte{0}, gU(func() uint64 { b := math.Float64bits(1e300); return uint64(reverseBytes(b)) }())))
	e("dest.array-length-mismatch", "[3]int{1,2,3} bytes into [2]int", "[2]int", need("slices_arrays:array.int3"))
	e("dest.gobencoder-into-struct", "main.Version (GobEncoder) bytes into main.Person", "main.Person", need("gobencoder:version"))

	// Marshaler payloads.
	e("time.bad-length", "time.Time payload of 14 bytes", im, timeSession(okTime[:14]))
	e("time.bad-version", "time.Time payload with version byte 3", im, timeSession(gCat([]byte{3}, okTime[1:])))
	e("time.empty-payload", "time.Time with an empty payload", im, timeSession(nil))
	e("gobdecode.error", "main.Version payload \"x.y\" (GobDecode fails)", im,
		gSessionWith("v", "main.Version", gCat(gI(-65), []byte{5, 1, 1}, gS("Version"), []byte{1}, gI(65), []byte{0, 0, 0}),
			gCat([]byte{0}, gS("x.y"))))
	e("unmarshalbinary.error", "main.IPv4 payload of 3 bytes (UnmarshalBinary fails)", im,
		gSessionWith("ip", "main.IPv4", gCat(gI(-65), []byte{6, 1, 1}, gS("IPv4"), []byte{1}, gI(65), []byte{0, 0, 0}),
			gCat([]byte{0}, gS("\x01\x02\x03"))))

	// What Go tolerates.
	t("bool.2", "a bool encoded as 2 (any non-zero is true)", "bool", gMsg(gI(1), []byte{0, 2}))
	t("uint.non-minimal", "int 42 encoded with a needless length byte (ff 54)", "int", gMsg(gI(2), []byte{0, 0xff, 0x54}))
	t("message-length.non-minimal", "{\"foo\":\"bar\"} with the first message length as ff 0d", im, gCat([]byte{0xff}, fooBar))
	t("trailing-garbage", "{\"foo\":\"bar\"} followed by garbage (one Decode call does not read it)", im, gCat(fooBar, []byte("garbage")))
	t("iface.length-ignored", "{\"foo\":\"bar\"} with the value's interface length 05 changed to 09", im,
		bytes.Replace(fooBar, gHex("0c 05 00 03 62 61 72"), gHex("0c 09 00 03 62 61 72"), 1))
	t("iface.nil-key", "a session map whose key is a nil interface", im, gCat(gMapDef, gMsg(gI(64), []byte{0, 1, 0}, gStrIface("v"))))
	t("map.duplicate-key", "a session map with key \"a\" twice (the last value wins)", im,
		gCat(gMapDef, gMsg(gI(64), []byte{0, 2}, gStrIface("a"), gStrIface("1"), gStrIface("a"), gStrIface("2"))))
	t("struct.unknown-field-skipped", "a Person definition with an extra field Extra, into main.Person", "main.Person",
		gCat(gStructDef("Person", 64, "Name", int64(6), "Extra", int64(2), "Age", int64(2)), gMsg(gI(64), []byte{1}, gS("Ann"), []byte{1}, gI(7), []byte{1}, gI(40), []byte{0})))
	t("struct.missing-local-field", "a Person definition with only Name, into main.Person", "main.Person",
		gCat(gStructDef("Person", 64, "Name", int64(6)), gMsg(gI(64), []byte{1}, gS("Ann"), []byte{0})))
	t("struct.renamed-type", "a struct named Other with fields Name/Age, into main.Person (names of types do not matter)", "main.Person",
		gCat(gStructDef("Other", 64, "Name", int64(6), "Age", int64(2)), gMsg(gI(64), []byte{1}, gS("Ann"), []byte{1}, gI(40), []byte{0})))
	t("struct.zero-delta-ends", "a Person value whose first delta is 0 (ends the struct; the rest is not read)", "main.Person",
		gCat(personDef, gMsg(gI(64), []byte{0, 1}, gS("x"), []byte{0})))
	t("named.map-into-counts", "map[string]int bytes into main.Counts", "main.Counts", need("maps:string-int"))
	t("named.strings-into-tags", "[]string bytes into main.Tags", "main.Tags", need("slices_arrays:strings"))
	t("int.into-int8", "int 127 into int8", "int8", gMsg(gI(2), []byte{0}, gI(127)))
	return cs, nil
}

func reverseBytes(x uint64) uint64 {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], x)
	return binary.BigEndian.Uint64(b[:])
}

func runGobDecodeCases(cases []gobDecCase) (map[string][]obj, error) {
	res := make([]obj, len(cases))
	err := parallel(len(cases), func(i int) error {
		c := cases[i]
		req := compactJSON(obj{{"kind", "gob"}, {"id", c.ID}, {"gob", hex.EncodeToString(c.Gob)}, {"dest", c.Dest}})
		a, err := gobFresh(req, gobDecodeWork)
		if err != nil {
			return fmt.Errorf("gob decode case %s: %v", c.ID, err)
		}
		ao := a.(obj)
		get := func(k string) any { v, _ := ao.get(k); return v }
		errv := get("error")
		if c.Tolerated != (errv == nil) {
			return fmt.Errorf("gob decode case %s: tolerated=%v but error=%v", c.ID, c.Tolerated, errv)
		}
		o := obj{{"id", c.ID}, {"description", c.Desc}, {"op", "decode"}, {"dest", c.Dest},
			{"go_type", get("dest")}, {"gob", hex.EncodeToString(c.Gob)}, {"value", get("value")}}
		if c.Tolerated {
			o = append(o, kv{"reencoded", get("gob")})
		}
		o = append(o, kv{"error", errv})
		res[i] = o
		return nil
	})
	out := map[string][]obj{}
	for i, c := range cases {
		tp := c.Topic
		if tp == "" {
			tp = "errors"
			if c.Tolerated {
				tp = "tolerance"
			}
		}
		out[tp] = append(out[tp], res[i])
	}
	return out, err
}

// ---------------------------------------------------------------------------
// Cookies (real securecookie)

type gobCookieCase struct {
	ID, Desc  string
	Encrypted bool
	Value     any
	HashKey   []byte // nil: gobCookieHashKey
	BlockKey  []byte // nil: gobCookieBlockKey (when Encrypted)
}

var gobCookieHashKey = seedBytes("hash:gob-cookies", 32)
var gobCookieBlockKey = seedBytes("block:gob-cookies-aes256", 32)

func gobCookieCases() []gobCookieCase {
	acct := &Account{ID: 42, Email: "ann@example.com", Roles: []string{"admin"}, Balance: 99.5, Verified: true,
		Created: time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)}
	var cs []gobCookieCase
	for _, enc := range []bool{false, true} {
		sfx, what := ".plain", "HMAC-SHA256"
		if enc {
			sfx, what = ".aes256", "AES-256-CTR + HMAC-SHA256"
		}
		cs = append(cs,
			gobCookieCase{ID: "flash" + sfx, Desc: "a flash message session, " + what, Encrypted: enc,
				Value: map[interface{}]interface{}{"_flash": []interface{}{"hello"}}},
			gobCookieCase{ID: "session" + sfx, Desc: "the benchmark's typical 6-entry session, " + what, Encrypted: enc, Value: gobBenchSession()},
			gobCookieCase{ID: "structs" + sfx, Desc: "a *main.Account (registered by pointer) and a main.Person, " + what, Encrypted: enc,
				Value: map[interface{}]interface{}{"account": acct, "user": Person{"Ann", 40}}},
			gobCookieCase{ID: "times" + sfx, Desc: "time.Time values: UTC, FixedZone +01:00, zero, " + what, Encrypted: enc,
				Value: map[interface{}]interface{}{"utc": time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC),
					"cet": time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600)), "zero": time.Time{}}},
		)
	}
	cs = append(cs, gobCookieCase{ID: "bench-session", Encrypted: true, Value: gobBenchSession(),
		HashKey: benchHashKey, BlockKey: benchBlockKey,
		Desc: "the gob_session_securecookie_aes256_sha256 benchmark cookie (bench keys of bench.go)"})
	return cs
}

func gobCookieByID(id string) *gobCookieCase {
	for _, c := range gobCookieCases() {
		if c.ID == id {
			c := c
			return &c
		}
	}
	return nil
}

func (c gobCookieCase) config() codecConfig {
	keys := [][]byte{gobCookieHashKey, nil}
	if c.HashKey != nil {
		keys[0] = c.HashKey
	}
	if c.Encrypted {
		keys[1] = gobCookieBlockKey
		if c.BlockKey != nil {
			keys[1] = c.BlockKey
		}
	}
	return codecConfig{Keys: keys, Hash: "sha256", Serializer: "gob", Options: defaultOptions}
}

func (c gobCookieCase) iv() []byte { return seedBytes("iv:gob-cookie-"+c.ID, 16) }

// recordingSerializer is securecookie's own GobEncoder, remembering its last output.
type recordingSerializer struct {
	last []byte
}

func (r *recordingSerializer) Serialize(src interface{}) ([]byte, error) {
	b, err := securecookie.GobEncoder{}.Serialize(src)
	r.last = append([]byte(nil), b...) // securecookie encrypts b in place
	return b, err
}

func (r *recordingSerializer) Deserialize(src []byte, dst interface{}) error {
	return securecookie.GobEncoder{}.Deserialize(src, dst)
}

// cmdGobCookieCase: `gob-cookie-case <id>` (hidden, fresh child): encode one cookie case
// with the real securecookie, clock pinned to ts0 and the IV pinned; print
// {"cookie","serialized","iv","value","error"}.
func cmdGobCookieCase(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: gob-cookie-case <id>")
	}
	c := gobCookieByID(args[0])
	if c == nil {
		return fmt.Errorf("unknown gob cookie case %q", args[0])
	}
	codecs, err := c.config().codecs(ts0)
	if err != nil {
		return err
	}
	sc := codecs[0].(*securecookie.SecureCookie)
	rec := &recordingSerializer{}
	sc.SetSerializer(rec)
	var cookie string
	var eerr error
	withIV(c.iv(), func() { cookie, eerr = sc.Encode("session", c.Value) })
	if eerr != nil {
		return fmt.Errorf("%s: %v", c.ID, eerr)
	}
	// Self-check: the real Decode (same clock) gives the value back.
	dst := map[interface{}]interface{}{}
	if err := sc.Decode("session", cookie, &dst); err != nil {
		return fmt.Errorf("%s: decode own cookie: %v", c.ID, err)
	}
	var ivv any
	if c.Encrypted {
		ivv = hex.EncodeToString(c.iv())
	}
	out := obj{{"cookie", cookie}, {"serialized", hex.EncodeToString(rec.last)}, {"iv", ivv},
		{"value", gobView(dst)}, {"error", nil}}
	_, err = os.Stdout.Write(append(compactJSON(out), '\n'))
	return err
}

func runGobCookieCases(exe string, cases []gobCookieCase) ([]obj, error) {
	res := make([]obj, len(cases))
	err := parallel(len(cases), func(i int) error {
		c := cases[i]
		ans, n, err := gobStable(hasMultiMap(reflect.ValueOf(c.Value), 0), func() (obj, error) {
			return gobRunChild(exe, nil, "gob-cookie-case", c.ID)
		}, func(o obj) string { v, _ := o.get("serialized"); s, _ := v.(string); return s })
		if err != nil {
			return err
		}
		get := func(k string) any { v, _ := ans.get(k); return v }
		cfg := c.config()
		o := obj{{"id", c.ID}, {"description", c.Desc}, {"op", "encode"}, {"keys", keysView(cfg.Keys)},
			{"hash", cfg.Hash}, {"serializer", cfg.Serializer}, {"options", cfg.Options.view()},
			{"name", "session"}, {"value", get("value")}, {"serialized", get("serialized")},
			{"timestamp", ts0}, {"iv", get("iv")}, {"cookie", get("cookie")}, {"now", ts0},
			{"type_ids", gobTypeIDs}, {"error", nil}}
		if n > 1 {
			o = append(o, kv{"map_order_variants", int64(n)})
		}
		// Cross-check: the cookie's plaintext is the recorded serialization.
		var bk []byte
		if c.Encrypted {
			bk = cfg.Keys[1]
		}
		p, err := parseCookie(get("cookie").(string), bk)
		if err != nil || hex.EncodeToString(p.Plain) != get("serialized") || p.TS != ts0 {
			return fmt.Errorf("gob cookie %s: cookie does not hold the recorded serialization (%v)", c.ID, err)
		}
		res[i] = o
		return nil
	})
	return res, err
}

// ---------------------------------------------------------------------------
// Go 1.19 and Go 1.20 variants

// oldGob is an old Go release whose encode cases are written again as <prefix>_*.json.
type oldGob struct {
	prefix, release, env string
	defaults             func() []string // where to look when $env is unset
	hint                 string          // how to get the toolchain
}

// oldGobToolchains: releases before Go 1.21 (first user type id 65, type_ids "go1.19").
var oldGobToolchains = []oldGob{
	{"go119", "go1.19", "GOHARNESS_GO119", func() []string { return []string{"/usr/lib/go-1.19/bin/go"} },
		"install golang-1.19-go"},
	// Go 1.20.14 is the last Go 1.20. `GOTOOLCHAIN=go1.20.14 go version` fetches it from the
	// module proxy into the module cache (and makes it executable).
	{"go120", "go1.20", "GOHARNESS_GO120", func() []string {
		out, err := exec.Command("go", "env", "GOMODCACHE").Output()
		if err != nil || strings.TrimSpace(string(out)) == "" {
			return nil
		}
		return []string{filepath.Join(strings.TrimSpace(string(out)),
			"golang.org/toolchain@v0.0.1-go1.20.14."+runtime.GOOS+"-"+runtime.GOARCH, "bin", "go")}
	}, "run `GOTOOLCHAIN=go1.20.14 go version` once"},
}

const gobOldStub = `package main

// Generated by go-harness (fixtures_gob.go): an old-Go build of types.go only.

import (
	"encoding/gob"
	"fmt"
	"os"
)

var commands = map[string]func(args []string) error{}

func init() {
	// What gorilla/sessions' init() does (sessions v1.4.0 needs Go 1.23).
	gob.Register([]interface{}{})
}

func main() {
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: gobold gob-encode-case <id>")
		os.Exit(2)
	}
	if err := commands[os.Args[1]](os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`

// find returns a `go` binary of t.release ($t.env, else t.defaults), or "".
func (t oldGob) find() string {
	for _, p := range append([]string{os.Getenv(t.env)}, t.defaults()...) {
		if p == "" {
			continue
		}
		out, err := exec.Command(p, "version").Output()
		if f := strings.Fields(string(out)); err == nil && len(f) >= 3 &&
			(f[2] == t.release || strings.HasPrefix(f[2], t.release+".")) {
			return p
		}
	}
	return ""
}

// build builds types.go with t's toolchain in a temp module; returns the binary path.
func (t oldGob) build(goBin, tmp string) (string, error) {
	src, err := os.ReadFile("types.go")
	if err != nil {
		// Not run from go-harness/: use the directory this file was compiled from.
		_, self, _, _ := runtime.Caller(0)
		if src, err = os.ReadFile(filepath.Join(filepath.Dir(self), "types.go")); err != nil {
			return "", fmt.Errorf("read types.go (run `fixtures` from go-harness/): %v", err)
		}
	}
	files := map[string]string{
		"go.mod":   "module gob" + t.prefix[2:] + "\n\ngo " + strings.TrimPrefix(t.release, "go") + "\n",
		"types.go": string(src),
		"stub.go":  gobOldStub,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), []byte(body), 0o644); err != nil {
			return "", err
		}
	}
	bin := filepath.Join(tmp, "gob"+t.prefix[2:])
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	cmd.Dir = tmp
	env := []string{}
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "GOROOT=") && !strings.HasPrefix(e, "GOTOOLCHAIN=") &&
			!strings.HasPrefix(e, "GOFLAGS=") && !strings.HasPrefix(e, "GOWORK=") {
			env = append(env, e)
		}
	}
	cmd.Env = append(env, "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off", "GO111MODULE=on")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s build: %v\n%s", t.release, err, out)
	}
	return bin, nil
}

// ---------------------------------------------------------------------------
// The writer

func writeGobFixtures(outDir string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	table := gobCaseTable()
	seen := map[string]bool{}
	for _, c := range table {
		if seen[c.Key()] {
			return fmt.Errorf("duplicate gob case %q", c.Key())
		}
		seen[c.Key()] = true
	}
	results, err := runGobEncodeCases(exe, table)
	if err != nil {
		return err
	}
	encBytes := map[string][]byte{}
	byTopic := map[string][]obj{}
	var topics []string
	views := map[string]obj{}
	for _, r := range results {
		o, err := encodeCaseObj(r, gobTypeIDs, nil)
		if err != nil {
			return err
		}
		views[r.c.Key()] = r.ans
		if g, ok := r.ans.get("gob"); ok && !r.c.WantErr {
			b, _ := hex.DecodeString(g.(string))
			encBytes[r.c.Key()] = b
		}
		if _, ok := byTopic[r.c.Topic]; !ok {
			topics = append(topics, r.c.Topic)
		}
		byTopic[r.c.Topic] = append(byTopic[r.c.Topic], o)
	}
	for id, want := range gobSpecChecks {
		if got := hex.EncodeToString(encBytes[id]); got != want[0] {
			return fmt.Errorf("gob.md §11 check %s: Go wrote %s, spec says %s", id, got, want[0])
		}
	}

	decCases, err := gobDecodeCases(encBytes)
	if err != nil {
		return err
	}
	decByTopic, err := runGobDecodeCases(decCases)
	if err != nil {
		return err
	}
	for tp, l := range decByTopic {
		if _, ok := byTopic[tp]; !ok {
			topics = append(topics, tp)
		}
		byTopic[tp] = append(byTopic[tp], l...)
	}
	gobTopicDescriptions["errors"] = "negative cases: op \"encode\" (Go's Encode error or panic for the value; \"written\" = bytes written before it failed) and op \"decode\" (Go's decode error text for corrupted, truncated or hostile bytes, decoded into \"dest\" by a fresh process)"
	gobTopicDescriptions["limits"] = "decoder limits whose inputs are large (op \"decode\", as in errors.json)"
	gobTopicDescriptions["tolerance"] = "odd bytes that Go's decoder accepts (op \"decode\"): value = what Go decoded into dest; reencoded = a fresh Encoder's bytes for it"

	sort.Strings(topics)
	for _, tp := range topics {
		if tp == "bench" {
			continue
		}
		if err := writeFixtureFile(outDir, "gob/"+tp+".json", "gob/"+tp, gobTopicDescriptions[tp], byTopic[tp]); err != nil {
			return err
		}
	}

	cookies, err := runGobCookieCases(exe, gobCookieCases())
	if err != nil {
		return err
	}
	if err := writeFixtureFile(outDir, "gob/cookies.json", "gob/cookies",
		"gorilla/sessions value maps through the real securecookie v1.1.2 (GobEncoder, SHA-256, plain and AES-256), clock pinned to \"timestamp\", IV pinned; serialized = the gob bytes inside the cookie (fresh process)",
		cookies); err != nil {
		return err
	}

	// fixtures/bench/gob.json: the benchmark values and the session cookie.
	var bench []obj
	for _, o := range byTopic["bench"] {
		bench = append(bench, o)
	}
	for _, o := range cookies {
		if id, _ := o.get("id"); id == "bench-session" {
			bo := append(obj{}, o...)
			bo[0] = kv{"id", "session-cookie"}
			bench = append(bench, bo)
		}
	}
	if err := writeFixtureFile(outDir, "bench/gob.json", "bench/gob",
		"values of the gob benchmarks (go-harness bench_gob.go): gob hex from a fresh process; session-cookie = the session value in an AES-256 + HMAC-SHA256 securecookie (keys, timestamp, IV as in the case)",
		bench); err != nil {
		return err
	}

	for _, t := range oldGobToolchains {
		if err := writeOldGobFixtures(t, outDir, table, views); err != nil {
			return err
		}
	}
	return nil
}

func writeOldGobFixtures(t oldGob, outDir string, table []*gobCase, views map[string]obj) error {
	goBin := t.find()
	if goBin == "" {
		fmt.Fprintf(os.Stderr, "gob: no %s toolchain (set %s or %s); fixtures/gob/%s_*.json left as they are\n",
			t.release, t.env, t.hint, t.prefix)
		return keepFixtureFiles(outDir, "gob/"+t.prefix+"_*.json")
	}
	tmp, err := os.MkdirTemp("", "gob"+t.prefix[2:]+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := t.build(goBin, tmp)
	if err != nil {
		return err
	}
	var cases []*gobCase
	for _, c := range table {
		if c.Topic != "bench" {
			cases = append(cases, c)
		}
	}
	results, err := runGobEncodeCases(bin, cases)
	if err != nil {
		return err
	}
	ver := t.release
	if out, err := exec.Command(goBin, "version").Output(); err == nil {
		if f := strings.Fields(string(out)); len(f) >= 3 {
			ver = f[2]
		}
	}
	byTopic := map[string][]obj{}
	var topics []string
	for _, r := range results {
		o, err := encodeCaseObj(r, "go1.19", views[r.c.Key()]) // Go <= 1.20 numbering
		if err != nil {
			return fmt.Errorf("%s: %v", t.release, err)
		}
		if want := gobSpecChecks[r.c.Key()][1]; want != "" {
			if g, _ := r.ans.get("gob"); g != want {
				return fmt.Errorf("gob.md §11 check %s (%s): Go wrote %v, spec says %s", r.c.Key(), t.release, g, want)
			}
		}
		if _, ok := byTopic[r.c.Topic]; !ok {
			topics = append(topics, r.c.Topic)
		}
		byTopic[r.c.Topic] = append(byTopic[r.c.Topic], o)
	}
	for _, tp := range topics {
		desc := gobTopicDescriptions[tp] + " — bytes written by " + ver + " (first user type id 65; go_version above is the harness's own); values rendered by the harness"
		if err := writeFixtureFile(outDir, "gob/"+t.prefix+"_"+tp+".json", "gob/"+t.prefix+"_"+tp, desc, byTopic[tp]); err != nil {
			return err
		}
	}
	return nil
}

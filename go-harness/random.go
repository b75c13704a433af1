package main

// random.go — `go-harness random gen|check`: random Go types and values from a seed
// (random_gen.go), their gob / session / securecookie encodings by the real libraries,
// and the check of what the Python implementation re-encoded (decoded by Go and compared
// with sameGoValue, random_cmp.go). See README.md, section "random".

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/securecookie"
)

func init() {
	commands["random"] = cmdRandom
}

const rndCookieName = "session"

// rndDebugPanics (GOHARNESS_RANDOM_PANIC=1): let a panic while building a case crash with
// its stack instead of becoming a harness_error line.
var rndDebugPanics = os.Getenv("GOHARNESS_RANDOM_PANIC") != ""

func cmdRandom(args []string) error {
	if len(args) < 1 {
		return errors.New("usage: random gen -seed S -n N [-out FILE] | random check -seed S [-n N] < answers.jsonl")
	}
	switch args[0] {
	case "gen":
		return rndCmdGen(args[1:])
	case "check":
		return rndCmdCheck(args[1:])
	}
	return fmt.Errorf("random: unknown subcommand %q (gen, check)", args[0])
}

// rndRegisterName is gob.RegisterName (it panics on a conflicting registration; the
// case builder turns that into a harness error).
func rndRegisterName(name string, v interface{}) { gob.RegisterName(name, v) }

// rndCase is one generated case with Go's encodings.
type rndCase struct {
	ID    string
	Seed  int64
	Index int
	Mode  string
	T     reflect.Type
	V     reflect.Value
	Kinds []string
	Regs  []rndReg

	Gob    []byte // nil when GobErr != ""
	GobErr string

	Session     map[interface{}]interface{}
	SessionGob  []byte
	SessionSkip string // why there is no session (then no gob cookie either)

	HashKey, BlockKey, IV []byte // BlockKey nil: no encryption
	TS                    int64

	CookieGob    string
	CookieGobErr string
	CookieJSON   string
	JSONSkip     string // why there is no JSON cookie
}

func rndID(seed int64, index int) string { return fmt.Sprintf("r%d-%d", seed, index) }

// rndSessionExtras: entries a gorilla session typically mixes in, with keys Python equates.
func rndSessionExtras() [][2]interface{} {
	return [][2]interface{}{
		{1, "int one"}, {true, "bool true"}, {1.0, "float one"}, {int64(1), "int64 one"}, {"user", "ann"},
		{int8(1), "int8 one"}, {uint(1), "uint one"}, {"_flash", []interface{}{"Welcome!"}}, {0, 0}, {"", "empty key"},
		{false, false}, {"count", 3},
	}
}

// rndBuildCase builds case (seed, index): type, value, registrations and Go's encodings.
// Everything random is drawn from the case's own PRNG, in a fixed order.
func rndBuildCase(seed int64, index int) (c *rndCase, err error) {
	defer func() {
		if rndDebugPanics {
			return
		}
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("case %s: panic: %v", rndID(seed, index), r)
		}
	}()
	g := rndNewGen(seed, index)
	t, v := g.topValue()
	c = &rndCase{ID: rndID(seed, index), Seed: seed, Index: index, Mode: g.mode, T: t, V: v}
	if t.Kind() == reflect.Pointer {
		g.tag("top_pointer")
	}

	// The session map: "v" plus a few mixed-key entries.
	if g.register(t) {
		c.Session = map[interface{}]interface{}{"v": v.Interface()}
	} else {
		base := t
		for base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		c.SessionSkip = fmt.Sprintf("%s is not registered with gob (by design), so it cannot travel in an interface", base)
	}
	extras := rndSessionExtras()
	for _, i := range g.r.Perm(len(extras))[:1+g.intn(5)] {
		if c.Session != nil {
			c.Session[extras[i][0]] = extras[i][1]
		}
	}

	// Cookie keys, IV and timestamp.
	c.HashKey = g.randBytes(32)
	switch bl := []int{0, 16, 24, 32}[g.intn(4)]; bl {
	case 0:
		g.tag("block_none")
	default:
		c.BlockKey = g.randBytes(bl)
		g.tag(fmt.Sprintf("aes%d", bl*8))
	}
	c.IV = g.randBytes(16)
	c.TS = 1600000000 + int64(g.intn(200000000))

	c.Regs = g.regs
	for k := range g.tags {
		c.Kinds = append(c.Kinds, k)
	}
	sort.Strings(c.Kinds)

	// Encodings (no randomness below).
	if b, err := rndGobEncode(v.Interface()); err != nil {
		c.GobErr = err.Error()
	} else {
		c.Gob = b
	}
	if c.Session != nil {
		b, err := rndGobEncode(c.Session)
		if err != nil {
			c.SessionSkip = "gob: " + err.Error()
		} else {
			c.SessionGob = b
			c.CookieGob, err = rndEncodeCookie(c, false, c.Session)
			if err != nil {
				c.CookieGobErr = err.Error()
			}
		}
	}
	if _, err := json.Marshal(v.Interface()); err != nil {
		c.JSONSkip = err.Error()
	} else if c.CookieJSON, err = rndEncodeCookie(c, true, v.Interface()); err != nil {
		c.JSONSkip = "securecookie: " + err.Error()
	}
	return c, nil
}

// rndGobEncode: one FRESH gob.Encoder, one Encode call (a panic is an error).
func rndGobEncode(v interface{}) (b []byte, err error) {
	var buf bytes.Buffer
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// rndCodec: the real securecookie with the case's keys, SHA-256 (default), no max age, no
// max length, the clock pinned to the case's timestamp.
func rndCodec(c *rndCase, jsonSerializer bool) *securecookie.SecureCookie {
	sc := securecookie.New(c.HashKey, c.BlockKey)
	sc.MaxAge(0)
	sc.MaxLength(0)
	if jsonSerializer {
		sc.SetSerializer(securecookie.JSONEncoder{})
	}
	pinClock(sc, c.TS)
	return sc
}

func rndEncodeCookie(c *rndCase, jsonSerializer bool, v interface{}) (cookie string, err error) {
	sc := rndCodec(c, jsonSerializer)
	withIV(c.IV, func() { cookie, err = sc.Encode(rndCookieName, v) })
	return cookie, err
}

// ---------------------------------------------------------------------------
// gen

type rndCookieOut struct {
	Name      string  `json:"name"`
	Hash      string  `json:"hash"`
	HashKey   string  `json:"hash_key"`
	BlockKey  *string `json:"block_key"`
	Timestamp int64   `json:"timestamp"`
	IV        string  `json:"iv"`
	MaxAge    int     `json:"max_age"`
	MaxLength int     `json:"max_length"`
	Gob       *string `json:"gob"`
	GobError  *string `json:"gob_error,omitempty"`
	JSON      *string `json:"json"`
	JSONSkip  *string `json:"json_skip,omitempty"`
}

type rndGenLine struct {
	ID           string        `json:"id"`
	Seed         int64         `json:"seed"`
	Index        int           `json:"index"`
	Mode         string        `json:"mode,omitempty"`
	Type         string        `json:"type,omitempty"`
	Kinds        []string      `json:"kinds"`
	Registered   []rndReg      `json:"registered"`
	Gob          *string       `json:"gob"`
	GobError     *string       `json:"gob_error,omitempty"`
	SessionGob   *string       `json:"session_gob"`
	SessionSkip  *string       `json:"session_skip,omitempty"`
	Cookie       *rndCookieOut `json:"cookie,omitempty"`
	HarnessError *string       `json:"harness_error,omitempty"`
}

func rndStrPtr(s string) *string { return &s }

func rndHexPtr(b []byte) *string {
	if b == nil {
		return nil
	}
	return rndStrPtr(hex.EncodeToString(b))
}

func rndOptStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (c *rndCase) genLine() rndGenLine {
	l := rndGenLine{
		ID: c.ID, Seed: c.Seed, Index: c.Index, Mode: c.Mode, Type: c.T.String(), Kinds: c.Kinds,
		Registered: c.Regs, Gob: rndHexPtr(c.Gob), GobError: rndOptStr(c.GobErr),
		SessionGob: rndHexPtr(c.SessionGob), SessionSkip: rndOptStr(c.SessionSkip),
	}
	if l.Registered == nil {
		l.Registered = []rndReg{}
	}
	co := &rndCookieOut{
		Name: rndCookieName, Hash: "sha256", HashKey: hex.EncodeToString(c.HashKey), BlockKey: rndHexPtr(c.BlockKey),
		Timestamp: c.TS, IV: hex.EncodeToString(c.IV), MaxAge: 0, MaxLength: 0,
		GobError: rndOptStr(c.CookieGobErr), JSONSkip: rndOptStr(c.JSONSkip),
	}
	if c.SessionGob != nil && c.CookieGobErr == "" {
		co.Gob = rndStrPtr(c.CookieGob)
	}
	if c.JSONSkip == "" {
		co.JSON = rndStrPtr(c.CookieJSON)
	}
	l.Cookie = co
	return l
}

// rndReason groups error texts for the summary: "json: unsupported type: X" → "json: unsupported type".
func rndReason(s string) string {
	parts := strings.SplitN(s, ": ", 3)
	if len(parts) >= 2 {
		return parts[0] + ": " + parts[1]
	}
	return s
}

type rndCounter map[string]int

func (m rndCounter) print(w io.Writer, title string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(w, "%s:\n", title)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-40s %d\n", k, m[k])
	}
}

func rndCmdGen(args []string) error {
	fs := flag.NewFlagSet("random gen", flag.ContinueOnError)
	seed := fs.Int64("seed", 1, "seed S (case i uses PCG(S, i))")
	n := fs.Int("n", 100, "number of cases (indices 0..N-1)")
	from := fs.Int("from", 0, "first index")
	out := fs.String("out", "", "output file (default stdout)")
	quiet := fs.Bool("q", false, "no summary on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var w io.Writer = os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	start := time.Now()
	kinds, modes, skips := rndCounter{}, rndCounter{}, rndCounter{}
	harnessErrors := 0
	for i := *from; i < *from+*n; i++ {
		c, err := rndBuildCase(*seed, i)
		var line rndGenLine
		if err != nil {
			harnessErrors++
			line = rndGenLine{ID: rndID(*seed, i), Seed: *seed, Index: i, Kinds: []string{}, Registered: []rndReg{},
				HarnessError: rndStrPtr(err.Error())}
			fmt.Fprintf(os.Stderr, "random gen: harness error: %v\n", err)
		} else {
			line = c.genLine()
			modes[c.Mode]++
			for _, k := range c.Kinds {
				kinds[k]++
			}
			if c.GobErr != "" {
				skips["gob_error: "+rndReason(c.GobErr)]++
			}
			if c.SessionSkip != "" {
				skips["session_skip: "+rndReason(c.SessionSkip)]++
			}
			if c.CookieGobErr != "" {
				skips["cookie_gob_error: "+rndReason(c.CookieGobErr)]++
			}
			if c.JSONSkip != "" {
				skips["json_skip: "+rndReason(c.JSONSkip)]++
			}
		}
		b, err := json.Marshal(line)
		if err != nil {
			return fmt.Errorf("case %s: %v", rndID(*seed, i), err)
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if !*quiet {
		e := os.Stderr
		fmt.Fprintf(e, "random gen: seed %d, %d cases in %v, %d harness errors\n", *seed, *n, time.Since(start).Round(time.Millisecond), harnessErrors)
		modes.print(e, "modes")
		kinds.print(e, "kinds (cases containing each)")
		skips.print(e, "skipped parts (not encodable by Go; counted, never silent)")
	}
	if harnessErrors > 0 {
		return fmt.Errorf("%d harness errors", harnessErrors)
	}
	return nil
}

// ---------------------------------------------------------------------------
// check

type rndAnswer struct {
	ID         string  `json:"id"`
	Index      *int    `json:"index"`
	Gob        *string `json:"gob"`
	SessionGob *string `json:"session_gob"`
	CookieGob  *string `json:"cookie_gob"`
	CookieJSON *string `json:"cookie_json"`
}

type rndFailure struct {
	Part  string `json:"part"`
	Error string `json:"error"`
}

type rndVerdict struct {
	ID              string       `json:"id"`
	OK              bool         `json:"ok"`
	Part            string       `json:"part,omitempty"`
	Error           string       `json:"error,omitempty"`
	Parts           []string     `json:"parts"`
	Failures        []rndFailure `json:"failures,omitempty"`
	CookieJSONExact *bool        `json:"cookie_json_exact,omitempty"`
}

type rndSummary struct {
	Summary       bool           `json:"summary"`
	Checked       int            `json:"checked"`
	Failed        int            `json:"failed"`
	ByPart        map[string]int `json:"failed_by_part"`
	HarnessErrors int            `json:"harness_errors"`
}

// rndDecodeGob decodes b into a fresh value of type t; all of b must be consumed.
func rndDecodeGob(b []byte, t reflect.Type) (v interface{}, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	p := reflect.New(t)
	r := bytes.NewReader(b)
	if err := gob.NewDecoder(r).Decode(p.Interface()); err != nil {
		return nil, err
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%d trailing bytes after the value", r.Len())
	}
	return p.Elem().Interface(), nil
}

func rndDecodeCookie(c *rndCase, jsonSerializer bool, cookie string, t reflect.Type) (v interface{}, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	p := reflect.New(t)
	if err := rndCodec(c, jsonSerializer).Decode(rndCookieName, cookie, p.Interface()); err != nil {
		return nil, err
	}
	return p.Elem().Interface(), nil
}

// rndReaderCookieJSON is the JSON cookie a reader writes back when it does not know the Go
// type: Go's securecookie Decode of c.CookieJSON into an interface{}, then Encode of that tree
// (same keys, timestamp and IV). It is a fixed point of that round trip, but it differs from
// c.CookieJSON (json.Marshal of the typed value) whenever the typed encoding is not one:
// struct fields come out in declaration order there and as sorted map keys here, integers
// beyond 2^53 are exact there and float64 here (-465199126958760649 -> -465199126958760640),
// invalid UTF-8 is "\ufffd" there and a raw U+FFFD here (about a third of the JSON cookies).
func rndReaderCookieJSON(c *rndCase) (string, error) {
	tree, err := rndDecodeCookie(c, true, c.CookieJSON, ifaceType)
	if err != nil {
		return "", err
	}
	return rndEncodeCookie(c, true, tree)
}

// rndCookieFrame checks the timestamp and IV Python put into its cookie.
func rndCookieFrame(c *rndCase, cookie string) error {
	p, err := parseCookie(cookie, c.BlockKey)
	if err != nil {
		return fmt.Errorf("cannot parse the cookie: %v", err)
	}
	if p.TS != c.TS {
		return fmt.Errorf("timestamp %d, want the pinned %d", p.TS, c.TS)
	}
	if c.BlockKey != nil && !bytes.Equal(p.IV, c.IV) {
		return fmt.Errorf("IV %x, want the pinned %x", p.IV, c.IV)
	}
	return nil
}

// compare decodes Go's and Python's encodings with dec and compares them.
func rndCompare(goEnc, pyEnc func() (interface{}, error)) error {
	gv, err := goEnc()
	if err != nil {
		return fmt.Errorf("HARNESS: Go cannot decode its own encoding: %v", err)
	}
	pv, err := pyEnc()
	if err != nil {
		return fmt.Errorf("Go cannot decode Python's encoding: %v", err)
	}
	if err := sameGoValue(gv, pv); err != nil {
		return fmt.Errorf("decoded values differ (Go's vs Python's): %v", err)
	}
	return nil
}

func rndCheckOne(seed int64, n int, a *rndAnswer) rndVerdict {
	v := rndVerdict{ID: a.ID, Parts: []string{}}
	fail := func(part, msg string) { v.Failures = append(v.Failures, rndFailure{part, msg}) }
	finish := func() rndVerdict {
		v.OK = len(v.Failures) == 0
		if !v.OK {
			v.Part, v.Error = v.Failures[0].Part, v.Failures[0].Error
		}
		return v
	}
	var idx int
	if a.Index != nil {
		idx = *a.Index
	} else if s, ok := strings.CutPrefix(a.ID, fmt.Sprintf("r%d-", seed)); ok {
		i, err := strconv.Atoi(s)
		if err != nil {
			fail("id", "cannot read the index from id "+a.ID)
			return finish()
		}
		idx = i
	} else {
		fail("id", "no index and id "+strconv.Quote(a.ID)+" is not r<seed>-<index>")
		return finish()
	}
	if a.ID == "" && a.Index != nil {
		v.ID = rndID(seed, idx)
		a.ID = v.ID
	}
	if a.ID != rndID(seed, idx) {
		fail("id", fmt.Sprintf("id %q does not match seed %d index %d (%s)", a.ID, seed, idx, rndID(seed, idx)))
		return finish()
	}
	if idx < 0 || (n > 0 && idx >= n) {
		fail("id", fmt.Sprintf("index %d outside 0..%d", idx, n-1))
		return finish()
	}
	c, err := rndBuildCase(seed, idx)
	if err != nil {
		fail("harness", "HARNESS: "+err.Error())
		return finish()
	}
	hexPart := func(part string, py *string, goBytes []byte, goWhy string, t reflect.Type) {
		if py == nil {
			return
		}
		v.Parts = append(v.Parts, part)
		if goBytes == nil {
			fail(part, "Go could not encode this part ("+goWhy+") but Python did")
			return
		}
		pb, err := hex.DecodeString(*py)
		if err != nil {
			fail(part, "bad hex: "+err.Error())
			return
		}
		if err := rndCompare(func() (interface{}, error) { return rndDecodeGob(goBytes, t) },
			func() (interface{}, error) { return rndDecodeGob(pb, t) }); err != nil {
			fail(part, err.Error())
		}
	}
	hexPart("gob", a.Gob, c.Gob, c.GobErr, c.T)
	hexPart("session_gob", a.SessionGob, c.SessionGob, c.SessionSkip, rndIfaceMapType)

	if a.CookieGob != nil {
		v.Parts = append(v.Parts, "cookie_gob")
		switch {
		case c.SessionGob == nil || c.CookieGobErr != "":
			fail("cookie_gob", "Go could not encode this cookie ("+c.SessionSkip+c.CookieGobErr+") but Python did")
		default:
			if err := rndCookieFrame(c, *a.CookieGob); err != nil {
				fail("cookie_gob", err.Error())
			} else if err := rndCompare(
				func() (interface{}, error) { return rndDecodeCookie(c, false, c.CookieGob, rndIfaceMapType) },
				func() (interface{}, error) { return rndDecodeCookie(c, false, *a.CookieGob, rndIfaceMapType) }); err != nil {
				fail("cookie_gob", err.Error())
			}
		}
	}
	if a.CookieJSON != nil {
		v.Parts = append(v.Parts, "cookie_json")
		switch {
		case c.JSONSkip != "":
			fail("cookie_json", "Go could not encode this value as JSON ("+c.JSONSkip+") but Python did")
		default:
			// The answer must be what a reader without the Go type writes: Python reads the JSON
			// cookie as Go's JSONEncoder does, into an interface{} (numbers become float64), and
			// writes that tree back, which must be Go's own Decode + Encode of the interface{},
			// byte for byte (same keys, timestamp and IV). That is NOT c.CookieJSON (Go's encoding
			// of the typed value) in general: see rndReaderCookieJSON.
			exact := *a.CookieJSON == c.CookieJSON
			v.CookieJSONExact = &exact
			if err := rndCookieFrame(c, *a.CookieJSON); err != nil {
				fail("cookie_json", err.Error())
			} else if err := rndCompare(
				func() (interface{}, error) { return rndDecodeCookie(c, true, c.CookieJSON, ifaceType) },
				func() (interface{}, error) { return rndDecodeCookie(c, true, *a.CookieJSON, ifaceType) }); err != nil {
				fail("cookie_json", err.Error())
			} else if canon, err := rndReaderCookieJSON(c); err != nil {
				fail("cookie_json", "HARNESS: "+err.Error())
			} else if canon != *a.CookieJSON {
				msg := "Python's cookie is not Go's re-encoding of the decoded interface{}"
				if exact {
					msg += " (it is Go's encoding of the typed value, which a reader of the cookie " +
						"cannot know: struct fields in declaration order, integers beyond 2^53 exact, " +
						"invalid UTF-8 as \\ufffd)"
				}
				fail("cookie_json", msg+": go "+canon+" python "+*a.CookieJSON)
			}
		}
	}
	return finish()
}

func rndCmdCheck(args []string) error {
	fs := flag.NewFlagSet("random check", flag.ContinueOnError)
	seed := fs.Int64("seed", 1, "seed S the answers were generated with")
	n := fs.Int("n", 0, "number of cases generated (indices must be < N; 0 = no bound)")
	in := fs.String("in", "", "answers file (default stdin)")
	quiet := fs.Bool("q", false, "no summary on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var r io.Reader = os.Stdin
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<20))
	bw := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(bw)
	start := time.Now()
	sum := rndSummary{Summary: true, ByPart: map[string]int{}}
	for line := 1; ; line++ {
		var a rndAnswer
		if err := dec.Decode(&a); err == io.EOF {
			break
		} else if err != nil {
			bw.Flush()
			return fmt.Errorf("answer %d: %v", line, err)
		}
		v := rndCheckOne(*seed, *n, &a)
		sum.Checked++
		if !v.OK {
			sum.Failed++
			for _, f := range v.Failures {
				sum.ByPart[f.Part]++
				if strings.HasPrefix(f.Error, "HARNESS: ") {
					sum.HarnessErrors++
				}
			}
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	if err := enc.Encode(sum); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(os.Stderr, "random check: seed %d, %d checked, %d failed %v, %d harness errors, in %v\n",
			*seed, sum.Checked, sum.Failed, sum.ByPart, sum.HarnessErrors, time.Since(start).Round(time.Millisecond))
	}
	if sum.HarnessErrors > 0 {
		return fmt.Errorf("%d harness errors (see the verdict lines whose error starts with \"HARNESS: \")", sum.HarnessErrors)
	}
	return nil
}

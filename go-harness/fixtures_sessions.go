package main

// fixtures_sessions.go — fixtures/sessions/*.json, written by running the real
// gorilla/sessions v1.4.0 (and quasoft/memstore) with Go's net/http.
//
// Set-Cookie strings are (*http.Cookie).String() of the real sessions.NewCookie(...). NewCookie
// reads time.Now() for Expires; to pin it we rebuild Expires exactly as NewCookie computes it at
// a pinned `now`: time.Unix(now, 0).Add(time.Duration(MaxAge) * time.Second) for MaxAge > 0
// (Duration overflow included), and leave NewCookie's time.Unix(1, 0) for MaxAge < 0.
//
// Store saves run the real Store.Save with the securecookie clock pinned (pin.go) and
// crypto/rand yielding pinned bytes (session IDs, then IVs); the header Go wrote is checked to
// equal the pinned rebuild except for the Expires attribute.

import (
	"bytes"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	mrand "math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/quasoft/memstore"
)

func init() {
	fixtureWriters["sessions"] = writeSessionsFixtures
}

const sessNow = int64(1700000000)

// ---------------------------------------------------------------------------
// Options <-> JSON

func sessOptionsView(o *sessions.Options) obj {
	return obj{
		{"path", o.Path}, {"domain", o.Domain}, {"max_age", int64(o.MaxAge)},
		{"secure", o.Secure}, {"http_only", o.HttpOnly},
		{"same_site", int64(o.SameSite)}, {"partitioned", o.Partitioned},
	}
}

// sessOptionsJSON is the request form of Options (decode kinds); absent members are zero.
type sessOptionsJSON struct {
	Path        string `json:"path"`
	Domain      string `json:"domain"`
	MaxAge      int    `json:"max_age"`
	Secure      bool   `json:"secure"`
	HttpOnly    bool   `json:"http_only"`
	SameSite    int    `json:"same_site"`
	Partitioned bool   `json:"partitioned"`
}

func (o sessOptionsJSON) options() *sessions.Options {
	return &sessions.Options{Path: o.Path, Domain: o.Domain, MaxAge: o.MaxAge, Secure: o.Secure,
		HttpOnly: o.HttpOnly, SameSite: http.SameSite(o.SameSite), Partitioned: o.Partitioned}
}

// pinnedCookieHeader is http.SetCookie's header for sessions.NewCookie(name, value, o) at now.
func pinnedCookieHeader(name, value string, o *sessions.Options, now int64) (string, any) {
	c := sessions.NewCookie(name, value, o)
	var expires any
	if o.MaxAge > 0 {
		c.Expires = time.Unix(now, 0).Add(time.Duration(o.MaxAge) * time.Second)
	}
	if o.MaxAge != 0 {
		expires = c.Expires.Unix()
	}
	return c.String(), expires
}

// stripExpires removes the "; Expires=..." attribute (for comparing real vs pinned headers).
func stripExpires(h string) string {
	parts := strings.Split(h, "; ")
	out := parts[:0]
	for _, p := range parts {
		if !strings.HasPrefix(p, "Expires=") {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

// ---------------------------------------------------------------------------
// cookie_header.json

type hdrCase struct {
	id, desc, name, value string
	o                     sessions.Options
	now                   int64
}

func headerCases() []hdrCase {
	var cs []hdrCase
	base := sessions.Options{Path: "/", MaxAge: 3600}
	add := func(id, desc, name, value string, o sessions.Options, now int64) {
		cs = append(cs, hdrCase{id, desc, name, value, o, now})
	}
	// The spec's verified strings.
	add("spec-full", "every attribute; Domain's leading dot is dropped", "sess", "abc=",
		sessions.Options{Path: "/", Domain: ".example.com", MaxAge: 3600, Secure: true, HttpOnly: true,
			Partitioned: true, SameSite: http.SameSiteLaxMode}, 1704161045-3600)
	add("spec-delete-quoted", "MaxAge -1 and a value needing quotes", "sess", "a b,c",
		sessions.Options{MaxAge: -1}, sessNow)
	add("spec-default-mode", "SameSite DefaultMode writes nothing; empty value", "sess", "",
		sessions.Options{Path: "/", SameSite: http.SameSiteDefaultMode}, sessNow)
	add("spec-sanitize", "invalid value and path bytes dropped", "sess", `v"q;x\y`,
		sessions.Options{Path: "/p;q", SameSite: http.SameSiteStrictMode}, sessNow)
	add("spec-bad-domain", "invalid domain dropped", "sess", "v",
		sessions.Options{Domain: "bad_domain!", SameSite: http.SameSiteNoneMode}, sessNow)

	// Every flag combination.
	for _, ma := range []int{0, -1, 3600} {
		for ss := 0; ss <= 4; ss++ {
			for bits := 0; bits < 8; bits++ {
				o := sessions.Options{Path: "/", MaxAge: ma, SameSite: http.SameSite(ss),
					Secure: bits&1 != 0, HttpOnly: bits&2 != 0, Partitioned: bits&4 != 0}
				add(fmt.Sprintf("flags-ma%d-ss%d-b%d", ma, ss, bits),
					"MaxAge × SameSite × Secure/HttpOnly/Partitioned", "sess", "v", o, sessNow)
			}
		}
	}
	// MaxAge signs, magnitudes and Duration overflow.
	for _, ma := range []int{1, -1, -100, 59, 86400, 2592000, 1 << 31, 9223372036, 9223372037,
		1 << 40, 1 << 62, -(1 << 62), 9223372036854775807, -9223372036854775808} {
		o := base
		o.MaxAge = ma
		add(fmt.Sprintf("maxage-%d", ma), "MaxAge magnitude (time.Duration(MaxAge)*time.Second may wrap)",
			"sess", "v", o, sessNow)
	}
	// Clock extremes for the Expires date.
	for _, c := range []struct {
		now    int64
		maxAge int
	}{{0, 1}, {951782400, 86400}, {4102444800, 1}, {253402300799, 1}, {-12219292800, 1},
		{-11644473600, 1}, {-11644473601, 1}, {1700000000, 2592000}, {1709164800, 3600}} {
		o := base
		o.MaxAge = c.maxAge
		add(fmt.Sprintf("clock-%d-%d", c.now, c.maxAge), "Expires for unusual clocks (years ≥ 10000, < 1601, leap days)",
			"sess", "v", o, c.now)
	}
	// Domains.
	for i, d := range []string{"example.com", ".example.com", "EXAMPLE.com", "sub.example.co.uk",
		"localhost", "a", "1.2.3.4", ".1.2.3.4", "255.255.255.255", "256.1.1.1", "1.2.3.04",
		"1.2.3", "::1", "[::1]", "2001:db8::1", "::ffff:1.2.3.4", "bad_domain!", "-a.com",
		"a-.com", "a..com", "a.com.", ".", "..a.com", "123", "1a", "xn--bcher-kva.example",
		"exa mple.com", "exämple.com", "a-b.c-d.com", strings.Repeat("a", 63) + ".com",
		strings.Repeat("a", 64) + ".com", strings.Repeat("a.", 127) + "a", strings.Repeat("a.", 128) + "a",
		"example.com:8080", "a/b.com"} {
		o := base
		o.Domain = d
		add(fmt.Sprintf("domain-%02d", i), fmt.Sprintf("Domain %q", d), "sess", "v", o, sessNow)
	}
	// Paths.
	for i, p := range []string{"", "/", "/a/b", "/p;q", "/a b", "/tab\there", "/\x01x\x7f", "/é",
		"/\"q\"", "/a,b", "no-slash"} {
		o := base
		o.Path = p
		add(fmt.Sprintf("path-%02d", i), fmt.Sprintf("Path %q", p), "sess", "v", o, sessNow)
	}
	// Values.
	for i, v := range []string{"", "abc", "abc=", "a b", "a,b", " lead", "trail ", `q"uote`, "semi;colon",
		`back\slash`, "tab\tx", "nl\nx", "é", "\x7f", "\x00", "(){}[]<>@:?=/", "'single'", "\"\"",
		"a\"b c", "MTcwMDAwMDAwMHxEdi1CQkFFQ180SUFBUkFCRUFBQUJfLUNBQUVHYzNSeWFXNW5EQWNBQldobGJHeHZ8"} {
		add(fmt.Sprintf("value-%02d", i), fmt.Sprintf("Value %q", v), "sess", v, base, sessNow)
	}
	// Names.
	for i, n := range []string{"sess", "session-name", "a.b_c", "!#$%&'*+-.^_`|~", "X",
		"", "se ss", "s;s", "s=s", "s\"s", "s,s", "s\ts", "ß", "s/s", "s(s)", "s@s", "s:s", "s\x7f"} {
		add(fmt.Sprintf("name-%02d", i), fmt.Sprintf("Name %q (invalid → empty string, no header)", n), n, "v", base, sessNow)
	}
	return cs
}

func writeHeaderFixtures(out string) error {
	log.SetOutput(io.Discard) // net/http logs every dropped byte and domain
	defer log.SetOutput(os.Stderr)
	var cases []obj
	for _, c := range headerCases() {
		o := c.o
		h, exp := pinnedCookieHeader(c.name, c.value, &o, c.now)
		cases = append(cases, obj{
			{"id", c.id}, {"description", c.desc}, {"name", c.name}, {"value", c.value},
			{"options", sessOptionsView(&o)}, {"now", c.now}, {"expires", exp},
			{"header", h}, {"valid_name_lex", isLexValidName(c.name)},
		})
	}
	return writeFixtureFile(out, "sessions/cookie_header.json", "sessions/cookie_header",
		"(*http.Cookie).String() of sessions.NewCookie(name, value, options) with Expires pinned to now "+
			"(same_site: Go's http.SameSite number, 0 = unset, 1 = Default, 2 = Lax, 3 = Strict, 4 = None; "+
			"expires: the Unix seconds NewCookie put in Expires, null when MaxAge == 0; "+
			"valid_name_lex: whether Registry.Get accepts the name)", cases)
}

// isLexValidName asks the real Registry.Get whether it accepts the name.
func isLexValidName(name string) bool {
	r := httptest.NewRequest("GET", "/", nil)
	_, err := sessions.GetRegistry(r).Get(sessions.NewCookieStore([]byte("k")), name)
	return err == nil || !strings.HasPrefix(err.Error(), "sessions: invalid character in cookie name")
}

// ---------------------------------------------------------------------------
// store_defaults.json

func writeDefaultsFixtures(out string) error {
	var cases []obj
	addStore := func(id, desc, source string, o *sessions.Options) {
		h, _ := pinnedCookieHeader("sess", "v", o, sessNow)
		cases = append(cases, obj{{"id", id}, {"description", desc}, {"source", source},
			{"options", sessOptionsView(o)}, {"now", sessNow}, {"header", h}})
	}
	cs := sessions.NewCookieStore([]byte("k"))
	addStore("cookie-v1.4", "NewCookieStore defaults, gorilla/sessions v1.4.0 (linked)", "run", cs.Options)
	addStore("cookie-v1.3", "NewCookieStore defaults, gorilla/sessions v1.3.0 (store.go read: Path /, MaxAge 2592000, SameSite None, Secure)",
		"read gorilla/sessions@v1.3.0:store.go (NewCookieStore)",
		&sessions.Options{Path: "/", MaxAge: 86400 * 30, SameSite: http.SameSiteNoneMode, Secure: true})
	addStore("cookie-v1.2", "NewCookieStore defaults, gorilla/sessions v1.2.2 (store.go read: Path /, MaxAge 2592000)",
		"read gorilla/sessions@v1.2.2:store.go (NewCookieStore)",
		&sessions.Options{Path: "/", MaxAge: 86400 * 30})
	fs := sessions.NewFilesystemStore("", []byte("k"))
	addStore("filesystem", "NewFilesystemStore defaults (all releases)", "run", fs.Options)
	ms := memstore.NewMemStore([]byte("k"))
	addStore("memstore", "memstore.NewMemStore defaults (quasoft/memstore 84a0501)", "run", ms.Options)
	// Codec maxAge follows store.MaxAge: a cookie 2592000 s old decodes, 2592001 s old does not.
	for _, age := range []int64{2592000, 2592001} {
		st := sessions.NewCookieStore(hashKey("sess-defaults", 32))
		for _, c := range st.Codecs {
			pinClock(c, sessNow)
		}
		cookie := mustEncode(cfg(hashKey("sess-defaults", 32)), "sess", map[interface{}]interface{}{"a": "b"}, sessNow-age)
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", "sess="+cookie)
		s, err := st.New(r, "sess")
		cases = append(cases, obj{{"id", fmt.Sprintf("codec-maxage-%d", age)},
			{"description", "NewCookieStore syncs its codecs' maxAge to Options.MaxAge (cookie of the given age)"},
			{"source", "run"}, {"keys", keysView([][]byte{hashKey("sess-defaults", 32)})},
			{"cookie", cookie}, {"now", sessNow}, {"is_new", s.IsNew}, {"error", sessErrText(err)}})
	}
	return writeFixtureFile(out, "sessions/store_defaults.json", "sessions/store_defaults",
		"default Options of each store and release, and the header of a value saved with them; "+
			"source \"run\" = taken from the linked module, otherwise the release's source as read", cases)
}

func sessErrText(err error) any {
	if err == nil {
		return nil
	}
	return err.Error()
}

// ---------------------------------------------------------------------------
// Store saves and loads (cookiestore.json, filesystem.json, memstore.json)

// sessValue is one session's content for a fixture: values plus AddFlash calls.
type sessValue struct {
	values  map[interface{}]interface{}
	flashes [][2]string // (key, message); key "" = default
}

func (v sessValue) apply(s *sessions.Session) {
	for k, x := range v.values {
		s.Values[k] = x
	}
	for _, f := range v.flashes {
		if f[0] == "" {
			s.AddFlash(f[1])
		} else {
			s.AddFlash(f[1], f[0])
		}
	}
}

func sessValues() []struct {
	id, desc string
	v        sessValue
} {
	return []struct {
		id, desc string
		v        sessValue
	}{
		{"empty", "no values", sessValue{}},
		{"one-string", "one string value", sessValue{values: map[interface{}]interface{}{"user": "ann"}}},
		{"int-key", "an int key and an int value", sessValue{values: map[interface{}]interface{}{42: 7}}},
		{"flash", "one default flash (AddFlash)", sessValue{flashes: [][2]string{{"", "hello"}}}},
		{"flashes-2", "two default flashes", sessValue{flashes: [][2]string{{"", "one"}, {"", "two"}}}},
		{"flash-named", "a flash under a named key", sessValue{flashes: [][2]string{{"errors", "bad input"}}}},
		{"mixed", "values and flashes",
			sessValue{values: map[interface{}]interface{}{"user": "ann", "n": int64(3)}, flashes: [][2]string{{"", "hi"}}}},
		{"nested", "a nested map[string]interface{} and a []interface{}",
			sessValue{values: map[interface{}]interface{}{"prefs": map[string]interface{}{"theme": "dark"},
				"list": []interface{}{"a", 1, true}}}},
	}
}

// withRand runs f with crypto/rand yielding data (then failing).
func withRand(data []byte, f func()) {
	withRandReader(&ivReader{iv: data}, f)
}

// savePinned saves s with crypto/rand reading rnd and checks its Set-Cookie against
// pinnedCookieHeader (Expires aside); the pinned header and the cookie value.
func savePinned(s *sessions.Session, req *http.Request, rnd []byte) (pinned, cookie string, err error) {
	w := httptest.NewRecorder()
	withRand(rnd, func() { err = s.Save(req, w) })
	if err != nil {
		return "", "", err
	}
	h, err := headerOf(w)
	if err != nil {
		return "", "", err
	}
	cookie = cookieValueOf(h)
	pinned, _ = pinnedCookieHeader(s.Name(), cookie, s.Options, sessNow)
	if stripExpires(pinned) != stripExpires(h) {
		return "", "", fmt.Errorf("header mismatch: %q vs %q", pinned, h)
	}
	return pinned, cookie, nil
}

func pinStoreCodecs(codecs []securecookie.Codec, now int64) {
	for _, c := range codecs {
		pinClock(c, now)
	}
}

// headerOf returns the single Set-Cookie header of a recorder ("" when none).
func headerOf(w *httptest.ResponseRecorder) (string, error) {
	hs := w.Header().Values("Set-Cookie")
	switch len(hs) {
	case 0:
		return "", nil
	case 1:
		return hs[0], nil
	}
	return "", fmt.Errorf("%d Set-Cookie headers", len(hs))
}

// cookieValueOf parses the value of the header's cookie (the real http parser).
func cookieValueOf(h string) string {
	c, err := http.ParseSetCookie(h)
	if err != nil {
		return ""
	}
	return c.Value
}

// stableSave repeats save until the plaintext of `cookie(result)` is the smallest gob encoding
// of values (Go's map order is random). It returns the result of the accepted run.
func stableSave[T any](values map[interface{}]interface{}, blockKey []byte, save func() (T, string, error)) (T, error) {
	best := sessCanonicalGob(values)
	var last T
	for i := 0; i < 5000; i++ {
		res, payloadCookie, err := save()
		if err != nil {
			return res, err
		}
		last = res
		p, perr := parseCookie(payloadCookie, blockKey)
		if perr != nil {
			return res, perr
		}
		if bytes.Equal(p.Plain, best) {
			return res, nil
		}
	}
	return last, fmt.Errorf("stableSave: no run produced the canonical encoding")
}

func writeCookieStoreFixtures(out string) error {
	var cases []obj
	keySets := []struct {
		id   string
		keys [][]byte
	}{
		{"hmac", [][]byte{hashKey("sess-cs", 32)}},
		{"aes", [][]byte{hashKey("sess-cs", 32), blockKey("sess-cs", 32)}},
	}
	optionSets := []struct {
		id string
		o  *sessions.Options // nil = store defaults
	}{
		{"defaults", nil},
		{"custom", &sessions.Options{Path: "/app", Domain: "example.com", MaxAge: 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode}},
		{"delete", &sessions.Options{Path: "/", MaxAge: -1}},
		{"session-cookie", &sessions.Options{Path: "/", MaxAge: 0, Secure: true, Partitioned: true, SameSite: http.SameSiteNoneMode}},
	}
	iv := seedBytes("sess-cs-iv", 16)
	for _, ks := range keySets {
		for _, sv := range sessValues() {
			for _, os_ := range optionSets {
				if os_.id != "defaults" && sv.id != "mixed" && sv.id != "one-string" {
					continue
				}
				var blk []byte
				if len(ks.keys) > 1 {
					blk = ks.keys[1]
				}
				type res struct {
					header, cookie string
					values         map[interface{}]interface{}
					opts           *sessions.Options
				}
				var values map[interface{}]interface{}
				{
					st := sessions.NewCookieStore(ks.keys...)
					s, _ := st.New(httptest.NewRequest("GET", "/", nil), "sess")
					sv.v.apply(s)
					values = s.Values
				}
				got, err := stableSave(values, blk, func() (res, string, error) {
					st := sessions.NewCookieStore(ks.keys...)
					pinStoreCodecs(st.Codecs, sessNow)
					req := httptest.NewRequest("GET", "/", nil)
					s, _ := st.Get(req, "sess")
					s.Values = sessClone(values).(map[interface{}]interface{})
					if os_.o != nil {
						o := *os_.o
						s.Options = &o
					}
					pinned, cookie, err := savePinned(s, req, bytes.Repeat(iv, 2))
					if err != nil {
						return res{}, "", err
					}
					return res{pinned, cookie, s.Values, s.Options}, cookie, nil
				})
				if err != nil {
					return fmt.Errorf("cookiestore %s/%s/%s: %w", ks.id, sv.id, os_.id, err)
				}
				var ivView any
				if blk != nil {
					ivView = hex.EncodeToString(iv)
				}
				cases = append(cases, obj{
					{"id", fmt.Sprintf("save-%s-%s-%s", ks.id, sv.id, os_.id)},
					{"description", fmt.Sprintf("CookieStore.Save: %s; keys %s; options %s", sv.desc, ks.id, os_.id)},
					{"op", "save"}, {"keys", keysView(ks.keys)}, {"name", "sess"},
					{"values", typedView(got.values)}, {"options", sessOptionsView(got.opts)},
					{"options_default", os_.o == nil},
					{"now", sessNow}, {"iv", ivView}, {"cookie", got.cookie}, {"header", got.header},
				})
			}
		}
	}
	// Loads of Go-written cookies.
	for _, ks := range keySets {
		for _, sv := range sessValues() {
			st := sessions.NewCookieStore(ks.keys...)
			s, _ := st.New(httptest.NewRequest("GET", "/", nil), "sess")
			sv.v.apply(s)
			cookie := mustEncodeMulti(ks.keys, "sess", s.Values, sessNow-100)
			cases = append(cases, loadCookieCase(fmt.Sprintf("load-%s-%s", ks.id, sv.id),
				"CookieStore.New on a Go-written cookie: "+sv.desc, ks.keys, "sess", cookie, sessNow, 0))
		}
	}
	good := mustEncodeMulti(keySets[0].keys, "sess", map[interface{}]interface{}{"user": "ann"}, sessNow-100)
	old := mustEncodeMulti(keySets[0].keys, "sess", map[interface{}]interface{}{"user": "ann"}, sessNow-2592001)
	other := mustEncodeMulti([][]byte{hashKey("sess-other", 32)}, "sess", map[interface{}]interface{}{"user": "eve"}, sessNow-100)
	rotated := [][]byte{hashKey("sess-new", 32), nil, keySets[0].keys[0], nil}
	cases = append(cases,
		loadCookieCase("load-expired", "cookie older than the codecs' maxAge (30 days)", keySets[0].keys, "sess", old, sessNow, 0),
		loadCookieCase("load-expired-maxage-60", "store.MaxAge(60) shortens the codecs' maxAge", keySets[0].keys, "sess", good, sessNow, 60),
		loadCookieCase("load-foreign", "cookie signed with another key", keySets[0].keys, "sess", other, sessNow, 0),
		loadCookieCase("load-wrong-name", "cookie MAC'd for another name, sent under this name", keySets[0].keys, "other", good, sessNow, 0),
		loadCookieCase("load-garbage", "not base64", keySets[0].keys, "sess", "!!!", sessNow, 0),
		loadCookieCase("load-rotated", "old key second in the rotation list", rotated, "sess", good, sessNow, 0),
		loadCookieCase("load-absent", "no cookie", keySets[0].keys, "sess", "", sessNow, 0),
	)
	// Flashes of a non-[]interface{} value: Go panics.
	bad := mustEncodeMulti(keySets[0].keys, "sess", map[interface{}]interface{}{"_flash": []interface{}{"ok"}, "strs": "not-a-slice"}, sessNow-100)
	c := loadCookieCase("load-flash-wrong-type", "Flashes(\"strs\") on a string value panics in Go", keySets[0].keys, "sess", bad, sessNow, 0)
	cases = append(cases, c)
	return writeFixtureFile(out, "sessions/cookiestore.json", "sessions/cookiestore",
		"CookieStore saves (pinned clock and IV; header = Go's Set-Cookie with Expires pinned) and loads of "+
			"Go-written cookies (values = typed view of session.Values, flashes = Flashes(key) per key, "+
			"\"panic: ...\" where Go panics)", cases)
}

// sessCanonicalGob is the smallest gob encoding of v seen in many tries (Go's map iteration
// order is random and, with swiss tables, some orders are rare: try often).
func sessCanonicalGob(v interface{}) []byte {
	var best []byte
	for i := 0; i < 2000; i++ {
		b, err := serialize("gob", sessClone(v))
		if err != nil {
			panic(err)
		}
		if best == nil || bytes.Compare(b, best) < 0 {
			best = b
		}
	}
	return best
}

// sessClone copies maps (recursively) into fresh map objects, inserting the top-level keys in a
// random order: a small Go map iterates its slots (insertion order) from a random offset, so
// one map only ever yields the rotations of its insertion order; fresh shuffled copies reach
// every order, which makes "the smallest encoding" canonical.
func sessClone(v interface{}) interface{} {
	switch m := v.(type) {
	case map[interface{}]interface{}:
		keys := make([]interface{}, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		mrand.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		out := make(map[interface{}]interface{}, len(m))
		for _, k := range keys {
			out[k] = sessClone(m[k])
		}
		return out
	case map[string]interface{}:
		out := make(map[string]interface{}, len(m))
		for k, x := range m {
			out[k] = sessClone(x)
		}
		return out
	}
	return v
}

// mustEncodeMulti is EncodeMulti with a pinned clock and IV whose payload is the canonical
// gob encoding of v (so fixture files are reproducible).
func mustEncodeMulti(keys [][]byte, name string, v interface{}, ts int64) string {
	var blk []byte
	if len(keys) > 1 {
		blk = keys[1]
	}
	want := sessCanonicalGob(v)
	for i := 0; i < 5000; i++ {
		codecs := securecookie.CodecsFromPairs(keys...)
		pinStoreCodecs(codecs, ts)
		var out string
		var err error
		withRand(bytes.Repeat(seedBytes("sess-helper-iv", 16), 2), func() {
			out, err = securecookie.EncodeMulti(name, sessClone(v), codecs...)
		})
		if err != nil {
			panic(err)
		}
		if p, perr := parseCookie(out, blk); perr == nil && bytes.Equal(p.Plain, want) {
			return out
		}
	}
	panic("mustEncodeMulti: no run produced the canonical encoding")
}

// flashView calls s.Flashes(key) and renders the result (or the panic).
func flashView(s *sessions.Session, key string) (v any) {
	defer func() {
		if r := recover(); r != nil {
			v = fmt.Sprintf("panic: %v", r)
		}
	}()
	return typedView(s.Flashes(key))
}

func sessionView(s *sessions.Session, err error, flashKeys []string) obj {
	o := obj{}
	if s != nil {
		o = append(o, kv{"values", typedView(s.Values)}, kv{"is_new", s.IsNew}, kv{"session_id", s.ID})
		fl := obj{}
		for _, k := range flashKeys {
			fl = append(fl, kv{k, flashView(s, k)})
		}
		o = append(o, kv{"flashes", fl}, kv{"values_after_flashes", typedView(s.Values)})
	} else {
		o = append(o, kv{"values", nil}, kv{"is_new", nil}, kv{"session_id", nil}, kv{"flashes", nil}, kv{"values_after_flashes", nil})
	}
	return append(o, kv{"error", sessErrText(err)})
}

// getWithCookie runs st.Get on a request carrying "Cookie: name=cookie" (no header when cookie is empty).
func getWithCookie(st sessions.Store, name, cookie string) (*sessions.Session, error) {
	r := httptest.NewRequest("GET", "/", nil)
	if cookie != "" {
		r.Header.Set("Cookie", name+"="+cookie)
	}
	return st.Get(r, name)
}

var defaultFlashKeys = []string{"_flash", "errors", "strs"}

func loadCookieCase(id, desc string, keys [][]byte, name, cookie string, now int64, maxAge int) obj {
	st := sessions.NewCookieStore(keys...)
	if maxAge != 0 {
		st.MaxAge(maxAge)
	}
	pinStoreCodecs(st.Codecs, now)
	s, err := getWithCookie(st, name, cookie)
	ma := any(nil)
	if maxAge != 0 {
		ma = int64(maxAge)
	}
	base := obj{{"id", id}, {"description", desc}, {"op", "load"}, {"keys", keysView(keys)}, {"name", name},
		{"cookie", cookie}, {"now", now}, {"store_max_age", ma}}
	return append(base, sessionView(s, err, defaultFlashKeys)...)
}

// ---------------------------------------------------------------------------
// filesystem.json

func readDir(dir string) (obj, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := obj{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		st, _ := e.Info()
		files = append(files, kv{e.Name(), obj{{"contents", string(b)}, {"mode", fmt.Sprintf("%04o", st.Mode().Perm())}}})
	}
	return files, nil
}

func writeFilesystemFixtures(out string) error {
	var cases []obj
	keySets := []struct {
		id   string
		keys [][]byte
	}{
		{"hmac", [][]byte{hashKey("sess-fs", 32)}},
		{"aes", [][]byte{hashKey("sess-fs", 32), blockKey("sess-fs", 16)}},
	}
	idRand := seedBytes("sess-fs-id", 32)
	iv := seedBytes("sess-fs-iv", 16)
	for _, ks := range keySets {
		var blk []byte
		if len(ks.keys) > 1 {
			blk = ks.keys[1]
		}
		for _, sv := range sessValues() {
			for _, ma := range []int{86400, 0, -1} {
				if ma != 86400 && sv.id != "mixed" {
					continue
				}
				var values map[interface{}]interface{}
				{
					st := sessions.NewFilesystemStore(os.TempDir(), ks.keys...)
					s, _ := st.New(httptest.NewRequest("GET", "/", nil), "fsess")
					sv.v.apply(s)
					values = s.Values
				}
				type res struct {
					header, cookie, id string
					files              obj
				}
				got, err := stableSave(values, blk, func() (res, string, error) {
					dir, err := os.MkdirTemp("", "sessfix")
					if err != nil {
						return res{}, "", err
					}
					defer os.RemoveAll(dir)
					st := sessions.NewFilesystemStore(dir, ks.keys...)
					pinStoreCodecs(st.Codecs, sessNow)
					req := httptest.NewRequest("GET", "/", nil)
					s, _ := st.Get(req, "fsess")
					s.Values = sessClone(values).(map[interface{}]interface{})
					if ma <= 0 {
						// An existing session being deleted: save it first, then delete.
						withRand(append(append([]byte{}, idRand...), bytes.Repeat(iv, 2)...), func() { err = s.Save(req, httptest.NewRecorder()) })
						if err != nil {
							return res{}, "", err
						}
						s.Options.MaxAge = ma
					}
					pinned, cookie, err := savePinned(s, req, append(append([]byte{}, idRand...), bytes.Repeat(iv, 2)...))
					if err != nil {
						return res{}, "", err
					}
					files, err := readDir(dir)
					if err != nil {
						return res{}, "", err
					}
					var payload string
					if len(files) == 1 {
						payload = files[0].V.(obj)[0].V.(string)
					} else if ma > 0 {
						return res{}, "", fmt.Errorf("%d files", len(files))
					} else {
						// Deleted: no values were written, nothing depends on map order.
						return res{pinned, cookie, s.ID, files}, "", errSkipStable
					}
					return res{pinned, cookie, s.ID, files}, payload, nil
				})
				if err == errSkipStable {
					err = nil
				}
				if err != nil {
					return fmt.Errorf("filesystem %s/%s/%d: %w", ks.id, sv.id, ma, err)
				}
				var ivView any
				if blk != nil {
					ivView = hex.EncodeToString(iv)
				}
				cases = append(cases, obj{
					{"id", fmt.Sprintf("save-%s-%s-ma%d", ks.id, sv.id, ma)},
					{"description", fmt.Sprintf("FilesystemStore.Save: %s; keys %s; MaxAge %d", sv.desc, ks.id, ma)},
					{"op", "save"}, {"keys", keysView(ks.keys)}, {"name", "fsess"},
					{"values", typedView(values)}, {"max_age", int64(ma)},
					{"now", sessNow}, {"id_random", hex.EncodeToString(idRand)}, {"iv", ivView},
					{"session_id", got.id}, {"files", got.files}, {"cookie", got.cookie}, {"header", got.header},
				})
			}
		}
	}
	// Loads of Go-written stores: the cookie and file Save writes (EncodeMulti of the ID and of
	// the values, MAC'd with the session name), with a pinned clock, IV and ID.
	for _, ks := range keySets {
		for _, sv := range sessValues() {
			st := sessions.NewFilesystemStore(os.TempDir(), ks.keys...)
			s, _ := st.New(httptest.NewRequest("GET", "/", nil), "fsess")
			sv.v.apply(s)
			id := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(
				seedBytes("sess-fs-load-"+ks.id+"-"+sv.id, 32))
			cookie := mustEncodeMulti(ks.keys, "fsess", id, sessNow-100)
			file := mustEncodeMulti(ks.keys, "fsess", s.Values, sessNow-100)
			files := obj{{"session_" + id, obj{{"contents", file}}}}
			cases = append(cases, loadFileCase(fmt.Sprintf("load-%s-%s", ks.id, sv.id),
				"FilesystemStore.New on Go-written files: "+sv.desc, ks.keys, "fsess", cookie, files, 0))
		}
	}
	// Error paths.
	ks := keySets[0].keys
	id := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	ck := mustEncodeMulti(ks, "fsess", id, sessNow-10)
	file := mustEncodeMulti(ks, "fsess", map[interface{}]interface{}{"user": "ann"}, sessNow-10)
	oldFile := mustEncodeMulti(ks, "fsess", map[interface{}]interface{}{"user": "ann"}, sessNow-2592001)
	otherName := mustEncodeMulti(ks, "other", map[interface{}]interface{}{"user": "ann"}, sessNow-10)
	trav := mustEncodeMulti(ks, "fsess", "../../x/"+id, sessNow-10)
	cases = append(cases,
		loadFileCase("load-missing-file", "valid cookie, no file", ks, "fsess", ck, obj{}, 0),
		loadFileCase("load-expired-file", "file older than maxAge", ks, "fsess", ck, obj{{"session_" + id, obj{{"contents", oldFile}}}}, 0),
		loadFileCase("load-file-other-name", "file MAC'd with another session name", ks, "fsess", ck, obj{{"session_" + id, obj{{"contents", otherName}}}}, 0),
		loadFileCase("load-traversal", "ID with path elements: filepath.Base keeps the last", ks, "fsess", trav, obj{{"session_" + id, obj{{"contents", file}}}}, 0),
		loadFileCase("load-file-too-long", "file longer than MaxLength(100)", ks, "fsess", ck, obj{{"session_" + id, obj{{"contents", file}}}}, 100),
	)
	return writeFixtureFile(out, "sessions/filesystem.json", "sessions/filesystem",
		"FilesystemStore saves (pinned clock; crypto/rand yields id_random for the ID, then the IVs) with the "+
			"resulting directory (file name → contents, mode) and loads of Go-written files; in load cases "+
			"`files` is what the directory holds before New (the {dir} in error texts is a temp dir)", cases)
}

var errSkipStable = fmt.Errorf("skip stable check")

func loadFileCase(id, desc string, keys [][]byte, name, cookie string, files obj, maxLength int) obj {
	dir, _ := os.MkdirTemp("", "sessfix")
	defer os.RemoveAll(dir)
	for _, f := range files {
		os.WriteFile(filepath.Join(dir, f.K), []byte(f.V.(obj)[0].V.(string)), 0o600)
	}
	st := sessions.NewFilesystemStore(dir, keys...)
	if maxLength != 0 {
		st.MaxLength(maxLength)
	}
	pinStoreCodecs(st.Codecs, sessNow)
	s, err := getWithCookie(st, name, cookie)
	et := sessErrText(err)
	if s, ok := et.(string); ok {
		et = strings.ReplaceAll(s, dir, "{dir}")
	}
	ml := any(nil)
	if maxLength != 0 {
		ml = int64(maxLength)
	}
	base := obj{{"id", id}, {"description", desc}, {"op", "load"}, {"keys", keysView(keys)}, {"name", name},
		{"cookie", cookie}, {"files", files}, {"now", sessNow}, {"max_length", ml}}
	v := sessionView(s, nil, defaultFlashKeys)
	v[len(v)-1] = kv{"error", et}
	return append(base, v...)
}

// ---------------------------------------------------------------------------

func writeSessionsFixtures(out string) error {
	for _, f := range []func(string) error{writeHeaderFixtures, writeDefaultsFixtures,
		writeCookieStoreFixtures, writeFilesystemFixtures} {
		if err := f(out); err != nil {
			return err
		}
	}
	return nil
}

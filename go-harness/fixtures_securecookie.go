package main

// fixtures_securecookie.go — fixtures/securecookie/*.json, written by running the real
// gorilla/securecookie v1.1.2 with a pinned clock and pinned IVs (pin.go).

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/gorilla/securecookie"
)

func init() {
	fixtureWriters["securecookie"] = writeSecurecookieFixtures
}

const ts0 = int64(1700000000)

// specKey is the spec's worked-example hash key (ASCII).
var specKey = []byte("0123456789abcdef0123456789abcdef")

// seedBytes derives n deterministic bytes from a label (SHA-256 in counter mode).
func seedBytes(label string, n int) []byte {
	out := make([]byte, 0, n+32)
	for i := 0; len(out) < n; i++ {
		h := sha256.Sum256([]byte(fmt.Sprintf("gorillacompat-fixtures|%s|%d", label, i)))
		out = append(out, h[:]...)
	}
	return out[:n]
}

func hashKey(label string, n int) []byte  { return seedBytes("hash:"+label, n) }
func blockKey(label string, n int) []byte { return seedBytes("block:"+label, n) }

// scCase is one securecookie fixture case.
type scCase struct {
	ID, Desc string
	Op       string // encode | decode | encode_multi | decode_multi
	Cfg      codecConfig
	Name     string
	Value    any    // encode: the Go value
	TS       int64  // encode: pinned clock
	IV       []byte // encode: pinned IV (nil → derived from the id when encrypting)
	RandFail bool   // encode: crypto/rand fails
	Cookie   string // decode
	Now      int64  // decode: pinned clock
	Dest     string // decode destination type (%T spelling); "" → default for the serializer
	Extra    obj    // extra fields appended to the case (e.g. notes)
	Warm     bool   // gob decode in the writer's own process (see fresh_process)
}

func cfg(keys ...[]byte) codecConfig {
	return codecConfig{Keys: keys, Hash: "sha256", Serializer: "gob", Options: defaultOptions}
}

func (c codecConfig) with(f func(*codecConfig)) codecConfig {
	c.Keys = append([][]byte(nil), c.Keys...)
	f(&c)
	return c
}

func (c codecConfig) hash(h string) codecConfig {
	return c.with(func(x *codecConfig) { x.Hash = h })
}
func (c codecConfig) ser(s string) codecConfig {
	return c.with(func(x *codecConfig) { x.Serializer = s })
}
func (c codecConfig) opts(maxAge, minAge, maxLength int) codecConfig {
	return c.with(func(x *codecConfig) { x.Options = scOptions{maxAge, minAge, maxLength} })
}

func (c codecConfig) encrypted() bool {
	return len(c.Keys) > 1 && c.Keys[1] != nil
}

func destFor(c scCase) string {
	if c.Dest != "" {
		return c.Dest
	}
	if c.Cfg.Serializer == "gob" || c.Cfg.Serializer == "" {
		if c.Value != nil && c.Op != "decode" && c.Op != "decode_multi" {
			return reflect.TypeOf(c.Value).String()
		}
	}
	return defaultDest(c.Cfg.Serializer)
}

func serialize(serializer string, v any) ([]byte, error) {
	sz, err := serializerFor(serializer)
	if err != nil {
		return nil, err
	}
	return sz.Serialize(v)
}

// encodeOnce runs Encode/EncodeMulti with the clock pinned to ts and crypto/rand
// yielding iv (once per codec tried).
func encodeOnce(c codecConfig, multi bool, name string, value any, ts int64, iv []byte, randFail bool) (string, error) {
	codecs, err := c.codecs(ts)
	if err != nil {
		return "", err
	}
	var cookie string
	var eerr error
	// NopEncoder hands the caller's []byte to encrypt(), which XORs it in place: encode
	// a copy so the case's value is not mutated.
	if b, ok := value.([]byte); ok && b != nil {
		value = append([]byte{}, b...)
	}
	run := func() {
		if multi {
			cookie, eerr = securecookie.EncodeMulti(name, value, codecs...)
		} else {
			cookie, eerr = codecs[0].Encode(name, value)
		}
	}
	if randFail {
		withRandReader(failReader{}, run)
	} else {
		withRandReader(&ivReader{iv: bytes.Repeat(iv, len(codecs)+1)}, run)
	}
	return cookie, eerr
}

// mustEncode is encodeOnce for helper cookies of decode cases (panics on error).
func mustEncode(c codecConfig, name string, value any, ts int64) string {
	cookie, err := encodeOnce(c, false, name, value, ts, seedBytes("helper-iv", 16), false)
	if err != nil {
		panic(fmt.Sprintf("mustEncode: %v", err))
	}
	return cookie
}

// stableGob returns the smallest of the gob encodings observed for v (map order is
// random in Go; fixtures must be reproducible, so we pick a canonical one and retry the
// real Encode until it produces it).
func stableSerialized(serializer string, v any) ([]byte, bool) {
	var best []byte
	distinct := map[string]bool{}
	for i := 0; i < 64; i++ {
		b, err := serialize(serializer, v)
		if err != nil {
			return nil, false
		}
		distinct[string(b)] = true
		if best == nil || bytes.Compare(b, best) < 0 {
			best = b
		}
	}
	return best, len(distinct) > 1
}

func (c scCase) run() (obj, error) {
	multi := strings.HasSuffix(c.Op, "_multi")
	dest := destFor(c)
	o := obj{{"id", c.ID}, {"description", c.Desc}, {"op", c.Op}, {"keys", keysView(c.Cfg.Keys)},
		{"hash", c.Cfg.Hash}, {"serializer", c.Cfg.Serializer}, {"options", c.Cfg.Options.view()},
		{"name", c.Name}}
	switch c.Op {
	case "encode", "encode_multi":
		iv := c.IV
		if iv == nil {
			iv = seedBytes("iv:"+c.ID, 16)
		}
		want, unstable := stableSerialized(c.Cfg.Serializer, c.Value)
		var cookie string
		var err error
		for try := 0; ; try++ {
			cookie, err = encodeOnce(c.Cfg, multi, c.Name, c.Value, c.TS, iv, c.RandFail)
			if err != nil || want == nil || !unstable {
				break
			}
			// Which codec encoded it: the first that decodes it.
			bk := []byte(nil)
			if p, perr := parseCookie(cookie, nil); perr == nil && c.Cfg.encrypted() {
				_ = p
				bk = c.Cfg.Keys[1]
			}
			if p, perr := parseCookie(cookie, bk); perr == nil && bytes.Equal(p.Plain, want) {
				break
			}
			if try > 5000 {
				return nil, fmt.Errorf("%s: could not reproduce canonical map order", c.ID)
			}
		}
		if c.Cfg.Serializer == "json" {
			// encoding/json writes null for a nil slice, map or []byte: keep it apart.
			o = append(o, kv{"value", typedViewNils(c.Value)})
		} else {
			o = append(o, kv{"value", typedView(c.Value)})
		}
		if want != nil {
			o = append(o, kv{"serialized", hex.EncodeToString(want)})
		} else {
			o = append(o, kv{"serialized", nil})
		}
		o = append(o, kv{"timestamp", c.TS})
		var ivv any
		if err == nil {
			// Self-check: parse the cookie back (codec 0's keys for the single API).
			var bk []byte
			if c.Cfg.encrypted() {
				bk = c.Cfg.Keys[1]
			}
			p, perr := parseCookie(cookie, bk)
			if !multi {
				if perr != nil {
					return nil, fmt.Errorf("%s: cannot parse own cookie: %v", c.ID, perr)
				}
				if p.TS != c.TS {
					return nil, fmt.Errorf("%s: timestamp %d != pinned %d", c.ID, p.TS, c.TS)
				}
				if bk != nil && !bytes.Equal(p.IV, iv) {
					return nil, fmt.Errorf("%s: IV %x != pinned %x", c.ID, p.IV, iv)
				}
				if !bytes.Equal(p.Plain, want) {
					return nil, fmt.Errorf("%s: serialized bytes differ from Serialize()", c.ID)
				}
			}
			if bk != nil && perr == nil && p.IV != nil && bytes.Equal(p.IV, iv) {
				ivv = hex.EncodeToString(iv)
			} else if c.Cfg.encrypted() || multi {
				// EncodeMulti: the codec that succeeded may be a later pair; report the
				// pinned IV when any encrypting codec exists.
				for i := 1; i < len(c.Cfg.Keys); i += 2 {
					if c.Cfg.Keys[i] != nil {
						ivv = hex.EncodeToString(iv)
					}
				}
			}
		}
		o = append(o, kv{"iv", ivv})
		if err == nil {
			o = append(o, kv{"cookie", cookie})
		} else {
			o = append(o, kv{"cookie", nil})
		}
		o = append(o, kv{"now", c.TS}, kv{"dest", dest})
		// Decoding what was encoded, at now = timestamp, with the same codecs.
		if err == nil {
			codecs, cerr := c.Cfg.codecs(c.TS)
			if cerr != nil {
				return nil, cerr
			}
			val, derr, herr := decodeInto(codecs, multi, c.Name, cookie, dest)
			if herr != nil {
				return nil, fmt.Errorf("%s: %v", c.ID, herr)
			}
			o = append(o, kv{"decoded", val}, kv{"decode_error", errorView(derr)})
		} else {
			o = append(o, kv{"decoded", nil}, kv{"decode_error", nil})
		}
		o = append(o, kv{"error", errorView(err)})
	case "decode", "decode_multi":
		codecs, err := c.Cfg.codecs(c.Now)
		if err != nil {
			return nil, err
		}
		var val, errv any
		if c.Cfg.Serializer == "gob" && !c.Warm {
			// gob error texts can name remote types through the process-wide type-id
			// table, so gob decodes run in a fresh child process (nothing encoded before).
			a, err := runFresh(compactJSON(obj{{"kind", "cookie"}, {"id", c.ID}, {"keys", keysView(c.Cfg.Keys)},
				{"hash", c.Cfg.Hash}, {"serializer", c.Cfg.Serializer}, {"options", c.Cfg.Options.view()},
				{"name", c.Name}, {"cookie", c.Cookie}, {"now", c.Now}, {"dest", dest}, {"multi", multi}}))
			if err != nil {
				return nil, fmt.Errorf("%s: %v", c.ID, err)
			}
			ao := a.(obj)
			if he, ok := ao.get("harness_error"); ok {
				return nil, fmt.Errorf("%s: %v", c.ID, he)
			}
			val, _ = ao.get("value")
			errv, _ = ao.get("error")
		} else {
			v, derr, herr := decodeInto(codecs, multi, c.Name, c.Cookie, dest)
			if herr != nil {
				return nil, fmt.Errorf("%s: %v", c.ID, herr)
			}
			val, errv = v, errorView(derr)
		}
		o = append(o, kv{"value", val}, kv{"serialized", nil}, kv{"timestamp", nil}, kv{"iv", nil},
			kv{"cookie", c.Cookie}, kv{"now", c.Now}, kv{"dest", dest}, kv{"error", errv}, kv{"fresh_process", c.Cfg.Serializer == "gob" && !c.Warm})
	default:
		return nil, fmt.Errorf("%s: bad op %q", c.ID, c.Op)
	}
	o = append(o, c.Extra...)
	return o, nil
}

func runCases(cases []scCase) ([]obj, error) {
	out := make([]obj, 0, len(cases))
	for _, c := range cases {
		if c.Name == "" && !strings.Contains(c.ID, "empty-name") {
			c.Name = "session"
		}
		if (c.Op == "encode" || c.Op == "encode_multi") && c.TS == 0 {
			c.TS = ts0
		}
		if (c.Op == "decode" || c.Op == "decode_multi") && c.Now == 0 {
			c.Now = ts0
		}
		o, err := c.run()
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// values

type m = map[interface{}]interface{}

type scUnregistered struct{ A int }

var fooBar = m{"foo": "bar"}

var specJSONValue = map[string]interface{}{"foo": "<b>&", "n": 1.0, "z": nil}

var allHashes = []string{"sha1", "sha224", "sha256", "sha384", "sha512", "md5", "sha512_256"}

// tamper returns cookie with its decoded raw bytes modified by f and re-encoded.
func tamper(cookie string, f func(raw []byte) []byte) string {
	raw, err := b64.DecodeString(cookie)
	if err != nil {
		panic(err)
	}
	return b64.EncodeToString(f(append([]byte(nil), raw...)))
}

func flipLast(raw []byte) []byte { raw[len(raw)-1] ^= 0x01; return raw }

func enc(id, desc string, c codecConfig, value any) scCase {
	return scCase{ID: id, Desc: desc, Op: "encode", Cfg: c, Value: value}
}

func dec(id, desc string, c codecConfig, cookie string, now int64) scCase {
	return scCase{ID: id, Desc: desc, Op: "decode", Cfg: c, Cookie: cookie, Now: now}
}

// ---------------------------------------------------------------------------

func writeSecurecookieFixtures(out string) error {
	files := []struct {
		rel, desc string
		cases     func() []scCase
	}{
		{"securecookie/hashes.json", "HMAC hash functions (hashlib names), the spec's worked examples, MAC tampering per hash", hashCases},
		{"securecookie/keys.json", "hash key lengths, AES-128/192/256 block keys and IVs, missing/invalid keys", keyCases},
		{"securecookie/names.json", "cookie names (every token character, empty, non-token bytes) and wrong-name decoding", nameCases},
		{"securecookie/values.json", "gob/json/nop values: empty, single- and multi-entry session maps, bytes", valueCases},
		{"securecookie/length.json", "max_length: exactly at the limit, one quantum over, disabled, decode side", lengthCases},
		{"securecookie/age.json", "max_age/min_age boundaries, max_age 0, future and odd timestamps", ageCases},
		{"securecookie/errors.json", "every error path with Go's exact text: MAC, base64 (outer and inner), timestamps, decryption, keys, serializers", errorCases},
		{"securecookie/rotation.json", "CodecsFromPairs key rotation: EncodeMulti/DecodeMulti and MultiError texts", rotationCases},
		{"securecookie/json_serializer.json", "JSONEncoder: Go's json output (+ newline) for escaping, float layout, nesting, key sorting", jsonSerializerCases},
	}
	for _, f := range files {
		cs, err := runCases(f.cases())
		if err != nil {
			return fmt.Errorf("%s: %w", f.rel, err)
		}
		if err := writeFixtureFile(out, f.rel, strings.TrimSuffix(f.rel, ".json"), f.desc, cs); err != nil {
			return err
		}
	}
	return nil
}

func hashCases() []scCase {
	var cs []scCase
	base := cfg(specKey, nil)
	cs = append(cs,
		enc("spec-example-gob-foo-bar", "spec securecookie.md §13: gob {\"foo\":\"bar\"}, key 0123456789abcdef0123456789abcdef, SHA-256, 1700000000", base, fooBar),
		enc("spec-example-json", "spec securecookie.md §13: JSONEncoder {\"foo\":\"<b>&\",\"n\":1,\"z\":null}", base.ser("json"), specJSONValue),
		enc("spec-example-sha512-x", "spec securecookie.md §13: SHA-512, gob string \"x\"", base.hash("sha512"), "x"),
	)
	for _, h := range allHashes {
		c := base.hash(h)
		cs = append(cs,
			enc("gob-foo-bar-"+h, "gob {\"foo\":\"bar\"} with HMAC-"+h, c, fooBar),
			enc("json-"+h, "JSON value with HMAC-"+h, c.ser("json"), specJSONValue),
			enc("nop-"+h, "NopEncoder []byte(\"hello\") with HMAC-"+h, c.ser("nop"), []byte("hello")),
			enc("gob-aes256-"+h, "gob {\"foo\":\"bar\"}, AES-256 + HMAC-"+h, cfg(specKey, blockKey("aes256", 32)).hash(h), fooBar),
			enc("gob-key64-"+h, "64-byte hash key (longer than SHA-256's block for sha512? no: equal to the 64-byte block of md5/sha1/sha2-256) with HMAC-"+h, cfg(hashKey("k64", 64), nil).hash(h), m{"n": 42}),
			enc("gob-key129-"+h, "129-byte hash key (longer than every block size: HMAC hashes the key first) with HMAC-"+h, cfg(hashKey("k129", 129), nil).hash(h), m{"n": 42}),
		)
		good := mustEncode(c, "session", fooBar, ts0)
		cs = append(cs,
			dec("tampered-mac-"+h, "last MAC byte flipped, HMAC-"+h, c, tamper(good, flipLast), ts0),
			dec("truncated-mac-"+h, "MAC shortened by one byte (length mismatch), HMAC-"+h, c, tamper(good, func(r []byte) []byte { return r[:len(r)-1] }), ts0),
			dec("extended-mac-"+h, "one byte appended to the MAC, HMAC-"+h, c, tamper(good, func(r []byte) []byte { return append(r, 0) }), ts0),
		)
		other := "sha256"
		if h == "sha256" {
			other = "sha512_256" // same MAC length, different function
		}
		cs = append(cs, dec("wrong-hash-"+h, "cookie made with HMAC-"+h+" decoded with HMAC-"+other, c.hash(other), good, ts0))
	}
	return cs
}

func keyCases() []scCase {
	var cs []scCase
	for _, n := range []int{1, 7, 15, 16, 31, 32, 33, 63, 64, 65, 100, 128, 129, 200} {
		cs = append(cs, enc(fmt.Sprintf("hash-key-len-%d", n), fmt.Sprintf("hash key of %d bytes, no encryption", n), cfg(hashKey(fmt.Sprintf("len%d", n), n), nil), fooBar))
	}
	for _, n := range []int{1, 7, 33, 129} {
		cs = append(cs, enc(fmt.Sprintf("hash-key-len-%d-sha512", n), fmt.Sprintf("hash key of %d bytes, HMAC-SHA-512", n), cfg(hashKey(fmt.Sprintf("len%d", n), n), nil).hash("sha512"), fooBar))
	}
	ivs := []struct {
		name string
		iv   []byte
	}{
		{"derived", nil},
		{"zero", make([]byte, 16)},
		{"ff", bytes.Repeat([]byte{0xff}, 16)},
		{"carry64", append(make([]byte, 8), bytes.Repeat([]byte{0xff}, 8)...)},
		{"ctr-last-ff", append(bytes.Repeat([]byte{0x11}, 15), 0xff)},
	}
	long := strings.Repeat("0123456789", 12) // 120 chars: several AES blocks
	for _, bits := range []int{128, 192, 256} {
		bk := blockKey(fmt.Sprintf("aes%d", bits), bits/8)
		c := cfg(hashKey("main", 32), bk)
		for _, iv := range ivs {
			cs = append(cs,
				scCase{ID: fmt.Sprintf("aes%d-iv-%s-gob", bits, iv.name), Desc: fmt.Sprintf("AES-%d CTR, IV %s, gob {\"foo\":\"bar\"}", bits, iv.name), Op: "encode", Cfg: c, Value: fooBar, IV: iv.iv},
				scCase{ID: fmt.Sprintf("aes%d-iv-%s-long", bits, iv.name), Desc: fmt.Sprintf("AES-%d CTR, IV %s, 120-char string value (multi-block keystream)", bits, iv.name), Op: "encode", Cfg: c, Value: m{"s": long}, IV: iv.iv},
			)
		}
		cs = append(cs,
			enc(fmt.Sprintf("aes%d-json", bits), fmt.Sprintf("AES-%d, JSON serializer", bits), c.ser("json"), map[string]interface{}{"user": "ann", "id": 7.0}),
			enc(fmt.Sprintf("aes%d-nop-1byte", bits), fmt.Sprintf("AES-%d, NopEncoder one byte (17-byte inner payload: decodable)", bits), c.ser("nop"), []byte{0x2a}),
			enc(fmt.Sprintf("aes%d-sha512", bits), fmt.Sprintf("AES-%d with HMAC-SHA-512", bits), c.hash("sha512"), fooBar),
		)
	}
	cs = append(cs,
		enc("hash-key-equals-block-key", "the same 32 bytes as hash and block key", cfg(hashKey("same", 32), hashKey("same", 32)), fooBar),
		enc("spec-key-aes128-spec-block", "spec key with block key fedcba9876543210 (AES-128), pinned IV 00..0f", cfg(specKey, []byte("fedcba9876543210")), fooBar),
	)
	cs[len(cs)-1].IV = []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	good := mustEncode(cfg(hashKey("main", 32), nil), "session", fooBar, ts0)
	for _, n := range []int{0, 1, 5, 15, 17, 31, 33, 64} {
		bk := blockKey("bad", n)
		c := cfg(hashKey("main", 32), bk)
		cs = append(cs,
			enc(fmt.Sprintf("bad-block-key-%d-encode", n), fmt.Sprintf("%d-byte block key: sticky usage error from aes.NewCipher on Encode", n), c, fooBar),
			dec(fmt.Sprintf("bad-block-key-%d-decode", n), fmt.Sprintf("%d-byte block key: the same sticky error on Decode (before anything else)", n), c, good, ts0),
		)
	}
	cs = append(cs,
		enc("nil-hash-key-encode", "nil hash key: hash key is not set", cfg(nil, nil), fooBar),
		dec("nil-hash-key-decode", "nil hash key on Decode", cfg(nil, nil), good, ts0),
		enc("empty-hash-key-encode", "empty non-nil hash key: v1.1.2 rejects it like nil", cfg([]byte{}, nil), fooBar),
		dec("empty-hash-key-decode", "empty non-nil hash key on Decode", cfg([]byte{}, nil), good, ts0),
		enc("nil-hash-key-with-block-key", "nil hash key but a valid block key", cfg(nil, blockKey("aes256", 32)), fooBar),
		enc("nil-hash-key-bad-block-key", "nil hash key and a 5-byte block key: the block error wins (BlockFunc runs after the hash check and overwrites it)", cfg(nil, blockKey("bad", 5)), fooBar),
		dec("wrong-hash-key", "cookie decoded with a different hash key", cfg(hashKey("other", 32), nil), good, ts0),
		dec("wrong-block-key", "encrypted cookie decoded with the right hash key and a wrong block key: MAC passes, garbage reaches gob",
			cfg(hashKey("main", 32), blockKey("other", 32)), mustEncode(cfg(hashKey("main", 32), blockKey("aes256", 32)), "session", fooBar, ts0), ts0),
		dec("encrypted-cookie-no-block-key", "encrypted cookie decoded without a block key: IV+ciphertext handed to gob",
			cfg(hashKey("main", 32), nil), mustEncode(cfg(hashKey("main", 32), blockKey("aes256", 32)), "session", fooBar, ts0), ts0),
		dec("plain-cookie-with-block-key", "unencrypted cookie (47-byte gob) decoded with a block key: 'decrypted' into garbage",
			cfg(hashKey("main", 32), blockKey("aes256", 32)), good, ts0),
	)
	return cs
}

func nameCases() []scCase {
	var cs []scCase
	c := cfg(specKey, nil)
	token := "!#$%&'*+-.^_`|~"
	for i, ch := range token {
		cs = append(cs, enc(fmt.Sprintf("name-token-%02d", i), fmt.Sprintf("cookie name %q (token character)", string(ch)), c, fooBar))
		cs[len(cs)-1].Name = string(ch)
	}
	names := []struct{ id, name string }{
		{"name-digits", "0123456789"},
		{"name-lower", "abcdefghijklmnopqrstuvwxyz"},
		{"name-upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{"name-all-token-chars", "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{"name-pipe-inside", "a|b"},
		{"name-space", "a b"},
		{"name-semicolon", "a;b"},
		{"name-utf8", "sessión-ü"},
		{"name-long", strings.Repeat("n", 300)},
		{"empty-name", ""},
	}
	for _, n := range names {
		cs = append(cs, enc(n.id, fmt.Sprintf("cookie name %q (securecookie does not validate names; only the MAC covers it)", n.name), c, fooBar))
		cs[len(cs)-1].Name = n.name
	}
	wrong := []struct{ id, made, used string }{
		{"wrong-name-case", "session", "Session"},
		{"wrong-name-suffix", "session", "session2"},
		{"wrong-name-space", "session", "session "},
		{"wrong-name-empty", "session", ""},
		{"wrong-name-from-empty", "", "x"},
		{"wrong-name-pipe-shift", "a|b", "a"},
	}
	for _, w := range wrong {
		cs = append(cs, scCase{ID: w.id, Desc: fmt.Sprintf("cookie made for name %q decoded as %q", w.made, w.used), Op: "decode", Cfg: c,
			Cookie: mustEncode(c, w.made, fooBar, ts0), Name: w.used})
		if w.used == "" {
			cs[len(cs)-1].ID = "wrong-name-empty-name"
		}
	}
	// The pipe ambiguity: name "a" + inner starting with "b|..." cannot collide in
	// practice; show that "a|b" decodes with its own name.
	return cs
}

func valueCases() []scCase {
	var cs []scCase
	c := cfg(specKey, nil)
	gob := []struct {
		id, desc string
		v        any
	}{
		{"gob-empty-map", "empty map[interface {}]interface {}", m{}},
		{"gob-empty-string-value", "{\"k\": \"\"}", m{"k": ""}},
		{"gob-empty-key", "{\"\": \"v\"}", m{"": "v"}},
		{"gob-int", "{\"n\": 42}", m{"n": 42}},
		{"gob-int-zero", "{\"n\": 0}", m{"n": 0}},
		{"gob-int-negative", "{\"n\": -1}", m{"n": -1}},
		{"gob-int-min", "{\"n\": MinInt64}", m{"n": math.MinInt64}},
		{"gob-int-max", "{\"n\": MaxInt64}", m{"n": math.MaxInt64}},
		{"gob-bool-true", "{\"ok\": true}", m{"ok": true}},
		{"gob-bool-false", "{\"ok\": false}", m{"ok": false}},
		{"gob-unicode", "{\"name\": \"Zoë 😀\"}", m{"name": "Zoë 😀"}},
		{"gob-int-key", "{1: \"one\"}", m{1: "one"}},
		{"gob-bool-key", "{true: 1}", m{true: 1}},
		{"gob-float", "{\"f\": 1.5}", m{"f": 1.5}},
		{"gob-long-string", "{\"s\": 1000 x 'x'}", m{"s": strings.Repeat("x", 1000)}},
		{"gob-user-id", "{\"user_id\": 12345}", m{"user_id": 12345}},
		{"gob-two-entries", "two entries (wire order is the canonical one the harness picked)", m{"a": "1", "b": 2}},
		{"gob-three-entries", "three entries, string/int/bool", m{"user": "ann", "uid": 7, "admin": false}},
		{"gob-top-string", "top-level string (not a map)", "hello"},
		{"gob-top-empty-string", "top-level empty string", ""},
		{"gob-top-int", "top-level int", 42},
	}
	for _, g := range gob {
		cs = append(cs, enc(g.id, "gob "+g.desc, c, g.v))
	}
	aes := cfg(specKey, blockKey("aes256", 32))
	cs = append(cs,
		enc("gob-empty-map-aes256", "empty map with AES-256", aes, m{}),
		enc("nop-empty", "NopEncoder []byte{}: empty inner base64", c.ser("nop"), []byte{}),
		enc("nop-binary", "NopEncoder all 256 byte values", c.ser("nop"), allBytes()),
		enc("nop-pipe-bytes", "NopEncoder bytes containing '|' (the inner base64 never does)", c.ser("nop"), []byte("a|b|c")),
		enc("nop-empty-aes256", "NopEncoder []byte{} with AES-256: encodes to a bare IV, which Decode then rejects (len must be > 16)", aes.ser("nop"), []byte{}),
		enc("nop-16-aes256", "NopEncoder 16 bytes with AES-256", aes.ser("nop"), []byte("0123456789abcdef")),
		enc("json-empty-string", "JSON top-level \"\"", c.ser("json"), ""),
		enc("json-empty-map", "JSON empty map[string]interface {}", c.ser("json"), map[string]interface{}{}),
		enc("json-nil", "JSON nil → null", c.ser("json"), nil),
		enc("json-empty-slice", "JSON empty []interface {}", c.ser("json"), []interface{}{}),
	)
	return cs
}

func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// findLengthBoundary returns (exact, over): values whose cookie is exactly limit
// characters and the next size up, which exceeds it.
func findLengthBoundary(c codecConfig, mk func(n int) any, limit int) (any, any) {
	unl := c.opts(c.Options.MaxAge, c.Options.MinAge, 0)
	var exact any
	for n := 0; n < 100000; n++ {
		v := mk(n)
		ck, err := encodeOnce(unl, false, "session", v, ts0, seedBytes("len", 16), false)
		if err != nil {
			panic(err)
		}
		if len(ck) == limit {
			exact = v
		}
		if len(ck) > limit {
			if exact == nil {
				panic("no exact-length value")
			}
			return exact, v
		}
	}
	panic("boundary not found")
}

func lengthCases() []scCase {
	var cs []scCase
	c := cfg(specKey, nil)
	ex, over := findLengthBoundary(c, func(n int) any { return m{"v": strings.Repeat("a", n)} }, 4096)
	cs = append(cs,
		enc("gob-exactly-4096", "gob value whose cookie is exactly max_length 4096 (accepted: the check is len > max)", c, ex),
		enc("gob-over-4096", "the next larger value: cookie of 4100 > 4096 → plain error with the length", c, over),
	)
	cj := c.ser("json").opts(86400*30, 0, 200)
	ex2, over2 := findLengthBoundary(cj, func(n int) any { return map[string]interface{}{"v": strings.Repeat("b", n)} }, 200)
	cs = append(cs,
		enc("json-exactly-200", "JSON value whose cookie is exactly max_length 200", cj, ex2),
		enc("json-over-200", "one step over max_length 200", cj, over2),
	)
	ca := cfg(specKey, blockKey("aes128", 16))
	ex3, over3 := findLengthBoundary(ca, func(n int) any { return m{"v": strings.Repeat("c", n)} }, 4096)
	cs = append(cs,
		enc("aes128-exactly-4096", "AES-128 value whose cookie is exactly 4096", ca, ex3),
		enc("aes128-over-4096", "AES-128, one step over 4096", ca, over3),
	)
	unl := c.opts(86400*30, 0, 0)
	big := m{"v": strings.Repeat("z", 6000)}
	bigCookie := mustEncode(unl, "session", big, ts0)
	exCookie := mustEncode(unl, "session", ex, ts0)
	cs = append(cs,
		enc("max-length-0-big", "max_length 0 disables the check: 6000-char value encodes", unl, big),
		dec("decode-too-long-default", "a >4096 cookie decoded with the default max_length: plain error 'the value is too long: N'", c, bigCookie, ts0),
		dec("decode-max-length-0", "the same cookie decoded with max_length 0", unl, bigCookie, ts0),
		dec("decode-exactly-4096", "a 4096-char cookie decodes with max_length 4096", c, exCookie, ts0),
		dec("decode-4096-with-4095", "the 4096-char cookie with max_length 4095", c.opts(86400*30, 0, 4095), exCookie, ts0),
		dec("decode-too-long-garbage", "length is checked before base64: a 5000-char garbage string reports too long", c, strings.Repeat("!", 5000), ts0),
		enc("max-length-small-encode", "max_length 10: every cookie is too long", c.opts(86400*30, 0, 10), fooBar),
	)
	return cs
}

func ageCases() []scCase {
	var cs []scCase
	c := cfg(specKey, nil)
	ck := mustEncode(c, "session", fooBar, ts0)
	type ac struct {
		id, desc              string
		maxAge, minAge, delta int
	}
	ages := []ac{
		{"max-age-0-far-future", "max_age 0: no expiry, decoded 100 years later", 0, 0, 100 * 365 * 86400},
		{"default-max-age-exact", "age exactly 30 days with the default max_age: accepted", 86400 * 30, 0, 86400 * 30},
		{"default-max-age-plus-1", "age 30 days + 1 s: expired", 86400 * 30, 0, 86400*30 + 1},
		{"max-age-60-exact", "max_age 60, age 60: accepted", 60, 0, 60},
		{"max-age-60-plus-1", "max_age 60, age 61: expired", 60, 0, 61},
		{"max-age-1-age-0", "max_age 1, age 0", 1, 0, 0},
		{"min-age-30-age-0", "min_age 30, age 0: too new", 86400 * 30, 30, 0},
		{"min-age-30-age-29", "min_age 30, age 29: too new", 86400 * 30, 30, 29},
		{"min-age-30-exact", "min_age 30, age 30: accepted", 86400 * 30, 30, 30},
		{"min-age-30-max-age-60-age-45", "min_age 30 and max_age 60, age 45", 60, 30, 45},
		{"min-age-30-max-age-60-age-61", "min_age 30 and max_age 60, age 61: expired", 60, 30, 61},
		{"min-age-greater-than-max-age", "min_age 100, max_age 10, age 50: too new is checked first", 10, 100, 50},
		{"future-min-age-0", "timestamp 1000 s in the future, min_age 0: accepted", 86400 * 30, 0, -1000},
		{"future-min-age-1", "timestamp 1 s in the future, min_age 1: too new", 86400 * 30, 1, -1},
		{"future-far", "timestamp 50 years in the future: accepted", 86400 * 30, 0, -50 * 365 * 86400},
		{"negative-max-age-now", "max_age -1 (MaxAge(-1)): age 0 is expired", -1, 0, 0},
		{"negative-max-age-future-1", "max_age -1: a cookie 1 s in the future is still expired (t1 < t2+1)", -1, 0, -1},
		{"negative-max-age-future-2", "max_age -1: a cookie 2 s in the future is accepted", -1, 0, -2},
		{"negative-min-age", "min_age -5, age 0: t1 > t2+5 is false → accepted", 86400 * 30, -5, 0},
		{"negative-min-age-future-6", "min_age -5, cookie 6 s in the future: too new", 86400 * 30, -5, -6},
	}
	for _, a := range ages {
		cs = append(cs, dec(a.id, a.desc, c.opts(a.maxAge, a.minAge, 4096), ck, ts0+int64(a.delta)))
	}
	// Hand-made timestamps with valid MACs.
	inner := b64.EncodeToString(mustSerialize("gob", fooBar))
	odd := []struct {
		id, ts, desc string
		maxAge       int
		now          int64
	}{
		{"ts-zero-max-age-0", "0", "timestamp 0, max_age 0: accepted", 0, ts0},
		{"ts-zero-default", "0", "timestamp 0 with the default max_age: expired", 86400 * 30, ts0},
		{"ts-negative-max-age-0", "-5", "timestamp -5 (ParseInt accepts '-'), max_age 0", 0, ts0},
		{"ts-plus-sign", "+1700000000", "'+1700000000': ParseInt accepts a leading '+'", 86400 * 30, ts0},
		{"ts-leading-zeros", "0001700000000", "leading zeros are accepted", 86400 * 30, ts0},
		{"ts-minus-zero", "-0", "'-0' parses as 0", 0, ts0},
		{"ts-max-int64", "9223372036854775807", "MaxInt64 timestamp: far future, accepted", 86400 * 30, ts0},
		{"ts-min-int64-max-age-0", "-9223372036854775808", "MinInt64 timestamp with max_age 0", 0, ts0},
		{"ts-min-int64-default", "-9223372036854775808", "MinInt64 timestamp with the default max_age: t2-maxAge does not overflow; expired", 86400 * 30, ts0},
		{"ts-max-int64-min-age", "9223372036854775807", "MaxInt64 timestamp with min_age 1: too new", 86400 * 30, ts0},
	}
	for _, o := range odd {
		cc := c.opts(o.maxAge, 0, 4096)
		if strings.HasSuffix(o.id, "min-age") {
			cc = c.opts(o.maxAge, 1, 4096)
		}
		cs = append(cs, dec(o.id, o.desc, cc, macCookie("sha256", specKey, "session", o.ts, inner), o.now))
	}
	return cs
}

func mustSerialize(s string, v any) []byte {
	b, err := serialize(s, v)
	if err != nil {
		panic(err)
	}
	return b
}

func errorCases() []scCase {
	var cs []scCase
	c := cfg(specKey, nil)
	good := mustEncode(c, "session", fooBar, ts0)
	raw, _ := b64.DecodeString(good)
	parts := bytes.SplitN(raw, []byte("|"), 3)
	inner := string(parts[1])
	jsonCk := mustEncode(c.ser("json"), "session", specJSONValue, ts0) // ends with one '='
	// A cookie with '-' and '_' in it (for the +,/ substitutions).
	dashCk := good
	for i := 0; !strings.ContainsAny(dashCk, "-") || !strings.ContainsAny(dashCk, "_"); i++ {
		dashCk = mustEncode(c, "session", m{"i": i}, ts0)
	}
	// A cookie whose decoded length leaves unused bits in the last quantum (ends with
	// "=" or "=="), to show non-zero trailing bits are accepted.
	trailCk := jsonCk
	trail := []byte(trailCk)
	pi := bytes.IndexByte(trail, '=') - 1
	alpha := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	pos := strings.IndexByte(alpha, trail[pi])
	trail[pi] = alpha[pos|1] // set the lowest (unused) bit
	if pos|1 == pos {
		trail[pi] = alpha[pos&^1]
	}
	cs = append(cs,
		dec("good-baseline", "the untampered cookie the cases below start from", c, good, ts0),
		dec("tampered-inner", "one character of the inner value changed (MAC covers it)", c, macSwap(good, func(p [][]byte) { p[1][5] ^= 0x01 }), ts0),
		dec("tampered-timestamp", "timestamp changed to 1700000001, MAC kept", c, macSwap(good, func(p [][]byte) { p[0][9] = '1' }), ts0),
		dec("tampered-mac-first-byte", "first MAC byte flipped", c, macSwap(good, func(p [][]byte) { p[2][0] ^= 0x80 }), ts0),
		dec("no-pipes", "outer base64 of text without '|': not 3 parts → MAC invalid", c, b64.EncodeToString([]byte("1700000000")), ts0),
		dec("one-pipe", "only two parts", c, b64.EncodeToString([]byte("1700000000|abc")), ts0),
		dec("empty-cookie", "empty string: decodes to nothing → MAC invalid", c, "", ts0),
		dec("mac-empty", "'ts|inner|' with an empty MAC", c, b64.EncodeToString([]byte("1700000000|"+inner+"|")), ts0),
		dec("outer-bad-char", "'!' inside the outer base64", c, good[:10]+"!"+good[11:], ts0),
		dec("outer-space", "a space inside the outer base64", c, good[:10]+" "+good[10:], ts0),
		dec("outer-missing-padding", "the JSON example cookie without its '=': Go requires padding", c.ser("json"), strings.TrimRight(jsonCk, "="), ts0),
		dec("outer-padding-ok", "the JSON example cookie with its padding (baseline)", c.ser("json"), jsonCk, ts0),
		dec("outer-extra-padding", "one '=' too many", c.ser("json"), jsonCk+"=", ts0),
		dec("outer-data-after-padding", "data after the padding", c.ser("json"), jsonCk+"AAAA", ts0),
		dec("outer-plus", "'-' replaced by '+' (standard alphabet): rejected", c, strings.Replace(dashCk, "-", "+", 1), ts0),
		dec("outer-slash", "'_' replaced by '/': rejected", c, strings.Replace(dashCk, "_", "/", 1), ts0),
		dec("outer-plus-baseline", "the cookie used for the +,/ cases, unmodified", c, dashCk, ts0),
		dec("outer-crlf-middle", "CRLF inserted in the middle: skipped, accepted", c, good[:20]+"\r\n"+good[20:], ts0),
		dec("outer-lf-start", "LF at the start: accepted", c, "\n"+good, ts0),
		dec("outer-cr-end", "CR at the end: accepted", c, good+"\r", ts0),
		dec("outer-many-newlines", "a newline after every character: accepted", c, everyChar(good, "\n"), ts0),
		dec("outer-crlf-in-padding", "CRLF between the data and its '=': accepted", c.ser("json"), strings.TrimRight(jsonCk, "=")+"\r\n=", ts0),
		dec("outer-tab", "a TAB is not skipped", c, good[:20]+"\t"+good[20:], ts0),
		dec("outer-nonzero-trailing-bits", "last data character changed only in its unused low bits: Go decodes the same bytes, accepted", c.ser("json"), string(trail), ts0),
		dec("outer-utf8", "a non-ASCII character in the outer base64", c, good[:8]+"é"+good[8:], ts0),
	)
	hm := func(ts, in string) string { return macCookie("sha256", specKey, "session", ts, in) }
	cs = append(cs,
		dec("inner-bad-char", "valid MAC over an inner value with '!': inner base64 error", c, hm("1700000000", "!!!!"), ts0),
		dec("inner-missing-padding", "valid MAC over the inner value without its padding", c.ser("json"), hm("1700000000", strings.TrimRight(innerOf(jsonCk), "=")), ts0),
		dec("inner-plus", "valid MAC over an inner value using '+'", c, hm("1700000000", "ab+c"), ts0),
		dec("inner-slash", "valid MAC over an inner value using '/'", c, hm("1700000000", "ab/c"), ts0),
		dec("inner-data-after-padding", "valid MAC over 'YQ==YQ=='", c, hm("1700000000", "YQ==YQ=="), ts0),
		dec("inner-crlf", "valid MAC over the inner value with CRLF inserted: skipped, accepted", c, hm("1700000000", inner[:8]+"\r\n"+inner[8:]), ts0),
		dec("inner-empty-gob", "valid MAC over an empty inner value: gob gets 0 bytes (EOF)", c, hm("1700000000", ""), ts0),
		dec("inner-empty-json", "valid MAC over an empty inner value, JSON serializer", c.ser("json"), hm("1700000000", ""), ts0),
		dec("inner-empty-nop", "valid MAC over an empty inner value, NopEncoder: decodes to empty bytes", c.ser("nop"), hm("1700000000", ""), ts0),
		dec("inner-bad-and-expired", "bad inner base64 AND expired: age is checked before the inner base64", c, hm("1", "!!!!"), ts0),
		dec("inner-bad-and-bad-ts", "bad inner base64 AND bad timestamp: timestamp error first", c, hm("abc", "!!!!"), ts0),
	)
	for _, t := range []struct{ id, ts string }{
		{"ts-abc", "abc"}, {"ts-space-5", " 5"}, {"ts-5-space", "5 "}, {"ts-empty", ""},
		{"ts-overflow", "99999999999999999999"}, {"ts-overflow-min", "-9223372036854775809"},
		{"ts-hex", "0x10"}, {"ts-underscore", "1_700_000_000"}, {"ts-float", "1700000000.0"},
		{"ts-fullwidth", "１７"}, {"ts-plus-only", "+"}, {"ts-minus-only", "-"}, {"ts-double-sign", "+-5"},
		{"ts-exponent", "1e9"},
	} {
		cs = append(cs, dec("bad-"+t.id, fmt.Sprintf("timestamp %q with a valid MAC", t.ts), c, hm(t.ts, inner), ts0))
	}
	cs = append(cs, dec("ts-plus-5", "timestamp '+5' parses (ParseInt accepts '+'), then expired", c, hm("+5", inner), ts0))
	cs = append(cs, dec("ts-plus-5-max-age-0", "timestamp '+5' with max_age 0: accepted", c.opts(0, 0, 4096), hm("+5", inner), ts0))
	// Decryption failures (valid MACs, encryption on).
	bk := blockKey("aes256", 32)
	ce := cfg(specKey, bk)
	for _, n := range []int{0, 1, 15, 16, 17} {
		payload := b64.EncodeToString(seedBytes(fmt.Sprintf("payload%d", n), n))
		cs = append(cs, dec(fmt.Sprintf("decrypt-inner-%d-bytes", n), fmt.Sprintf("AES on, inner payload of %d bytes (must be > 16)", n), ce, hm("1700000000", payload), ts0))
	}
	// Serializer failures.
	cs = append(cs,
		enc("gob-chan", "gob of a chan: encode error, double wrapped", c, make(chan int)),
		enc("gob-map-with-chan", "gob of a map holding a chan", c, m{"c": make(chan int)}),
		enc("gob-func", "gob of a func", c, func() {}),
		enc("gob-unregistered-struct", "struct in an interface that was never gob.Register'ed", c, m{"x": scUnregistered{1}}),
		enc("gob-nil-value", "gob of a nil interface value", c, nil),
		enc("gob-nil-in-map", "a nil inside map[interface{}]interface{}", c, m{"x": nil}),
		scCase{ID: "gob-wrong-dest-int", Desc: "gob string decoded into *int", Op: "decode", Cfg: c, Cookie: mustEncode(c, "session", "x", ts0), Dest: "int"},
		scCase{ID: "gob-wrong-dest-string", Desc: "gob map decoded into *string", Op: "decode", Cfg: c, Cookie: good, Dest: "string"},
		scCase{ID: "gob-wrong-dest-string-warm", Desc: "as gob-wrong-dest-string, decoded in a process that has already gob-encoded map[interface {}]interface {} (type id 64): Go's error then names the remote type through its process-wide type table", Op: "decode", Cfg: c, Cookie: good, Dest: "string", Warm: true},
		scCase{ID: "gob-dest-interface", Desc: "gob map decoded into *interface{} (the map's type is not registered for interfaces)", Op: "decode", Cfg: c, Cookie: good, Dest: "interface {}"},
		scCase{ID: "gob-dest-string-map", Desc: "gob map[interface{}]interface{} decoded into *map[string]string", Op: "decode", Cfg: c, Cookie: good, Dest: "map[string]string"},
		dec("gob-garbage", "valid MAC over bytes that are not gob", c, hm("1700000000", b64.EncodeToString([]byte("garbage!"))), ts0),
		dec("gob-trailing-bytes", "valid MAC over a gob value followed by 2 extra bytes: ignored", c, hm("1700000000", b64.EncodeToString(append(mustSerialize("gob", fooBar), 0xde, 0xad))), ts0),
		dec("gob-truncated", "valid MAC over a gob value missing its last byte", c, hm("1700000000", b64.EncodeToString(mustSerialize("gob", fooBar)[:46])), ts0),
		enc("json-nan", "JSON of NaN: unsupported value", c.ser("json"), math.NaN()),
		enc("json-inf-in-map", "JSON of +Inf inside a map", c.ser("json"), map[string]interface{}{"x": math.Inf(1)}),
		enc("json-interface-map", "JSON of map[interface{}]interface{} (what gorilla/sessions passes): unsupported type", c.ser("json"), fooBar),
		enc("json-chan", "JSON of a chan", c.ser("json"), make(chan int)),
		enc("json-complex", "JSON of a complex128", c.ser("json"), complex(1, 2)),
		scCase{ID: "json-wrong-dest", Desc: "JSON string decoded into *int", Op: "decode", Cfg: c.ser("json"), Cookie: mustEncode(c.ser("json"), "session", "x", ts0), Dest: "int"},
		scCase{ID: "json-into-interface-map", Desc: "JSON object decoded into *map[interface{}]interface{}", Op: "decode", Cfg: c.ser("json"), Cookie: jsonCk, Dest: "map[interface {}]interface {}"},
		dec("json-garbage", "valid MAC over invalid JSON", c.ser("json"), hm("1700000000", b64.EncodeToString([]byte("{nope}"))), ts0),
		dec("json-trailing-garbage", "valid MAC over a JSON value followed by garbage: Decoder ignores it", c.ser("json"), hm("1700000000", b64.EncodeToString([]byte("{\"a\":1} garbage"))), ts0),
		dec("json-truncated", "valid MAC over a truncated JSON object", c.ser("json"), hm("1700000000", b64.EncodeToString([]byte("{\"a\":"))), ts0),
		enc("nop-string", "NopEncoder with a string value", c.ser("nop"), "hello"),
		enc("nop-nil", "NopEncoder with nil", c.ser("nop"), nil),
		enc("nop-byte-array", "NopEncoder with a [4]byte (not a []byte)", c.ser("nop"), [4]byte{1, 2, 3, 4}),
		scCase{ID: "nop-wrong-dest", Desc: "NopEncoder decoding into *string", Op: "decode", Cfg: c.ser("nop"), Cookie: mustEncode(c.ser("nop"), "session", []byte("hi"), ts0), Dest: "string"},
		scCase{ID: "iv-generation-fails", Desc: "crypto/rand fails: GenerateRandomKey returns nil → failed to generate random iv (internal), wrapped as usage by Encode", Op: "encode", Cfg: ce, Value: fooBar, RandFail: true},
	)
	// A MAC that contains the byte '|' (the third part is "rest of buffer").
	for i := 0; ; i++ {
		v := m{"i": i}
		ck := mustEncode(c, "session", v, ts0)
		r, _ := b64.DecodeString(ck)
		p := bytes.SplitN(r, []byte("|"), 3)
		if bytes.IndexByte(p[2], '|') >= 0 {
			cs = append(cs, enc("mac-contains-pipe", fmt.Sprintf("a value whose MAC contains the byte '|' (i=%d)", i), c, v))
			break
		}
	}
	return cs
}

func innerOf(cookie string) string {
	r, _ := b64.DecodeString(cookie)
	return string(bytes.SplitN(r, []byte("|"), 3)[1])
}

// macSwap decodes a cookie, lets f edit the three parts in place, and re-encodes
// (without recomputing the MAC).
func macSwap(cookie string, f func(p [][]byte)) string {
	r, _ := b64.DecodeString(cookie)
	p := bytes.SplitN(append([]byte(nil), r...), []byte("|"), 3)
	f(p)
	return b64.EncodeToString(bytes.Join(p, []byte("|")))
}

func everyChar(s, sep string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
		b.WriteString(sep)
	}
	return b.String()
}

func rotationCases() []scCase {
	var cs []scCase
	h1, h2, h3 := hashKey("rot1", 32), hashKey("rot2", 32), hashKey("rot3", 32)
	b1, b2, b3 := blockKey("rot1", 32), blockKey("rot2", 16), blockKey("rot3", 24)
	two := cfg(h1, b1, h2, b2)
	three := cfg(h1, b1, h2, b2, h3, b3)
	ck1 := mustEncode(cfg(h1, b1), "session", fooBar, ts0)
	ck2 := mustEncode(cfg(h2, b2), "session", fooBar, ts0)
	ck3 := mustEncode(cfg(h3, b3), "session", fooBar, ts0)
	ckX := mustEncode(cfg(hashKey("rotX", 32), blockKey("rotX", 32)), "session", fooBar, ts0)
	mk := func(id, desc, op string, c codecConfig, cookie string) scCase {
		return scCase{ID: id, Desc: desc, Op: op, Cfg: c, Cookie: cookie, Value: fooBar}
	}
	cs = append(cs,
		mk("encode-multi-2-pairs", "EncodeMulti with 2 pairs uses the first", "encode_multi", two, ""),
		mk("encode-multi-3-pairs", "EncodeMulti with 3 pairs uses the first", "encode_multi", three, ""),
		mk("decode-multi-2-first", "DecodeMulti, cookie from pair 1", "decode_multi", two, ck1),
		mk("decode-multi-2-second", "DecodeMulti, cookie from pair 2", "decode_multi", two, ck2),
		mk("decode-multi-3-second", "DecodeMulti with 3 pairs, cookie from pair 2", "decode_multi", three, ck2),
		mk("decode-multi-3-third", "DecodeMulti with 3 pairs, cookie from pair 3", "decode_multi", three, ck3),
		mk("decode-multi-1-fail", "DecodeMulti with 1 codec, failing: a MultiError of one (text = the error)", "decode_multi", cfg(h1, b1), ck2),
		mk("decode-multi-2-fail", "DecodeMulti, all 2 fail: '(and 1 other error)'", "decode_multi", two, ckX),
		mk("decode-multi-3-fail", "DecodeMulti, all 3 fail: '(and 2 other errors)'", "decode_multi", three, ckX),
		mk("decode-multi-0-codecs", "DecodeMulti with no codecs: errNoCodecs", "decode_multi", cfg(), ck1),
		mk("encode-multi-0-codecs", "EncodeMulti with no codecs: errNoCodecs", "encode_multi", cfg(), ""),
		mk("odd-keys-encode", "3 keys: pairs (h1,b1) and (h2,nil); EncodeMulti uses pair 1", "encode_multi", cfg(h1, b1, h2), ""),
		mk("odd-keys-decode-last", "3 keys: a plain cookie made with h2 decodes with the block-less last codec", "decode_multi", cfg(h1, b1, h2), mustEncode(cfg(h2, nil), "session", fooBar, ts0)),
		mk("encode-multi-first-broken", "EncodeMulti: codec 1 has a 5-byte block key → silently encoded with pair 2", "encode_multi", cfg(h1, blockKey("bad", 5), h2, b2), ""),
		mk("encode-multi-all-broken", "EncodeMulti: every codec has a bad block key → MultiError", "encode_multi", cfg(h1, blockKey("bad", 5), h2, blockKey("bad", 7)), ""),
		mk("decode-multi-mixed-kinds", "DecodeMulti: usage error (bad block key) then MAC error: flags usage+decode", "decode_multi", cfg(h1, blockKey("bad", 5), h2, b2), ckX),
		mk("decode-multi-same-hash-other-block", "pairs (h1,b1),(h1,b2): cookie from (h1,b2) passes codec 1's MAC, fails in gob, then codec 2 succeeds", "decode_multi", cfg(h1, b1, h1, b2), mustEncode(cfg(h1, b2), "session", fooBar, ts0)),
		mk("decode-multi-expired-all", "DecodeMulti at +31 days: every codec reports expired", "decode_multi", two, ck1),
		mk("encode-multi-too-long", "EncodeMulti when the value is too long for every codec (plain errors in a MultiError)", "encode_multi", two.opts(86400*30, 0, 50), ""),
		mk("decode-multi-too-long", "DecodeMulti with max_length 50: MultiError of plain errors (no flags)", "decode_multi", two.opts(86400*30, 0, 50), ck1),
	)
	for i := range cs {
		if strings.HasPrefix(cs[i].Op, "decode") {
			cs[i].Value = nil
		}
		if cs[i].ID == "decode-multi-expired-all" {
			cs[i].Now = ts0 + 86400*31
		}
	}
	return cs
}

func jsonSerializerCases() []scCase {
	var cs []scCase
	c := cfg(specKey, nil).ser("json")
	type jv struct {
		id, desc string
		v        any
	}
	ctrl := make([]byte, 0, 33)
	for i := 0; i < 0x20; i++ {
		ctrl = append(ctrl, byte(i))
	}
	ctrl = append(ctrl, 0x7f)
	many := map[string]interface{}{}
	for i := 0; i < 60; i++ {
		many[fmt.Sprintf("%s%d", []string{"k", "K", "é", "a_", "Z", "0", "~"}[i%7], i*7919%1000)] = float64(i)
	}
	vals := []jv{
		{"html", "'<>&' are escaped as \\u003c \\u003e \\u0026", map[string]interface{}{"s": "<script>a && b</script>"}},
		{"u2028-u2029", "U+2028 and U+2029 are always escaped", map[string]interface{}{"s": "a\u2028b\u2029c"}},
		{"emoji", "emoji and accents are written raw", map[string]interface{}{"s": "😀 é ü 中文"}},
		{"invalid-utf8", "invalid UTF-8: each bad byte → \\ufffd", map[string]interface{}{"s": "a\xffb\xc3(\xed\xa0\x80z"}},
		{"control-chars", "all C0 controls and DEL", map[string]interface{}{"s": string(ctrl)}},
		{"quotes-backslash", "quote, backslash, slash, apostrophe", map[string]interface{}{"s": "\"\\/'"}},
		{"key-escaping", "keys are escaped like values", map[string]interface{}{"<k>": 1.0, "a\u2028": 2.0, "\x01": 3.0}},
		{"float-1e20", "1e20 → 100000000000000000000", 1e20},
		{"float-1e21", "1e21 → 1e+21", 1e21},
		{"float-1e-6", "1e-6 → 0.000001", 1e-6},
		{"float-1e-7", "1e-7 → 1e-7", 1e-7},
		{"float-neg-zero", "-0 → -0", math.Copysign(0, -1)},
		{"float-2p53-plus-1", "2^53+1 as float64 (rounds to 2^53)", float64(1<<53 + 1)},
		{"int64-2p53-plus-1", "2^53+1 as int64: exact", int64(1<<53 + 1)},
		{"uint64-max", "MaxUint64 as uint64", uint64(math.MaxUint64)},
		{"float-0.1", "0.1", 0.1},
		{"float-min-subnormal", "5e-324", 5e-324},
		{"float-max", "1.7976931348623157e+308", math.MaxFloat64},
		{"float-12345678901234567890", "the float64 nearest 12345678901234567890", 12345678901234567890.0},
		{"float-1.5", "1.5", 1.5},
		{"float-100", "100 (integral float written without .0)", 100.0},
		{"float-2.5e-7", "2.5e-7", 2.5e-7},
		{"float-1.23456789e21", "1.23456789e21", 1.23456789e21},
		{"float32-0.1", "float32(0.1) uses float32 shortest digits", float32(0.1)},
		{"float32-16777216", "float32(16777216)", float32(16777216)},
		{"float32-3.4e38", "float32(3.4e38)", float32(3.4e38)},
		{"float32-1e-7", "float32(1e-7)", float32(1e-7)},
		{"float32-1.0000001", "float32(1.0000001)", float32(1.0000001)},
		{"float32-in-map", "float32 values in a map[string]interface {}", map[string]interface{}{"a": float32(0.3), "b": float32(1e21)}},
		{"floats-list", "a list of floats at the formatting edges", []interface{}{0.0, 1.0, -1.5, 1e-6, 9.99e-7, 1e21, 999999999999999900000.0, 0.00001, 1e100, 2.5e-300}},
		{"nested", "nested maps and slices", map[string]interface{}{"a": map[string]interface{}{"b": []interface{}{1.0, "x", nil, true, map[string]interface{}{}}}, "c": []interface{}{}}},
		{"many-keys", "60 keys: sorted bytewise", many},
		{"int-keys", "map[int]string: integer keys as strings, sorted as strings", map[int]string{10: "a", 9: "b", -1: "c"}},
		{"typed-slices", "[]string and []int", map[string]interface{}{"s": []string{"a", "b"}, "i": []int{1, 2}}},
		{"bytes-value", "[]byte inside JSON: standard base64 string", map[string]interface{}{"b": []byte("hi?>")}},
		{"nil-bytes", "nil []byte → null", map[string]interface{}{"b": []byte(nil)}},
		{"top-string", "top-level string", "hello"},
		{"top-bool", "top-level bool", true},
		{"top-list", "top-level list", []interface{}{"a", 1.0}},
		{"session-like", "a typical session map", map[string]interface{}{"user_id": 12345.0, "name": "Ann", "roles": []interface{}{"admin", "dev"}, "flags": map[string]interface{}{"beta": true}}},
	}
	for _, v := range vals {
		cs = append(cs, enc(v.id, "JSONEncoder: "+v.desc, c, v.v))
	}
	return cs
}

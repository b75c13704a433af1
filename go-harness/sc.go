package main

// sc.go — shared helpers around the real gorilla/securecookie: codec construction from
// (keys, hash, serializer, options), error classification, manual cookie assembly for
// negative cases, and parsing a cookie back into its parts.

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"reflect"
	"strconv"

	"github.com/gorilla/securecookie"
)

// hashFuncs maps hashlib names to Go constructors.
var hashFuncs = map[string]func() hash.Hash{
	"sha1":       sha1.New,
	"sha224":     sha256.New224,
	"sha256":     sha256.New,
	"sha384":     sha512.New384,
	"sha512":     sha512.New,
	"md5":        md5.New,
	"sha512_256": sha512.New512_256,
}

func serializerFor(name string) (securecookie.Serializer, error) {
	switch name {
	case "gob", "":
		return securecookie.GobEncoder{}, nil
	case "json":
		return securecookie.JSONEncoder{}, nil
	case "nop":
		return securecookie.NopEncoder{}, nil
	}
	return nil, fmt.Errorf("unknown serializer %q", name)
}

// scOptions are applied to every codec (CodecsFromPairs gives each the defaults).
type scOptions struct {
	MaxAge    int `json:"max_age"`
	MinAge    int `json:"min_age"`
	MaxLength int `json:"max_length"`
}

var defaultOptions = scOptions{MaxAge: 86400 * 30, MinAge: 0, MaxLength: 4096}

func (o scOptions) view() obj {
	return obj{{"max_age", int64(o.MaxAge)}, {"min_age", int64(o.MinAge)}, {"max_length", int64(o.MaxLength)}}
}

// codecConfig describes codecs as CodecsFromPairs builds them, plus settings.
type codecConfig struct {
	Keys       [][]byte // hash, block, hash, block, ...; nil entries are nil keys
	Hash       string
	Serializer string
	Options    scOptions
}

func (c codecConfig) codecs(now int64) ([]securecookie.Codec, error) {
	hf, ok := hashFuncs[c.Hash]
	if !ok {
		return nil, fmt.Errorf("unknown hash %q", c.Hash)
	}
	sz, err := serializerFor(c.Serializer)
	if err != nil {
		return nil, err
	}
	codecs := securecookie.CodecsFromPairs(c.Keys...)
	for _, cd := range codecs {
		s := cd.(*securecookie.SecureCookie)
		s.HashFunc(hf)
		s.SetSerializer(sz)
		s.MaxAge(c.Options.MaxAge)
		s.MinAge(c.Options.MinAge)
		s.MaxLength(c.Options.MaxLength)
		pinClock(cd, now)
	}
	return codecs, nil
}

func keysView(keys [][]byte) []any {
	l := make([]any, len(keys))
	for i, k := range keys {
		if k == nil {
			l[i] = nil
		} else {
			l[i] = hex.EncodeToString(k)
		}
	}
	return l
}

// errorView renders err as {"text","kind","multi","flags"} (nil → nil).
//
// kind: the first of usage/decode/internal whose Is* method is true when err is a
// securecookie.Error; "plain" otherwise (also for a MultiError with no flagged child).
// flags: every Is* method that is true. multi: err is a securecookie.MultiError.
func errorView(err error) any {
	if err == nil {
		return nil
	}
	kind := "plain"
	flags := []any{}
	if se, ok := err.(securecookie.Error); ok {
		if se.IsUsage() {
			flags = append(flags, "usage")
		}
		if se.IsDecode() {
			flags = append(flags, "decode")
		}
		if se.IsInternal() {
			flags = append(flags, "internal")
		}
		if len(flags) > 0 {
			kind = flags[0].(string)
		}
	}
	_, multi := err.(securecookie.MultiError)
	o := obj{{"text", err.Error()}, {"kind", kind}, {"multi", multi}, {"flags", flags}}
	if me, ok := err.(securecookie.MultiError); ok {
		ch := make([]any, len(me))
		for i, e := range me {
			ch[i] = errorView(e)
		}
		o = append(o, kv{"errors", ch})
	}
	return o
}

var b64 = base64.URLEncoding

// macCookie assembles a cookie by hand: base64url(ts|inner|HMAC(name|ts|inner)).
// Used for negative cases that need a valid MAC over a malformed payload.
func macCookie(hashName string, hashKey []byte, name, ts, inner string) string {
	h := hmac.New(hashFuncs[hashName], hashKey)
	h.Write([]byte(name + "|" + ts + "|" + inner))
	raw := append([]byte(ts+"|"+inner+"|"), h.Sum(nil)...)
	return b64.EncodeToString(raw)
}

// cookieParts parses a cookie the way securecookie does (for self-checks).
type cookieParts struct {
	TS    int64
	Inner string
	MAC   []byte
	IV    []byte // nil when blockKey is nil
	Plain []byte // serialized bytes (decrypted when blockKey is set)
}

func parseCookie(cookie string, blockKey []byte) (*cookieParts, error) {
	raw, err := b64.DecodeString(cookie)
	if err != nil {
		return nil, err
	}
	parts := bytes.SplitN(raw, []byte("|"), 3)
	if len(parts) != 3 {
		return nil, errors.New("not 3 parts")
	}
	ts, err := strconv.ParseInt(string(parts[0]), 10, 64)
	if err != nil {
		return nil, err
	}
	p := &cookieParts{TS: ts, Inner: string(parts[1]), MAC: parts[2]}
	b, err := b64.DecodeString(p.Inner)
	if err != nil {
		return nil, err
	}
	if blockKey != nil {
		blk, err := aes.NewCipher(blockKey)
		if err != nil {
			return nil, err
		}
		if len(b) < 16 {
			return nil, errors.New("short")
		}
		p.IV = append([]byte(nil), b[:16]...)
		pt := make([]byte, len(b)-16)
		cipher.NewCTR(blk, p.IV).XORKeyStream(pt, b[16:])
		b = pt
	}
	p.Plain = b
	return p, nil
}

// newDest allocates a pointer to a zero value of the named type (a %T spelling).
func newDest(typeName string) (reflect.Value, error) {
	rt, err := parseTypeName(typeName)
	if err != nil {
		return reflect.Value{}, err
	}
	return reflect.New(rt), nil
}

// defaultDest is the destination type used when a request does not name one.
func defaultDest(serializer string) string {
	switch serializer {
	case "json":
		return "interface {}"
	case "nop":
		return "[]uint8"
	}
	return "map[interface {}]interface {}"
}

// decodeInto runs DecodeMulti (multi=true) or codecs[0].Decode into a fresh destination
// of type dest and returns the typed view of the result (nil on error) and the error.
func decodeInto(codecs []securecookie.Codec, multi bool, name, cookie, dest string) (any, error, error) {
	d, err := newDest(dest)
	if err != nil {
		return nil, nil, err
	}
	var derr error
	if multi {
		derr = securecookie.DecodeMulti(name, cookie, d.Interface(), codecs...)
	} else {
		if len(codecs) == 0 {
			return nil, nil, errors.New("no codecs for a single Decode")
		}
		derr = codecs[0].Decode(name, cookie, d.Interface())
	}
	if derr != nil {
		return nil, derr, nil
	}
	return typedView(d.Elem().Interface()), nil, nil
}

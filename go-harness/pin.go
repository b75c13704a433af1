package main

// pin.go — deterministic clock and IV for the real gorilla/securecookie.
//
// Clock: securecookie v1.1.2 reads the time through the unexported struct field
// SecureCookie.timeFunc (a func() int64; nil means time.Now().UTC().Unix()). It is a
// field, not a package variable, so //go:linkname cannot reach it; instead we write the
// field through reflect + unsafe (no special build flags needed).
//
// IV: securecookie's encrypt() calls GenerateRandomKey(16) → io.ReadFull(rand.Reader, …).
// withIV swaps the package variable crypto/rand.Reader for a reader that yields exactly
// the given bytes, for the duration of one call (single-threaded use only).

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"
	"unsafe"

	"github.com/gorilla/securecookie"
)

// pinClock makes codec (a *securecookie.SecureCookie) report `now` as the current time.
func pinClock(codec securecookie.Codec, now int64) {
	sc, ok := codec.(*securecookie.SecureCookie)
	if !ok {
		panic(fmt.Sprintf("pinClock: %T is not *securecookie.SecureCookie", codec))
	}
	f := reflect.ValueOf(sc).Elem().FieldByName("timeFunc")
	if !f.IsValid() {
		panic("pinClock: securecookie.SecureCookie has no timeFunc field")
	}
	reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().
		Set(reflect.ValueOf(func() int64 { return now }))
}

var randMu sync.Mutex

// ivReader yields the IV once, then fails (so an unexpected second read is noticed).
type ivReader struct {
	iv   []byte
	used int
}

func (r *ivReader) Read(p []byte) (int, error) {
	if r.used >= len(r.iv) {
		return 0, errors.New("go-harness: pinned IV exhausted")
	}
	n := copy(p, r.iv[r.used:])
	r.used += n
	return n, nil
}

// failReader makes every read fail (GenerateRandomKey → nil → errGeneratingIV).
type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("go-harness: no randomness") }

// withRandReader runs f with crypto/rand.Reader replaced by r.
func withRandReader(r io.Reader, f func()) {
	randMu.Lock()
	defer randMu.Unlock()
	saved := rand.Reader
	rand.Reader = r
	defer func() { rand.Reader = saved }()
	f()
}

// withIV runs f with crypto/rand yielding iv; it returns how many IV bytes were read.
func withIV(iv []byte, f func()) int {
	r := &ivReader{iv: iv}
	withRandReader(r, f)
	return r.used
}

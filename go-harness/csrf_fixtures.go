package main

// csrf_fixtures.go — fixtures/csrf/tokens.json, written by running the real gorilla/csrf v1.7.3
// csrf.Protect with pinned randomness and clock.
//
// Each case runs two GET requests through Protect: the first without a cookie (Go makes a new
// token from crypto/rand, saves its cookie and masks it with a second 32 random bytes), the
// second with that cookie (one more mask). crypto/rand yields the pinned bytes (pin.go), and the
// securecookie instance inside Protect (the unexported field csrf.sc) gets the pinned clock.
// cookieStore.Save reads time.Now() for Expires, so the header is rebuilt with Expires at the
// pinned clock after checking that it differs from Go's only there (as fixtures_sessions.go does).
// A POST with the second token in the request header must pass, and one with a flipped bit not.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"time"
	"unsafe"

	"github.com/gorilla/csrf"
	"github.com/gorilla/securecookie"
)

func init() {
	fixtureWriters["csrf"] = writeCSRFFixtures
}

const csrfNow = int64(1700000000)

// csrfCase is one fixture: Protect's options, all given explicitly.
type csrfCase struct {
	id, desc                             string
	keyLen                               int
	cookieName, fieldName, requestHeader string
	maxAge                               int
	path, domain                         string
	secure, httpOnly                     bool
	sameSite                             csrf.SameSiteMode
}

func csrfCases() []csrfCase {
	base := csrfCase{keyLen: 32, cookieName: "_gorilla_csrf", fieldName: "gorilla.csrf.Token",
		requestHeader: "X-CSRF-Token", maxAge: 3600 * 12, secure: true, httpOnly: true,
		sameSite: csrf.SameSiteLaxMode}
	var cs []csrfCase
	add := func(id, desc string, edit func(c *csrfCase)) {
		c := base
		c.id, c.desc = id, desc
		edit(&c)
		cs = append(cs, c)
	}
	add("defaults", "Protect(key) with v1.7.3's defaults (no Path)", func(c *csrfCase) {})
	add("path-root", "Path(\"/\")", func(c *csrfCase) { c.path = "/" })
	add("max-age-0", "MaxAge(0): a browser-session cookie, no expiry check", func(c *csrfCase) { c.maxAge = 0 })
	add("max-age-negative", "MaxAge(-1) becomes the 12 h default", func(c *csrfCase) { c.maxAge = -1 })
	add("max-age-60", "MaxAge(60)", func(c *csrfCase) { c.maxAge = 60 })
	add("domain", "Domain with a leading dot (dropped by net/http)", func(c *csrfCase) { c.domain = ".example.com" })
	add("insecure", "Secure(false), HttpOnly(false)", func(c *csrfCase) { c.secure, c.httpOnly = false, false })
	for _, ss := range []csrf.SameSiteMode{0, csrf.SameSiteDefaultMode, csrf.SameSiteStrictMode, csrf.SameSiteNoneMode} {
		add(fmt.Sprintf("samesite-%d", ss), "SameSite mode", func(c *csrfCase) { c.sameSite = ss })
	}
	add("names", "CookieName, FieldName, RequestHeader", func(c *csrfCase) {
		c.cookieName, c.fieldName, c.requestHeader = "xsrf", "csrf_token", "X-XSRF-Token"
	})
	for _, n := range []int{1, 16, 64} {
		add(fmt.Sprintf("key-%d", n), "auth key length (any non-empty key works)", func(c *csrfCase) { c.keyLen = n })
	}
	return cs
}

// csrfBytes derives n pinned bytes from a label.
func csrfBytes(label string, n int) []byte {
	var out []byte
	for i := 0; len(out) < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", label, i)))
		out = append(out, sum[:]...)
	}
	return out[:n]
}

// pinProtectClock pins the clock of the securecookie codec Protect made (field csrf.sc).
func pinProtectClock(h http.Handler, now int64) {
	f := reflect.ValueOf(h).Elem().FieldByName("sc")
	if !f.IsValid() {
		panic("pinProtectClock: csrf has no sc field")
	}
	sc := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(*securecookie.SecureCookie)
	pinClock(sc, now)
}

// csrfPinnedHeader rebuilds Go's Set-Cookie with Expires at the pinned clock.
func csrfPinnedHeader(h string, maxAge int, wall time.Time) (string, error) {
	c, err := http.ParseSetCookie(h)
	if err != nil {
		return "", err
	}
	if maxAge > 0 {
		want := wall.Add(time.Duration(maxAge) * time.Second)
		if d := c.Expires.Sub(want); d < -5*time.Second || d > 5*time.Second {
			return "", fmt.Errorf("Expires %v is not now+MaxAge", c.Expires)
		}
		c.Expires = time.Unix(csrfNow, 0).Add(time.Duration(maxAge) * time.Second)
	}
	pinned := c.String()
	if stripExpires(pinned) != stripExpires(h) {
		return "", fmt.Errorf("rebuilt header differs: %q vs %q", pinned, h)
	}
	return pinned, nil
}

func writeCSRFFixtures(outDir string) error {
	var cases []obj
	for _, c := range csrfCases() {
		key := csrfBytes("key/"+c.id, c.keyLen)
		real, otp, otp2 := csrfBytes("real/"+c.id, 32), csrfBytes("otp/"+c.id, 32), csrfBytes("otp2/"+c.id, 32)
		opts := []csrf.Option{csrf.CookieName(c.cookieName), csrf.FieldName(c.fieldName),
			csrf.RequestHeader(c.requestHeader), csrf.MaxAge(c.maxAge), csrf.Path(c.path),
			csrf.Domain(c.domain), csrf.Secure(c.secure), csrf.HttpOnly(c.httpOnly), csrf.SameSite(c.sameSite)}
		var token, field string
		passed := false
		h := csrf.Protect(key, opts...)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, field, passed = csrf.Token(r), string(csrf.TemplateField(r)), true
		}))
		pinProtectClock(h, csrfNow)

		// 1. No cookie: a new token, its cookie, a mask.
		rec := httptest.NewRecorder()
		wall := time.Now()
		withRand(append(append([]byte{}, real...), otp...), func() {
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		})
		setCookies := rec.Header().Values("Set-Cookie")
		if len(setCookies) != 1 {
			return fmt.Errorf("%s: want one Set-Cookie, got %q", c.id, setCookies)
		}
		effectiveMaxAge := c.maxAge
		if effectiveMaxAge < 0 { // Protect's rule: a negative MaxAge is the 12 h default
			effectiveMaxAge = 3600 * 12
		}
		header, err := csrfPinnedHeader(setCookies[0], effectiveMaxAge, wall)
		if err != nil {
			return fmt.Errorf("%s: %w", c.id, err)
		}
		cookie, _, _ := strings.Cut(strings.TrimPrefix(setCookies[0], c.cookieName+"="), ";")
		token1, field1 := token, field

		// 2. With the cookie: the same real token, another mask, no Set-Cookie.
		withCookie := func(method string) *http.Request {
			r := httptest.NewRequest(method, "/", nil)
			r.AddCookie(&http.Cookie{Name: c.cookieName, Value: cookie})
			return r
		}
		rec2 := httptest.NewRecorder()
		withRand(otp2, func() { h.ServeHTTP(rec2, withCookie("GET")) })
		if got := rec2.Header().Values("Set-Cookie"); len(got) != 0 {
			return fmt.Errorf("%s: the cookie Go wrote was not accepted: %q", c.id, got)
		}
		token2 := token

		// 3. A POST with token2 passes; with one bit flipped it does not.
		post := func(tok string) bool {
			passed = false
			r := csrf.PlaintextHTTPRequest(withCookie("POST"))
			r.Header.Set(c.requestHeader, tok)
			withRand(bytes.Repeat([]byte{0}, 32), func() { h.ServeHTTP(httptest.NewRecorder(), r) })
			return passed
		}
		flipped := []byte(token2)
		flipped[5] ^= 1
		if !post(token2) || post(string(flipped)) {
			return fmt.Errorf("%s: Go's own token was not checked as expected", c.id)
		}

		cases = append(cases, obj{
			{"id", c.id}, {"description", c.desc}, {"auth_key", hex.EncodeToString(key)},
			{"options", obj{
				{"cookie_name", c.cookieName}, {"field_name", c.fieldName},
				{"request_header", c.requestHeader}, {"max_age", int64(c.maxAge)}, {"path", c.path},
				{"domain", c.domain}, {"secure", c.secure}, {"http_only", c.httpOnly},
				{"same_site", int64(c.sameSite)},
			}},
			{"now", csrfNow}, {"real", hex.EncodeToString(real)}, {"otp", hex.EncodeToString(otp)},
			{"set_cookie", header}, {"cookie", cookie}, {"token", token1}, {"field", field1},
			{"otp2", hex.EncodeToString(otp2)}, {"token2", token2},
		})
	}
	return writeFixtureFile(outDir, "csrf/tokens.json", "csrf",
		"gorilla/csrf v1.7.3 csrf.Protect with pinned crypto/rand and securecookie clock: "+
			"set_cookie is the Set-Cookie of a request without a cookie (Expires rebuilt at now, "+
			"checked equal otherwise), cookie its value, token/field csrf.Token/TemplateField with "+
			"real token `real` masked by `otp`; token2 the mask by otp2 on a request with the cookie. "+
			"options are Protect's, all given explicitly (same_site: 0 unset, 1 default, 2 lax, 3 strict, 4 none).",
		cases)
}

package main

// serve.go — the `serve` subcommand: a small, real Go web app on gorilla/sessions v1.4.0,
// listening on 127.0.0.1 only, for live cookie interop with the Python adapters and a
// real browser (tests/sessions/test_adapters.py, tests/e2e/test_browser.py).
//
//   go-harness serve -port 0 -name session -hash-key HEX [-block-key HEX] ...
//
// It prints "ready 127.0.0.1:<port>" on stdout once the socket is listening. Routes (all
// GET, all answer JSON; every route but /whoami saves the session, as a Go app would):
//
//   /login?user=U                   Values["user"] = U
//   /whoami                         the session (read only, nothing saved)
//   /flash?msg=M[&key=K]            session.AddFlash(M[, K])
//   /flashes[?key=K]                session.Flashes([K]) — reads and so consumes them
//   /options?max_age=N&samesite=S   session.Options.MaxAge / .SameSite (lax|strict|none|default)
//   /logout                         session.Options.MaxAge = -1
//
// The session part of every answer is
//   {"name", "is_new", "id", "error": err.Error()|null, "values": plainView, "typed": typedView}
// and "set_cookie" lists the Set-Cookie headers the handler wrote.
//
// -store redis -redis-addr HOST:PORT [-redistore v2|v1] runs the same app on the real
// boj/redistore (serve_redis.go), for a login shared with Python apps through one Redis.
//
// Compat note: CookieStore in v1.3.0+ defaults to Secure + SameSite=None. Browsers keep such
// cookies on http://127.0.0.1 only because loopback counts as a "potentially trustworthy"
// origin (Chromium does so; checked by tests/e2e). For clients that do not, pass
// -secure=false -samesite=lax (SameSite=None without Secure is rejected by browsers).

import (
	"encoding/gob"
	"flag"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/sessions"
)

func init() {
	commands["serve"] = cmdServe
	// Register what a gorilla app keeps in sessions besides the built-in types (the sessions
	// package itself registers []interface{} for flashes). The harness's own fixture types
	// (types.go) are registered as well, so Python may store those too.
	gob.Register(map[string]interface{}{})
	gob.Register([]string{})
}

// serveApp is the app of serve and gin-serve (gin_serve.go): its store and session name.
type serveApp struct {
	store sessions.Store
	name  string
}

func cmdServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	lb := addLoopbackFlags(fs)
	name := fs.String("name", "session", "session (cookie) name")
	kind := fs.String("store", "cookie", "cookie | fs | redis")
	dir := fs.String("dir", "", "FilesystemStore directory (empty = os.TempDir())")
	keys := addKeyFlags(fs)
	secure := fs.String("secure", "", "override Options.Secure: true | false (default: the store's)")
	sameSite := fs.String("samesite", "", "override Options.SameSite: default | lax | strict | none")
	maxAge := fs.Int("max-age", -2, "store.MaxAge(N) (codecs and Options); -2 = keep the default")
	redisFlags := addServeRedisFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	pairs, err := keys.pairs()
	if err != nil {
		return err
	}

	var opts *sessions.Options
	var store sessions.Store
	switch *kind {
	case "cookie":
		s := sessions.NewCookieStore(pairs...)
		if *maxAge != -2 {
			s.MaxAge(*maxAge)
		}
		opts, store = s.Options, s
	case "fs":
		s := sessions.NewFilesystemStore(*dir, pairs...)
		if *maxAge != -2 {
			s.MaxAge(*maxAge)
		}
		opts, store = s.Options, s
	case "redis":
		if opts, store, err = redisFlags.open(pairs, *maxAge); err != nil {
			return err
		}
	default:
		return fmt.Errorf("-store must be cookie, fs or redis, not %q", *kind)
	}
	switch *secure {
	case "":
	case "true", "false":
		opts.Secure = *secure == "true"
	default:
		return fmt.Errorf("-secure must be true or false")
	}
	if *sameSite != "" {
		ss, err := parseSameSite(*sameSite)
		if err != nil {
			return err
		}
		opts.SameSite = ss
	}

	ln, err := lb.listen()
	if err != nil {
		return err
	}
	app := &serveApp{store: store, name: *name}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", app.handle(func(r *http.Request, s *sessions.Session, out obj) obj {
		s.Values["user"] = r.URL.Query().Get("user")
		return out
	}, true))
	mux.HandleFunc("/whoami", app.handle(func(r *http.Request, s *sessions.Session, out obj) obj {
		return out
	}, false))
	mux.HandleFunc("/flash", app.handle(func(r *http.Request, s *sessions.Session, out obj) obj {
		s.AddFlash(r.URL.Query().Get("msg"), flashKey(r)...)
		return out
	}, true))
	mux.HandleFunc("/flashes", app.handle(func(r *http.Request, s *sessions.Session, out obj) obj {
		f := s.Flashes(flashKey(r)...) // panics (→ 500) if the value is not a []interface{}
		return append(out, kv{"flashes", plainView(f)}, kv{"flashes_typed", typedView(f)})
	}, true))
	mux.HandleFunc("/options", app.handle(func(r *http.Request, s *sessions.Session, out obj) obj {
		q := r.URL.Query()
		if v := q.Get("max_age"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				panic(fmt.Sprintf("max_age: %v", err))
			}
			s.Options.MaxAge = n
		}
		if v := q.Get("samesite"); v != "" {
			ss, err := parseSameSite(v)
			if err != nil {
				panic(err.Error())
			}
			s.Options.SameSite = ss
		}
		return out
	}, true))
	mux.HandleFunc("/logout", app.handle(func(r *http.Request, s *sessions.Session, out obj) obj {
		s.Options.MaxAge = -1
		return out
	}, true))

	return lb.serve(ln, mux)
}

func flashKey(r *http.Request) []string {
	if k := r.URL.Query().Get("key"); k != "" {
		return []string{k}
	}
	return nil
}

func parseSameSite(s string) (http.SameSite, error) {
	switch strings.ToLower(s) {
	case "default":
		return http.SameSiteDefaultMode, nil
	case "lax":
		return http.SameSiteLaxMode, nil
	case "strict":
		return http.SameSiteStrictMode, nil
	case "none":
		return http.SameSiteNoneMode, nil
	case "unset", "0":
		return 0, nil
	}
	return 0, fmt.Errorf("samesite must be default, lax, strict, none or unset, not %q", s)
}

// handle wraps a route: Get the session (keeping a decode error, as gorilla apps see it),
// run fn, Save if asked, and answer JSON. A panic (e.g. Flashes on a value that is not a
// []interface{}) becomes a 500 with the panic text, instead of net/http's dropped connection.
func (a *serveApp) handle(fn func(*http.Request, *sessions.Session, obj) obj, save bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				writePanic(w, p)
			}
		}()
		s, getErr := a.store.Get(r, a.name)
		if s == nil { // invalid cookie name
			writeJSON(w, http.StatusInternalServerError, obj{{"error", getErr.Error()}})
			return
		}
		out := fn(r, s, obj{})
		var saveErr any
		if save {
			if err := s.Save(r, w); err != nil {
				saveErr = err.Error()
			}
		}
		writeJSON(w, http.StatusOK, append(sessionAnswer(s, getErr, saveErr, w.Header()), out...))
	}
}

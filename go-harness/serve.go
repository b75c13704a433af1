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
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

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

// hexList is a repeatable flag of hex-encoded keys.
type hexList [][]byte

func (h *hexList) String() string { return fmt.Sprint(len(*h), " keys") }
func (h *hexList) Set(s string) error {
	if s == "" || s == "-" { // "-" = nil key (e.g. no block key in a rotated pair)
		*h = append(*h, nil)
		return nil
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return fmt.Errorf("key must be hex: %w", err)
	}
	*h = append(*h, b)
	return nil
}

type serveApp struct {
	store sessions.Store
	name  string
}

func cmdServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	port := fs.Int("port", 0, "TCP port on 127.0.0.1 (0 = any free port)")
	name := fs.String("name", "session", "session (cookie) name")
	kind := fs.String("store", "cookie", "cookie | fs | redis")
	dir := fs.String("dir", "", "FilesystemStore directory (empty = os.TempDir())")
	var hashKeys, blockKeys hexList
	fs.Var(&hashKeys, "hash-key", "hash key, hex (repeat for rotation; first pair encodes)")
	fs.Var(&blockKeys, "block-key", "block key, hex, or - for none (repeat, pairs with -hash-key)")
	secure := fs.String("secure", "", "override Options.Secure: true | false (default: the store's)")
	sameSite := fs.String("samesite", "", "override Options.SameSite: default | lax | strict | none")
	maxAge := fs.Int("max-age", -2, "store.MaxAge(N) (codecs and Options); -2 = keep the default")
	watchStdin := fs.Bool("watch-stdin", false, "exit when stdin reaches EOF (the parent went away)")
	redisFlags := addServeRedisFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(hashKeys) == 0 {
		return fmt.Errorf("at least one -hash-key is required")
	}
	var pairs [][]byte
	for i, hk := range hashKeys {
		var bk []byte
		if i < len(blockKeys) {
			bk = blockKeys[i]
		}
		pairs = append(pairs, hk, bk)
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
		var err error
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

	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
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

	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if *watchStdin {
		go func() {
			io.Copy(io.Discard, os.Stdin)
			os.Exit(0)
		}()
	}
	fmt.Fprintf(os.Stdout, "ready %s\n", ln.Addr().String())
	os.Stdout.Sync()
	return srv.Serve(ln)
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
				writeJSON(w, http.StatusInternalServerError, obj{{"panic", fmt.Sprint(p)}})
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
		var errText any
		if getErr != nil {
			errText = getErr.Error()
		}
		head := obj{
			{"name", s.Name()}, {"is_new", s.IsNew}, {"id", s.ID}, {"error", errText},
			{"save_error", saveErr}, {"values", plainView(s.Values)}, {"typed", typedView(s.Values)},
			{"set_cookie", stringsView(w.Header().Values("Set-Cookie"))},
		}
		writeJSON(w, http.StatusOK, append(head, out...))
	}
}

func stringsView(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, tree any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(compactJSON(tree))
	w.Write([]byte("\n"))
}

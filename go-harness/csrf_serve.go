package main

// csrf_serve.go — the `csrf-serve` subcommand: a real Go app behind gorilla/csrf v1.7.3's
// csrf.Protect on 127.0.0.1, for live interop with gorillacompat.csrf (tests/csrf/).
//
//   go-harness csrf-serve -port 0 -auth-key HEX [-trusted HOST[:PORT]]... [-secure=false] [-plaintext]
//
// It prints "ready 127.0.0.1:<port>" on stdout once listening. Routes behind csrf.Protect
// (Go's default error handler: 403 "Forbidden - <reason>"):
//
//   GET  /token              {"token": csrf.Token(r), "field": csrf.TemplateField(r)}
//   GET  /form?action=URL    an HTML page with a form posting to URL (default /submit)
//   POST /submit             {"ok": true, "msg": r.PostFormValue("msg")}
//
// A request is served as TLS (Go's default since v1.7.3) unless it carries the header
// "X-Harness-Scheme: http", which wraps it in csrf.PlaintextHTTPRequest first. With -plaintext
// every request is wrapped, as an app served over plain HTTP does (what a browser sends it
// cannot carry the harness header; tests/e2e/test_browser_csrf.py).
//
// POST /verdict (not protected) takes a JSON array of request descriptions
//
//   {"id", "auth_key": HEX, "options": {...csrfOptionsJSON}, "method", "url",
//    "headers": [[name, value], ...], "body": string}
//
// and answers, in order, what Protect decided for each, built as the server would see it
// (http.ReadRequest of the raw request; PlaintextHTTPRequest for an http:// URL):
//
//   {"id", "ok": bool, "reason": FailureReason(r).Error()|null, "status", "token",
//    "set_cookie": [...], "vary": [...]}  or  {"id", "harness_error": text}

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/gorilla/csrf"
)

func init() {
	commands["csrf-serve"] = cmdCSRFServe
}

// csrfOptionsJSON is the request form of Protect's options; absent members keep Go's defaults.
type csrfOptionsJSON struct {
	CookieName     *string  `json:"cookie_name"`
	FieldName      *string  `json:"field_name"`
	RequestHeader  *string  `json:"request_header"`
	MaxAge         *int     `json:"max_age"`
	Path           *string  `json:"path"`
	Domain         *string  `json:"domain"`
	Secure         *bool    `json:"secure"`
	HttpOnly       *bool    `json:"http_only"`
	SameSite       *int     `json:"same_site"`
	TrustedOrigins []string `json:"trusted_origins"`
}

func (o csrfOptionsJSON) options() []csrf.Option {
	var opts []csrf.Option
	if o.CookieName != nil {
		opts = append(opts, csrf.CookieName(*o.CookieName))
	}
	if o.FieldName != nil {
		opts = append(opts, csrf.FieldName(*o.FieldName))
	}
	if o.RequestHeader != nil {
		opts = append(opts, csrf.RequestHeader(*o.RequestHeader))
	}
	if o.MaxAge != nil {
		opts = append(opts, csrf.MaxAge(*o.MaxAge))
	}
	if o.Path != nil {
		opts = append(opts, csrf.Path(*o.Path))
	}
	if o.Domain != nil {
		opts = append(opts, csrf.Domain(*o.Domain))
	}
	if o.Secure != nil {
		opts = append(opts, csrf.Secure(*o.Secure))
	}
	if o.HttpOnly != nil {
		opts = append(opts, csrf.HttpOnly(*o.HttpOnly))
	}
	if o.SameSite != nil {
		opts = append(opts, csrf.SameSite(csrf.SameSiteMode(*o.SameSite)))
	}
	if o.TrustedOrigins != nil {
		opts = append(opts, csrf.TrustedOrigins(o.TrustedOrigins))
	}
	return opts
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

var csrfFormPage = template.Must(template.New("form").Parse(`<!doctype html>
<title>Go form</title>
<form id="f" method="post" action="{{.action}}">
{{.field}}
<input name="msg" value="from Go">
<button id="send" type="submit">send</button>
</form>
`))

func csrfApp() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /token", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, obj{{"token", csrf.Token(r)}, {"field", string(csrf.TemplateField(r))}})
	})
	mux.HandleFunc("GET /form", func(w http.ResponseWriter, r *http.Request) {
		action := r.URL.Query().Get("action")
		if action == "" {
			action = "/submit"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		csrfFormPage.Execute(w, map[string]any{"action": action, "field": csrf.TemplateField(r)})
	})
	mux.HandleFunc("POST /submit", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, obj{{"ok", true}, {"msg", r.PostFormValue("msg")}})
	})
	return mux
}

// plaintextBySchemeHeader marks requests with "X-Harness-Scheme: http" (all requests, with
// always) as plaintext HTTP.
func plaintextBySchemeHeader(h http.Handler, always bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if always || r.Header.Get("X-Harness-Scheme") == "http" {
			r = csrf.PlaintextHTTPRequest(r)
		}
		h.ServeHTTP(w, r)
	})
}

func cmdCSRFServe(args []string) error {
	fs := flag.NewFlagSet("csrf-serve", flag.ContinueOnError)
	lb := addLoopbackFlags(fs)
	authKey := fs.String("auth-key", "", "csrf.Protect auth key, hex")
	secure := fs.Bool("secure", true, "csrf.Secure")
	plaintext := fs.Bool("plaintext", false, "wrap every request in csrf.PlaintextHTTPRequest (an app on plain HTTP)")
	var trusted stringList
	fs.Var(&trusted, "trusted", "a trusted origin host[:port] (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	key, err := hex.DecodeString(*authKey)
	if err != nil || len(key) == 0 {
		return fmt.Errorf("-auth-key must be non-empty hex")
	}
	protect := csrf.Protect(key, csrf.Secure(*secure), csrf.Path("/"), csrf.TrustedOrigins(trusted))

	ln, err := lb.listen()
	if err != nil {
		return err
	}
	root := http.NewServeMux()
	root.HandleFunc("POST /verdict", serveCSRFVerdicts)
	root.Handle("/", plaintextBySchemeHeader(protect(csrfApp()), *plaintext))
	return lb.serve(ln, root)
}

type csrfVerdictRequest struct {
	ID      any             `json:"id"`
	AuthKey string          `json:"auth_key"`
	Options csrfOptionsJSON `json:"options"`
	Method  string          `json:"method"`
	URL     string          `json:"url"`
	Headers [][2]string     `json:"headers"`
	Body    string          `json:"body"`
}

func serveCSRFVerdicts(w http.ResponseWriter, r *http.Request) {
	var reqs []csrfVerdictRequest
	if err := json.NewDecoder(r.Body).Decode(&reqs); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	answers := make([]any, len(reqs))
	for i, req := range reqs {
		ans, err := csrfVerdict(req)
		if err != nil {
			ans = obj{{"id", req.ID}, {"harness_error", err.Error()}}
		}
		answers[i] = ans
	}
	writeJSON(w, http.StatusOK, answers)
}

// csrfVerdict runs one described request through a fresh csrf.Protect, as a server gets it.
func csrfVerdict(req csrfVerdictRequest) (obj, error) {
	key, err := hex.DecodeString(req.AuthKey)
	if err != nil {
		return nil, fmt.Errorf("auth_key: %w", err)
	}
	target, err := url.Parse(req.URL)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") {
		return nil, fmt.Errorf("url must be http:// or https://: %q", req.URL)
	}
	var raw strings.Builder
	fmt.Fprintf(&raw, "%s %s HTTP/1.1\r\nHost: %s\r\n", req.Method, target.RequestURI(), target.Host)
	for _, h := range req.Headers {
		if strings.ContainsAny(h[0]+h[1], "\r\n") {
			return nil, fmt.Errorf("header %q: CR or LF cannot be sent in a header", h[0])
		}
		fmt.Fprintf(&raw, "%s: %s\r\n", h[0], h[1])
	}
	fmt.Fprintf(&raw, "Content-Length: %d\r\n\r\n%s", len(req.Body), req.Body)
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw.String())))
	if err != nil {
		return nil, fmt.Errorf("net/http refuses the request: %w", err)
	}
	if target.Scheme == "http" {
		r = csrf.PlaintextHTTPRequest(r)
	}
	var passed bool
	var token string
	var reason any
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		passed, token = true, csrf.Token(r)
	})
	onError := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token = csrf.Token(r)
		if err := csrf.FailureReason(r); err != nil {
			reason = err.Error()
		}
		w.WriteHeader(http.StatusForbidden)
	})
	opts := append(req.Options.options(), csrf.ErrorHandler(onError))
	rec := httptest.NewRecorder()
	csrf.Protect(key, opts...)(app).ServeHTTP(rec, r)
	setCookies := rec.Header().Values("Set-Cookie")
	if setCookies == nil {
		setCookies = []string{}
	}
	vary := rec.Header().Values("Vary")
	if vary == nil {
		vary = []string{}
	}
	return obj{
		{"id", req.ID}, {"ok", passed}, {"reason", reason}, {"status", int64(rec.Code)},
		{"token", token}, {"set_cookie", setCookies}, {"vary", vary},
	}, nil
}

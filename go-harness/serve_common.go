package main

// serve_common.go — what the web-app subcommands (serve.go, gin_serve.go, csrf_serve.go) share:
// the -hash-key/-block-key pairs, the loopback listener with -port and -watch-stdin, the
// "ready" line, and the JSON answers.

import (
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gorilla/sessions"
)

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

// keyFlags are the repeatable -hash-key and -block-key flags.
type keyFlags struct{ hash, block hexList }

func addKeyFlags(fs *flag.FlagSet) *keyFlags {
	k := &keyFlags{}
	fs.Var(&k.hash, "hash-key", "hash key, hex (repeat for rotation; first pair encodes)")
	fs.Var(&k.block, "block-key", "block key, hex, or - for none (repeat, pairs with -hash-key)")
	return k
}

// pairs interleaves the keys as securecookie.CodecsFromPairs takes them (a missing block key is nil).
func (k *keyFlags) pairs() ([][]byte, error) {
	if len(k.hash) == 0 {
		return nil, fmt.Errorf("at least one -hash-key is required")
	}
	var pairs [][]byte
	for i, hk := range k.hash {
		var bk []byte
		if i < len(k.block) {
			bk = k.block[i]
		}
		pairs = append(pairs, hk, bk)
	}
	return pairs, nil
}

// loopbackFlags are -port and -watch-stdin.
type loopbackFlags struct {
	port       *int
	watchStdin *bool
}

func addLoopbackFlags(fs *flag.FlagSet) *loopbackFlags {
	return &loopbackFlags{
		port:       fs.Int("port", 0, "TCP port on 127.0.0.1 (0 = any free port)"),
		watchStdin: fs.Bool("watch-stdin", false, "exit when stdin reaches EOF (the parent went away)"),
	}
}

// listen opens the socket on 127.0.0.1.
func (f *loopbackFlags) listen() (net.Listener, error) {
	return net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*f.port)))
}

// serve prints "ready 127.0.0.1:<port>" and serves h on ln (exiting at stdin's EOF with -watch-stdin).
func (f *loopbackFlags) serve(ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if *f.watchStdin {
		go func() {
			io.Copy(io.Discard, os.Stdin)
			os.Exit(0)
		}()
	}
	fmt.Fprintf(os.Stdout, "ready %s\n", ln.Addr().String())
	os.Stdout.Sync()
	return srv.Serve(ln)
}

// sessionAnswer is the session part of every serve / gin-serve answer.
func sessionAnswer(s *sessions.Session, getErr error, saveErr any, h http.Header) obj {
	return obj{
		{"name", s.Name()}, {"is_new", s.IsNew}, {"id", s.ID}, {"error", errText(getErr)},
		{"save_error", saveErr}, {"values", plainView(s.Values)}, {"typed", typedView(s.Values)},
		{"set_cookie", stringsView(h.Values("Set-Cookie"))},
	}
}

// writePanic answers a recovered panic p with 500 {"panic": text}.
func writePanic(w http.ResponseWriter, p any) {
	writeJSON(w, http.StatusInternalServerError, obj{{"panic", fmt.Sprint(p)}})
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

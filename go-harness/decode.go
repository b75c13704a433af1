package main

// decode.go — the `decode` subcommand: a batch RPC for the Python test-suite.
//
// stdin:  a JSON array of request objects, each with a "kind" (and usually an "id").
// stdout: a JSON array of answers, same length and order (one answer per line).
//
// A request whose handler fails for harness reasons (bad request, unknown kind or type
// name) gets {"id": ..., "harness_error": "<text>"}; errors of the Go library under test
// are part of normal answers. Handlers for further kinds are registered in `decoders`
// (main.go) from other files' init() functions.

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/gorilla/securecookie"
)

func init() {
	commands["decode"] = cmdDecode
	decoders["cookie"] = decodeCookieRequest
	decoders["encode"] = encodeCookieRequest
}

func cmdDecode(args []string) error {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	var reqs []json.RawMessage
	if err := json.Unmarshal(data, &reqs); err != nil {
		return fmt.Errorf("stdin must be a JSON array of requests: %w", err)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	w.WriteString("[")
	for i, raw := range reqs {
		if i > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n")
		w.Write(compactJSON(answerFor(raw)))
	}
	w.WriteString("\n]\n")
	return nil
}

func answerFor(raw json.RawMessage) (ans any) {
	var head struct {
		Kind  string `json:"kind"`
		ID    any    `json:"id"`
		Fresh bool   `json:"fresh"`
	}
	_ = json.Unmarshal(raw, &head)
	id := jsonScalar(head.ID)
	defer func() {
		if r := recover(); r != nil {
			ans = obj{{"id", id}, {"harness_error", fmt.Sprintf("panic: %v", r)}}
		}
	}()
	if head.Fresh {
		// Strip "fresh" so the child answers in-process.
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err == nil {
			delete(m, "fresh")
			if b, err := json.Marshal(m); err == nil {
				a, err := runFresh(b)
				if err != nil {
					return obj{{"id", id}, {"harness_error", err.Error()}}
				}
				return a
			}
		}
	}
	h, ok := decoders[head.Kind]
	if !ok {
		return obj{{"id", id}, {"harness_error", fmt.Sprintf("unknown request kind %q", head.Kind)}}
	}
	a, err := h(raw)
	if err != nil {
		return obj{{"id", id}, {"harness_error", err.Error()}}
	}
	return a
}

// jsonScalar converts an id decoded by encoding/json into a pyjson-writable value.
func jsonScalar(v any) any {
	switch x := v.(type) {
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
		return x
	case string, bool, nil:
		return x
	}
	return fmt.Sprint(v)
}

// cookieRequest is shared by the "cookie" (decode) and "encode" kinds.
type cookieRequest struct {
	ID         any        `json:"id"`
	Keys       []*string  `json:"keys"`
	Hash       string     `json:"hash"`
	Serializer string     `json:"serializer"`
	Options    *scOptions `json:"options"`
	Name       string     `json:"name"`
	Cookie     string     `json:"cookie"`
	Now        *int64     `json:"now"`
	Dest       string     `json:"dest"`
	Multi      *bool      `json:"multi"`
	// encode only
	Value     json.RawMessage `json:"value"`
	Timestamp *int64          `json:"timestamp"`
	IV        *string         `json:"iv"`
}

func (r *cookieRequest) config() (codecConfig, error) {
	c := codecConfig{Hash: r.Hash, Serializer: r.Serializer, Options: defaultOptions}
	if c.Hash == "" {
		c.Hash = "sha256"
	}
	if c.Serializer == "" {
		c.Serializer = "gob"
	}
	if r.Options != nil {
		// Absent members keep their defaults.
		c.Options = *r.Options
	}
	keys, err := hexKeyPairs(r.Keys)
	c.Keys = keys
	return c, err
}

// parseCookieRequest reads a "cookie" or "encode" request and its codec configuration.
func parseCookieRequest(raw json.RawMessage) (*cookieRequest, codecConfig, error) {
	r := &cookieRequest{}
	// Pre-fill options with defaults so that a partial "options" object keeps them.
	o := defaultOptions
	r.Options = &o
	if err := json.Unmarshal(raw, r); err != nil {
		return nil, codecConfig{}, err
	}
	c, err := r.config()
	return r, c, err
}

func decodeCookieRequest(raw json.RawMessage) (any, error) {
	r, c, err := parseCookieRequest(raw)
	if err != nil {
		return nil, err
	}
	now := time.Now().Unix()
	if r.Now != nil {
		now = *r.Now
	}
	codecs, err := c.codecs(now)
	if err != nil {
		return nil, err
	}
	dest := r.Dest
	if dest == "" {
		dest = defaultDest(c.Serializer)
	}
	multi := r.Multi == nil || *r.Multi
	val, derr, herr := decodeInto(codecs, multi, r.Name, r.Cookie, dest)
	if herr != nil {
		return nil, herr
	}
	return obj{{"id", jsonScalar(r.ID)}, {"value", val}, {"error", errorView(derr)}}, nil
}

func encodeCookieRequest(raw json.RawMessage) (any, error) {
	r, c, err := parseCookieRequest(raw)
	if err != nil {
		return nil, err
	}
	tree, err := decodeJSONTree(r.Value)
	if err != nil {
		return nil, fmt.Errorf("value: %v", err)
	}
	value, err := fromTypedView(tree)
	if err != nil {
		return nil, fmt.Errorf("value: %v", err)
	}
	ts := time.Now().Unix()
	if r.Timestamp != nil {
		ts = *r.Timestamp
	}
	iv := seedBytes("default-iv", 16)
	if r.IV != nil {
		if iv, err = hex.DecodeString(*r.IV); err != nil {
			return nil, fmt.Errorf("iv: %v", err)
		}
	}
	multi := r.Multi == nil || *r.Multi
	if !multi && len(c.Keys) == 0 {
		return nil, fmt.Errorf("multi=false needs at least one key pair")
	}
	cookie, eerr := encodeOnce(c, multi, r.Name, value, ts, iv, false)
	var ck, ser any
	if eerr == nil {
		ck = cookie
	}
	if b, serr := serialize(c.Serializer, value); serr == nil {
		ser = hex.EncodeToString(b)
	}
	return obj{{"id", jsonScalar(r.ID)}, {"cookie", ck}, {"serialized", ser}, {"error", errorView(eerr)}}, nil
}

var _ = securecookie.ErrMacInvalid

// runFresh answers one request in a fresh child process (`go-harness decode`), so that
// process-wide gob state (type ids assigned by earlier encodes) cannot influence it.
// Requests may ask for this with "fresh": true.
func runFresh(raw json.RawMessage) (any, error) { return decodeInChild(raw, "fresh child") }

// decodeInChild answers the single request raw by a `go-harness decode` child with env added
// to its environment; label names the child in errors.
func decodeInChild(raw json.RawMessage, label string, env ...string) (any, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var in bytes.Buffer
	in.WriteByte('[')
	in.Write(raw)
	in.WriteByte(']')
	cmd := exec.Command(self, "decode")
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.Stdin = &in
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	tree, err := decodeOrdered(out)
	if err != nil {
		return nil, err
	}
	l, ok := tree.([]any)
	if !ok || len(l) != 1 {
		return nil, fmt.Errorf("%s: unexpected output", label)
	}
	return l[0], nil
}

// decodeOrdered parses JSON keeping object member order (objects → obj, numbers →
// json.Number), so a tree can be re-emitted unchanged by compactJSON.
func decodeOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var parse func() (any, error)
	parse = func() (any, error) {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '[':
				l := []any{}
				for dec.More() {
					v, err := parse()
					if err != nil {
						return nil, err
					}
					l = append(l, v)
				}
				_, err := dec.Token()
				return l, err
			case '{':
				o := obj{}
				for dec.More() {
					k, err := dec.Token()
					if err != nil {
						return nil, err
					}
					v, err := parse()
					if err != nil {
						return nil, err
					}
					o = append(o, kv{k.(string), v})
				}
				_, err := dec.Token()
				return o, err
			}
			return nil, fmt.Errorf("unexpected %v", t)
		default:
			return t, nil // string, bool, nil, json.Number
		}
	}
	return parse()
}

package main

// store_request.go — what the `decode` kinds of the session stores (pgstore.go, memcache.go,
// gormstore.go, redis.go) share: the common request members, the key pairs, and the request
// flow New(r with cookie) → [Clear, merge values, add flashes, set MaxAge → Save], with the
// common answer members.

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// registerDecoder answers the `decode` kinds with h.
func registerDecoder(h func(json.RawMessage) (any, error), kinds ...string) {
	for _, k := range kinds {
		decoders[k] = h
	}
}

// storeReq holds the request members every store kind takes; each kind's request type embeds it.
//
// keys (hex, nil for no block key), name ("session"), cookie, values (typed view), clear,
// flashes (strings added with AddFlash), max_age (the session's Options.MaxAge), max_length
// (the store's MaxLength), now (pins the codecs' clock, where the kind can reach them).
type storeReq struct {
	ID        any             `json:"id"`
	Kind      string          `json:"kind"`
	Keys      []*string       `json:"keys"`
	Name      string          `json:"name"`
	Cookie    *string         `json:"cookie"`
	Values    json.RawMessage `json:"values"`
	Clear     bool            `json:"clear"`
	Flashes   []string        `json:"flashes"`
	MaxAge    *int            `json:"max_age"`
	MaxLength *int            `json:"max_length"`
	Now       *int64          `json:"now"`
}

// decodeStoreReq unmarshals raw into q (a kind's request type, which embeds base) and fills
// the default session name.
func decodeStoreReq(raw json.RawMessage, q any, base *storeReq) error {
	if err := json.Unmarshal(raw, q); err != nil {
		return err
	}
	if base.Name == "" {
		base.Name = "session"
	}
	return nil
}

// openError is the answer of a request whose store could not be opened.
func (q *storeReq) openError(err error) obj {
	return obj{{"id", q.ID}, {"open_error", err.Error()}}
}

// tune applies max_length (the store's MaxLength setter) and now (pins the store's codecs).
func (q *storeReq) tune(st interface{ MaxLength(int) }, codecs []securecookie.Codec) {
	if q.MaxLength != nil {
		st.MaxLength(*q.MaxLength)
	}
	if q.Now != nil {
		pinStoreCodecs(codecs, *q.Now)
	}
}

// hexKeyPairs decodes hex keys (nil stays nil: no block key) for securecookie.CodecsFromPairs.
func hexKeyPairs(keys []*string) ([][]byte, error) {
	var pairs [][]byte
	for i, k := range keys {
		if k == nil {
			pairs = append(pairs, nil)
			continue
		}
		b, err := hex.DecodeString(*k)
		if err != nil {
			return nil, fmt.Errorf("keys[%d]: %w", i, err)
		}
		pairs = append(pairs, b)
	}
	return pairs, nil
}

// typedValue decodes a typed view (jsonview.go) into its Go value.
func typedValue(raw []byte) (any, error) {
	tree, err := decodeJSONTree(raw)
	if err != nil {
		return nil, err
	}
	return fromTypedView(tree)
}

// valuesMap checks that v is what sessions keep their values in.
func valuesMap(v any) (map[interface{}]interface{}, error) {
	m, ok := v.(map[interface{}]interface{})
	if !ok {
		return nil, fmt.Errorf("values must be a map[interface {}]interface {}, got %T", v)
	}
	return m, nil
}

// storeCall is one request's session: New on a request carrying the cookie, the recorder
// Save writes to, and the answer so far.
type storeCall struct {
	r    *http.Request
	w    *httptest.ResponseRecorder
	sess *sessions.Session
	ans  obj
}

// newSession runs st.New on a request carrying q's cookie; the answer starts with
// id, load_error, is_new and session_id.
func (q *storeReq) newSession(st sessions.Store) *storeCall {
	r := httptest.NewRequest("GET", "http://example.test/", nil)
	if q.Cookie != nil {
		r.AddCookie(&http.Cookie{Name: q.Name, Value: *q.Cookie})
	}
	sess, loadErr := st.New(r, q.Name)
	return &storeCall{r: r, w: httptest.NewRecorder(), sess: sess, ans: obj{
		{"id", q.ID}, {"load_error", errText(loadErr)}, {"is_new", sess.IsNew}, {"session_id", sess.ID},
	}}
}

// edit applies a save request to the session: clear, merge values, add flashes, set MaxAge.
func (q *storeReq) edit(sess *sessions.Session) error {
	if q.Clear {
		clear(sess.Values)
	}
	if len(q.Values) > 0 && string(q.Values) != "null" {
		v, err := typedValue(q.Values)
		if err != nil {
			return err
		}
		m, err := valuesMap(v)
		if err != nil {
			return err
		}
		for k, x := range m {
			sess.Values[k] = x
		}
	}
	for _, f := range q.Flashes {
		sess.AddFlash(f)
	}
	if q.MaxAge != nil {
		sess.Options.MaxAge = *q.MaxAge
	}
	return nil
}

// run answers a load (values) or a save (edit → Save) request on st.
func (q *storeReq) run(st sessions.Store, load bool) (obj, error) {
	c := q.newSession(st)
	if load {
		return c.withValues(), nil
	}
	if err := q.edit(c.sess); err != nil {
		return nil, err
	}
	return c.saved(st.Save(c.r, c.w, c.sess)), nil
}

// withValues adds the session's values (typed view).
func (c *storeCall) withValues() obj {
	return append(c.ans, kv{"values", typedView(c.sess.Values)})
}

// saved adds the outcome of a Save or Delete: error, saved_id, set_cookie.
func (c *storeCall) saved(err error) obj {
	return append(c.ans, kv{"error", errText(err)}, kv{"saved_id", c.sess.ID},
		kv{"set_cookie", c.w.Header().Values("Set-Cookie")})
}

func errText(err error) any {
	if err == nil {
		return nil
	}
	return err.Error()
}

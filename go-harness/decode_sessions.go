package main

// decode_sessions.go — `decode` kinds that run the real gorilla/sessions stores on what the
// Python implementation wrote (see README.md, "sessions").

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gorilla/sessions"
)

func init() {
	decoders["set-cookie"] = setCookieRequest
	decoders["session-cookie"] = sessionCookieRequest
	decoders["session-file"] = sessionFileRequest
}

type sessRequest struct {
	ID        any               `json:"id"`
	Keys      []*string         `json:"keys"`
	Name      string            `json:"name"`
	Value     string            `json:"value"`
	Cookie    *string           `json:"cookie"`
	Header    *string           `json:"cookie_header"`
	Now       *int64            `json:"now"`
	Options   sessOptionsJSON   `json:"options"`
	MaxAge    *int              `json:"store_max_age"`
	MaxLength *int              `json:"max_length"`
	Files     map[string]string `json:"files"`
	Flashes   []string          `json:"flash_keys"`
}

func parseSessRequest(raw json.RawMessage) (*sessRequest, [][]byte, error) {
	r := &sessRequest{}
	if err := json.Unmarshal(raw, r); err != nil {
		return nil, nil, err
	}
	keys, err := hexKeyPairs(r.Keys)
	if err != nil {
		return nil, nil, err
	}
	if r.Flashes == nil {
		r.Flashes = defaultFlashKeys
	}
	return r, keys, nil
}

func (r *sessRequest) now() int64 {
	if r.Now != nil {
		return *r.Now
	}
	return time.Now().Unix()
}

// setCookieRequest: {"name","value","options","now"} → {"id","header"}: Set-Cookie of
// sessions.NewCookie with Expires pinned to now.
func setCookieRequest(raw json.RawMessage) (any, error) {
	r, _, err := parseSessRequest(raw)
	if err != nil {
		return nil, err
	}
	h, exp := pinnedCookieHeader(r.Name, r.Value, r.Options.options(), r.now())
	return obj{{"id", jsonScalar(r.ID)}, {"header", h}, {"expires", exp}}, nil
}

// sessionCookieRequest: CookieStore.Get on a request carrying the cookie.
func sessionCookieRequest(raw json.RawMessage) (any, error) {
	r, keys, err := parseSessRequest(raw)
	if err != nil {
		return nil, err
	}
	st := sessions.NewCookieStore(keys...)
	if r.MaxAge != nil {
		st.MaxAge(*r.MaxAge)
	}
	pinStoreCodecs(st.Codecs, r.now())
	return append(obj{{"id", jsonScalar(r.ID)}}, r.get(st)...), nil
}

// get answers sessionView of st.Get on a request carrying the cookie.
func (r *sessRequest) get(st sessions.Store) obj {
	req := httptest.NewRequest("GET", "/", nil)
	setRequestCookie(req.Header.Set, r)
	s, gerr := st.Get(req, r.Name)
	return sessionView(s, gerr, r.Flashes)
}

func setRequestCookie(set func(k, v string), r *sessRequest) {
	if r.Header != nil {
		set("Cookie", *r.Header)
	} else if r.Cookie != nil {
		set("Cookie", r.Name+"="+*r.Cookie)
	}
}

// sessionFileRequest: FilesystemStore.Get with `files` written into a fresh temp dir.
func sessionFileRequest(raw json.RawMessage) (any, error) {
	r, keys, err := parseSessRequest(raw)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "sessdecode")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	for name, contents := range r.Files {
		if strings.ContainsAny(name, "/\\") {
			return nil, fmt.Errorf("file name %q has a path separator", name)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(contents), 0o600); err != nil {
			return nil, err
		}
	}
	st := sessions.NewFilesystemStore(dir, keys...)
	if r.MaxAge != nil {
		st.MaxAge(*r.MaxAge)
	}
	if r.MaxLength != nil {
		st.MaxLength(*r.MaxLength)
	}
	pinStoreCodecs(st.Codecs, r.now())
	v := r.get(st)
	if e, ok := v[len(v)-1].V.(string); ok {
		v[len(v)-1] = kv{"error", strings.ReplaceAll(e, dir, "{dir}")}
	}
	return append(obj{{"id", jsonScalar(r.ID)}}, v...), nil
}

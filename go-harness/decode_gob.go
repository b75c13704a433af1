package main

// decode_gob.go — the "gob" and "gob-encode" kinds of the `decode` subcommand.
//
// Go's gob type ids are process-global and assigned on first ENCODE, and Go's decode
// error texts can name types the process has already encoded (Decoder.typeString
// consults the global id table). So every gob request is answered in a FRESH child
// process: the handler re-executes `go-harness decode` with the single request and the
// environment variable GOHARNESS_GOB_FRESH=1; the child does the work in-process, where
// nothing has been encoded yet. Decoding allocates no type ids, so the child can decode
// first and then re-encode with fresh ids (checked: decode-then-encode in one process
// gives the bytes of a fresh encode). Cost: one exec (a few ms) per request.
//
// See README.md ("gob") for the request/answer formats.

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"time"
)

const gobFreshEnv = "GOHARNESS_GOB_FRESH"

func init() {
	decoders["gob"] = gobDecodeRequest
	decoders["gob-encode"] = gobEncodeRequest
	// Named types of types.go, for fromTypedView / parseTypeName.
	for _, v := range []interface{}{Person{}, Account{}, Address{}, Rich{}, Node{}, List{}, Employee{},
		Celsius(0), Tags(nil), Counts(nil), Version{}, IPv4{}, Color{}, Holder{}, Expiry{}, Secret{}, Unregistered{}} {
		rt := reflect.TypeOf(v)
		typedTypes[rt.String()] = rt
	}
}

// gobRequest is the union of the "gob" and "gob-encode" request members.
type gobRequest struct {
	ID     any               `json:"id"`
	Gob    string            `json:"gob"`
	Dest   json.RawMessage   `json:"dest"`
	Value  json.RawMessage   `json:"value"`
	Values []json.RawMessage `json:"values"`
}

// gobFresh answers raw in a fresh child unless this process is already one.
func gobFresh(raw json.RawMessage, work func(json.RawMessage) (any, error)) (any, error) {
	if os.Getenv(gobFreshEnv) == "1" {
		return work(raw)
	}
	ans, err := decodeInChild(raw, "gob child", gobFreshEnv+"=1")
	if err != nil {
		return nil, err
	}
	if o, ok := ans.(obj); ok {
		if he, ok := o.get("harness_error"); ok {
			return nil, fmt.Errorf("%v", he)
		}
	}
	return ans, nil
}

func gobDecodeRequest(raw json.RawMessage) (any, error) { return gobFresh(raw, gobDecodeWork) }
func gobEncodeRequest(raw json.RawMessage) (any, error) { return gobFresh(raw, gobEncodeWork) }

// gobDests parses "dest": a string, or a list of strings (one per value of the stream).
func gobDests(raw json.RawMessage) ([]string, bool, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return []string{"interface-map"}, false, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, false, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil || len(many) == 0 {
		return nil, false, errors.New(`"dest" must be a type name or a non-empty list of type names`)
	}
	return many, true, nil
}

var ifaceMapType = reflect.TypeOf(map[interface{}]interface{}{})

// resolveGobDest maps a request's dest to a Go type. data is the whole stream (for "auto").
func resolveGobDest(name string, data []byte) (reflect.Type, error) {
	switch name {
	case "", "interface-map":
		return ifaceMapType, nil
	case "auto":
		return autoGobDest(data)
	}
	return parseTypeName(name)
}

// gobAutoCandidates are tried, in order, by dest "auto" once map[interface{}]interface{}
// failed: first those whose Go name equals the remote type's wire name, then all in
// order. Integers decode into int/uint, floats into float64 (the wire does not keep the
// width); arrays and types not listed here are not supported by "auto".
var gobAutoCandidates = []reflect.Type{
	reflect.TypeOf((*interface{})(nil)).Elem(), // a top-level interface value (Encode(&iface))
	reflect.TypeOf(map[string]interface{}{}),
	reflect.TypeOf([]interface{}{}),
	reflect.TypeOf(""), reflect.TypeOf(0), reflect.TypeOf(uint(0)), reflect.TypeOf(false),
	reflect.TypeOf(0.0), reflect.TypeOf(complex128(0)), reflect.TypeOf([]byte(nil)),
	reflect.TypeOf([]string(nil)), reflect.TypeOf([]int(nil)), reflect.TypeOf([]uint(nil)),
	reflect.TypeOf([]float64(nil)), reflect.TypeOf([]bool(nil)), reflect.TypeOf([]complex128(nil)),
	reflect.TypeOf(map[string]string{}), reflect.TypeOf(map[string]int{}),
	reflect.TypeOf([][]interface{}{}), reflect.TypeOf([]map[string]interface{}{}),
	reflect.TypeOf(time.Time{}), reflect.TypeOf(Version{}), reflect.TypeOf(IPv4{}),
	reflect.TypeOf(Person{}), reflect.TypeOf(&Account{}), reflect.TypeOf(Rich{}), reflect.TypeOf(&Node{}),
	reflect.TypeOf(List{}), reflect.TypeOf(Employee{}), reflect.TypeOf(Address{}), reflect.TypeOf(Color{}),
	reflect.TypeOf(Holder{}), reflect.TypeOf(Expiry{}), reflect.TypeOf(Tags(nil)), reflect.TypeOf(Counts(nil)),
}

func tryGobDecode(data []byte, rt reflect.Type) error {
	return gob.NewDecoder(bytes.NewReader(data)).Decode(reflect.New(rt).Interface())
}

func baseType(rt reflect.Type) reflect.Type {
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	return rt
}

// autoGobDest picks the Go type for dest "auto":
//  1. map[interface {}]interface {} (a gorilla session) if it decodes;
//  2. otherwise Go's own description of the remote type is read from the error of a
//     deliberately mismatching decode (into *complex128: "... received remote type R");
//     a struct or GobEncoder type is matched by its wire name (R = "Person = struct {...}",
//     "Time", "Version") against the candidates' bare Go names;
//  3. otherwise the first of gobAutoCandidates that decodes without error.
func autoGobDest(data []byte) (reflect.Type, error) {
	if tryGobDecode(data, ifaceMapType) == nil {
		return ifaceMapType, nil
	}
	c128 := reflect.TypeOf(complex128(0))
	probe := tryGobDecode(data, c128)
	if probe == nil {
		return c128, nil
	}
	const marker = "received remote type "
	remote := ""
	if i := strings.Index(probe.Error(), marker); i >= 0 {
		remote = probe.Error()[i+len(marker):]
		if j := strings.Index(remote, " = "); j >= 0 {
			remote = remote[:j]
		}
	}
	if remote != "" {
		for _, rt := range gobAutoCandidates {
			if baseType(rt).Name() == remote && tryGobDecode(data, rt) == nil {
				return rt, nil
			}
		}
	}
	for _, rt := range gobAutoCandidates {
		if tryGobDecode(data, rt) == nil {
			return rt, nil
		}
	}
	return nil, fmt.Errorf("auto: no known Go type decodes this stream (%v)", probe)
}

// gobViewOfDecoded renders a decoded destination: the value itself (for an interface
// destination, the concrete value it holds).
func gobViewOfDecoded(d reflect.Value) any {
	return gobView(d.Elem().Interface())
}

// gobDecodeWork (in the fresh child): decode req.gob into fresh destinations, render
// them, and re-encode the decoded values with one fresh Encoder.
func gobDecodeWork(raw json.RawMessage) (any, error) {
	var r gobRequest
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	data, err := hex.DecodeString(r.Gob)
	if err != nil {
		return nil, fmt.Errorf("gob: %v", err)
	}
	names, many, err := gobDests(r.Dest)
	if err != nil {
		return nil, err
	}
	if many {
		for _, n := range names {
			if n == "auto" {
				return nil, errors.New(`"auto" is only supported for a single dest`)
			}
		}
	}
	var dests []reflect.Value
	var destNames []any
	for _, n := range names {
		rt, err := resolveGobDest(n, data)
		if err != nil {
			return nil, err
		}
		dests = append(dests, reflect.New(rt))
		destNames = append(destNames, rt.String())
	}
	var derr error
	dec := gob.NewDecoder(bytes.NewReader(data))
	for _, d := range dests {
		if derr = dec.Decode(d.Interface()); derr != nil {
			break
		}
	}
	ans := obj{{"id", jsonScalar(r.ID)}}
	if many {
		ans = append(ans, kv{"dest", destNames})
	} else {
		ans = append(ans, kv{"dest", destNames[0]})
	}
	if derr != nil {
		return append(ans, kv{"value", nil}, kv{"gob", nil}, kv{"error", derr.Error()}), nil
	}
	views := make([]any, len(dests))
	plains := make([]any, len(dests))
	vals := make([]interface{}, len(dests))
	for i, d := range dests {
		views[i] = gobViewOfDecoded(d)
		plains[i] = plainView(d.Elem().Interface())
		// Re-encode the decoded value itself, not a pointer to it: Encode(&t) of a
		// GobEncoder type T (time.Time, main.Version) writes different bytes than
		// Encode(t) — see README.md. Only an interface destination is re-encoded
		// through its pointer, which keeps it a top-level interface value.
		if d.Elem().Kind() == reflect.Interface {
			vals[i] = d.Interface()
		} else {
			vals[i] = d.Elem().Interface()
		}
	}
	var view, plain any = views, plains
	if !many {
		view, plain = views[0], plains[0]
	}
	ans = append(ans, kv{"value", view}, kv{"plain", plain})
	out, eerr, _ := gobEncodeValues(vals)
	if eerr != nil {
		return append(ans, kv{"gob", nil}, kv{"error", nil}, kv{"reencode_error", eerr.Error()}), nil
	}
	return append(ans, kv{"gob", hex.EncodeToString(out)}, kv{"error", nil}), nil
}

// gobEncodeWork (in the fresh child): build the Go value(s) from typed jsonview and
// encode them with one fresh Encoder.
func gobEncodeWork(raw json.RawMessage) (any, error) {
	var r gobRequest
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	nodes := r.Values
	if len(r.Value) > 0 {
		if len(nodes) > 0 {
			return nil, errors.New(`give "value" or "values", not both`)
		}
		nodes = []json.RawMessage{r.Value}
	}
	if len(nodes) == 0 {
		return nil, errors.New(`missing "value"`)
	}
	vals := make([]interface{}, len(nodes))
	for i, n := range nodes {
		tree, err := decodeJSONTree(n)
		if err != nil {
			return nil, fmt.Errorf("value: %v", err)
		}
		v, err := fromTypedView(tree)
		if err != nil {
			return nil, fmt.Errorf("value: %v", err)
		}
		vals[i] = v
	}
	out, eerr, _ := gobEncodeValues(vals)
	ans := obj{{"id", jsonScalar(r.ID)}}
	if eerr != nil {
		return append(ans, kv{"gob", nil}, kv{"written", hex.EncodeToString(out)}, kv{"error", eerr.Error()}), nil
	}
	return append(ans, kv{"gob", hex.EncodeToString(out)}, kv{"error", nil}), nil
}

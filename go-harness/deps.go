package main

// Blank imports keep the modules the harness pins (but does not call yet) in go.mod,
// so `go mod tidy` does not drop them. They are the exact versions the Python
// implementation is checked against.
import (
	_ "github.com/boj/redistore"
	_ "github.com/boj/redistore/v2"
	_ "github.com/gomodule/redigo/redis"
	_ "github.com/gorilla/securecookie"
	_ "github.com/gorilla/sessions"
	_ "github.com/quasoft/memstore"
)

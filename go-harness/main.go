// Command go-harness runs the REAL Go libraries (gorilla/securecookie, gorilla/sessions,
// encoding/gob, encoding/json, boj/redistore) to write fixtures, decode what the Python
// implementation wrote, and benchmark.
//
// Subcommands are registered in `commands` by init() functions in each file, so every
// topic (securecookie, json, gob, ...) can live in its own file.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// commands maps a subcommand name to its handler (args exclude the subcommand name).
var commands = map[string]func(args []string) error{}

// decoders maps a request "kind" of the `decode` subcommand to its handler. The handler
// gets the whole request object and returns the answer object (it should include "id").
var decoders = map[string]func(req json.RawMessage) (any, error){}

// fixtureWriters maps a topic name (e.g. "securecookie", "json", "gob") to a function
// writing that topic's files under outDir (the fixtures/ directory). The `fixtures`
// subcommand runs them in sorted order of the topic name.
var fixtureWriters = map[string]func(outDir string) error{}

// benchmarks maps a workload name to a function returning ns/op for encode and decode.
var benchmarks = map[string]func() (encodeNs, decodeNs float64){}

func usage() {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(os.Stderr, "usage: go-harness <command> [args]\ncommands: %v\n", names)
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		usage()
		os.Exit(2)
	}
	if err := cmd(os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "go-harness %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

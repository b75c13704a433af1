package main

// fixtures.go — the `fixtures` subcommand and the helpers every topic uses to write
// fixtures/<topic>/<name>.json and fixtures/MANIFEST.json.
//
// A topic registers a writer in `fixtureWriters` (main.go) from an init() function; it
// calls writeFixtureFile for each file. Output is deterministic: re-running gives
// identical files except MANIFEST.json's "date".

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"
)

func init() {
	commands["fixtures"] = cmdFixtures
}

// fixtureCounts records, per written file (relative to the out dir), its case count.
var fixtureCounts = map[string]int{}

// fixtureOutDir is the -out directory of the running `fixtures` command.
var fixtureOutDir string

// writeFixtureFile writes <outDir>/<rel> as
//
//	{"topic": topic, "description": desc, "go_version": ..., "cases": [
//	case,
//	...
//	]}
//
// one compact case per line (compactJSON, the Python-identical compact form). Case ids
// must be unique within the file; duplicates are a programming error.
func writeFixtureFile(outDir, rel, topic, desc string, cases []obj) error {
	seen := map[string]bool{}
	for _, c := range cases {
		id, _ := c.get("id")
		s, _ := id.(string)
		if s == "" || seen[s] {
			return fmt.Errorf("%s: missing or duplicate case id %q", rel, s)
		}
		seen[s] = true
	}
	var b bytes.Buffer
	head := obj{{"topic", topic}, {"description", desc}, {"go_version", runtime.Version()}}
	h := compactJSON(head)
	b.Write(h[:len(h)-1])
	b.WriteString(",\"cases\":[\n")
	for i, c := range cases {
		b.Write(compactJSON(c))
		if i < len(cases)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	p := filepath.Join(outDir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		return err
	}
	fixtureCounts[rel] = len(cases)
	return nil
}

// keepFixtureFiles counts the cases of existing files matching pattern (relative to
// outDir) for MANIFEST.json, for a writer that leaves them as they are.
func keepFixtureFiles(outDir, pattern string) error {
	paths, err := filepath.Glob(filepath.Join(outDir, filepath.FromSlash(pattern)))
	if err != nil {
		return err
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var f struct{ Cases []json.RawMessage }
		if err := json.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("%s: %v", p, err)
		}
		rel, err := filepath.Rel(outDir, p)
		if err != nil {
			return err
		}
		fixtureCounts[filepath.ToSlash(rel)] = len(f.Cases)
	}
	return nil
}

// writeFixtureJSON writes an arbitrary tree (compactJSON) to <outDir>/<rel>.
func writeFixtureJSON(outDir, rel string, tree any) error {
	p := filepath.Join(outDir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, append(compactJSON(tree), '\n'), 0o644)
}

func cmdFixtures(args []string) error {
	fs := flag.NewFlagSet("fixtures", flag.ContinueOnError)
	out := fs.String("out", "../fixtures", "fixtures directory to write")
	only := fs.String("only", "", "comma-separated topics to write in this process (default: all, each in a child process)")
	emitCounts := fs.Bool("emit-counts", false, "print {file: case count} as JSON on stdout (used by the parent)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fixtureOutDir = *out
	topics := make([]string, 0, len(fixtureWriters))
	for t := range fixtureWriters {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	want := map[string]bool{}
	for _, t := range strings.Split(*only, ",") {
		if t != "" {
			want[t] = true
		}
	}
	if len(want) > 0 {
		// In-process run of the named topics (what each child does).
		for _, t := range topics {
			if !want[t] {
				continue
			}
			if err := fixtureWriters[t](*out); err != nil {
				return fmt.Errorf("topic %s: %w", t, err)
			}
		}
		if *emitCounts {
			counts := map[string]any{}
			for f, n := range fixtureCounts {
				counts[f] = int64(n)
			}
			os.Stdout.Write(append(compactJSON(counts), '\n'))
		}
		return nil // partial run: leave MANIFEST.json alone
	}
	// Every topic runs in its own child process: encoding/gob assigns type ids
	// process-wide in first-use order, so gob bytes (and some gob error texts) depend on
	// what the process encoded before. A fresh process per topic keeps each topic's
	// output independent of the others.
	self, err := os.Executable()
	if err != nil {
		return err
	}
	for _, t := range topics {
		cmd := exec.Command(self, "fixtures", "-only", t, "-emit-counts", "-out", *out)
		cmd.Stderr = os.Stderr
		stdout, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("topic %s: %w", t, err)
		}
		var counts map[string]int
		if err := json.Unmarshal(stdout, &counts); err != nil {
			return fmt.Errorf("topic %s: bad counts output: %w", t, err)
		}
		for f, n := range counts {
			fixtureCounts[f] = n
		}
	}
	return writeManifest(*out, args)
}

func writeManifest(outDir string, args []string) error {
	mods := obj{}
	if bi, ok := debug.ReadBuildInfo(); ok {
		deps := append([]*debug.Module(nil), bi.Deps...)
		sort.Slice(deps, func(i, j int) bool { return deps[i].Path < deps[j].Path })
		for _, d := range deps {
			m := d
			if d.Replace != nil {
				m = d.Replace
			}
			mods = append(mods, kv{d.Path, obj{{"version", m.Version}, {"sum", m.Sum}}})
		}
	}
	files := make([]string, 0, len(fixtureCounts))
	for f := range fixtureCounts {
		files = append(files, f)
	}
	sort.Strings(files)
	counts := obj{}
	total := 0
	for _, f := range files {
		counts = append(counts, kv{f, int64(fixtureCounts[f])})
		total += fixtureCounts[f]
	}
	m := obj{
		{"generator", "go-harness fixtures (gorillacompat/go-harness)"},
		{"command", strings.TrimSpace("go-harness fixtures " + strings.Join(args, " "))},
		{"go_version", runtime.Version()},
		{"goos", runtime.GOOS},
		{"goarch", runtime.GOARCH},
		{"modules", mods},
		{"files", counts},
		{"total_cases", int64(total)},
		{"date", time.Now().UTC().Format(time.RFC3339)},
	}
	return writeFixtureJSON(outDir, "MANIFEST.json", m)
}

package main

import (
	"bufio"
	"encoding/json"
	"io"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// results are the outcomes of one `go test -json` run, read as it goes.
type results struct {
	outcome        map[string]string   // "pkg test" -> pass, fail or skip
	output         map[string][]string // "pkg test" or "pkg" -> its output lines
	failedPackages []string            // packages that failed outside any test (build errors, panics, timeouts)
}

func newResults() *results {
	return &results{outcome: map[string]string{}, output: map[string][]string{}}
}

// read consumes a `go test -json` stream; lines that are not JSON events
// (such as build output on some Go versions) go to the package "".
func (r *results) read(in io.Reader, onEvent func(event)) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			r.output[""] = append(r.output[""], sc.Text())
			continue
		}
		key := e.Package
		if e.Test != "" {
			key += " " + e.Test
		}
		switch e.Action {
		case "output", "build-output":
			r.output[key] = append(r.output[key], strings.TrimRight(e.Output, "\n"))
		case "pass", "fail", "skip":
			if e.Test != "" {
				r.outcome[key] = e.Action
			} else if e.Action == "fail" {
				r.failedPackages = append(r.failedPackages, e.Package)
			}
		case "build-fail":
			r.failedPackages = append(r.failedPackages, e.Package)
		}
		if onEvent != nil {
			onEvent(e)
		}
	}
	return sc.Err()
}

// counts are tests by outcome. A test with subtests counts through its
// subtests, so a table-driven test of 30 cases counts 30; it counts itself
// only when it failed while none of its subtests did.
type counts struct{ passed, failed, skipped int }

func (r *results) counts() counts {
	var c counts
	for key, outcome := range r.outcome {
		parent := r.hasSubtests(key)
		switch {
		case !parent && outcome == "pass":
			c.passed++
		case !parent && outcome == "skip":
			c.skipped++
		case outcome == "fail" && (!parent || !r.subtestFailed(key)):
			c.failed++
		}
	}
	return c
}

func (r *results) hasSubtests(key string) bool {
	for other := range r.outcome {
		if strings.HasPrefix(other, key+"/") {
			return true
		}
	}
	return false
}

func (r *results) subtestFailed(key string) bool {
	for other, outcome := range r.outcome {
		if outcome == "fail" && strings.HasPrefix(other, key+"/") {
			return true
		}
	}
	return false
}

// with is the keys of the leaf tests that ended with outcome, sorted.
func (r *results) with(outcome string) []string {
	var keys []string
	for key, o := range r.outcome {
		if o == outcome && (!r.hasSubtests(key) || outcome == "fail" && !r.subtestFailed(key)) {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	return keys
}

// skipReason is what a skipped test said when it skipped: its last line of
// output that is not go test's own "=== RUN" or "--- SKIP".
func (r *results) skipReason(key string) string {
	lines := r.output[key]
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- ") {
			continue
		}
		return l
	}
	return ""
}

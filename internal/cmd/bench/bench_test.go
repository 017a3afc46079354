package main

import (
	"errors"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

func TestRequestFloor(t *testing.T) {
	for _, tc := range []struct{ projects, keys, want int }{
		{1, 0, 2}, // settings + one (empty) page + GET /user
		{1, 10, 3},
		{1, 100, 3},
		{1, 101, 4},
		{1, 1000, 12},
		{100, 5, 201},
	} {
		l := layout{tc.projects, tc.keys}
		if got := requestFloor(l); got != tc.want {
			t.Errorf("requestFloor(%v) = %d, want %d", l, got, tc.want)
		}
	}
}

func TestMedian(t *testing.T) {
	s := time.Second
	if got := median([]time.Duration{3 * s, 1 * s, 2 * s}); got != 2*s {
		t.Errorf("odd: %s", got)
	}
	if got := median([]time.Duration{4 * s, 1 * s, 2 * s, 3 * s}); got != 2500*time.Millisecond {
		t.Errorf("even: %s", got)
	}
	if got := median(nil); got != 0 {
		t.Errorf("empty: %s", got)
	}
}

func TestCountRequests(t *testing.T) {
	c := countRequests([]emulator.Request{
		{Method: "GET", Path: "/api/v4/user", Status: 200},
		{Method: "GET", Path: "/api/v4/projects/bench%2Fp001/error_tracking/settings", Status: 200},
		{Method: "GET", Path: "/api/v4/projects/bench%2Fp001/error_tracking/client_keys", Status: 200},
		{Method: "GET", Path: "/api/v4/projects/bench%2Fp001/error_tracking/client_keys", Status: 200},
		{Method: "GET", Path: "/api/v4/projects/bench%2Fp002/error_tracking/client_keys", Status: 200},
		{Method: "POST", Path: "/api/v4/projects/bench%2Fp002/error_tracking/client_keys", Status: 201},
		{Method: "GET", Path: "/api/v4/projects/bench%2Fp002", Status: 404},
		{Method: "GET", Path: "/api/v4/groups/bench/projects", Status: 200},
	})
	want := requestCounts{total: 8, user: 1, settings: 1, pages: 3, groups: 1, posts: 1, projects: 1, failed: 1, maxPages: 2}
	if c != want {
		t.Errorf("got %+v, want %+v", c, want)
	}
	if got := c.String(); !strings.Contains(got, "3 key-list pages") || !strings.Contains(got, "1 project lookup") ||
		!strings.Contains(got, "1 page of the group's projects") || !strings.Contains(got, "1 answered with an error") {
		t.Errorf("String() = %q", got)
	}
}

func TestSummarizeError(t *testing.T) {
	err := errors.New("terraform apply in /tmp/x exited with 1:\n...\nfatal error: concurrent map writes\n" +
		`fatal error: {"@level":"debug"}` + "\n│ Error: The plugin crashed!\nmore")
	got := summarizeError(err)
	want := "terraform apply in /tmp/x exited with 1; fatal error: concurrent map writes; Error: The plugin crashed!"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// The guide is a tfplugindocs template: front matter first, and nothing
// that text/template would take for an action.
func TestGuide(t *testing.T) {
	b := &bench{
		opts:     options{runs: 3},
		sizes:    fullSizes,
		start:    time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		cli:      &tfcli.CLI{Info: tfcli.Info{Product: tfcli.Terraform, Version: tfcli.Version{Major: 1, Minor: 11, Patch: 4}}},
		rows:     []row{{scenario: "Requests per plan: 1 project × 10 keys", measured: "3", floor: "3", notes: "a | b"}},
		warnings: []string{"something\nodd"},
	}
	g := b.guide()
	if !strings.HasPrefix(g, "---\npage_title: \"Performance\"\nsubcategory: \"Guides\"\ndescription: |-\n  ") {
		t.Errorf("front matter:\n%s", g[:min(200, len(g))])
	}
	for _, want := range []string{
		"| Requests per plan: 1 project × 10 keys | 3 | 3 | a \\| b |",
		"median of 3 runs",
		"Terraform 1.11.4, 2026-01-02",
		"- something\n  odd",
	} {
		if !strings.Contains(g, want) {
			t.Errorf("the guide lacks %q", want)
		}
	}
	if _, err := template.New("guide").Parse(g); err != nil {
		t.Errorf("not a valid template: %v", err)
	}
	if strings.Contains(g, "{{") {
		t.Error("the guide contains a template action")
	}
}

func TestQueryFloor(t *testing.T) {
	for _, tc := range []struct{ projects, want int }{
		{1, 1 + 2 + 1},
		{100, 1 + 200 + 1},
		{101, 2 + 202 + 1},
		{500, 5 + 1000 + 1},
	} {
		if got := queryFloor(tc.projects); got != tc.want {
			t.Errorf("queryFloor(%d) = %d, want %d", tc.projects, got, tc.want)
		}
	}
}

package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// machine describes where the numbers were measured.
type machine struct {
	cpu       string
	cores     int
	platform  string
	goVersion string
	cli       string // "Terraform 1.11.4"
	date      string
}

func (b *bench) machine() machine {
	return machine{
		cpu:       cpuModel(),
		cores:     runtime.NumCPU(),
		platform:  runtime.GOOS + "/" + runtime.GOARCH,
		goVersion: strings.TrimPrefix(runtime.Version(), "go"),
		cli:       b.cli.Name() + " " + b.cli.Version.String(),
		date:      b.start.UTC().Format(time.DateOnly),
	}
}

func (m machine) String() string {
	return fmt.Sprintf("%s, %d cores, %s, Go %s, %s, %s",
		m.cpu, m.cores, m.platform, m.goVersion, m.cli, m.date)
}

// cpuModel is the first "model name" of /proc/cpuinfo, or the architecture
// where there is none.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown " + runtime.GOARCH + " CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(key) == "model name" {
			if v := strings.Join(strings.Fields(value), " "); v != "" {
				return v
			}
		}
	}
	return "unknown " + runtime.GOARCH + " CPU"
}

// table is the result table in Markdown.
func (b *bench) table() string {
	var s strings.Builder
	s.WriteString("| Scenario | Measured | Floor | Notes |\n|---|---|---|---|\n")
	for _, r := range b.rows {
		fmt.Fprintf(&s, "| %s | %s | %s | %s |\n", cell(r.scenario), cell(r.measured), cell(r.floor), cell(r.notes))
	}
	return s.String()
}

func cell(s string) string {
	if s == "" {
		return "–"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

func (b *bench) summary() string {
	var s strings.Builder
	runs := fmt.Sprintf("median of %d runs", b.opts.runs)
	if b.opts.runs == 1 {
		runs = "1 run"
	}
	fmt.Fprintf(&s, "Times: %s each, wall clock of the whole `terraform` command; parallelism %d.\n\n", runs, parallelism)
	fmt.Fprintf(&s, "Measured on: %s.\n", b.machine())
	if b.opts.quick {
		s.WriteString("\nQuick run (-quick): smaller sizes than the published figures.\n")
	}
	return s.String()
}

// markdown is what the benchmark prints on standard output.
func (b *bench) markdown() string {
	var s strings.Builder
	s.WriteString("\n" + b.table() + "\n" + b.summary())
	if len(b.warnings) > 0 {
		s.WriteString("\nWarnings:\n")
		for _, w := range b.warnings {
			s.WriteString("- " + strings.ReplaceAll(w, "\n", "\n  ") + "\n")
		}
	}
	return s.String()
}

// writeGuide writes templates/guides/performance.md.tmpl, which tfplugindocs
// renders into docs/guides/performance.md.
func (b *bench) writeGuide() (string, error) {
	path := filepath.Join(b.root, "templates", "guides", "performance.md.tmpl")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return path, os.WriteFile(path, []byte(b.guide()), 0o644)
}

func (b *bench) guide() string {
	n := b.sizes.planKeys
	var s strings.Builder
	s.WriteString(`---
page_title: "Performance"
subcategory: "Guides"
description: |-
  How many GitLab API requests a plan sends, how long plans and applies take with thousands of client keys, and how it was measured.
---

# Performance

Infrastructure repositories that manage error tracking for many projects end up with
thousands of client keys in one state, and CI runs ` + "`terraform plan`" + ` on every merge request
and on a schedule. GitLab throttles API clients, so what a plan costs is first a number of
requests, then time.

## The request floor

GitLab has no endpoint that reads one client key: the only way to find out whether a key
still exists, and whether it is still active, is to list the keys of its project, at most
100 per page. Refreshing P projects with K keys each therefore takes at least

` + "```" + `
P × (1 + ceil(K / 100)) + 1
` + "```" + `

requests: per project one ` + "`GET /projects/:id/error_tracking/settings`" + ` and one
` + "`GET /projects/:id/error_tracking/client_keys?per_page=100`" + ` per 100 keys, plus one
` + "`GET /user`" + ` when the provider starts (the early authentication check, see
` + "`early_auth_check`" + `). A provider that listed the keys once for every key resource would
send K × ceil(K / 100) list requests per project instead: 10,000 rather than 10 for one
project with 1,000 keys.

## One key list per project and run

Terraform starts one provider process per run, and that process serves every resource and
data source of the run. The first reader of a project's keys (a
` + "`gitlab_error_tracking_client_key`" + ` being refreshed or a
` + "`gitlab_error_tracking_client_keys`" + ` data source) fetches every page of the list; readers of
the same project that arrive while that fetch is under way wait for it rather than sending
requests of their own, and later readers in the same run reuse it. A key the provider
creates is added to the list and a key it deletes is removed from it, and writing the
project's settings lists the keys again (GitLab may create one), so a read after a write
sees the write. Projects do not wait for each other: their lists are fetched in parallel, up
to Terraform's ` + "`-parallelism`" + ` (10 by default). Nothing is kept between runs: every
` + "`terraform plan`" + ` sees GitLab as it is.

So a plan costs one request per project for the settings and one per 100 keys, whether the
keys are managed by key resources, read by a data source, or both; the number of resources
does not matter.

## Measurements

The table below is written by ` + "`make bench`" + ` (` + "`go run ./internal/cmd/bench -write`" + `). It builds
the provider, starts the repository's GitLab emulator, and runs a real ` + "`terraform`" + ` against
it. Keys are created in the emulator and brought into state with ` + "`import`" + ` blocks; requests
are counted by the emulator during the plan only.

Times are wall-clock times of the whole ` + "`terraform`" + ` command (start-up, refresh, plan),
compared with two floors measured in the same run:

- **Terraform alone**: ` + fmt.Sprint(n) + ` ` + "`terraform_data`" + ` resources, which need no plugin.
- **Plugin floor**: ` + fmt.Sprint(n) + ` resources of a provider that the benchmark builds with the
  same plugin framework and the same schema as ` + "`gitlab_error_tracking_client_key`" + ` (same
  attributes, flags, plan modifiers and sensitivity), which does nothing: no API calls, and
  reading returns the state unchanged. What this provider takes above it is its own work
  per resource. The target is at most 1.3× the plugin floor.

Next to the plan times, the table gives the CPU time (user and system) of ` + "`terraform`" + ` and
of the plugins it ran. On a machine that is busy with other work, the wall time also holds
the time spent waiting for a core and varies between runs much more than the CPU time does,
so the CPU ratio is the steadier measure of what the provider adds.

The latency rows add a fixed delay to every emulated request. Their floor assumes that every
request overlaps perfectly with the others at Terraform's default parallelism of 10; the
pages of one project's key list are fetched one after the other, since each page names the
next.

The query rows run ` + "`terraform query`" + ` (Terraform 1.14 or later) with both list resources,
` + "`gitlab_error_tracking_settings`" + ` and ` + "`gitlab_error_tracking_client_key`" + `, over a group of
` + fmt.Sprint(b.sizes.queryProjects) + ` projects with error tracking on and one key each, as the guide "Adopting existing
projects" does. Their floor is ⌈P/100⌉ + 2P + 1 requests: the group's projects 100 per page,
each page read once for both list blocks; each project's settings and key list, once; and
` + "`GET /user`" + `. The list resources read 8 projects at a time, so the latency floor divides by 8.

`)
	s.WriteString(b.table())
	s.WriteString("\n")
	s.WriteString(b.summary())
	if len(b.warnings) > 0 {
		s.WriteString("\nWhat this run noticed:\n\n")
		for _, w := range b.warnings {
			s.WriteString("- " + strings.ReplaceAll(w, "\n", "\n  ") + "\n")
		}
	}
	s.WriteString(`
Absolute times depend on the machine; the request counts do not, and the ratios to the
floors measured on the same machine much less so.
`)
	return s.String()
}

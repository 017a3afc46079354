package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// runScenarios runs the chosen scenarios. One that fails gets a row saying
// so and the others still run; the error is returned at the end.
func (b *bench) runScenarios(ctx context.Context) error {
	var planNoLatency []time.Duration // the plan scenario's gitlab timings, for the latency scenario
	scenarios := []struct {
		name string
		run  func(context.Context) error
	}{
		{"requests", b.requestsScenario},
		{"plan", func(ctx context.Context) (err error) {
			planNoLatency, err = b.planScenario(ctx)
			return err
		}},
		{"latency", func(ctx context.Context) error { return b.latencyScenario(ctx, planNoLatency) }},
		{"apply", b.applyScenario},
		{"query", b.queryScenario},
	}
	var failed []string
	for _, sc := range scenarios {
		if !b.opts.wants(sc.name) {
			continue
		}
		err := sc.run(ctx)
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return err
		}
		b.logf("scenario %s FAILED: %v", sc.name, err)
		failed = append(failed, sc.name)
		if sc.name != "requests" { // it has a row per failed layout
			b.rows = append(b.rows, row{scenario: "Scenario " + sc.name, measured: "**failed**", notes: summarizeError(err)})
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("scenarios failed: %s (see above)", strings.Join(failed, ", "))
	}
	return nil
}

// summarizeError is the gist of an error for a table cell: its first line
// and the lines of terraform's output that say what went wrong.
func summarizeError(err error) string {
	lines := strings.Split(err.Error(), "\n")
	picked := []string{strings.TrimSuffix(lines[0], ":")}
	for _, l := range lines[1:] {
		l = strings.TrimLeft(strings.TrimSpace(l), "│╷╵ ")
		if strings.HasPrefix(l, "Error:") || strings.HasPrefix(l, "panic:") || strings.HasPrefix(l, "fatal error:") {
			// Plugin logs can interleave with a crash report.
			if i := strings.Index(l, "{\""); i > 0 {
				l = strings.TrimSpace(l[:i])
			}
			if strings.HasSuffix(l, ":") {
				continue
			}
			if len(l) > 160 {
				l = l[:157] + "..."
			}
			if !slices.Contains(picked, l) {
				picked = append(picked, l)
			}
		}
		if len(picked) == 4 {
			break
		}
	}
	return strings.Join(picked, "; ")
}

// planScenario times the plan of N key resources against the two floors,
// interleaving the three so that a slower moment of the machine does not
// fall on one of them only. It returns the key resources' timings.
func (b *bench) planScenario(ctx context.Context) ([]time.Duration, error) {
	n := b.sizes.planKeys
	data, err := b.terraformDataFixture(ctx, n)
	if err != nil {
		return nil, err
	}
	floor, err := b.floorFixture(ctx, n)
	if err != nil {
		return nil, err
	}
	gitlab, err := b.gitlabFixture(ctx, layout{1, n})
	if err != nil {
		return nil, err
	}
	all := []*fixture{data, floor, gitlab}
	// One untimed plan each, so that every binary is in the page cache.
	for _, f := range all {
		if _, err := b.plan(ctx, f); err != nil {
			return nil, err
		}
	}
	times := make([][]time.Duration, len(all))
	cpus := make([][]time.Duration, len(all))
	var reqs requestCounts
	for r := range b.opts.runs {
		for i, f := range all {
			var res tfcli.Result
			if f.em != nil {
				res, reqs, err = b.countedPlan(ctx, f)
			} else {
				res, err = b.plan(ctx, f)
			}
			if err != nil {
				return nil, err
			}
			times[i] = append(times[i], res.Wall)
			cpus[i] = append(cpus[i], res.CPU)
			b.logf("plan %s, run %d/%d: %s (CPU %s)", f.name, r+1, b.opts.runs, fmtDur(res.Wall), fmtDur(res.CPU))
		}
	}
	medData, medFloor, medGitlab := median(times[0]), median(times[1]), median(times[2])
	cpuFloor, cpuGitlab := median(cpus[1]), median(cpus[2])
	ratio := medGitlab.Seconds() / medFloor.Seconds()
	perResource := (medGitlab - medFloor) / time.Duration(n)
	verdict := "within the target of ≤ 1.3×"
	if ratio > 1.3 {
		verdict = "**above the target of ≤ 1.3×**"
	}
	b.rows = append(b.rows,
		row{
			scenario: fmt.Sprintf("Plan time: %d `terraform_data` (Terraform alone)", n),
			measured: fmtDur(medData),
			notes:    fmt.Sprintf("CPU time %s; runs: %s", fmtDur(median(cpus[0])), fmtDurs(times[0])),
		},
		row{
			scenario: fmt.Sprintf("Plan time: %d `floor_error_tracking_client_key` (plugin floor)", n),
			measured: fmtDur(medFloor),
			notes:    fmt.Sprintf("CPU time %s; runs: %s", fmtDur(cpuFloor), fmtDurs(times[1])),
		},
		row{
			scenario: fmt.Sprintf("Plan time: %d `gitlab_error_tracking_client_key`, 1 project (+ its settings)", n),
			measured: fmtDur(medGitlab),
			floor:    fmtDur(medFloor) + " (plugin floor)",
			notes: fmt.Sprintf("**%.2f×** the plugin floor, %s; %s per resource compared with it; "+
				"CPU time %s, %.2f× the plugin floor's; %d requests; runs: %s",
				ratio, verdict, fmtPerResource(perResource),
				fmtDur(cpuGitlab), cpuGitlab.Seconds()/cpuFloor.Seconds(), reqs.total, fmtDurs(times[2])),
		},
	)
	return times[2], nil
}

// latencyScenario times the same plan with latency on every request.
func (b *bench) latencyScenario(ctx context.Context, noLatency []time.Duration) error {
	n := b.sizes.planKeys
	f, err := b.gitlabFixture(ctx, layout{1, n})
	if err != nil {
		return err
	}
	measureBoth := len(noLatency) == 0
	var times []time.Duration
	var reqs requestCounts
	for r := range b.opts.runs {
		if measureBoth {
			res, err := b.plan(ctx, f)
			if err != nil {
				return err
			}
			noLatency = append(noLatency, res.Wall)
		}
		f.em.SetFaults(emulator.Faults{Latency: b.opts.latency})
		res, c, err := b.countedPlan(ctx, f)
		f.em.SetFaults(emulator.Faults{})
		if err != nil {
			return err
		}
		times, reqs = append(times, res.Wall), c
		b.logf("plan %s with %s per request, run %d/%d: %s", f.name, b.opts.latency, r+1, b.opts.runs, fmtDur(res.Wall))
	}
	med, base := median(times), median(noLatency)
	floor := time.Duration(reqs.total) * b.opts.latency / parallelism
	chain := time.Duration(1+reqs.maxPages) * b.opts.latency
	b.rows = append(b.rows, row{
		scenario: fmt.Sprintf("Plan time: %d keys, %s per request", n, fmtDur(b.opts.latency)),
		measured: fmtDur(med),
		floor:    fmt.Sprintf("%s of latency (%d requests × %s ÷ %d)", fmtDur(floor), reqs.total, fmtDur(b.opts.latency), parallelism),
		notes: fmt.Sprintf("%s compared with the same plan without latency (%s); `GET /user` and the %s, one after the other, take %s; %d requests; runs: %s",
			fmtSigned(med-base), fmtDur(base), plural(reqs.maxPages, "key-list page"), fmtDur(chain), reqs.total, fmtDurs(times)),
	})
	return nil
}

// applyScenario times `terraform apply` creating N keys in one project,
// each run from an empty state against a fresh emulator, next to the same
// apply of N plugin-floor resources (Terraform's and the framework's own
// cost of creating N resources, without latency).
func (b *bench) applyScenario(ctx context.Context) error {
	n := b.sizes.apply
	dir, err := b.mkdir(fmt.Sprintf("apply-%d", n))
	if err != nil {
		return err
	}
	if err := writeFile(dir, "main.tf", keysConfig("gitlab", n)); err != nil {
		return err
	}
	floorDir, err := b.mkdir(fmt.Sprintf("apply-floor-%d", n))
	if err != nil {
		return err
	}
	if err := writeFile(floorDir, "main.tf", keysConfig("floor", n)); err != nil {
		return err
	}

	var times, floorTimes []time.Duration
	var reqs requestCounts
	peak := 0
	for r := range b.opts.runs {
		if err := removeState(floorDir); err != nil {
			return err
		}
		res, err := b.apply(ctx, floorDir, nil)
		if err != nil {
			return err
		}
		floorTimes = append(floorTimes, res.Wall)
		b.logf("apply of %d plugin-floor resources, run %d/%d: %s", n, r+1, b.opts.runs, fmtDur(res.Wall))

		if err := removeState(dir); err != nil {
			return err
		}
		f, uid := b.newEmulator(fmt.Sprintf("apply-%d-run%d", n, r+1))
		f.dir = dir
		pid := f.addProject(projectPath(0), uid)
		f.em.SetFaults(emulator.Faults{Latency: b.opts.latency})
		res, err = b.apply(ctx, dir, f.env)
		if err != nil {
			return err
		}
		if got := len(f.em.Keys(pid)); got != n {
			return fmt.Errorf("apply of %d keys left %d keys in the project", n, got)
		}
		reqs = countRequests(f.em.Requests())
		peak = max(peak, f.posts.Peak())
		f.close()
		times = append(times, res.Wall)
		b.logf("apply of %d keys with %s per request, run %d/%d: %s (%.0f keys/s, at most %d POSTs at once)",
			n, b.opts.latency, r+1, b.opts.runs, fmtDur(res.Wall), rate(n, res.Wall), f.posts.Peak())
	}
	med, medFloor := median(times), median(floorTimes)
	latencyFloor := time.Duration(n) * b.opts.latency / parallelism
	b.rows = append(b.rows,
		row{
			scenario: fmt.Sprintf("Apply: create %d `floor_error_tracking_client_key` (plugin floor, no latency)", n),
			measured: fmt.Sprintf("%.0f resources/s (%s)", rate(n, medFloor), fmtDur(medFloor)),
			notes:    "whole `terraform apply` from an empty state; runs: " + fmtDurs(floorTimes),
		},
		row{
			scenario: fmt.Sprintf("Apply: create %d keys in 1 project, %s per request", n, fmtDur(b.opts.latency)),
			measured: fmt.Sprintf("%.0f keys/s (%s)", rate(n, med), fmtDur(med)),
			floor: fmt.Sprintf("%.0f keys/s of latency (%d × %s ÷ %d = %s); %.0f resources/s plugin floor",
				rate(n, latencyFloor), n, fmtDur(b.opts.latency), parallelism, fmtDur(latencyFloor), rate(n, medFloor)),
			notes: fmt.Sprintf("%d requests (%s), at most %d `POST`s at once; whole `terraform apply` from an empty state; runs: %s",
				reqs.total, reqs, peak, fmtDurs(times)),
		},
	)
	return nil
}

func removeState(dir string) error {
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

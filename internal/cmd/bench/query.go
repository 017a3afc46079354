package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// queryParallelism is how many projects the provider's list resources read
// at once (internal/provider, listParallelism).
const queryParallelism = 8

// The CLI the query scenario needs: list resources and `terraform query`.
const minQueryTerraform = "1.14"

// queryFloor is ⌈P/100⌉ + 2P + 1: the group's projects 100 per page, each
// project's settings and key list, and GET /user.
func queryFloor(projects int) int {
	return (projects+99)/100 + 2*projects + 1
}

// queryCLIFor is the CLI of the query scenario: -query-cli, else the
// bench's own CLI when it is a Terraform of 1.14 or later.
func (b *bench) queryCLIFor(ctx context.Context) (*tfcli.CLI, error) {
	if b.opts.queryCLI == "" {
		if err := b.cli.Require(minQueryTerraform, ""); err != nil {
			return nil, fmt.Errorf("the query scenario needs `terraform query`: %w; name one with -query-cli (make bench DOCS_TERRAFORM=...)", err)
		}
		return b.cli, nil
	}
	// The bench's own CLI configuration, which overrides the provider.
	cli, err := tfcli.New(ctx, b.opts.queryCLI, b.cliConfig())
	if err != nil {
		return nil, err
	}
	if err := cli.Require(minQueryTerraform, ""); err != nil {
		return nil, err
	}
	return cli, nil
}

// queryScenario times `terraform query` listing the settings and the keys
// of a group of P projects (one key each) with latency on every request,
// and counts its requests against ⌈P/100⌉ + 2P + 1.
func (b *bench) queryScenario(ctx context.Context) error {
	cli, err := b.queryCLIFor(ctx)
	if err != nil {
		return err
	}
	p := b.sizes.queryProjects
	f, uid := b.newEmulator(fmt.Sprintf("query-%d", p))
	f.em.SetGroupRole(f.em.AddGroup("bench"), uid, emulator.RoleMaintainer)
	for i := range p {
		f.em.AddKey(f.addProject(projectPath(i), uid))
	}
	if f.dir, err = b.mkdir(f.name); err != nil {
		return err
	}
	if err := writeFile(f.dir, "main.tf", terraformBlock("gitlab")+"\nprovider \"gitlab\" {}\n"); err != nil {
		return err
	}
	var query strings.Builder
	for _, kind := range []string{"settings", "client_key"} {
		fmt.Fprintf(&query, `list "gitlab_error_tracking_%s" "bench" {
  provider = gitlab
  limit    = %d
  config {
    group = "bench"
  }
}
`, kind, p)
	}
	if err := writeFile(f.dir, "bench.tfquery.hcl", query.String()); err != nil {
		return err
	}

	var times []time.Duration
	var reqs requestCounts
	for r := range b.opts.runs {
		f.em.ResetRequests()
		f.em.SetFaults(emulator.Faults{Latency: b.opts.latency})
		res, err := b.run(ctx, cli, f.dir, f.env, "query", "-json", "-no-color")
		f.em.SetFaults(emulator.Faults{})
		if err != nil {
			return err
		}
		if res.Code != 0 {
			return commandFailed(cli.Command()+" query", f.dir, res)
		}
		if found := strings.Count(res.Output, `"type":"list_resource_found"`); found != 2*p {
			return fmt.Errorf("terraform query listed %d objects, want %d (a settings object and a key per project):\n%s", found, 2*p, tail(res.Output, 20))
		}
		times, reqs = append(times, res.Wall), countRequests(f.em.Requests())
		b.logf("query of a group of %d projects with %s per request, run %d/%d: %s, %d requests",
			p, b.opts.latency, r+1, b.opts.runs, fmtDur(res.Wall), reqs.total)
	}
	floor := queryFloor(p)
	med := median(times)
	latencyFloor := time.Duration(reqs.total) * b.opts.latency / queryParallelism
	b.rows = append(b.rows,
		row{
			scenario: fmt.Sprintf("Requests per `terraform query`: both list resources over a group of %s × 1 key", plural(p, "project")),
			measured: fmt.Sprint(reqs.total),
			floor:    fmt.Sprintf("%d (⌈P/100⌉ + 2P + 1)", floor),
			notes:    vsFloor(reqs.total, floor) + ": " + reqs.String(),
		},
		row{
			scenario: fmt.Sprintf("Query time: the same, %s per request", fmtDur(b.opts.latency)),
			measured: fmtDur(med),
			floor: fmt.Sprintf("%s of latency (%d requests × %s ÷ %d)",
				fmtDur(latencyFloor), reqs.total, fmtDur(b.opts.latency), queryParallelism),
			notes: fmt.Sprintf("%.2f× the latency floor; %s, %d results; runs: %s",
				med.Seconds()/latencyFloor.Seconds(), cli, 2*p, fmtDurs(times)),
		},
	)
	return nil
}

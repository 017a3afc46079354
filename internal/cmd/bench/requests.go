package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// requestFloor is P × (1 + ceil(K/100)) + 1: per project one settings GET
// and one key-list page per 100 keys, plus GET /user once.
func requestFloor(l layout) int {
	return l.projects*(1+(l.keys+99)/100) + 1
}

// requestCounts sorts the requests of a plan by what they were for.
type requestCounts struct {
	total, user, settings, pages, groups, posts, projects, other, failed int
	maxPages                                                             int // key-list pages of the project with the most
}

func countRequests(reqs []emulator.Request) requestCounts {
	c := requestCounts{total: len(reqs)}
	pagesPer := map[string]int{}
	for _, r := range reqs {
		switch {
		case r.Method == "GET" && r.Path == "/api/v4/user":
			c.user++
		case r.Method == "GET" && strings.HasSuffix(r.Path, "/error_tracking/settings"):
			c.settings++
		case r.Method == "GET" && strings.HasSuffix(r.Path, "/error_tracking/client_keys"):
			c.pages++
			pagesPer[strings.TrimSuffix(r.Path, "/error_tracking/client_keys")]++
		case r.Method == "GET" && strings.HasPrefix(r.Path, "/api/v4/groups/"):
			c.groups++
		case r.Method == "POST" && strings.HasSuffix(r.Path, "/error_tracking/client_keys"):
			c.posts++
		case r.Method == "GET" && strings.HasPrefix(r.Path, "/api/v4/projects/") && !strings.Contains(strings.TrimPrefix(r.Path, "/api/v4/projects/"), "/"):
			// A plan that creates something looks its project up once.
			c.projects++
		default:
			c.other++
		}
		if r.Status == 0 || r.Status >= 400 {
			c.failed++
		}
	}
	for _, n := range pagesPer {
		c.maxPages = max(c.maxPages, n)
	}
	return c
}

func (c requestCounts) String() string {
	var parts []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	add(c.posts, "key `POST`", "key `POST`s")
	add(c.user, "`GET /user`", "× `GET /user`")
	add(c.settings, "settings read", "settings reads")
	add(c.pages, "key-list page", "key-list pages")
	add(c.groups, "page of the group's projects", "pages of the group's projects")
	add(c.projects, "project lookup", "project lookups")
	add(c.other, "other request", "other requests")
	if c.failed > 0 {
		parts = append(parts, fmt.Sprintf("%d answered with an error", c.failed))
	}
	if len(parts) == 0 {
		return "no requests"
	}
	return strings.Join(parts, ", ")
}

// countedPlan runs one plan and returns what the emulator saw during it.
func (b *bench) countedPlan(ctx context.Context, f *fixture) (tfcli.Result, requestCounts, error) {
	f.em.ResetRequests()
	res, err := b.plan(ctx, f)
	if err != nil {
		return tfcli.Result{}, requestCounts{}, err
	}
	return res, countRequests(f.em.Requests()), nil
}

func vsFloor(n, floor int) string {
	switch {
	case n == floor:
		return "at the floor"
	case n > floor:
		return fmt.Sprintf("**%d over the floor**", n-floor)
	default:
		return fmt.Sprintf("%d below the floor", floor-n)
	}
}

func (b *bench) requestsScenario(ctx context.Context) error {
	// The largest single-project layout is also planned with a
	// gitlab_error_tracking_client_keys data source: it shares the list.
	var withData layout
	for _, l := range b.sizes.requests {
		if l.projects == 1 && l.keys > withData.keys {
			withData = l
		}
	}
	var failed []string
	for _, l := range b.sizes.requests {
		err := b.requestsOf(ctx, l, l == withData)
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return err
		}
		// The other layouts still tell something.
		b.logf("requests, %s: FAILED: %v", l, err)
		failed = append(failed, l.String())
		b.rows = append(b.rows, row{scenario: fmt.Sprintf("Requests per plan: %s", l), measured: "**failed**", notes: summarizeError(err)})
	}
	if len(failed) > 0 {
		return fmt.Errorf("requests scenario failed for %s", strings.Join(failed, "; "))
	}
	return nil
}

// requestsOf adds the requests row of one layout, and with withData that of
// the same plan with a data source per project.
func (b *bench) requestsOf(ctx context.Context, l layout, withData bool) error {
	f, err := b.gitlabFixture(ctx, l)
	if err != nil {
		return err
	}
	_, c, err := b.countedPlan(ctx, f)
	if err != nil {
		return err
	}
	floor := requestFloor(l)
	b.logf("%s: plan sent %d requests (floor %d): %s", f.name, c.total, floor, c)
	b.rows = append(b.rows, row{
		scenario: fmt.Sprintf("Requests per plan: %s (%d resources)", l, f.resources),
		measured: fmt.Sprint(c.total),
		floor:    fmt.Sprint(floor),
		notes:    vsFloor(c.total, floor) + ": " + c.String(),
	})
	if !withData {
		return nil
	}
	if err := writeFile(f.dir, "data.tf", dataSourceConfig(l)); err != nil {
		return err
	}
	_, c, err = b.countedPlan(ctx, f)
	if rmErr := os.Remove(filepath.Join(f.dir, "data.tf")); err == nil {
		err = rmErr
	}
	if err != nil {
		return err
	}
	b.logf("%s with a data source: plan sent %d requests (floor %d): %s", f.name, c.total, floor, c)
	b.rows = append(b.rows, row{
		scenario: fmt.Sprintf("Requests per plan: %s + a `gitlab_error_tracking_client_keys` data source", l),
		measured: fmt.Sprint(c.total),
		floor:    fmt.Sprint(floor),
		notes:    vsFloor(c.total, floor) + ": " + c.String(),
	})
	return nil
}

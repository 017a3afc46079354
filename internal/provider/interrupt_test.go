package provider_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// Ctrl-C during an apply that creates 10 keys of one project on a GitLab
// that takes seconds to answer: Terraform waits for the creates in flight
// and saves what they return. Each create whose POST GitLab ran gets its
// key back from one closing listing, without an error, so the keys in
// GitLab and in state are the same set and none is tainted. The interrupt
// is sent once GitLab has run the first POST (the request log), through
// the CLI itself: terraform-plugin-testing would kill it outright.
func TestAccInterrupt_createsLeaveNoOrphanedKey(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/app")
	d := newCLIDir(t, env)
	d.write("main.tf", `
terraform {
  required_providers {
    gitlab = {
      source = "`+acctest.ProviderSource+`"
    }
  }
}

provider "gitlab" {}

resource "gitlab_error_tracking_client_key" "web" {
  count   = 10
  project = "acme/app"
}
`)
	// GitLab runs each key request at once and answers it 3 seconds later,
	// a listing 3 seconds after it is asked for.
	env.Server.SetFaults(emulator.Faults{Latency: 3 * time.Second, RunFirst: true, Match: func(_, path string) bool {
		return strings.HasSuffix(path, "/error_tracking/client_keys")
	}})

	var out bytes.Buffer
	cmd := exec.Command(d.cli.Path, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = d.dir, d.cli.Env, &out, &out
	p, err := tfcli.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for env.Server.CountRequests(http.MethodPost, "/error_tracking/client_keys") == 0 {
		select {
		case <-p.Done():
			t.Fatalf("the apply ended before any key was created:\n%s", out.String())
		case <-tick.C:
		}
	}
	p.Interrupt(2 * time.Minute)
	if ws := p.State(); ws == nil || !ws.Exited() {
		t.Fatalf("the CLI did not stop by itself after the interrupt:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "Interrupt received") {
		t.Fatalf("the CLI did not see the interrupt:\n%s", out.String())
	}

	var gitlabKeys []int64
	for _, k := range env.Server.Keys(id) {
		gitlabKeys = append(gitlabKeys, k.ID)
	}
	stateKeys, tainted := keysInState(t, d)
	slices.Sort(stateKeys)
	if len(gitlabKeys) == 0 || !slices.Equal(gitlabKeys, stateKeys) {
		t.Errorf("GitLab has keys %v, the state %v; want the same keys, at least one\n%s", gitlabKeys, stateKeys, out.String())
	}
	if len(tainted) > 0 {
		t.Errorf("keys %v are tainted; want none\n%s", tainted, out.String())
	}
	t.Log(out.String())
}

// keysInState reads the key IDs of the client keys in d's state, and those
// of them that are tainted.
func keysInState(t *testing.T, d *cliDir) (keys, tainted []int64) {
	t.Helper()
	var show struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Type    string `json:"type"`
					Tainted bool   `json:"tainted"`
					Values  struct {
						KeyID int64 `json:"key_id"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(d.run("show", "-json")), &show); err != nil {
		t.Fatal(err)
	}
	for _, r := range show.Values.RootModule.Resources {
		if r.Type != "gitlab_error_tracking_client_key" {
			continue
		}
		keys = append(keys, r.Values.KeyID)
		if r.Tainted {
			tainted = append(tainted, r.Values.KeyID)
		}
	}
	return keys, tainted
}

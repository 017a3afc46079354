package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// The guide whose recipes these tests run as the page shows them.
const adoptionGuide = "../../templates/guides/adopting-existing-projects.md.tmpl"

// The guide's `terraform query` recipe, driven with the CLI directly since
// terraform-plugin-testing's query mode cannot generate configuration:
// `terraform query -generate-config-out` over a group writes import and
// resource blocks for every active key and every settings object of its
// projects, within the request floor; the plan then only imports, the apply
// writes nothing to GitLab, and the plan after it is empty.
func TestAccAdopt_queryGenerateConfig(t *testing.T) {
	acctest.SkipBelow(t, acctest.Query)
	t.Parallel()
	w := newQueryWorld(t)
	d := newCLIDir(t, w.env)
	d.write("main.tf", guideBlock(t, adoptionGuide, "query-main"))
	d.write("adopt.tfquery.hcl", guideBlock(t, adoptionGuide, "query-list"))
	command := strings.Fields(guideBlock(t, adoptionGuide, "query-command"))
	if len(command) < 2 || command[0] != "terraform" || command[1] != "query" {
		t.Fatalf("the guide's query command is not one `terraform query`: %q", command)
	}

	w.env.Server.ResetRequests()
	d.run(append(command[1:], "-no-color")...)
	// ⌈P/100⌉ + 2P for the 3 projects listed (the archived one is left
	// out), and the token check.
	if got := len(w.env.Server.Requests()); got != 1+1+2*3 {
		t.Errorf("the query sent %d requests, want 8:\n%s", got, formatTally(requestTally(w.env.Server.Requests())))
	}

	generated := d.read("generated.tf")
	// The settings of acme/web and acme/team/api and their active keys;
	// acme/bare has no settings and acme/old is archived.
	if n := strings.Count(generated, "import {"); n != 4 {
		t.Errorf("generated.tf has %d import blocks, want 4:\n%s", n, generated)
	}
	spaces := regexp.MustCompile(`[ \t]+`)
	flat := spaces.ReplaceAllString(generated, " ")
	for _, want := range []string{
		`project = "acme/team/api"`, `on_destroy = "restore"`,
		fmt.Sprintf("key_id = %d", w.apiKey.ID),
		fmt.Sprintf("project_id = %d", w.web),
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("generated.tf lacks %q:\n%s", want, generated)
		}
	}
	if strings.Contains(generated, "integrated") {
		t.Errorf("generated.tf sets integrated, which could overwrite a stored mode:\n%s", generated)
	}
	w.adoptAndCheck(t, d, 4)
}

// The guide's recipe for Terraform 1.7 to 1.13 and OpenTofu: import blocks
// with for_each over the projects of a variable and the keys the data source
// finds.
func TestAccAdopt_importForEach(t *testing.T) {
	acctest.SkipBelow(t, acctest.ImportForEach)
	t.Parallel()
	w := newQueryWorld(t)
	d := newCLIDir(t, w.env)
	d.write("main.tf", guideBlock(t, adoptionGuide, "query-main")+"\n"+guideBlock(t, adoptionGuide, "for-each"))
	d.write("adopt.auto.tfvars", guideBlock(t, adoptionGuide, "for-each-tfvars"))
	w.adoptAndCheck(t, d, 4)
}

// The guide's freeze step and next batch for the import-block recipe: once
// what was adopted is written out, adopting another batch imports it and
// destroys nothing, and an empty batch changes nothing.
func TestAccAdopt_importForEachNextBatchDestroysNothing(t *testing.T) {
	acctest.SkipBelow(t, acctest.ImportForEach)
	t.Parallel()
	w := newQueryWorld(t)
	mobile := w.env.Server.AddProject("acme/mobile")
	w.env.Server.SetSettings(mobile, emulator.Settings{Active: true, Integrated: true})
	w.env.Server.AddKey(mobile)
	d := newCLIDir(t, w.env)
	d.write("main.tf", guideBlock(t, adoptionGuide, "query-main")+"\n"+guideBlock(t, adoptionGuide, "for-each"))
	d.write("adopt.auto.tfvars", guideBlock(t, adoptionGuide, "for-each-tfvars"))
	w.adoptAndCheck(t, d, 4)

	// terraform output -json freeze > FILE && mv FILE TFVARS
	freeze := strings.Fields(guideBlock(t, adoptionGuide, "freeze"))
	if len(freeze) != 10 || freeze[0] != "terraform" || freeze[4] != ">" || freeze[6] != "&&" || freeze[7] != "mv" || freeze[8] != freeze[5] {
		t.Fatalf("the guide's freeze step is not `terraform ... > file && mv file tfvars`: %q", freeze)
	}
	runFreeze := func() {
		d.runTo(freeze[5], freeze[1:4]...)
		if err := os.Rename(filepath.Join(d.dir, freeze[8]), filepath.Join(d.dir, freeze[9])); err != nil {
			t.Fatal(err)
		}
	}
	runFreeze()
	d.write("adopt.auto.tfvars", guideBlock(t, adoptionGuide, "next-batch-tfvars"))
	// acme/mobile's settings and key.
	w.adoptAndCheck(t, d, 2)

	runFreeze()
	d.write("adopt.auto.tfvars", "adopt_projects = []\n")
	d.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
}

// adoptAndCheck plans and applies the adopting configuration in d: n
// imports and nothing else, no write to GitLab, then an empty plan.
func (w *queryWorld) adoptAndCheck(t *testing.T, d *cliDir, n int) {
	t.Helper()
	out := d.run("plan", "-input=false", "-no-color")
	if want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", n); !strings.Contains(out, want) {
		t.Fatalf("the plan does more than import (want %q):\n%s", want, out)
	}
	w.env.Server.ResetRequests()
	out = d.run("apply", "-auto-approve", "-input=false", "-no-color")
	if want := fmt.Sprintf("Resources: %d imported, 0 added, 0 changed, 0 destroyed.", n); !strings.Contains(out, want) {
		t.Fatalf("the apply did more than import (want %q):\n%s", want, out)
	}
	for _, r := range w.env.Server.Requests() {
		if r.Method != "GET" {
			t.Errorf("adopting wrote to GitLab: %s %s", r.Method, r.Path)
		}
	}
	d.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
}

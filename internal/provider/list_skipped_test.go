package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// A group with two projects the token's user cannot maintain, and an
// archived one: each list block names all three in one warning, which the
// CLI shows in full (Terraform folds warnings that share a summary), also
// when the block's limit stops the results at the project after them.
func TestAccQuery_skippedProjectsNamedInOneWarning(t *testing.T) {
	acctest.SkipBelow(t, acctest.Query)
	t.Parallel()
	env := acctest.New(t)
	group := env.Server.AddGroup("acme")
	const token = "glpat-developer-in-acme"
	uid := env.Server.AddUser("dev", false)
	env.Server.AddToken(uid, token)
	env.Server.SetGroupRole(group, uid, emulator.RoleDeveloper)
	ids := map[string]int64{}
	for _, path := range []string{"acme/first", "acme/second", "acme/old", "acme/web"} {
		id := env.Server.AddProject(path)
		ids[path] = id
		env.Server.SetSettings(id, emulator.Settings{Active: true, Integrated: true})
		env.Server.AddKey(id)
		switch path {
		case "acme/old":
			env.Server.SetArchived(id, true)
		case "acme/web":
			env.Server.SetRole(id, uid, emulator.RoleMaintainer)
		}
	}

	d := newCLIDir(t, env)
	d.write("main.tf", `terraform {
  required_providers {
    gitlab = {
      source = "errortracking/gitlab"
    }
  }
}

provider "gitlab" {
  token = "`+token+`"
}
`)
	d.write("adopt.tfquery.hcl", `list "gitlab_error_tracking_client_key" "acme" {
  provider = gitlab
  limit    = 1
  config {
    group = "acme"
  }
}

list "gitlab_error_tracking_settings" "acme" {
  provider = gitlab
  config {
    group = "acme"
  }
}
`)
	out := d.run("query", "-no-color")
	for _, project := range []string{`"acme/first"`, `"acme/second"`, `"acme/old"`} {
		if n := strings.Count(out, project); n != 2 {
			t.Errorf("the query's output names %s %d times, want once per list block:\n%s", project, n, out)
		}
	}
	if strings.Contains(out, "similar warning") {
		t.Errorf("the CLI folded the warnings:\n%s", out)
	}
	for _, want := range []string{
		`3 projects of group "acme" skipped in the list of client keys`,
		fmt.Sprintf(`"acme/first" (ID %d): not a Maintainer: GitLab answered 403 (reading error tracking needs the Maintainer role or Owner)`, ids["acme/first"]),
		fmt.Sprintf("\"acme/old\" (ID %d): archived (`include_archived = true` lists it)", ids["acme/old"]),
		`3 projects of group "acme" skipped in the list of error-tracking settings`,
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("the query's output lacks %q:\n%s", want, out)
		}
	}
}

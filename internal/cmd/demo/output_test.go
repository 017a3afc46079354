package main

import (
	"strings"
	"testing"
)

// driftPlan is the output of the demo's drift plan (Terraform 1.11),
// shortened.
const driftPlan = `
Warnings:

- Provider development overrides are in effect

To see the full warning notes, run Terraform without -compact-warnings.
gitlab_error_tracking_settings.web: Refreshing state... [id=demo/web-app]
gitlab_error_tracking_client_key.backend: Refreshing state... [id=demo/web-app:3]

Note: Objects have changed outside of Terraform

Terraform detected the following changes made outside of Terraform since the
last "terraform apply" which may have affected this plan:

  # gitlab_error_tracking_client_key.backend has been deleted
  - resource "gitlab_error_tracking_client_key" "backend" {
        id         = "demo/web-app:3"
      - key_id     = 3 -> null
    }

─────────────────────────────────────────────────────────────────────────────

Terraform will perform the following actions:

  # gitlab_error_tracking_client_key.backend will be created
  + resource "gitlab_error_tracking_client_key" "backend" {
      + project    = "demo/web-app"
    }

  # gitlab_error_tracking_settings.web will be updated in-place
  ~ resource "gitlab_error_tracking_settings" "web" {
      ~ active     = false -> true
        id         = "demo/web-app"
    }

Plan: 1 to add, 1 to change, 0 to destroy.

Changes to Outputs:
  ~ web_key_ids        = {
      ~ backend  = 3 -> (known after apply)
    }
`

func TestPlanSummary(t *testing.T) {
	for _, product := range []string{"Terraform", "OpenTofu"} {
		t.Run(product, func(t *testing.T) {
			out := strings.ReplaceAll(driftPlan, "Terraform", product)
			got := strings.Join(planSummary(out, product), "\n")
			want := strings.Join([]string{
				"    Changed outside of " + product + ":",
				"      # gitlab_error_tracking_client_key.backend has been deleted",
				"    " + product + " would:",
				"      # gitlab_error_tracking_client_key.backend will be created",
				"      # gitlab_error_tracking_settings.web will be updated in-place",
				"          ~ active     = false -> true",
				"    Plan: 1 to add, 1 to change, 0 to destroy.",
			}, "\n")
			if got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestSplitWarnings(t *testing.T) {
	out := "Warnings:\n\n- Provider development overrides are in effect\n- Deprecated attribute\n\n" +
		"To see the full warning notes, run Terraform without -compact-warnings.\nApply complete!\n"
	rest, warnings := splitWarnings(out)
	if strings.Join(warnings, "|") != "Deprecated attribute" {
		t.Errorf("warnings %q", warnings)
	}
	if strings.Contains(rest, "overrides") || !strings.Contains(rest, "Apply complete!") {
		t.Errorf("rest %q", rest)
	}

	full := "\nWarning: Provider development overrides are in effect\n\nThe following provider development overrides are set in the CLI\n" +
		"configuration:\n - errortracking/gitlab in /tmp/bin\n\nThe behavior may therefore not match any released version of the provider and\n" +
		"applying changes may cause the state to become incompatible with published\nreleases.\nError: something broke\n"
	rest, warnings = splitWarnings(full)
	if len(warnings) != 0 || strings.Contains(rest, "overrides") || strings.Contains(rest, "released version") ||
		!strings.Contains(rest, "Error: something broke") {
		t.Errorf("warnings %q, rest %q", warnings, rest)
	}
}

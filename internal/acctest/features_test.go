package acctest

import (
	"testing"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

func TestFeatureMissingKnowsTheProduct(t *testing.T) {
	cli := func(product, version string) tfcli.Info {
		v, err := tfcli.ParseVersion(version)
		if err != nil {
			t.Fatal(err)
		}
		return tfcli.Info{Product: product, Version: v}
	}
	for _, tc := range []struct {
		cli     tfcli.Info
		feature Feature
		want    string
	}{
		{cli("terraform", "1.5.7"), ImportBlocks, ""},
		{cli("terraform", "1.5.7"), ImportExpressions, "Terraform v1.5.7 lacks expressions in import blocks (Terraform 1.6 or later)"},
		{cli("terraform", "1.8.0"), CrossProviderMoved, ""},
		{cli("terraform", "1.7.5"), CrossProviderMoved, "Terraform v1.7.5 lacks moved blocks between resource types of different providers (Terraform 1.8 or later)"},
		// OpenTofu numbers its releases on its own: 1.9 is newer than
		// Terraform 1.8 but has no cross-provider moves.
		{cli("opentofu", "1.9.1"), CrossProviderMoved, "OpenTofu v1.9.1 lacks moved blocks between resource types of different providers (OpenTofu 1.10 or later)"},
		{cli("opentofu", "1.10.0"), CrossProviderMoved, ""},
		{cli("terraform", "1.12.0-rc1"), ResourceIdentity, "Terraform v1.12.0-rc1 lacks resource identity (Terraform 1.12 or later)"},
		{cli("opentofu", "1.12.6"), ResourceIdentity, ""},
		{cli("terraform", "1.9.8"), EphemeralResources, "Terraform v1.9.8 lacks ephemeral resources (Terraform 1.10 or later)"},
		{cli("opentofu", "1.10.7"), EphemeralResources, "OpenTofu v1.10.7 lacks ephemeral resources (OpenTofu 1.11 or later)"},
		{cli("opentofu", "1.11.0"), EphemeralResources, ""},
		{cli("terraform", "1.15.9"), Query, ""},
		{cli("opentofu", "1.12.6"), Query, "OpenTofu v1.12.6 lacks list resources and terraform query (no OpenTofu release has them)"},
	} {
		if got := tc.feature.missing(tc.cli); got != tc.want {
			t.Errorf("%s on %s: got %q, want %q", tc.feature.Name, tc.cli, got, tc.want)
		}
	}
}

// Without TF_ACC, CLI, SkipBelow and Has skip the test before they look for
// a CLI, so that plain `go test ./...` passes on a machine with none.
func TestFeatureChecksSkipWithoutTFAcc(t *testing.T) {
	t.Setenv("TF_ACC", "")
	for name, check := range map[string]func(testing.TB){
		"SkipBelow": func(t testing.TB) { SkipBelow(t, ImportBlocks) },
		"Has":       func(t testing.TB) { Has(t, ImportBlocks) },
		"CLI":       func(t testing.TB) { CLI(t) },
	} {
		var skipped bool
		t.Run(name, func(t *testing.T) {
			defer func() { skipped = t.Skipped() }()
			check(t)
		})
		if !skipped {
			t.Errorf("%s without TF_ACC went on instead of skipping the test", name)
		}
	}
}

package acctest

import (
	"fmt"
	"os"
	"testing"

	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// Feature is something in the configuration language or the CLI that a test
// needs and older CLIs lack. Terraform and OpenTofu number their releases
// independently, so it names the first release of each.
type Feature struct {
	Name      string
	Terraform string // first Terraform release with it
	OpenTofu  string // first OpenTofu release with it; "" if none has it
}

// The features the tests use that not every supported CLI has. The
// compatibility table in templates/index.md.tmpl lists the same.
var (
	ImportBlocks      = Feature{Name: "import blocks", Terraform: "1.5", OpenTofu: "1.6"}
	ImportExpressions = Feature{Name: "expressions in import blocks", Terraform: "1.6", OpenTofu: "1.6"}
	ImportForEach     = Feature{Name: "for_each on import blocks", Terraform: "1.7", OpenTofu: "1.7"}
	// RemovedForget is what a removed block that forgets the object needs:
	// `lifecycle { destroy = false }` in it, which OpenTofu accepts from
	// 1.10 on (before, its removed blocks always forget and take no
	// lifecycle block).
	RemovedForget      = Feature{Name: "lifecycle blocks in removed blocks", Terraform: "1.7", OpenTofu: "1.10"}
	CrossProviderMoved = Feature{Name: "moved blocks between resource types of different providers", Terraform: "1.8", OpenTofu: "1.10"}
	// EphemeralResources are ephemeral blocks and the values they give,
	// which OpenTofu has from 1.11 on.
	EphemeralResources = Feature{Name: "ephemeral resources", Terraform: "1.10", OpenTofu: "1.11"}
	// EmptyEphemeralPlans: a plan with ephemeral resources and nothing
	// to change is empty; on OpenTofu 1.11 it never is (opentofu#3781).
	EmptyEphemeralPlans = Feature{Name: "empty plans with ephemeral resources", Terraform: "1.10", OpenTofu: "1.12"}
	ResourceIdentity    = Feature{Name: "resource identity", Terraform: "1.12", OpenTofu: "1.12"}
	Query               = Feature{Name: "list resources and terraform query", Terraform: "1.14"}
)

// SkipBelow skips t when the CLI the acceptance tests run (see CLI) lacks
// f, saying which release has it. Without TF_ACC it skips t, as CLI does.
func SkipBelow(t testing.TB, f Feature) {
	t.Helper()
	if why := f.missing(CLI(t)); why != "" {
		t.Skip(why)
	}
}

// Has reports whether the CLI the acceptance tests run (see CLI) has f.
// Without TF_ACC it skips t, as CLI does.
func Has(t testing.TB, f Feature) bool {
	t.Helper()
	return f.in(CLI(t))
}

// skipWithoutAcc skips t unless TF_ACC is set, as resource.Test would.
func skipWithoutAcc(t testing.TB) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests are skipped unless TF_ACC is set")
	}
}

func (f Feature) in(c tfcli.Info) bool {
	return c.AtLeast(f.Terraform, f.OpenTofu)
}

// missing says why c lacks f, or is "" when c has it.
func (f Feature) missing(c tfcli.Info) string {
	if f.in(c) {
		return ""
	}
	first := f.Terraform
	if c.Product == tfcli.OpenTofu {
		first = f.OpenTofu
	}
	if first == "" {
		return fmt.Sprintf("%s lacks %s (no %s release has them)", c, f.Name, c.Name())
	}
	return fmt.Sprintf("%s lacks %s (%s %s or later)", c, f.Name, c.Name(), first)
}

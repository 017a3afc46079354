package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

var (
	regexpPublicKey = regexp.MustCompile(`^glet_[0-9a-f]{32}$`)
	regexpDSN       = regexp.MustCompile(`^https?://glet_[0-9a-f]{32}@[^/]+/`)
)

// regexpKeyIDOf matches a client key's id "<project>:<key_id>".
func regexpKeyIDOf(project string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(project) + `:[1-9][0-9]*$`)
}

// accTest runs an acceptance test case in parallel with the others, after
// acctest.PreCheck, against the provider under test unless tc names its own
// provider factories.
func accTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	resource.ParallelTest(t, withProvider(t, tc))
}

// accTestSerial is accTest for a test that sets environment variables
// (t.Setenv), which cannot run in parallel with others.
func accTestSerial(t *testing.T, tc resource.TestCase) {
	t.Helper()
	resource.Test(t, withProvider(t, tc))
}

func withProvider(t *testing.T, tc resource.TestCase) resource.TestCase {
	tc.PreCheck = func() { acctest.PreCheck(t) }
	if tc.ProtoV6ProviderFactories == nil {
		tc.ProtoV6ProviderFactories = acctest.ProviderFactories()
	}
	return tc
}

// stepCheck is a step's check that looks at GitLab, or at what the test
// recorded, and not at the state.
func stepCheck(check func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return check() }
}

// addFlagOffProject adds a project whose integrated_error_tracking feature
// flag is off, with disabled settings that store integrated, which GitLab
// reports as false while the flag is off.
func addFlagOffProject(env *acctest.Env, path string, integrated bool) int64 {
	id := env.AddProject(path)
	env.Server.SetIntegratedFlag(id, false)
	env.Server.SetSettings(id, emulator.Settings{Active: false, Integrated: integrated})
	return id
}

// Package acctest runs the provider's acceptance tests against the in-repo
// GitLab emulator with a real terraform binary: no credentials, no network.
package acctest

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
	"github.com/errortracking/terraform-provider-gitlab/internal/provider"
)

// MaintainerToken is the token of the user every Env starts with; it is a
// Maintainer of every project added with AddProject.
const MaintainerToken = "glpat-acceptance-maintainer"

// Env is one emulated GitLab instance for one test.
type Env struct {
	Server   *emulator.Server
	BaseURL  string // the API root, ending in /api/v4/
	Token    string
	UserID   int64
	Instance string // the instance address without /api/v4, as a user might configure it
}

// New starts an emulator for t (stopped when t ends) with one user holding
// MaintainerToken. The integrated_error_tracking flag is on for new projects.
func New(t testing.TB) *Env {
	t.Helper()
	return NewServed(t, ServeOptions{})
}

// AddProject creates a project with the Env's user as Maintainer.
func (e *Env) AddProject(path string) int64 {
	id := e.Server.AddProject(path)
	e.Server.SetRole(id, e.UserID, emulator.RoleMaintainer)
	return id
}

// AddUser adds a user with the given role on project and returns its token.
func (e *Env) AddUser(name string, project int64, role emulator.Role, scopes ...string) string {
	uid := e.Server.AddUser(name, false)
	token := "glpat-" + name
	e.Server.AddToken(uid, token, scopes...)
	if project != 0 {
		e.Server.SetRole(project, uid, role)
	}
	return token
}

// ProviderFactories serves the provider in-process for terraform-plugin-testing.
// Retries wait milliseconds, not seconds, so that fault tests stay fast.
func ProviderFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"gitlab": providerserver.NewProtocol6WithError(provider.New("test", provider.WithClientConfig(FastRetries))()),
	}
}

// EchoProviderFactories is ProviderFactories with terraform-plugin-testing's
// echo provider beside the provider under test, for a Config with Echo.
func EchoProviderFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	f := ProviderFactories()
	f["echo"] = echoprovider.NewProviderServer()
	return f
}

// FastRetries shortens retry waits for tests, the waits GitLab asks for
// included: the emulator throttles with GitLab's Retry-After of at least a
// second. The retry policy is unchanged.
func FastRetries(c *gitlab.Config) {
	c.RetryWaitMin = time.Millisecond
	c.RetryWaitMax = 20 * time.Millisecond
	c.ServerWaitMax = 20 * time.Millisecond
}

// PreCheck fails the test with a clear message when no terraform binary is
// available. It sets up the test process for the CLI (see CLI): the
// provider is served under ProviderSource on that CLI's registry host, the
// CLI runs with an empty CLI configuration of its own whatever the caller's
// is, and nothing downloads a CLI or phones home.
func PreCheck(t testing.TB) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		return // resource.Test skips the test itself and says why
	}
	CLI(t)
}

// ErrorLike matches a diagnostic that contains every part in order. Terraform
// wraps long diagnostic lines, so a space in a part matches any white space.
func ErrorLike(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

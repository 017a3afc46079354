package tfcli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The hosts a provider source without one resolves to (see Info.Registry):
// Terraform reads "errortracking/gitlab" as
// registry.terraform.io/errortracking/gitlab, OpenTofu as
// registry.opentofu.org/errortracking/gitlab.
const (
	terraformRegistry = "registry.terraform.io"
	openTofuRegistry  = "registry.opentofu.org"
)

// registries are the hosts of both CLIs. A dev_overrides entry is keyed by
// the full address, so each override is written for both.
var registries = []string{terraformRegistry, openTofuRegistry}

// Override makes the CLI take a provider from a local directory instead of
// a registry, with no `init`.
type Override struct {
	Source string // "namespace/name", as in required_providers: "errortracking/gitlab"
	Dir    string // the directory holding the terraform-provider-<name> binary
}

var sourcePattern = regexp.MustCompile(`^[0-9a-z][0-9a-z_-]*/[0-9a-z][0-9a-z_-]*$`)

// CLIConfig is a CLI configuration whose dev_overrides entries make both
// Terraform and OpenTofu use the local providers, and which installs every
// other provider as usual.
func CLIConfig(overrides ...Override) (string, error) {
	var b strings.Builder
	b.WriteString("provider_installation {\n  dev_overrides {\n")
	for _, o := range overrides {
		if !sourcePattern.MatchString(o.Source) {
			return "", fmt.Errorf("provider source %q is not namespace/name in lower case, such as errortracking/gitlab", o.Source)
		}
		dir, err := quote(o.Dir)
		if err != nil {
			return "", fmt.Errorf("provider %s: %w", o.Source, err)
		}
		for _, host := range registries {
			fmt.Fprintf(&b, "    %q = %s\n", host+"/"+o.Source, dir)
		}
	}
	b.WriteString("  }\n  direct {}\n}\n")
	return b.String(), nil
}

// WriteCLIConfig writes CLIConfig(overrides...) to path.
func WriteCLIConfig(path string, overrides ...Override) error {
	text, err := CLIConfig(overrides...)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

// quote is an absolute directory as a CLI configuration string. Paths the
// configuration language would read differently (escapes, templates) are
// refused rather than escaped.
func quote(dir string) (string, error) {
	if dir == "" || !filepath.IsAbs(dir) {
		return "", fmt.Errorf("the directory %q is not an absolute path", dir)
	}
	dir = filepath.ToSlash(dir) // Windows: the CLIs read C:/x as C:\x
	if strings.ContainsAny(dir, "\"\\") || strings.Contains(dir, "${") || strings.Contains(dir, "%{") ||
		strings.IndexFunc(dir, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return "", fmt.Errorf("the directory %q holds characters a CLI configuration cannot quote plainly (\", \\, ${, %%{ or a control character); use another directory", dir)
	}
	return `"` + dir + `"`, nil
}

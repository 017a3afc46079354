package provider

import (
	"fmt"
	"sync"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// runProjects is what one run (one provider configuration) learns about
// projects while Terraform plans its resources, all in one provider process.
//
// Projects GitLab has shown: a refresh that read a project's settings or
// keys has seen that the project exists, so a plan that creates a key in it
// (a key replaced after it was deactivated, say) needs no lookup of its own.
//
// Projects claimed by settings resources: two settings resources of one
// configuration that manage the same project would undo each other's
// changes on every apply, and a provider never learns resource addresses;
// so the settings resource that is second to claim a project is refused at
// plan. A claim is made under every name known for the project: for a
// resource whose project was looked up (a create, or a change about to be
// applied), its numeric ID and its path; for one already in state with
// nothing to change, the ID its state records (identity.go) and the string
// it is configured with, so that a plan without changes sends no request.
type runProjects struct {
	mu      sync.Mutex
	seen    map[string]bool   // spellings of projects GitLab has shown
	claimed map[string]string // a name of a project -> the spelling that claimed it
	// settings is what the run learns about settings resources.
	settings *settingsRun
}

func newRunProjects() *runProjects {
	return &runProjects{seen: make(map[string]bool), claimed: make(map[string]string), settings: newSettingsRun()}
}

// saw records that GitLab showed the project.
func (c *runProjects) saw(project string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[project] = true
}

func (c *runProjects) hasSeen(project string) bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[project]
}

// claim records that a settings resource configured with spelling manages
// the project with the given numeric ID and path, each of them 0 or "" when
// not known. It returns the spelling of an earlier claim of the same
// project, or "".
func (c *runProjects) claim(spelling string, id int64, path string) (earlier string) {
	if c == nil {
		return ""
	}
	names := claimNames(spelling, id, path)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range names {
		if s, ok := c.claimed[n]; ok {
			return s
		}
	}
	for _, n := range names {
		c.claimed[n] = spelling
	}
	return ""
}

// describeProject names a project for a diagnostic, with its path and ID
// when they were looked up.
func describeProject(spelling string, p *gitlab.Project) string {
	if p == nil {
		return fmt.Sprintf("%q", spelling)
	}
	return fmt.Sprintf("%q (%s, ID %d)", spelling, p.PathWithNamespace, p.ID)
}

// forSettings is what the run learns about settings resources; nil without
// a configured provider.
func (c *runProjects) forSettings() *settingsRun {
	if c == nil {
		return nil
	}
	return c.settings
}

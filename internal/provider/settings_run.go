package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// settingsRun is what one apply learns about settings resources (beside
// projects), so that a replaced instance neither loses its baseline nor
// undoes its successor. Terraform and OpenTofu hand a create no trace of the
// object it replaces, neither its attributes nor its private state; but both
// halves of a replace run in the one provider process of the apply.
//
// Delete, then create (the default): the destroy records the baseline of
// the settings it destroys, and the create of the same project that
// follows takes it, rather than what it reads, in which a value someone
// changed since Terraform wrote it may have been left.
//
// create_before_destroy: the new instance writes before the old one is
// destroyed, and restoring the old baseline then would undo it. A destroy
// of settings whose project was written earlier in the same apply does not
// change them, and says so.
//
// A plan counts the settings left tainted by a failed create that its
// refresh reads and those it destroys: the plan that retries a
// create_before_destroy replace also destroys the objects that replace left
// deposed (plan_conflicts.go).
type settingsRun struct {
	run  string // names this run in the claim marker (settings_claim.go)
	mu   sync.Mutex
	logs [2]map[string]priorSettings // per runLog: a name of a project -> a baseline of settings
	// leftRead and leftDestroyed count, per name of a project, the
	// settings left by a failed create that this plan read, and those of
	// them it destroys.
	leftRead, leftDestroyed map[string]int
}

// runLog is what settingsRun recorded a baseline for.
type runLog int

const (
	destroyedIn runLog = iota // the project's settings destroyed in this run, with this baseline
	writtenBy                 // the settings, with this baseline, that wrote the project in this run
)

func newSettingsRun() *settingsRun {
	return &settingsRun{run: newRunID(), logs: [2]map[string]priorSettings{{}, {}}, leftRead: map[string]int{}, leftDestroyed: map[string]int{}}
}

// runID names this run; "" without a configured provider.
func (s *settingsRun) runID() string {
	if s == nil {
		return ""
	}
	return s.run
}

// record notes b under every name of a project (claimNames) in log l;
// a nil b records nothing.
func (s *settingsRun) record(l runLog, names []string, b *priorSettings) {
	if s == nil || b == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range names {
		s.logs[l][n] = *b
	}
}

// find is what log l holds under a name of a project, if anything.
func (s *settingsRun) find(l runLog, names []string) (priorSettings, bool) {
	if s == nil {
		return priorSettings{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range names {
		if b, ok := s.logs[l][n]; ok {
			return b, true
		}
	}
	return priorSettings{}, false
}

// countLeftover counts settings of the project left by a failed create
// that this plan reads, or, destroyed, destroys.
func (s *settingsRun) countLeftover(names []string, destroyed bool) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	count := s.leftRead
	if destroyed {
		count = s.leftDestroyed
	}
	for _, n := range names {
		count[n]++
	}
}

// replacesLeftover reports that this plan read settings of the project
// left by a failed create that it does not destroy: it replaces them. A
// create_before_destroy replace whose create failed leaves them tainted,
// and the old settings deposed; the plan that retries it destroys the one
// and replaces the other, in the order create_before_destroy sets.
func (s *settingsRun) replacesLeftover(names []string) bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	read, destroyed := 0, 0
	for _, n := range names {
		read, destroyed = max(read, s.leftRead[n]), max(destroyed, s.leftDestroyed[n])
	}
	return read > destroyed
}

// wrote records a write of the project's settings by settings with
// baseline b (nil: unknown, as no settings).
func (s *settingsRun) wrote(names []string, b *priorSettings) {
	if b == nil {
		b = &priorSettings{}
	}
	s.record(writtenBy, names, b)
}

// stateProjectNames are the names of the project of settings in state or in
// a create: as configured, and the ID that state or the create recorded,
// found without a request.
func stateProjectNames(ctx context.Context, identity *tfsdk.ResourceIdentity, private privateState, project string) []string {
	id, _ := knownProjectID(ctx, identity, private, project)
	return claimNames(project, id, "")
}

// replacedByEarlierWrite is the warning of a destroy that leaves settings
// as this run wrote them earlier: create_before_destroy created their
// replacement first.
func replacedByEarlierWrite(project, onDestroy string, own *priorSettings, successor priorSettings) diag.Diagnostics {
	detail := fmt.Sprintf("The error-tracking settings of project %q were written earlier in this apply by the gitlab_error_tracking_settings "+
		"that replaces the destroyed one (create_before_destroy creates the new instance first): on_destroy = %q was not carried out, "+
		"since it would undo them.", project, onDestroy)
	if own != nil && *own != successor {
		detail += fmt.Sprintf(" The new instance found them as this one had written them, and keeps that as its `baseline` (%s), "+
			"not the settings from before Terraform (%s): destroying it will put back the former. To return to the settings from "+
			"before Terraform, configure `active` and `integrated` with those values and apply before destroying it.",
			describeBaseline(successor), describeBaseline(*own))
	}
	var diags diag.Diagnostics
	diags.AddWarning("Destroyed settings left as their replacement wrote them", detail)
	return diags
}

// describeBaseline words a baseline for a diagnostic.
func describeBaseline(b priorSettings) string {
	if !b.Existed {
		return "no settings"
	}
	return fmt.Sprintf("active = %t, integrated = %t", b.Active, b.Integrated)
}

// claimNames are the names under which a project is claimed: its numeric
// ID and its path, as far as they are known. GitLab resolves paths without
// regard to case.
func claimNames(spelling string, id int64, path string) []string {
	if n, ok := gitlab.NumericID(spelling); ok && id == 0 {
		id = n
	} else if !ok && path == "" {
		path = spelling
	}
	var names []string
	if id > 0 {
		names = append(names, "id:"+strconv.FormatInt(id, 10))
	}
	if path != "" {
		names = append(names, "path:"+strings.ToLower(path))
	}
	return names
}

// newRunID names one run (one provider configuration in one process).
func newRunID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

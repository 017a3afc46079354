package provider

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// planConflicts catches one plan that takes over an object at one address
// (imports it, or creates it where creating takes over what GitLab has, as
// settings do) and destroys the same object at another. That is what
// renaming a resource together with its import block's `to` does after the
// import was applied: the apply deletes what it has just imported, state
// then holds an object GitLab no longer has, and the next apply creates a
// new one (for a client key, a new DSN).
//
// Terraform plans every resource of one provider configuration in one
// provider process, and both sides pass through it: the import in
// ImportState, the destroy in ModifyPlan (which the framework calls with a
// null plan). The two run in either order, so each side is recorded under
// one lock, and whichever arrives second fails with the error. The provider
// never learns resource addresses; the error tells the two sides apart (an
// import block's `to`, a resource in state no longer configured) and gives
// the `moved` block that does what the user meant.
type planConflicts struct {
	mu    sync.Mutex
	sides [2]map[string][]plannedSide // by planSide: a name of an object -> what the resources on that side do
}

// plannedSide is what one side of the plan does to an object.
type plannedSide struct {
	how       string      // "imports", "creates" or "destroys"
	replacing func() bool // of a destroy: see plannedObject.replacing
}

// planSide is what a resource of the plan does to an object.
type planSide int

const (
	sideTakes planSide = iota
	sideDestroys
)

func newPlanConflicts() *planConflicts {
	return &planConflicts{sides: [2]map[string][]plannedSide{{}, {}}}
}

// plannedObject is an object that a resource of the plan takes over or
// destroys.
type plannedObject struct {
	typeName string   // the resource type, for the `moved` block
	what     string   // the object, as the diagnostic names it: `client key 7 of project "acme/web"`
	names    []string // every name known for the object (objectNames)
	harm     string   // what applying both sides would do
	// replacing, if set on a destroyed object, reports that the takeover
	// of the object in this plan is the replacement, in an order the CLI
	// fixes, of another object in state, not a rename.
	replacing func() bool
}

// objectNames are the names of an object of a project: its kind and ID
// (0 for a project's settings) under each name of the project
// (claimNames: its numeric ID and path, as far as they are known).
func objectNames(kind string, objectID int64, spelling string, projectID int64, projectPath string) []string {
	names := claimNames(spelling, projectID, projectPath)
	for i, n := range names {
		names[i] = kind + ":" + n
		if objectID != 0 {
			names[i] += "/" + strconv.FormatInt(objectID, 10)
		}
	}
	return names
}

// takes records that this resource takes over obj; how is "imports" or
// "creates". It returns the error when another resource of the plan
// destroys obj.
func (c *planConflicts) takes(obj plannedObject, how string) diag.Diagnostics {
	return c.record(sideTakes, obj, how)
}

// destroys records that the plan destroys obj at this resource's address.
// It returns the error when another resource of the plan takes obj over.
func (c *planConflicts) destroys(obj plannedObject) diag.Diagnostics {
	return c.record(sideDestroys, obj, "destroys")
}

func (c *planConflicts) record(side planSide, obj plannedObject, how string) diag.Diagnostics {
	if c == nil || len(obj.names) == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range obj.names {
		for _, other := range c.sides[1-side][n] {
			taken, replacing := how, other.replacing
			if side == sideDestroys {
				taken, replacing = other.how, obj.replacing
			}
			if replacing == nil || !replacing() {
				return conflictDiag(obj, taken)
			}
		}
	}
	for _, n := range obj.names {
		c.sides[side][n] = append(c.sides[side][n], plannedSide{how: how, replacing: obj.replacing})
	}
	return nil
}

// conflictDiag is the error for obj, which one resource of the plan takes
// over (taken: "imports" or "creates") and another destroys.
func conflictDiag(obj plannedObject, taken string) diag.Diagnostics {
	newSide := "a resource block not in state yet"
	cause := "Renaming a resource after it was applied does this. To rename it, move its state instead: add a `moved` block"
	retry := ""
	switch taken {
	case "imports":
		newSide = "the `to` of an import block"
		cause = "Renaming a resource after its import was applied does this when the import block's `to` is renamed with it. " +
			"To rename it, move its state instead: delete the import block and add a `moved` block"
	case "creates": // settings
		retry = "\n\nIf no resource was renamed, this may be the retry of a create_before_destroy replace whose create failed: it left " +
			"the old settings deposed and the new ones tainted. Plan without -refresh=false: the refresh of the tainted settings tells " +
			"the two cases apart."
	}
	var diags diag.Diagnostics
	diags.AddError(fmt.Sprintf("One plan %s and destroys %s", taken, obj.what),
		fmt.Sprintf("This plan %s %s at one address (%s) and destroys it at another (a resource in state that is no longer in the configuration). "+
			"Applying it %s.\n\n"+
			"%s from the old address to the new one:\n\n"+
			"moved {\n  from = %s.<old name, in state>\n  to   = %s.<new name, in the configuration>\n}%s",
			taken, obj.what, newSide, obj.harm, cause, obj.typeName, obj.typeName, retry))
	return diags
}

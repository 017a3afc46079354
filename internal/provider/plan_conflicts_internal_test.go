package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Whichever side of a conflict is planned second reports it, once; objects
// that differ, or one side twice, are no conflict.
func TestPlanConflictsSecondSideReports(t *testing.T) {
	byPath := keyObject("acme/web", 0, 7)
	settings := settingsObject("acme/web", 0, "")
	createsSettings := func(c *planConflicts) []string { return summaries(c.takes(settings, "creates")) }
	byID := keyObject("42", 0, 7)
	withID := keyObject("acme/web", 42, 7)
	tests := []struct {
		name        string
		first, then func(c *planConflicts) []string // error summaries
		want        string
	}{
		{"import then destroy", takesKey(byPath), destroysKey(byPath), "One plan imports and destroys client key 7 of project \"acme/web\""},
		{"destroy then import", destroysKey(byPath), takesKey(byPath), "One plan imports and destroys client key 7 of project \"acme/web\""},
		{"the project's ID known on one side only", destroysKey(withID), takesKey(byID), "One plan imports and destroys client key 7 of project \"42\""},
		{"project path in another case", destroysKey(keyObject("Acme/Web", 0, 7)), takesKey(byPath), "One plan imports and destroys"},
		{"another key of the project", destroysKey(keyObject("acme/web", 0, 8)), takesKey(byPath), ""},
		{"the same key number in another project", destroysKey(keyObject("acme/api", 0, 7)), takesKey(byPath), ""},
		{"imported twice", takesKey(byPath), takesKey(byPath), ""},
		{"destroyed twice", destroysKey(byPath), destroysKey(byPath), ""},
		// A create_before_destroy replace whose create failed: the next plan
		// destroys the deposed object and replaces the tainted one, whose
		// refresh recorded it, in either order.
		{"the deposed object, then the replacement", destroysKey(replacing(settings, true)), createsSettings, ""},
		{"the replacement, then the deposed object", createsSettings, destroysKey(replacing(settings, true)), ""},
		{"no tainted object read: a rename", destroysKey(replacing(settings, false)), createsSettings,
			"One plan creates and destroys the error-tracking settings of project \"acme/web\""},
		{"a rename, then the destroy", createsSettings, destroysKey(replacing(settings, false)), "One plan creates and destroys"},
		// Every destroy counts: a later exempt one does not hide an earlier
		// one that is not.
		{"a destroy, a deposed object, then a rename", func(c *planConflicts) []string {
			return append(destroysKey(replacing(settings, false))(c), destroysKey(replacing(settings, true))(c)...)
		}, createsSettings, "One plan creates and destroys"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newPlanConflicts()
			if got := tc.first(c); len(got) != 0 {
				t.Fatalf("the first side reported %q", got)
			}
			got := strings.Join(tc.then(c), "\n")
			if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
				t.Errorf("the second side reported %q, want %q", got, tc.want)
			}
		})
	}
}

func takesKey(obj plannedObject) func(c *planConflicts) []string {
	return func(c *planConflicts) []string { return summaries(c.takes(obj, "imports")) }
}

func destroysKey(obj plannedObject) func(c *planConflicts) []string {
	return func(c *planConflicts) []string { return summaries(c.destroys(obj)) }
}

// replacing is obj destroyed where the plan replaces another object of
// it in state (found) or not.
func replacing(obj plannedObject, found bool) plannedObject {
	obj.replacing = func() bool { return found }
	return obj
}

func summaries(diags diag.Diagnostics) []string {
	var s []string
	for _, d := range diags {
		s = append(s, d.Summary())
	}
	return s
}

// The refusal of settings created and destroyed in one plan names the other
// case that looks the same without a refresh, and its fix.
func TestPlanConflictsCreateNamesAFailedReplace(t *testing.T) {
	detail := conflictDiag(settingsObject("acme/web", 0, ""), "creates")[0].Detail()
	for _, want := range []string{"`moved` block", "create_before_destroy replace whose create failed", "Plan without -refresh=false"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, detail)
		}
	}
	if detail := conflictDiag(keyObject("acme/web", 0, 7), "imports")[0].Detail(); strings.Contains(detail, "-refresh=false") {
		t.Errorf("the refusal of an import names the failed replace of settings:\n%s", detail)
	}
}

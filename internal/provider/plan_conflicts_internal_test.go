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

func summaries(diags diag.Diagnostics) []string {
	var s []string
	for _, d := range diags {
		s = append(s, d.Summary())
	}
	return s
}

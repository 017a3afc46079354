package provider_test

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// expectAttr checks the value in state of the top-level attribute attr of
// the resource or data source at addr.
func expectAttr(addr, attr string, value knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), value)
}

// expectPlannedAttr checks the planned value of the top-level attribute
// attr of the resource at addr.
func expectPlannedAttr(addr, attr string, value knownvalue.Check) plancheck.PlanCheck {
	return plancheck.ExpectKnownValue(addr, tfjsonpath.New(attr), value)
}

// attrValues compares the values that attributes take in the states of
// several steps, or of several resources.
type attrValues struct {
	values interface {
		AddStateValue(addr string, path tfjsonpath.Path) statecheck.StateCheck
	}
}

// valuesSame fails a step unless every value added is the same.
func valuesSame() attrValues {
	return attrValues{statecheck.CompareValue(compare.ValuesSame())}
}

// valuesDiffer fails a step unless each value added differs from the one
// added before it.
func valuesDiffer() attrValues {
	return attrValues{statecheck.CompareValue(compare.ValuesDiffer())}
}

// add adds the value of the top-level attribute attr of the resource at
// addr, and compares it with those added before.
func (v attrValues) add(addr, attr string) statecheck.StateCheck {
	return v.values.AddStateValue(addr, tfjsonpath.New(attr))
}

// preApply is the plan checks of a step's plan, before its apply.
func preApply(checks ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: checks}
}

// expectDeposedDestroyed fails a plan that does not destroy an object of
// the resource at addr that an earlier apply left deposed.
func expectDeposedDestroyed(addr string) plancheck.PlanCheck { return deposedDestroyed(addr) }

type deposedDestroyed string

func (addr deposedDestroyed) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == string(addr) && rc.DeposedKey != "" && rc.Change.Actions.Delete() {
			return
		}
	}
	resp.Error = fmt.Errorf("the plan destroys no deposed object of %s", string(addr))
}

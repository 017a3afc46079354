package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The settings resource keeps what on_destroy = "restore" needs in an
// attribute, not in private state: every CLI hands the destroy of an object
// its attributes, but a tainted object is planned with no private state, and
// the destroy half of a replace receives the private state of the create's
// plan. Read leaves it as it is.

// baselineAttrTypes are the attributes of `baseline`.
var baselineAttrTypes = map[string]attr.Type{
	"existed":    types.BoolType,
	"active":     types.BoolType,
	"integrated": types.BoolType,
}

func baselineAttr() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "What `on_destroy = \"restore\"` puts back: the settings GitLab had before this resource first wrote them, " +
			"or, for imported settings, those found at the import. Replacing the resource (`taint`) keeps it.",
		Computed:      true,
		PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
		Attributes: map[string]schema.Attribute{
			"existed":    schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the project had settings; `restore` disables settings that did not exist."},
			"active":     schema.BoolAttribute{Computed: true, MarkdownDescription: "`active` as it was."},
			"integrated": schema.BoolAttribute{Computed: true, MarkdownDescription: "`integrated` as it was."},
		},
	}
}

// baselineValue is the attribute value of prior.
func baselineValue(prior priorSettings) types.Object {
	return types.ObjectValueMust(baselineAttrTypes, map[string]attr.Value{
		"existed":    types.BoolValue(prior.Existed),
		"active":     types.BoolValue(prior.Active),
		"integrated": types.BoolValue(prior.Integrated),
	})
}

func nullBaseline() types.Object { return types.ObjectNull(baselineAttrTypes) }

// baselineOf reads the attribute; nil when it is null or unknown.
func baselineOf(o types.Object) *priorSettings {
	if o.IsNull() || o.IsUnknown() {
		return nil
	}
	attrs := o.Attributes()
	b := func(name string) bool {
		v, _ := attrs[name].(types.Bool)
		return v.ValueBool()
	}
	return &priorSettings{Existed: b("existed"), Active: b("active"), Integrated: b("integrated")}
}

// stateBaseline is the baseline of settings in state: the attribute, or,
// in a state written before it existed, the record in private state.
func stateBaseline(ctx context.Context, state settingsResourceModel, p privateState) *priorSettings {
	if b := baselineOf(state.Baseline); b != nil {
		return b
	}
	prior, _ := getPriorSettings(ctx, p)
	return prior
}

// keepBaseline sets the baseline of created settings to prior, unless the
// plan knows it already: that of the object they replace.
func (m *settingsResourceModel) keepBaseline(prior priorSettings) {
	if m.Baseline.IsNull() || m.Baseline.IsUnknown() {
		m.Baseline = baselineValue(prior)
	}
}

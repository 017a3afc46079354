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
	return keptBoolsAttr("What `on_destroy = \"restore\"` puts back: the settings GitLab had before this resource first wrote them, "+
		"or, for imported settings, those found at the import. A replace (`taint`, `-replace`) keeps it, except under `create_before_destroy`, where the new instance records what it finds.",
		map[string]string{
			"existed":    "Whether the project had settings; `restore` disables settings that did not exist.",
			"active":     "`active` as it was.",
			"integrated": "`integrated` as it was.",
		})
}

// keptBoolsAttr is a computed object of computed booleans, described by
// fields, that a plan keeps from state: baseline and last_written.
func keptBoolsAttr(description string, fields map[string]string) schema.SingleNestedAttribute {
	attrs := make(map[string]schema.Attribute, len(fields))
	for name, described := range fields {
		attrs[name] = schema.BoolAttribute{Computed: true, MarkdownDescription: described}
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
		Attributes:          attrs,
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

// writtenSettings is what this resource last wrote to GitLab: `active`
// always, `integrated` only where a write sent it (nil otherwise).
type writtenSettings struct {
	Active     bool
	Integrated *bool
}

// writtenAttrTypes are the attributes of `last_written`.
var writtenAttrTypes = map[string]attr.Type{"active": types.BoolType, "integrated": types.BoolType}

func lastWrittenAttr() schema.SingleNestedAttribute {
	return keptBoolsAttr("What this resource last wrote to GitLab, recorded at each write; null for imported settings it has not written. "+
		"`on_destroy = \"restore\"` puts a field back to `baseline` only while GitLab still has the value written here.",
		map[string]string{
			"active":     "The `active` last written.",
			"integrated": "The `integrated` last written; null when this resource never wrote it (`integrated` omitted).",
		})
}

func writtenValue(w writtenSettings) types.Object {
	return types.ObjectValueMust(writtenAttrTypes, map[string]attr.Value{
		"active":     types.BoolValue(w.Active),
		"integrated": types.BoolPointerValue(w.Integrated),
	})
}

func nullWritten() types.Object { return types.ObjectNull(writtenAttrTypes) }

// writtenOf reads the attribute; nil when it is null or unknown.
func writtenOf(o types.Object) *writtenSettings {
	if o.IsNull() || o.IsUnknown() {
		return nil
	}
	attrs := o.Attributes()
	active, _ := attrs["active"].(types.Bool)
	integrated, _ := attrs["integrated"].(types.Bool)
	return &writtenSettings{Active: active.ValueBool(), Integrated: integrated.ValueBoolPointer()}
}

// wrote records a write of active and, when not nil, integrated: the
// integrated written before stays when this write does not send one.
func (m *settingsResourceModel) wrote(prior types.Object, active bool, integrated *bool) {
	if integrated == nil {
		if w := writtenOf(prior); w != nil {
			integrated = w.Integrated
		}
	}
	m.LastWritten = writtenValue(writtenSettings{Active: active, Integrated: integrated})
}

// stateWritten is what settings in state last wrote: the attribute, or, in a
// state written before it existed (whose baseline is in private state), the
// values the state holds.
func stateWritten(ctx context.Context, state settingsResourceModel, p privateState) *writtenSettings {
	if w := writtenOf(state.LastWritten); w != nil {
		return w
	}
	if !state.Baseline.IsNull() {
		return nil
	}
	if prior, _ := getPriorSettings(ctx, p); prior == nil || state.Active.IsNull() {
		return nil
	}
	return &writtenSettings{Active: state.Active.ValueBool(), Integrated: state.Integrated.ValueBoolPointer()}
}

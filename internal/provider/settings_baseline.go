package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// The settings resource keeps what on_destroy = "restore" needs in an
// attribute, not in private state: every CLI hands the destroy of an object
// its attributes, but a tainted object is planned with no private state, and
// the destroy half of a replace receives the private state of the create's
// plan. Read leaves it as it is.

// keptBools is an object attribute of booleans that is computed and that
// a plan keeps from state, with its Go value T: a struct of a bool field, or
// a *bool one where the attribute may be null, per attribute, named by its
// tfsdk tag. It maps each attribute to its description.
type keptBools[T any] map[string]string

var (
	// baselineType is `baseline`.
	baselineType = keptBools[priorSettings]{
		"existed":    "Whether the project had settings; `restore` disables settings that did not exist.",
		"active":     "`active` as it was.",
		"integrated": "`integrated` as it was.",
	}
	// writtenType is `last_written`.
	writtenType = keptBools[writtenSettings]{
		"active":     "The `active` last written.",
		"integrated": "The `integrated` last written; null when this resource never wrote it (`integrated` omitted).",
	}
)

// attrTypes are the attributes' types.
func (k keptBools[T]) attrTypes() map[string]attr.Type {
	out := make(map[string]attr.Type, len(k))
	for name := range k {
		out[name] = types.BoolType
	}
	return out
}

// attr is the attribute, described by description.
func (k keptBools[T]) attr(description string) schema.SingleNestedAttribute {
	attrs := make(map[string]schema.Attribute, len(k))
	for name, described := range k {
		attrs[name] = schema.BoolAttribute{Computed: true, MarkdownDescription: described}
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
		Attributes:          attrs,
	}
}

// value is the attribute value of v.
func (k keptBools[T]) value(v T) types.Object {
	o, diags := types.ObjectValueFrom(context.Background(), k.attrTypes(), v)
	if diags.HasError() {
		panic(fmt.Sprintf("%T as an object: %v", v, diags))
	}
	return o
}

func (k keptBools[T]) null() types.Object { return types.ObjectNull(k.attrTypes()) }

// of reads the attribute; nil when it is null or unknown.
func (k keptBools[T]) of(o types.Object) *T {
	if o.IsNull() || o.IsUnknown() {
		return nil
	}
	var v T
	if diags := o.As(context.Background(), &v, basetypes.ObjectAsOptions{UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true}); diags.HasError() {
		return nil
	}
	return &v
}

func baselineAttr() schema.SingleNestedAttribute {
	return baselineType.attr("What `on_destroy = \"restore\"` puts back: the settings GitLab had before this resource first wrote them, " +
		"or, for imported settings, those found at the import. A replace (`taint`, `-replace`) keeps it, except under `create_before_destroy`, where the new instance records what it finds.")
}

// stateBaseline is the baseline of settings in state: the attribute, or,
// in a state written before it existed, the record in private state.
func stateBaseline(ctx context.Context, state settingsResourceModel, p privateState) *priorSettings {
	if b := baselineType.of(state.Baseline); b != nil {
		return b
	}
	prior, _ := getPriorSettings(ctx, p)
	return prior
}

// keepBaseline sets the baseline of created settings to prior, unless the
// plan knows it already: that of the object they replace.
func (m *settingsResourceModel) keepBaseline(prior priorSettings) {
	if m.Baseline.IsNull() || m.Baseline.IsUnknown() {
		m.Baseline = baselineType.value(prior)
	}
}

// writtenSettings is what this resource last wrote to GitLab: `active`
// always, `integrated` only where a write sent it (nil otherwise).
type writtenSettings struct {
	Active     bool  `tfsdk:"active"`
	Integrated *bool `tfsdk:"integrated"`
}

func lastWrittenAttr() schema.SingleNestedAttribute {
	return writtenType.attr("What this resource last wrote to GitLab, recorded at each write; null for imported settings it has not written. " +
		"`on_destroy = \"restore\"` puts a field back to `baseline` only while GitLab still has the value written here.")
}

// wrote records a write of active and, when not nil, integrated: the
// integrated written before stays when this write does not send one.
func (m *settingsResourceModel) wrote(prior types.Object, active bool, integrated *bool) {
	if integrated == nil {
		if w := writtenType.of(prior); w != nil {
			integrated = w.Integrated
		}
	}
	m.LastWritten = writtenType.value(writtenSettings{Active: active, Integrated: integrated})
}

// stateWritten is what settings in state last wrote: the attribute, or, in a
// state written before it existed (whose baseline is in private state), the
// values the state holds.
func stateWritten(ctx context.Context, state settingsResourceModel, p privateState) *writtenSettings {
	if w := writtenType.of(state.LastWritten); w != nil {
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

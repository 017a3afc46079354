package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// projectModel is a model with a `project` attribute.
type projectModel interface{ projectRef() string }

// projectModelPtr is the pointer to a project's model M that generic code
// reading into M takes as its second type parameter.
type projectModelPtr[M any] interface {
	*M
	projectModel
}

// modelSource is a plan, a state or a configuration: what a model is read from.
type modelSource interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// load reads src into the model target; false when that failed, with the
// reasons in diags.
func load(ctx context.Context, diags *diag.Diagnostics, src modelSource, target any) bool {
	d := src.Get(ctx, target)
	diags.Append(d...)
	return !d.HasError()
}

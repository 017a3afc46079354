package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	gitlabprovider "github.com/errortracking/terraform-provider-gitlab/internal/provider"
)

// The floor is only a fair comparison while its resource has the same
// attributes as the real one: same names and types, the same
// required/computed/sensitive flags and the same plan modifiers. Validators
// and ModifyPlan are the real provider's own work, which the benchmark
// measures, so they are not part of the floor.
func TestSchemaMatchesClientKeyResource(t *testing.T) {
	ctx := t.Context()
	actual := resourceSchema(t, gitlabprovider.New("test")(), "gitlab_error_tracking_client_key")
	floor := resourceSchema(t, floorProvider, "floor_error_tracking_client_key")

	realNames := slices.Sorted(maps.Keys(actual.Attributes))
	floorNames := slices.Sorted(maps.Keys(floor.Attributes))
	if !slices.Equal(realNames, floorNames) {
		t.Fatalf("floor attributes %v, real ones %v", floorNames, realNames)
	}
	for _, name := range realNames {
		if got, want := signature(ctx, floor.Attributes[name]), signature(ctx, actual.Attributes[name]); got != want {
			t.Errorf("attribute %q:\nfloor %s\nreal  %s", name, got, want)
		}
	}
}

func resourceSchema(t *testing.T, p provider.Provider, typeName string) schema.Schema {
	t.Helper()
	ctx := t.Context()
	var md provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &md)
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var rmd resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: md.TypeName}, &rmd)
		if rmd.TypeName != typeName {
			continue
		}
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("schema of %s: %v", typeName, resp.Diagnostics)
		}
		return resp.Schema
	}
	t.Fatalf("no resource %s", typeName)
	return schema.Schema{}
}

// signature is what the floor must share with the real attribute.
func signature(ctx context.Context, a schema.Attribute) string {
	var modifiers []string
	switch a := a.(type) {
	case schema.StringAttribute:
		for _, m := range a.PlanModifiers {
			modifiers = append(modifiers, fmt.Sprintf("%T: %s", m, m.Description(ctx)))
		}
	case schema.Int64Attribute:
		for _, m := range a.PlanModifiers {
			modifiers = append(modifiers, fmt.Sprintf("%T: %s", m, m.Description(ctx)))
		}
	case schema.BoolAttribute:
		for _, m := range a.PlanModifiers {
			modifiers = append(modifiers, fmt.Sprintf("%T: %s", m, m.Description(ctx)))
		}
		if a.Default != nil {
			modifiers = append(modifiers, fmt.Sprintf("default %T: %s", a.Default, a.Default.Description(ctx)))
		}
	case schema.MapAttribute:
		for _, m := range a.PlanModifiers {
			modifiers = append(modifiers, fmt.Sprintf("%T: %s", m, m.Description(ctx)))
		}
	default:
		return fmt.Sprintf("unexpected attribute kind %T", a)
	}
	return fmt.Sprintf("%s required=%t optional=%t computed=%t sensitive=%t plan modifiers=[%s]",
		a.GetType(), a.IsRequired(), a.IsOptional(), a.IsComputed(), a.IsSensitive(), strings.Join(modifiers, "; "))
}

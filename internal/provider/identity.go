package provider

import (
	"context"
	"fmt"
	"math/big"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// Resource identity (Terraform 1.12+, OpenTofu 1.12+) names an object by the
// numeric IDs GitLab gives it, which never change: a project path can be
// renamed. Settings are {project_id}, a client key {project_id, key_id}.
//
// GitLab's settings and client-key answers carry no project ID. So that the
// request floor holds (docs/guides/performance.md), the ID comes, in this
// order, from the identity Terraform stored, from private state (which every
// CLI stores, also those before 1.12 that store no identity), from a project
// written as its numeric ID, and only then from one GET /projects/:id per
// project per run, shared by every resource of that project.

const (
	identityProjectID = "project_id"
	identityKeyID     = "key_id"

	// privateProjectIDKey holds the project's numeric ID in private state.
	privateProjectIDKey = "project_id"
)

const identityProjectIDDescription = "The project's numeric ID, which never changes (unlike its path)."

func settingsIdentitySchema() identityschema.Schema { return identitySchema(identityProjectID) }

func clientKeyIdentitySchema() identityschema.Schema {
	return identitySchema(identityProjectID, identityKeyID)
}

// identitySchema has the named attributes, each a number every import needs.
func identitySchema(names ...string) identityschema.Schema {
	described := map[string]string{identityProjectID: identityProjectIDDescription, identityKeyID: keyIDDescription}
	attrs := map[string]identityschema.Attribute{}
	for _, name := range names {
		attrs[name] = identityschema.Int64Attribute{Description: described[name], RequiredForImport: true}
	}
	return identityschema.Schema{Attributes: attrs}
}

// objectIdentity is the identity of one object; keyID is 0 for settings.
type objectIdentity struct {
	projectID int64
	keyID     int64
}

// setIdentity writes id into target, whose schema says which attributes it
// has. It builds the value directly: Read runs once per key on every plan.
func setIdentity(target *tfsdk.ResourceIdentity, id objectIdentity) {
	if target == nil {
		return
	}
	attrs := map[string]tftypes.Value{identityProjectID: numberValue(id.projectID)}
	types := map[string]tftypes.Type{identityProjectID: tftypes.Number}
	if _, ok := target.Schema.GetAttributes()[identityKeyID]; ok {
		attrs[identityKeyID], types[identityKeyID] = numberValue(id.keyID), tftypes.Number
	}
	target.Raw = tftypes.NewValue(tftypes.Object{AttributeTypes: types}, attrs)
}

func numberValue(n int64) tftypes.Value {
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(n))
}

// identityOf reads an identity; a missing or null attribute is 0.
func identityOf(identity *tfsdk.ResourceIdentity) objectIdentity {
	if identity == nil {
		return objectIdentity{}
	}
	o, ok := newRawObject(identity.Raw)
	if !ok {
		return objectIdentity{}
	}
	var id objectIdentity
	id.projectID = o.int64(identityProjectID)
	id.keyID = o.int64(identityKeyID)
	return id
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// knownProjectID is the project's ID when it is known without a request:
// from the identity, from private state, or from the project string itself
// when it is the numeric ID.
func knownProjectID(ctx context.Context, identity *tfsdk.ResourceIdentity, private privateGetter, project string) (int64, bool) {
	if id := identityOf(identity).projectID; id > 0 {
		return id, true
	}
	if private != nil {
		if raw, d := private.GetKey(ctx, privateProjectIDKey); !d.HasError() && raw != nil {
			if id, err := strconv.ParseInt(string(raw), 10, 64); err == nil && id > 0 {
				return id, true
			}
		}
	}
	return gitlab.NumericID(project)
}

// resolveProjectID is knownProjectID, else one lookup of the project,
// shared by every resource of that project in the run.
func resolveProjectID(ctx context.Context, client gitlab.API, identity *tfsdk.ResourceIdentity, private privateGetter, project string) (int64, error) {
	if id, ok := knownProjectID(ctx, identity, private, project); ok {
		return id, nil
	}
	p, err := client.Project(ctx, project)
	if err != nil {
		return 0, err
	}
	return p.ID, nil
}

// keepIdentity sets the identity of the object, and the project's ID in
// private state; false, with the reason in diags, when the project's ID
// cannot be found. prior and priorPrivate are what Terraform sent (nil for
// a new object).
func keepIdentity(ctx context.Context, client gitlab.API, prior *tfsdk.ResourceIdentity, priorPrivate privateGetter,
	identity *tfsdk.ResourceIdentity, private privateState, diags *diag.Diagnostics, project string, keyID int64,
) bool {
	projectID, err := resolveProjectID(ctx, client, prior, priorPrivate, project)
	if err != nil {
		diags.Append(apiDiag("read the project", project, err))
		return false
	}
	diags.Append(recordIdentity(ctx, identity, private, objectIdentity{projectID: projectID, keyID: keyID})...)
	return true
}

// recordIdentity sets the object's identity, and the project's ID in
// private state for CLIs that store no identity.
func recordIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, private privateState, id objectIdentity) diag.Diagnostics {
	setIdentity(identity, id)
	return recordProjectID(ctx, private, id.projectID)
}

// recordProjectID keeps the project's ID in private state, for the next
// run of a CLI that stores no identity; unchanged private state is left
// alone.
func recordProjectID(ctx context.Context, private privateState, projectID int64) diag.Diagnostics {
	if private == nil || projectID <= 0 {
		return nil
	}
	want := strconv.FormatInt(projectID, 10)
	if raw, d := private.GetKey(ctx, privateProjectIDKey); !d.HasError() && string(raw) == want {
		return nil
	}
	return private.SetKey(ctx, privateProjectIDKey, []byte(want))
}

// identityImport reads the identity of an import block (`identity = {...}`):
// every attribute of the schema must be a positive number.
func identityImport(identity *tfsdk.ResourceIdentity, example string) (objectIdentity, diag.Diagnostics) {
	var diags diag.Diagnostics
	id := identityOf(identity)
	check := func(name string, v int64) {
		if v <= 0 {
			diags.AddError("Invalid import identity",
				fmt.Sprintf("The import block's identity has no positive whole number in %q. Give the numeric IDs GitLab shows, for example: identity = %s", name, example))
		}
	}
	check(identityProjectID, id.projectID)
	if _, ok := identity.Schema.GetAttributes()[identityKeyID]; ok {
		check(identityKeyID, id.keyID)
	}
	return id, diags
}

// identityWithoutRequest is a Read's identity from what is known without a
// request: the stored one (which the response already holds), else one
// built from knownProjectID; false when the project's ID is not known.
func identityWithoutRequest(ctx context.Context, prior *tfsdk.ResourceIdentity, private privateGetter, target *tfsdk.ResourceIdentity, project string, keyID int64) bool {
	if identityOf(prior).projectID > 0 {
		return true
	}
	projectID, ok := knownProjectID(ctx, prior, private, project)
	if ok {
		setIdentity(target, objectIdentity{projectID: projectID, keyID: keyID})
	}
	return ok
}

// setGoneIdentity gives a resource that Read removes from state an identity:
// the framework requires one after every Read, and Terraform drops it with
// the state, so no request is spent on it: without a known project ID it is
// 0.
func setGoneIdentity(ctx context.Context, prior *tfsdk.ResourceIdentity, private privateGetter, target *tfsdk.ResourceIdentity, project string, keyID int64) {
	if !identityWithoutRequest(ctx, prior, private, target, project, keyID) {
		setIdentity(target, objectIdentity{keyID: keyID})
	}
}

// identityWithoutClient is Read's identity while the provider configuration
// is unknown (see providerData): identityWithoutRequest's. State written
// before resources had an identity may have none; that Read fails with a
// way out instead of the framework's "Missing Resource Identity" error.
func identityWithoutClient(ctx context.Context, prior *tfsdk.ResourceIdentity, private privateGetter, target *tfsdk.ResourceIdentity, diags *diag.Diagnostics, project string, keyID int64) {
	if identityWithoutRequest(ctx, prior, private, target, project, keyID) {
		return
	}
	diags.AddError("Provider configuration not known yet",
		fmt.Sprintf("The state of this resource (project %q) was written by an earlier version of the provider, which did not record the project's numeric ID, "+
			"and without a known provider configuration it cannot be looked up. Run `terraform apply -refresh-only` (`tofu apply -refresh-only`) once with a known `token` and `base_url`, "+
			"or write `project` as the numeric ID.", project))
}

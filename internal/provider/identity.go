package provider

import (
	"context"
	"fmt"
	"math/big"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// Resource identity (Terraform 1.12+, OpenTofu 1.12+) names an object by the
// numeric IDs GitLab gives it, which never change: a project path can be
// renamed. Settings are {project_id}, a client key {project_id, key_id}.
//
// GitLab's settings and client-key answers carry no project ID. So that the
// request floor holds (docs/guides/performance.md), the ID comes from these
// sources, in this order:
//
//  1. the identity Terraform stored (or, Terraform 1.12+, planned);
//  2. private state, which every CLI stores, also those before 1.12 that
//     store no identity;
//  3. the project written as its numeric ID;
//  4. one GET /projects/:id per project per run, shared by every resource
//     of that project.
//
// A CRUD method says what it does with the identity in one line, through an
// identity built for its request: keep (sources 1 to 4, then record), derive
// (sources 1 to 3, no request) or record (IDs already known). A Read defers
// keep, which then sees how the Read ended: an object Read removes, and a
// Read without a client, get the identity derived without a request.

const (
	identityProjectID = "project_id"
	identityKeyID     = "key_id"

	// privateProjectIDKey holds the project's numeric ID in private state.
	privateProjectIDKey = "project_id"
	// privateInstanceKey holds the GitLab instance (gitlab.API's Instance)
	// where the project's ID was learnt, when it was: a create there, or a
	// lookup. IDs mean something on one instance only.
	privateInstanceKey = "instance"
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

// knownProjectID is the project's ID when it is known without a request
// (sources 1 to 3).
func knownProjectID(ctx context.Context, identity *tfsdk.ResourceIdentity, private privateState, project string) (int64, bool) {
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

// identity is the identity of the object one CRUD request is about: what
// Terraform sent of it, and where the response records it.
type identity struct {
	prior        *tfsdk.ResourceIdentity // nil for a new object
	priorPrivate privateState            // nil for a new object
	target       *tfsdk.ResourceIdentity
	private      privateState
	removed      func() bool // whether a Read removed the object; nil outside Read
	diags        *diag.Diagnostics
	project      string
	keyID        int64 // 0 for settings
}

func createIdentity(resp *resource.CreateResponse, project string, keyID int64) *identity {
	return &identity{target: resp.Identity, private: resp.Private, diags: &resp.Diagnostics, project: project, keyID: keyID}
}

func readIdentity(req resource.ReadRequest, resp *resource.ReadResponse, project string, keyID int64) *identity {
	return &identity{
		prior: req.Identity, priorPrivate: req.Private, target: resp.Identity, private: resp.Private,
		removed: func() bool { return resp.State.Raw.IsNull() },
		diags:   &resp.Diagnostics, project: project, keyID: keyID,
	}
}

func updateIdentity(req resource.UpdateRequest, resp *resource.UpdateResponse, project string, keyID int64) *identity {
	return &identity{
		prior: req.Identity, priorPrivate: req.Private, target: resp.Identity, private: resp.Private,
		diags: &resp.Diagnostics, project: project, keyID: keyID,
	}
}

// keep records the identity, with the project's ID from sources 1 to 4;
// false, with the reason in diags, when it cannot be found. Deferred in a
// Read, it records nothing after an error, and derives the identity of an
// object the Read removed or of a Read without a client (see derive).
func (id *identity) keep(ctx context.Context, client gitlab.API) bool {
	switch {
	case id.diags.HasError():
		return false
	case id.removed != nil && id.removed():
		// The framework requires an identity after every Read, and
		// Terraform drops it with the state: no request is spent on it,
		// and without a known project ID it is 0.
		if !id.derive(ctx) {
			setIdentity(id.target, objectIdentity{keyID: id.keyID})
		}
		return true
	case client == nil:
		// The provider configuration is unknown (see providerData). State
		// written before resources had an identity may have none; that
		// Read fails with a way out instead of the framework's "Missing
		// Resource Identity" error.
		if id.derive(ctx) {
			return true
		}
		id.diags.AddError("Provider configuration not known yet",
			fmt.Sprintf("The state of this resource (project %q) was written by an earlier version of the provider, which did not record the project's numeric ID, "+
				"and without a known provider configuration it cannot be looked up. Run `terraform apply -refresh-only` (`tofu apply -refresh-only`) once with a known `token` and `base_url`, "+
				"or write `project` as the numeric ID.", id.project))
		return false
	}
	projectID, ok := knownProjectID(ctx, id.prior, id.priorPrivate, id.project)
	if !ok {
		p, err := client.Project(ctx, id.project)
		if err != nil {
			id.diags.Append(apiDiag("read the project", id.project, err))
			return false
		}
		projectID = p.ID
	}
	id.record(ctx, objectIdentity{projectID: projectID, keyID: id.keyID})
	if !ok || id.priorPrivate == nil {
		// Looked up, or the object was just created: on this instance.
		id.diags.Append(recordInstance(ctx, id.private, client)...)
	}
	return true
}

// derive sets the identity known without a request: the stored one (which
// the response already holds), else one with the project's ID from sources
// 2 and 3; false when that is not known.
func (id *identity) derive(ctx context.Context) bool {
	if identityOf(id.prior).projectID > 0 {
		return true
	}
	projectID, ok := knownProjectID(ctx, id.prior, id.priorPrivate, id.project)
	if ok {
		setIdentity(id.target, objectIdentity{projectID: projectID, keyID: id.keyID})
	}
	return ok
}

// record sets the object's identity, and the project's ID in private state
// for CLIs that store no identity.
func (id *identity) record(ctx context.Context, oid objectIdentity) {
	setIdentity(id.target, oid)
	id.diags.Append(recordProjectID(ctx, id.private, oid.projectID)...)
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

// recordInstance keeps in private state that the project's ID was learnt
// on the instance client talks to.
func recordInstance(ctx context.Context, private privateState, client gitlab.API) diag.Diagnostics {
	if private == nil {
		return nil
	}
	return private.SetKey(ctx, privateInstanceKey, []byte(strconv.Quote(client.Instance())))
}

// idOnInstance reports whether the project ID that private state or the
// identity holds was learnt on the instance client talks to: the ID of a
// state written before that was recorded, or on another instance, is not
// trusted to find the project by.
func idOnInstance(ctx context.Context, private privateState, client gitlab.API) bool {
	if private == nil || client == nil {
		return false
	}
	raw, d := private.GetKey(ctx, privateInstanceKey)
	return !d.HasError() && string(raw) == strconv.Quote(client.Instance())
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

// stateProjectID is the ID of the project of the object in state that req
// plans, as knownProjectID finds it, when it was learnt on the instance
// client talks to (idOnInstance); else 0.
func stateProjectID(ctx context.Context, req resource.ModifyPlanRequest, client gitlab.API, project types.String) int64 {
	if !idOnInstance(ctx, req.Private, client) {
		return 0
	}
	id, _ := knownProjectID(ctx, req.Identity, req.Private, project.ValueString())
	return id
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

var (
	_ ephemeral.EphemeralResource              = (*projectEphemeral[clientKeyEphemeralModel, *clientKeyEphemeralModel])(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*projectEphemeral[clientKeyEphemeralModel, *clientKeyEphemeralModel])(nil)
)

// clientKeyEphemeralModel is the ephemeral client key: the key that
// `project` and `key_id` name, with what GitLab reports of it.
type clientKeyEphemeralModel struct {
	Project types.String `tfsdk:"project"`
	KeyID   types.Int64  `tfsdk:"key_id"`
	clientKeyFields
}

func (m *clientKeyEphemeralModel) projectRef() string { return m.Project.ValueString() }

// newClientKeyEphemeral reads one key, typically the one a
// gitlab_error_tracking_client_key resource manages, for its DSN.
func newClientKeyEphemeral() ephemeral.EphemeralResource {
	return &projectEphemeral[clientKeyEphemeralModel, *clientKeyEphemeralModel]{
		projectRead: projectRead[clientKeyEphemeralModel, *clientKeyEphemeralModel]{
			attempt: "list the client keys",
			read: func(ctx context.Context, client gitlab.API, project string, m *clientKeyEphemeralModel) error {
				keyID := m.KeyID.ValueInt64()
				key, err := client.ClientKey(ctx, project, keyID)
				if err != nil {
					return err
				}
				if key == nil {
					keys, err := client.ListClientKeys(ctx, project)
					if err != nil {
						return err
					}
					return &missingKeyError{project: project, keyID: keyID, keys: keys}
				}
				m.fromAPI(key)
				return nil
			},
		},
		typeName: clientKeyTypeName,
		description: "One error-tracking client key of a GitLab project and its DSN, without storing them in the plan or the state: " +
			"for a write-only attribute or a provisioner that delivers the DSN to an application. Typically `key_id` is that of a " +
			"gitlab_error_tracking_client_key resource, so that a new key is read as soon as it replaces the old one.",
		attrs: clientKeyAttrs.dataSource(map[string]dschema.Attribute{
			"project": dataSourceProjectAttrs(map[string]dschema.Attribute{})["project"],
			"key_id": dschema.Int64Attribute{
				MarkdownDescription: keyIDDescription,
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
		}),
	}
}

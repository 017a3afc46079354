package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// newClientKeysDataSource lists a project's client keys, those whose
// `active` is the configured one when it is set.
func newClientKeysDataSource() datasource.DataSource { return clientKeysRead() }

// newClientKeysEphemeral is the data source as an ephemeral resource.
func newClientKeysEphemeral() ephemeral.EphemeralResource {
	return ephemeralOf(clientKeysRead(), "Lists a GitLab project's error-tracking client keys (every page), ordered by ID, "+
		"like the data source of the same name, without storing them in the plan or the state.")
}

func clientKeysRead() *projectDataSource[clientKeysDataSourceModel, *clientKeysDataSourceModel] {
	return newProjectDataSource(clientKeysTypeName,
		"Lists a GitLab project's error-tracking client keys (every page), ordered by ID. The result, every DSN included, "+
			"is stored in the state; the ephemeral resource of the same name (Terraform 1.10+, OpenTofu 1.11+) reads the same without storing it.",
		func() map[string]schema.Attribute {
			return map[string]schema.Attribute{
				"active": schema.BoolAttribute{
					MarkdownDescription: "When set, only keys whose `active` equals this value are listed. When omitted, all keys are listed.",
					Optional:            true,
				},
				"keys": schema.ListNestedAttribute{
					MarkdownDescription: "The keys, ordered by `id`.",
					Computed:            true,
					NestedObject: schema.NestedAttributeObject{
						Attributes: clientKeyAttrs.dataSource(map[string]schema.Attribute{
							"id": schema.Int64Attribute{MarkdownDescription: keyIDDescription, Computed: true},
						}),
					},
				},
			}
		},
		"list the client keys",
		func(ctx context.Context, client gitlab.API, project string, m *clientKeysDataSourceModel) error {
			keys, err := client.ListClientKeys(ctx, project)
			if err != nil {
				return err
			}
			m.Keys = make([]clientKeyModel, 0, len(keys))
			for i := range keys {
				if !m.Active.IsNull() && keys[i].Active != m.Active.ValueBool() {
					continue
				}
				k := clientKeyModel{ID: types.Int64Value(keys[i].ID)}
				k.fromAPI(&keys[i])
				m.Keys = append(m.Keys, k)
			}
			return nil
		})
}

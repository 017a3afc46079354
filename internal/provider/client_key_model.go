package provider

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// clientKeyTypeName follows the provider's type name in the names of the
// client key resource and list resource; clientKeysTypeName in the name of
// the data source that lists a project's keys.
const (
	clientKeyTypeName  = "_error_tracking_client_key"
	clientKeysTypeName = clientKeyTypeName + "s"
)

type clientKeyResourceModel struct {
	projectFields
	KeyID types.Int64 `tfsdk:"key_id"`
	clientKeyFields
	StoreDSN         types.Bool `tfsdk:"store_dsn"`
	RotationTriggers types.Map  `tfsdk:"rotation_triggers"`
}

// storesDSN reports whether state keeps the key's DSN and public key: unless
// store_dsn is false. A state written before store_dsn existed has it null,
// and kept the DSN.
func (m *clientKeyResourceModel) storesDSN() bool {
	return m.StoreDSN.IsNull() || m.StoreDSN.IsUnknown() || m.StoreDSN.ValueBool()
}

// dropDSN leaves the DSN and the public key (its secret part) out.
func (m *clientKeyResourceModel) dropDSN() {
	m.PublicKey, m.SentryDSN = types.StringNull(), types.StringNull()
}

type clientKeysDataSourceModel struct {
	projectFields
	Active types.Bool       `tfsdk:"active"`
	Keys   []clientKeyModel `tfsdk:"keys"`
}

// clientKeyModel is one key of the data source's `keys`.
type clientKeyModel struct {
	ID types.Int64 `tfsdk:"id"`
	clientKeyFields
}

// clientKeyFields are the attributes GitLab reports for a key, shared by the
// resource and the data source.
type clientKeyFields struct {
	Active    types.Bool   `tfsdk:"active"`
	PublicKey types.String `tfsdk:"public_key"`
	SentryDSN types.String `tfsdk:"sentry_dsn"`
}

func (f *clientKeyFields) fromAPI(k *gitlab.ClientKey) {
	f.Active = types.BoolValue(k.Active)
	f.PublicKey = types.StringValue(k.PublicKey)
	f.SentryDSN = types.StringValue(k.SentryDSN)
}

// keyIDDescription describes GitLab's ID of a key: `key_id` in the resource,
// `id` of each key in the data source.
const keyIDDescription = "GitLab's ID of the key (unique across the instance)."

// clientKeyAttrs are the attributes of clientKeyFields, for the resource and
// for each key of the data source.
var clientKeyAttrs = reportedAttrs{
	"active": {kind: boolAttr, description: "Whether the key accepts errors. Keys are created active; " +
		"GitLab cannot reactivate a key deactivated in its UI."},
	"public_key": {kind: stringAttr, sensitive: true,
		description: "The key's public part (`glet_...`), which is the secret part of its DSN: whoever has it can build the DSN. Sensitive."},
	"sentry_dsn": {kind: stringAttr, sensitive: true,
		description: "The DSN to configure in a Sentry SDK. Sensitive: it lets anyone send errors to the project."},
}

// clientKeyID is the resource's id and import ID, "<project>:<key_id>".
func clientKeyID(project string, keyID int64) string {
	return project + ":" + strconv.FormatInt(keyID, 10)
}

// parseClientKeyID splits "<project>:<key_id>" on the last colon, since a
// project path may itself hold any character but a colon is never in a key id.
func parseClientKeyID(id string) (string, int64, error) {
	const form = `expected "<project>:<key_id>", for example "42:7" or "group/subgroup/project:7"`
	i := strings.LastIndex(id, ":")
	if i < 0 {
		return "", 0, fmt.Errorf("the import ID %q has no colon; %s", id, form)
	}
	project, rawKey := id[:i], id[i+1:]
	if strings.TrimSpace(project) == "" || strings.TrimSpace(project) != project {
		return "", 0, fmt.Errorf("the import ID %q has no project before the colon; %s", id, form)
	}
	keyID, err := strconv.ParseInt(rawKey, 10, 64)
	if err != nil || keyID <= 0 {
		return "", 0, fmt.Errorf("the key id %q in the import ID %q is not a positive whole number; %s", rawKey, id, form)
	}
	return project, keyID, nil
}

// keyIDsOf says which keys a project has, by ID.
func keyIDsOf(keys []gitlab.ClientKey) string {
	if len(keys) == 0 {
		return "It has no client keys."
	}
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = strconv.FormatInt(k.ID, 10)
	}
	return "The IDs of its keys: " + strings.Join(ids, ", ") + "."
}

package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// What the settings resource keeps in private state, beside its attributes:
// facts about GitLab that no attribute shows and a later plan or destroy
// needs.
const (
	// privateRestoreKey held the settings found before Terraform managed
	// them (priorSettings) in states written before the `baseline`
	// attribute, which Read fills from it.
	privateRestoreKey = "restore"
	// privateRefusedKey marks that GitLab answered integrated = false to an
	// apply that asked for true: its integrated_error_tracking flag is off
	// (internal/emulator/gitlab-api.md, "Settings"). A plan that asks for
	// true again warns instead of showing a silent diff.
	privateRefusedKey = "integrated_refused"
	// privateFailedCreateKey marks settings recorded by a create that failed
	// after it had changed GitLab (failedCreate); Terraform has marked them
	// tainted.
	privateFailedCreateKey = "failed_create"
)

// priorSettings is what on_destroy = "restore" puts back.
type priorSettings struct {
	Existed    bool `json:"existed" tfsdk:"existed"`
	Active     bool `json:"active" tfsdk:"active"`
	Integrated bool `json:"integrated" tfsdk:"integrated"`
}

// failedCreate is what a failed create left on GitLab besides the settings.
type failedCreate struct {
	// CreatedKeyID is the client key GitLab created by itself when the
	// settings became active and integrated (internal/emulator/gitlab-api.md,
	// "Side effect"); 0 when it created none.
	CreatedKeyID int64 `json:"created_key_id,omitempty"`
}

// privateState is a resource's private state in any request or response.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func getPriorSettings(ctx context.Context, p privateState) (*priorSettings, diag.Diagnostics) {
	var prior priorSettings
	found, d := getPrivate(ctx, p, privateRestoreKey, &prior, "the record of the settings before this resource managed them")
	if !found {
		return nil, d
	}
	return &prior, d
}

// setRefused records or forgets that GitLab refused integrated = true.
func setRefused(ctx context.Context, p privateState, refused bool) diag.Diagnostics {
	if !refused {
		return p.SetKey(ctx, privateRefusedKey, nil)
	}
	return setPrivate(ctx, p, privateRefusedKey, true)
}

func refused(ctx context.Context, p privateState) bool {
	var r bool
	found, d := getPrivate(ctx, p, privateRefusedKey, &r, "")
	return found && !d.HasError() && r
}

func getFailedCreate(ctx context.Context, p privateState) (*failedCreate, bool) {
	var f failedCreate
	found, d := getPrivate(ctx, p, privateFailedCreateKey, &f, "")
	return &f, found && !d.HasError()
}

func setPrivate(ctx context.Context, p privateState, key string, v any) diag.Diagnostics {
	raw, err := json.Marshal(v)
	if err != nil {
		var d diag.Diagnostics
		d.AddError("Cannot record private state", "Encoding "+key+": "+err.Error()+". This is a bug in the provider; please report it.")
		return d
	}
	return p.SetKey(ctx, key, raw)
}

// getPrivate decodes key into v; found is false when the key is not set.
// An unreadable record is an error when what names it, and ignored
// otherwise.
func getPrivate(ctx context.Context, p privateState, key string, v any, what string) (bool, diag.Diagnostics) {
	raw, d := p.GetKey(ctx, key)
	if d.HasError() || raw == nil {
		return false, d
	}
	if err := json.Unmarshal(raw, v); err != nil {
		if what != "" {
			d.AddError("Cannot read private state", "The private state holds "+what+", which is unreadable: "+err.Error())
		}
		return false, d
	}
	return true, d
}

package provider

import (
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// The client key's fast path. Refreshing and planning thousands of client
// keys runs Read and ModifyPlan once per key, and most of them change
// nothing, so the common case must cost next to nothing: these functions
// decide it from the raw state and plan values, without the reflection of
// tfsdk.State.Get and tfsdk.State.Set (docs/guides/performance.md measures
// what that buys). Anything else falls through to the ordinary model code.

// keyPlanUnchanged reports the common case of ModifyPlan: the key is active
// (or its activity unknown), and `project` and `store_dsn` are the same as in
// state, so there is nothing to decide.
func keyPlanUnchanged(state, plan tftypes.Value) bool {
	st, ok := newRawObject(state)
	if !ok {
		return false
	}
	if active, known := st.boolean("active"); known && !active {
		return false
	}
	pl, ok := newRawObject(plan)
	if !ok {
		return false
	}
	storeBefore, storeKnown := st.boolean("store_dsn")
	storeAfter, planKnown := pl.boolean("store_dsn")
	if !storeKnown || !planKnown || storeBefore != storeAfter {
		return false
	}
	before, _ := st.str("project")
	after, known := pl.str("project")
	return known && before == after
}

// keyStateMatches reports the common case of Read: state already holds what
// GitLab reports for the key (without its DSN and public key when store_dsn
// is false), so the prior state can stay as it is.
func keyStateMatches(st rawObject, project string, k *gitlab.ClientKey) bool {
	id, _ := st.str("id")
	active, activeKnown := st.boolean("active")
	store, storeKnown := st.boolean("store_dsn")
	publicKey, hasPublicKey := st.str("public_key")
	dsn, hasDSN := st.str("sentry_dsn")
	var dsnMatches bool
	if store {
		dsnMatches = publicKey == k.PublicKey && dsn == k.SentryDSN
	} else {
		dsnMatches = !hasPublicKey && !hasDSN
	}
	return id == clientKeyID(project, k.ID) && activeKnown && active == k.Active && storeKnown && dsnMatches
}

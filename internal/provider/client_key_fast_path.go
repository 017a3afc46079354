package provider

import (
	"math/big"

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

// rawObject reads single attributes of a state or plan object.
type rawObject map[string]tftypes.Value

func newRawObject(v tftypes.Value) (rawObject, bool) {
	if !v.IsKnown() || v.IsNull() {
		return nil, false
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		return nil, false
	}
	return m, true
}

// rawValue returns the attribute as a T (string, bool or *big.Float); ok is
// false when it is missing, null, unknown or of another type.
func rawValue[T any](o rawObject, name string) (T, bool) {
	var t T
	v, found := o[name]
	if !found || !v.IsKnown() || v.IsNull() || v.As(&t) != nil {
		var zero T
		return zero, false
	}
	return t, true
}

func (o rawObject) str(name string) (string, bool)   { return rawValue[string](o, name) }
func (o rawObject) boolean(name string) (bool, bool) { return rawValue[bool](o, name) }

// int64 returns the attribute as a whole number; 0 when it is missing,
// null, unknown or not a whole number.
func (o rawObject) int64(name string) int64 {
	f, ok := rawValue[*big.Float](o, name)
	if !ok {
		return 0
	}
	i, acc := f.Int64()
	if acc != big.Exact {
		return 0
	}
	return i
}

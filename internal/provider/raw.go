package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// rawObject reads single attributes of a state or plan object without the
// reflection of tfsdk.State.Get. Refreshing and planning thousands of client
// keys runs Read and ModifyPlan once per key, and most of them change nothing,
// so the common case must cost next to nothing.
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

// str returns the attribute as a string; ok is false when it is null, unknown
// or not a string.
func (o rawObject) str(name string) (string, bool) {
	v, found := o[name]
	if !found || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	var s string
	if err := v.As(&s); err != nil {
		return "", false
	}
	return s, true
}

func (o rawObject) boolean(name string) (bool, bool) {
	v, found := o[name]
	if !found || !v.IsKnown() || v.IsNull() {
		return false, false
	}
	var b bool
	if err := v.As(&b); err != nil {
		return false, false
	}
	return b, true
}

func (o rawObject) int64(name string) (int64, bool) {
	v, found := o[name]
	if !found || !v.IsKnown() || v.IsNull() {
		return 0, false
	}
	var f big.Float
	if err := v.As(&f); err != nil {
		return 0, false
	}
	i, acc := f.Int64()
	return i, acc == big.Exact
}

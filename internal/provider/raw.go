package provider

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Raw values: single attributes of a state, plan or identity read from its
// tftypes.Value, without the reflection of the framework's Get, for the
// paths that run once per object on every plan (client_key_fast_path.go,
// identity.go).

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

func (o rawObject) str(name string) (string, bool) { return rawValue[string](o, name) }

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

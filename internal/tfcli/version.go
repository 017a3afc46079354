package tfcli

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a CLI release number: major.minor.patch and an optional
// pre-release suffix ("1.15.0-beta1", "1.6.0-dev").
type Version struct {
	Major, Minor, Patch int
	Pre                 string // without the leading "-"; empty for a release
}

// ParseVersion reads "1.12.6", "v1.12.6", "1.14" (patch 0) or "1.15.0-rc1".
func ParseVersion(s string) (Version, error) {
	rest := strings.TrimPrefix(strings.TrimSpace(s), "v")
	var v Version
	if i := strings.IndexAny(rest, "-+"); i >= 0 {
		if rest[i] == '-' {
			v.Pre, _, _ = strings.Cut(rest[i+1:], "+")
		}
		rest = rest[:i]
	}
	parts := strings.Split(rest, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("version %q is not major.minor[.patch]", s)
	}
	nums := []*int{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Version{}, fmt.Errorf("version %q is not major.minor[.patch]", s)
		}
		*nums[i] = n
	}
	return v, nil
}

func (v Version) String() string {
	s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	if v.Pre != "" {
		s += "-" + v.Pre
	}
	return s
}

// Compare is -1, 0 or 1 as v is older than, the same as, or newer than w.
// A pre-release comes before its release (1.15.0-rc1 < 1.15.0); two
// pre-releases of one release compare as strings.
func (v Version) Compare(w Version) int {
	for _, d := range [][2]int{{v.Major, w.Major}, {v.Minor, w.Minor}, {v.Patch, w.Patch}} {
		if d[0] != d[1] {
			if d[0] < d[1] {
				return -1
			}
			return 1
		}
	}
	switch {
	case v.Pre == w.Pre:
		return 0
	case v.Pre == "":
		return 1
	case w.Pre == "":
		return -1
	}
	return strings.Compare(v.Pre, w.Pre)
}

package provider

import "testing"

func TestPastedURL(t *testing.T) {
	tests := []struct {
		in, kind, path string
		ok             bool
	}{
		{"https://gitlab.example.com/acme/web", "a web URL", "acme/web", true},
		{"https://gitlab.example.com/acme/web/", "a web URL", "acme/web", true},
		{"https://gitlab.example.com/acme/team/web/-/settings/monitor", "a web URL", "acme/team/web", true},
		{"http://gitlab.example.com:8080/acme/web?tab=1#x", "a web URL", "acme/web", true},
		{"https://gitlab.example.com", "a web URL", "", true},
		{"https://gitlab.example.com/acme/web.git", "a clone URL", "acme/web", true},
		{"git@gitlab.example.com:acme/web.git", "a clone URL", "acme/web", true},
		{"git@gitlab.example.com:acme/web", "a clone URL", "acme/web", true},
		{"ssh://git@gitlab.example.com:2222/acme/web.git", "a clone URL", "acme/web", true},
		{"acme/web", "", "", false},
		{"acme/web.git", "", "", false},
		{"acme/web:7", "", "", false},
		{"42", "", "", false},
	}
	for _, tc := range tests {
		kind, path, ok := pastedURL(tc.in)
		if kind != tc.kind || path != tc.path || ok != tc.ok {
			t.Errorf("pastedURL(%q) = %q, %q, %v; want %q, %q, %v", tc.in, kind, path, ok, tc.kind, tc.path, tc.ok)
		}
	}
}

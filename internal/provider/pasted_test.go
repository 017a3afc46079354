package provider

import "testing"

func TestPastedURL(t *testing.T) {
	// The URLs of each kind, with the project path that each holds.
	for kind, urls := range map[string]map[string]string{
		"a web URL": {
			"https://gitlab.example.com/acme/web":                         "acme/web",
			"https://gitlab.example.com/acme/web/":                        "acme/web",
			"https://gitlab.example.com/acme/team/web/-/settings/monitor": "acme/team/web",
			"http://gitlab.example.com:8080/acme/web?tab=1#x":             "acme/web",
			"https://gitlab.example.com":                                  "",
		},
		"a clone URL": {
			"https://gitlab.example.com/acme/web.git":        "acme/web",
			"git@gitlab.example.com:acme/web.git":            "acme/web",
			"git@gitlab.example.com:acme/web":                "acme/web",
			"ssh://git@gitlab.example.com:2222/acme/web.git": "acme/web",
		},
	} {
		for in, path := range urls {
			if k, p, ok := pastedURL(in); k != kind || p != path || !ok {
				t.Errorf("pastedURL(%q) = %q, %q, %v; want %q, %q, true", in, k, p, ok, kind, path)
			}
		}
	}
	// Paths, and other values that are no URL.
	for _, in := range []string{"acme/web", "acme/web.git", "acme/web:7", "42"} {
		if k, p, ok := pastedURL(in); k != "" || p != "" || ok {
			t.Errorf(`pastedURL(%q) = %q, %q, %v; want "", "", false`, in, k, p, ok)
		}
	}
}

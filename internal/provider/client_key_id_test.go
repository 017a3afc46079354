package provider

import (
	"strings"
	"testing"
)

func TestParseClientKeyID(t *testing.T) {
	cases := []struct {
		in          string
		wantProject string
		wantKey     int64
		wantErr     string
	}{
		{in: "42:7", wantProject: "42", wantKey: 7},
		{in: "group/sub/project:12", wantProject: "group/sub/project", wantKey: 12},
		{in: "a:b:3", wantProject: "a:b", wantKey: 3},
		{in: "group/project", wantErr: `"group/project" has no colon`},
		{in: "", wantErr: `"" has no colon`},
		{in: ":3", wantErr: "no project before the colon"},
		{in: " :3", wantErr: "no project before the colon"},
		{in: "42:", wantErr: `key id ""`},
		{in: "42:x", wantErr: `key id "x"`},
		{in: "42:0", wantErr: `key id "0"`},
		{in: "42:-1", wantErr: `key id "-1"`},
		{in: "42:1.5", wantErr: `key id "1.5"`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			project, key, err := parseClientKeyID(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "<project>:<key_id>") {
					t.Fatalf("parseClientKeyID(%q) error = %v, want one containing %q and the expected form", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil || project != tc.wantProject || key != tc.wantKey {
				t.Fatalf("parseClientKeyID(%q) = %q, %d, %v; want %q, %d", tc.in, project, key, err, tc.wantProject, tc.wantKey)
			}
		})
	}
}

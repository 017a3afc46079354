package provider

import (
	"fmt"
	"net/url"
	"strings"
)

// What people paste into `project` and `group` from a browser: the page's
// address, or the address the Clone button gives. Each is refused or
// explained with the path GitLab's API takes, which such an address holds.

// pastedURL reads v as a web URL ("https://gitlab.example.com/acme/web",
// also with "/-/…" after the path, as a project's pages have), an HTTPS
// clone URL ("…/acme/web.git") or an SSH clone URL
// ("git@gitlab.example.com:acme/web.git", "ssh://git@host:2222/acme/web.git").
// It returns what v is ("a web URL" or "a clone URL") and the path in it;
// ok is false when v is no URL. path is "" for the instance's address alone.
func pastedURL(v string) (kind, path string, ok bool) {
	kind = "a web URL"
	if strings.Contains(v, "://") {
		u, err := url.Parse(v)
		if err != nil || u.Host == "" {
			return "", "", false
		}
		path = u.Path
		if u.Scheme != "http" && u.Scheme != "https" {
			kind = "a clone URL"
		}
	} else if at, colon := strings.Index(v, "@"), strings.Index(v, ":"); at > 0 && colon > at && !strings.Contains(v[:colon], "/") {
		// scp-like syntax, user@host:path; no GitLab path has an "@".
		kind, path = "a clone URL", v[colon+1:]
	} else {
		return "", "", false
	}
	if i := strings.Index(path, "/-/"); i >= 0 {
		path = path[:i]
	}
	path = strings.Trim(path, "/")
	if p, found := strings.CutSuffix(path, ".git"); found {
		kind, path = "a clone URL", p
	}
	return kind, path, true
}

// urlProblem is what to say about a URL given as attr: the path it holds is
// what GitLab's API takes. example stands in when the URL has no path.
func urlProblem(attr, v, kind, path, example string) string {
	if path == "" {
		return fmt.Sprintf("`%s` = %q is %s, not a path. Use the full path that follows the instance's address in the browser, for example %q.", attr, v, kind, example)
	}
	return fmt.Sprintf("`%s` = %q is %s, not a path. Use the full path it holds, without the instance's address: %q.", attr, v, kind, path)
}

// gitSuffixHint is what to add where GitLab has no project named project:
// no GitLab project path ends in ".git" (internal/emulator/gitlab-api.md,
// "Paths"), the ending of a clone URL, so it is the likely cause.
func gitSuffixHint(project string) string {
	p, found := strings.CutSuffix(project, ".git")
	if !found || p == "" {
		return ""
	}
	return fmt.Sprintf(" The path ends in `.git`, which no GitLab project path does (clone URLs do): the project is most likely %q.", p)
}

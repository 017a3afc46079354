package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	gl "gitlab.com/gitlab-org/api/client-go/v2"
)

// CurrentUser performs GET /user, which answers 401 for a bad token.
func (c *Client) CurrentUser(ctx context.Context) error {
	r := request{op: "check the token (read the current user)", method: http.MethodGet, endpoint: endpointUser, path: "user"}
	var u *gl.User
	_, st, err := c.do(ctx, r, func(o ...gl.RequestOptionFunc) (resp *gl.Response, err error) {
		u, resp, err = c.rest.Users.CurrentUser(o...)
		return resp, err
	})
	if err != nil {
		return err
	}
	if u == nil || u.ID == 0 {
		return c.unexpected(r, st, "no user id", nil)
	}
	return nil
}

// NumericID reads a project or group reference written as its numeric ID:
// GitLab reads an :id made of digits only as an ID, anything else as a path.
func NumericID(ref string) (int64, bool) {
	if ref == "" || ref[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(ref); i++ {
		if ref[i] < '0' || ref[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	return id, err == nil
}

// Project performs GET /projects/:id once per project for the Client's life;
// concurrent callers share the request.
func (c *Client) Project(ctx context.Context, project string) (*Project, error) {
	r := request{
		op:     fmt.Sprintf("read project %q", project),
		method: http.MethodGet,
		path:   projectPath(project),
	}
	return lookUp(ctx, c, &c.projects, project, r, "project",
		func(o ...gl.RequestOptionFunc) (*gl.Project, *gl.Response, error) {
			return c.rest.Projects.GetProject(project, nil, o...)
		},
		func(gp *gl.Project) (*Project, int64, string) {
			p := &Project{ID: gp.ID, PathWithNamespace: gp.PathWithNamespace, AccessLevel: accessLevel(gp.Permissions)}
			return p, gp.ID, gp.PathWithNamespace
		})
}

// accessLevel is the higher of the project's and the group's access level
// in a project's permissions, 0 when GitLab gave neither.
func accessLevel(p *gl.Permissions) int {
	level := 0
	if p == nil {
		return level
	}
	if p.ProjectAccess != nil {
		level = int(p.ProjectAccess.AccessLevel)
	}
	if p.GroupAccess != nil {
		level = max(level, int(p.GroupAccess.AccessLevel))
	}
	return level
}

// lookups resolves objects (projects, groups) by name, a numeric ID or a
// full path, once per object: concurrent callers share the request, and the
// object is then remembered under every name it has (the one asked for, its
// ID and its full path), so that a later lookup by any of them costs no
// request. Callers get copies.
type lookups[T any] struct {
	mu     sync.Mutex
	byName map[string]*T
	calls  shared[*T]
}

// get returns the object called name, fetching it (with its ID and full
// path) when no lookup has resolved that name yet.
func (l *lookups[T]) get(ctx context.Context, name string, fetch func(context.Context) (*T, int64, string, error)) (*T, error) {
	l.mu.Lock()
	v, ok := l.byName[name]
	l.mu.Unlock()
	if !ok {
		var err error
		v, err = l.calls.do(ctx, name, func(ctx context.Context) (*T, error) {
			v, id, fullPath, err := fetch(ctx)
			if err != nil {
				return nil, err
			}
			l.mu.Lock()
			if l.byName == nil {
				l.byName = map[string]*T{}
			}
			l.byName[name] = v
			l.byName[strconv.FormatInt(id, 10)] = v
			if fullPath != "" {
				l.byName[fullPath] = v
			}
			l.mu.Unlock()
			return v, nil
		})
		if err != nil {
			return nil, err
		}
	}
	cp := *v
	return &cp, nil
}

// lookUp performs r for the object called name once for l's life (see
// lookups): fetch sends it, convert gives our object with its ID and full
// path. An answer without an ID is unexpected: what names the object's kind.
func lookUp[T, G any](ctx context.Context, c *Client, l *lookups[T], name string, r request, what string,
	fetch func(o ...gl.RequestOptionFunc) (*G, *gl.Response, error), convert func(*G) (*T, int64, string),
) (*T, error) {
	v, err := l.get(ctx, name, func(ctx context.Context) (*T, int64, string, error) {
		var got *G
		_, st, err := c.do(ctx, r, func(o ...gl.RequestOptionFunc) (resp *gl.Response, err error) {
			got, resp, err = fetch(o...)
			return resp, err
		})
		if err != nil {
			return nil, 0, "", err
		}
		var (
			v        *T
			id       int64
			fullPath string
		)
		if got != nil {
			v, id, fullPath = convert(got)
		}
		if id == 0 {
			return nil, 0, "", c.unexpected(r, st, "no "+what+" id", nil)
		}
		return v, id, fullPath, nil
	})
	if err != nil {
		return nil, c.asError(r, err)
	}
	return v, nil
}

func projectPath(project string) string {
	// The same escaping client-go applies to ProjectID{project}.
	return "projects/" + gl.PathEscape(project)
}

package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

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
		return c.unexpected(r, st, "no user id")
	}
	return nil
}

// Project performs GET /projects/:id once per project for the Client's life;
// concurrent callers share the request.
func (c *Client) Project(ctx context.Context, project string) (*Project, error) {
	c.mu.Lock()
	p, ok := c.projects[project]
	c.mu.Unlock()
	if ok {
		cp := *p
		return &cp, nil
	}

	r := request{
		op:       fmt.Sprintf("read project %q", project),
		method:   http.MethodGet,
		endpoint: endpointProject,
		path:     projectPath(project),
	}
	p, err := c.projectCalls.do(ctx, project, func(ctx context.Context) (*Project, error) {
		var gp *gl.Project
		_, st, err := c.do(ctx, r, func(o ...gl.RequestOptionFunc) (resp *gl.Response, err error) {
			gp, resp, err = c.rest.Projects.GetProject(project, nil, o...)
			return resp, err
		})
		if err != nil {
			return nil, err
		}
		if gp == nil || gp.ID == 0 {
			return nil, c.unexpected(r, st, "no project id")
		}
		p := &Project{ID: gp.ID, PathWithNamespace: gp.PathWithNamespace}
		c.mu.Lock()
		// The other names of the project resolve to the same answer, so a
		// later lookup by ID or by path costs no request.
		c.projects[project] = p
		c.projects[strconv.FormatInt(p.ID, 10)] = p
		if p.PathWithNamespace != "" {
			c.projects[p.PathWithNamespace] = p
		}
		c.mu.Unlock()
		return p, nil
	})
	if err != nil {
		return nil, c.asError(r, err)
	}
	cp := *p
	return &cp, nil
}

func projectPath(project string) string {
	// The same escaping client-go applies to ProjectID{project}.
	return "projects/" + gl.PathEscape(project)
}

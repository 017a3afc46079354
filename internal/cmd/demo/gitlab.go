package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// checkRealProjects fails early, with a clear message, when the projects
// cannot be read with the token.
func (d *demo) checkRealProjects(ctx context.Context) error {
	for _, p := range []string{d.webProject, d.apiProject} {
		var project struct {
			ID   int64  `json:"id"`
			Path string `json:"path_with_namespace"`
		}
		if err := d.gitlabAPI(ctx, http.MethodGet, "projects/"+url.PathEscape(p), &project); err != nil {
			return fmt.Errorf("project %s: %w", p, err)
		}
		fmt.Printf("    %s: project %d\n", project.Path, project.ID)
	}
	fmt.Printf("    %s must already have error tracking set up (in its Monitor settings): it is imported\n", d.apiProject)
	return nil
}

// gitlabAPI calls the real GitLab's REST API with the token.
func (d *demo) gitlabAPI(ctx context.Context, method, path string, into any) error {
	return doJSON(ctx, method, d.baseURL+path, http.Header{"PRIVATE-TOKEN": {d.token}}, nil, into)
}

func doJSON(ctx context.Context, method, rawURL string, header http.Header, body, into any) error {
	var reqBody io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reqBody = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, reqBody)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s %s", method, req.URL.Path, resp.Status, bytes.TrimSpace(b))
	}
	if into != nil {
		return json.Unmarshal(b, into)
	}
	return nil
}

// apiRoot accepts an instance address with or without /api/v4 and trailing
// slash, like the provider's base_url.
func apiRoot(base string) string {
	base = strings.TrimRight(base, "/")
	if !strings.HasSuffix(base, "/api/v4") {
		base += "/api/v4"
	}
	return base + "/"
}

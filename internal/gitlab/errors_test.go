package gitlab

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func asError(err error, target **Error) bool { return errors.As(err, target) }

// calls lists one call of each kind the error mapping depends on.
var calls = map[string]func(context.Context, *Client) error{
	"GET settings": func(ctx context.Context, c *Client) error {
		_, err := c.GetSettings(ctx, "g/p")
		return err
	},
	"PUT settings": func(ctx context.Context, c *Client) error {
		_, err := c.PutSettings(ctx, "g/p", true, true)
		return err
	},
	"PATCH settings": func(ctx context.Context, c *Client) error {
		_, err := c.PatchSettings(ctx, "g/p", false, nil)
		return err
	},
	"GET keys": func(ctx context.Context, c *Client) error {
		_, err := c.ListClientKeys(ctx, "g/p")
		return err
	},
	"DELETE key": func(ctx context.Context, c *Client) error {
		return c.DeleteClientKey(ctx, "g/p", 7)
	},
	"GET user": func(ctx context.Context, c *Client) error {
		return c.CurrentUser(ctx)
	},
	"GET project": func(ctx context.Context, c *Client) error {
		_, err := c.Project(ctx, "g/p")
		return err
	},
	"GET group projects": func(ctx context.Context, c *Client) error {
		for _, err := range c.GroupProjects(ctx, "g", GroupProjectsQuery{}) {
			return err
		}
		return nil
	},
}

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, call           string
		status               int
		body                 string
		wantKind             Kind
		wantInMsg, wantInErr string // in Message, in Error()
	}{
		{"401", "GET settings", 401, `{"message":"401 Unauthorized"}`, KindUnauthorized, "401 Unauthorized",
			`read the error tracking settings of project "g/p" (GET projects/g%2Fp/error_tracking/settings): 401 Unauthorized`},
		{"403 role", "PATCH settings", 403, `{"message":"403 Forbidden"}`, KindForbidden, "403 Forbidden", "): 403 Forbidden"},
		{"403 scope", "PUT settings", 403,
			`{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}`,
			KindInsufficientScope, "insufficient_scope: The request requires higher privileges than provided by the access token. (required scope: api)", "403 Forbidden: insufficient_scope"},
		{"project not found", "GET keys", 404, `{"message":"404 Project Not Found"}`, KindProjectNotFound, "404 Project Not Found",
			`list the client keys of project "g/p"`},
		{"project not found on delete", "DELETE key", 404, `{"message":"404 Project Not Found"}`, KindProjectNotFound, "404 Project Not Found", ""},
		{"project not found on project", "GET project", 404, `{"message":"404 Project Not Found"}`, KindProjectNotFound, "404 Project Not Found", `read project "g/p"`},
		{"group not found", "GET group projects", 404, `{"message":"404 Group Not Found"}`, KindGroupNotFound, "404 Group Not Found",
			`list the projects of group "g" (GET groups/g/projects): 404 Not Found`},
		{"settings not found", "GET settings", 404, `{"message":"404 Error Tracking Setting Not Found"}`, KindSettingsNotFound, "404 Error Tracking Setting Not Found", ""},
		{"settings not found on patch", "PATCH settings", 404, `{"message":"404 Error Tracking Setting Not Found"}`, KindSettingsNotFound, "", ""},
		{"feature flag off", "PUT settings", 404, `{"message":"404 Not Found"}`, KindFeatureUnavailable, "404 Not Found", ""},
		{"PUT route missing", "PUT settings", 404, `{"error":"404 Not Found"}`, KindFeatureUnavailable, "404 Not Found", ""},
		{"bare 404 on patch", "PATCH settings", 404, `{"error":"404 Not Found"}`, KindOther, "404 Not Found", ""},
		{"key not found", "DELETE key", 404, `{"message":"404 Not found"}`, KindKeyNotFound, "404 Not found",
			`delete client key 7 of project "g/p" (DELETE projects/g%2Fp/error_tracking/client_keys/7): 404 Not Found`},
		{"bad request", "PUT settings", 400, `{"error":"active is missing, integrated is invalid"}`, KindBadRequest, "active is missing, integrated is invalid", "400 Bad Request"},
		{"validation object", "PATCH settings", 400, `{"message":{"active":["is invalid"]}}`, KindBadRequest, "active is invalid", ""},
		{"rate limited", "GET user", 429, "Retry later\n", KindRateLimited, "Retry later", "429 Too Many Requests: Retry later"},
		{"server error", "GET project", 500, `{"message":"500 Internal Server Error"}`, KindServerError, "500 Internal Server Error", "500 Internal Server Error"},
		{"proxy page", "GET keys", 502, "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n</body>\n</html>\n", KindProxyError,
			"<html> <head><title>502 Bad Gateway</title></head> <body> </body> </html>", "502 Bad Gateway: <html> <head>"},
		{"token echoed", "GET settings", 500, `{"message":"bad header PRIVATE-TOKEN: ` + testToken + `"}`, KindServerError, "bad header PRIVATE-TOKEN: ***", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(tt.body, "{") {
					w.Header().Set("Content-Type", "application/json")
				}
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(srv.Close)
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Retries = 0 })

			err := calls[tt.call](t.Context(), c)
			var e *Error
			if !asError(err, &e) {
				t.Fatalf("want *Error, got %T %v", err, err)
			}
			if e.Kind != tt.wantKind || KindOf(err) != tt.wantKind {
				t.Errorf("Kind = %v, want %v (%v)", e.Kind, tt.wantKind, err)
			}
			if e.StatusCode != tt.status {
				t.Errorf("StatusCode = %d, want %d", e.StatusCode, tt.status)
			}
			if !strings.Contains(e.Message, tt.wantInMsg) {
				t.Errorf("Message = %q, want it to contain %q", e.Message, tt.wantInMsg)
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Errorf("Error() = %q, want it to contain %q", err.Error(), tt.wantInErr)
			}
			if strings.Contains(err.Error(), testToken) || strings.Contains(e.Message, testToken) {
				t.Errorf("the token leaked into the error: %q", err.Error())
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("Error() is not one line: %q", err.Error())
			}
		})
	}
}

// A rejected settings write is answered HTTP 200 with "status":"error"
// (internal/emulator/gitlab-api.md, "Failure inside a successful status").
// Sentry mode without its API URL and token is the refusal users meet.
func TestStatusErrorInSuccessfulAnswer(t *testing.T) {
	t.Parallel()
	const sentry = "Error tracking setting api url is a required field and Error tracking setting token is a required field"
	const other = "Project name is too long"
	bodies := map[string]struct {
		body, msg string
		kind      Kind
	}{
		"plain":       {`{"message":"` + sentry + `","status":"error"}`, sentry, KindSentryNotConfigured},
		"http_status": {`{"message":"` + sentry + `","status":"error","http_status":"forbidden"}`, sentry, KindSentryNotConfigured},
		"other":       {`{"message":"` + other + `","status":"error"}`, other, KindStatusError},
	}
	for _, call := range []string{"PUT settings", "PATCH settings", "GET settings", "GET keys", "GET project"} {
		for name, tt := range bodies {
			t.Run(call+"/"+name, func(t *testing.T) {
				t.Parallel()
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					writeRaw(w, http.StatusOK, tt.body)
				}))
				t.Cleanup(srv.Close)
				err := calls[call](t.Context(), newTestClient(t, srv.URL))
				var e *Error
				if !asError(err, &e) || e.Kind != tt.kind || e.Message != tt.msg || e.StatusCode != 200 {
					t.Fatalf("want %v with GitLab's message, got %#v", tt.kind, err)
				}
				if !strings.Contains(err.Error(), `GitLab answered 200 OK with "status":"error": `+tt.msg) {
					t.Fatalf("Error() = %q", err.Error())
				}
				if mayHaveRun(err) {
					t.Fatalf("mayHaveRun(%v) = true; GitLab refused the request", err)
				}
			})
		}
	}
}

// A web page where the API's JSON should be, or an answer to GET /user
// without a user, means base_url points at something that is not the
// GitLab API; other JSON that lacks what the endpoint promises is only
// unexpected.
func TestUnexpectedSuccessfulAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		call, body string
		want       Kind
	}{
		{"GET settings", "<html><body>Sign in</body></html>", KindNotGitLabAPI},
		{"GET keys", "<html><body>Sign in</body></html>", KindNotGitLabAPI},
		{"GET user", "<html><body>Sign in</body></html>", KindNotGitLabAPI},
		{"GET user", `{"login":"Sign in"}`, KindNotGitLabAPI},
		{"GET settings", `{"login":"Sign in"}`, KindOther},
		{"GET project", `{"login":"Sign in"}`, KindOther},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeRaw(w, http.StatusOK, tt.body)
		}))
		err := calls[tt.call](t.Context(), newTestClient(t, srv.URL))
		srv.Close()
		if KindOf(err) != tt.want || !strings.Contains(err.Error(), "unexpected answer") ||
			!strings.Contains(err.Error(), "Sign in") {
			t.Errorf("%s answered %s: want an unexpected-answer error of kind %v, got %v (%v)", tt.call, tt.body, tt.want, err, KindOf(err))
		}
	}
}

// A 404 for GET /user, which every GitLab has, or a web page for any call
// means base_url is not the GitLab API.
func TestNotTheGitLabAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		call   string
		status int
		body   string
		want   Kind
	}{
		{"GET user", 404, "404 page not found\n", KindNotGitLabAPI},
		{"GET user", 404, `{"error":"404 Not Found"}`, KindNotGitLabAPI},
		{"GET settings", 404, "<!DOCTYPE html>\n<html><title>The page you're looking for could not be found (404)</title></html>", KindNotGitLabAPI},
		{"GET project", 405, "<html>Method Not Allowed</html>", KindNotGitLabAPI},
		{"GET settings", 404, "404 page not found\n", KindOther},
		{"GET user", 401, `{"message":"401 Unauthorized"}`, KindUnauthorized},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeRaw(w, tt.status, tt.body)
		}))
		err := calls[tt.call](t.Context(), newTestClient(t, srv.URL, func(c *Config) { c.Retries = 0 }))
		srv.Close()
		var e *Error
		if !asError(err, &e) {
			t.Fatalf("want *Error, got %T %v", err, err)
		}
		if e.Kind != tt.want || e.URL != srv.URL+"/api/v4/"+e.Path {
			t.Errorf("%s answered %d %q: want %v with the URL tried, got %v (%v, URL %q)", tt.call, tt.status, tt.body, tt.want, err, e.Kind, e.URL)
		}
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"status", &Error{Op: "do it", Method: "GET", Path: "p", StatusCode: 404, Message: "404 Project Not Found", Attempts: 1},
			"do it (GET p): 404 Not Found: 404 Project Not Found"},
		{"message repeats the status", &Error{Op: "do it", Method: "GET", Path: "p", StatusCode: 404, Message: "404 Not found", Attempts: 1},
			"do it (GET p): 404 Not Found"},
		{"no op", &Error{Method: "GET", Path: "p", StatusCode: 500, Attempts: 1}, "GET p: 500 Internal Server Error"},
		{"gave up", &Error{Op: "do it", Method: "GET", Path: "p", StatusCode: 502, Message: "<html>", Attempts: 11},
			"do it (GET p): gave up after 11 attempts; last answer: 502 Bad Gateway: <html>"},
		{"transport", &Error{Op: "do it", Method: "GET", Path: "p", Message: "EOF", Attempts: 3},
			"do it (GET p): gave up after 3 attempts; last error: EOF"},
		{"canceled while waiting to retry", &Error{Op: "do it", Method: "GET", Path: "p", Message: "context canceled", Attempts: 2, Err: context.Canceled},
			"do it (GET p): interrupted while waiting to send the request again, after 2 attempt(s)"},
		{"canceled in flight", &Error{Op: "do it", Method: "POST", Path: "p", Message: "context canceled", Attempts: 1, Err: context.Canceled, interruptedInFlight: true},
			"do it (POST p): interrupted after the request was sent (attempt 1), before GitLab answered"},
		{"canceled before sending", &Error{Op: "do it", Method: "POST", Path: "p", Message: "context canceled", Err: context.Canceled},
			"do it (POST p): interrupted before the request was sent"},
		{"status error", &Error{Kind: KindStatusError, Op: "do it", Method: "PUT", Path: "p", StatusCode: 200, Message: "no", Attempts: 1},
			`do it (PUT p): GitLab answered 200 OK with "status":"error": no`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func writeRaw(w http.ResponseWriter, status int, body string) {
	if strings.HasPrefix(body, "{") || strings.HasPrefix(body, "[") {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

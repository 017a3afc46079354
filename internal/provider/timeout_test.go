package provider_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// A GitLab that accepts connections and never answers: every command ends,
// after 3 attempts of request_timeout each, whatever retries says, with a
// diagnostic that names the URL, the attempts and request_timeout. The
// attempts are counted at the listener; request_timeout is tiny.
func TestAccRequestTimeout_silentGitLab(t *testing.T) {
	for name, tc := range map[string]struct {
		attrs string
		want  []string
	}{
		"token check": {
			attrs: "retries = 10\nrequest_timeout = \"100ms\"",
			want: []string{"GitLab did not answer within request_timeout", "Could not check the token", "/api/v4/user",
				"gave up after 3 attempts", "no answer within request_timeout (100ms)", "tried at most 3 times, however high `retries` is"},
		},
		"data source": {
			attrs: "retries = 10\nrequest_timeout = \"100ms\"\nearly_auth_check = false",
			want: []string{"GitLab did not answer within request_timeout", `project "acme/app"`, "/api/v4/projects/acme%2Fapp/error_tracking/settings",
				"gave up after 3 attempts", "no answer within request_timeout (100ms)", "raise `request_timeout`"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			env := acctest.New(t)
			gl := silentGitLab(t)
			accTest(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config: env.Config(`data "gitlab_error_tracking_settings" "this" { project = "acme/app" }`,
						acctest.BaseURL(gl.URL()), acctest.ProviderAttrs(tc.attrs)),
					ExpectError: acctest.ErrorLike(tc.want...),
				}},
			})
			if n := gl.Accepted(); n != 3 {
				t.Errorf("%d attempts; want 3", n)
			}
		})
	}
}

// The refresh of a plan or a destroy against a GitLab that stopped
// answering ends too.
func TestAccRequestTimeout_refreshEnds(t *testing.T) {
	env := acctest.New(t)
	env.AddProject("acme/app")
	gl := silentGitLab(t)
	config := settingsConfig("acme/app", true, "")
	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.Config(config)},
			{
				Config: env.Config(config, acctest.BaseURL(gl.URL()),
					acctest.ProviderAttrs("request_timeout = \"100ms\"\nearly_auth_check = false")),
				ExpectError: acctest.ErrorLike("GitLab did not answer within request_timeout", `project "acme/app"`,
					"gave up after 3 attempts", "no answer within request_timeout (100ms)"),
			},
			// GitLab answers again: the test's own destroy reaches it.
			{Config: env.Config(config), PlanOnly: true},
		},
	})
	if n := gl.Accepted(); n != 3 {
		t.Errorf("%d attempts; want 3", n)
	}
}

// An answer whose body stops halfway, as on a connection that a NAT
// dropped: the attempt ends after request_timeout and is tried again, at
// most 3 times.
func TestAccRequestTimeout_stalledBody(t *testing.T) {
	var stalled atomic.Int32
	released := make(chan struct{})
	env := acctest.NewServed(t, acctest.ServeOptions{Front: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/error_tracking/settings") {
				next.ServeHTTP(w, r)
				return
			}
			stalled.Add(1)
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body[:len(body)/2])
			_ = http.NewResponseController(w).Flush()
			select { // the rest never comes
			case <-r.Context().Done():
			case <-released:
			}
		})
	}})
	t.Cleanup(func() { close(released) }) // before the server closes
	id := env.AddProject("acme/app")
	env.Server.SetSettings(id, emulator.Settings{Active: true, Integrated: true})

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.Config(`data "gitlab_error_tracking_settings" "this" { project = "acme/app" }`,
				acctest.ProviderAttrs("request_timeout = \"200ms\"")),
			ExpectError: acctest.ErrorLike("GitLab did not answer within request_timeout", `project "acme/app"`,
				"gave up after 3 attempts", "the answer stopped halfway and nothing more came within request_timeout (200ms)"),
		}},
	})
	if n := stalled.Load(); n != 3 {
		t.Errorf("%d attempts; want 3", n)
	}
}

// A request_timeout that is not a positive duration is refused before any
// request, on the attribute, with the value and the fix.
func TestAccRequestTimeout_invalid(t *testing.T) {
	env := acctest.New(t)
	var steps []resource.TestStep
	for _, tc := range []struct{ value, why string }{
		{"soon", "is not a duration"},
		{"60", "is not a duration"},
		{"0s", "is not positive"},
		{"-5s", "is not positive"},
	} {
		steps = append(steps, resource.TestStep{
			Config: env.Config(`data "gitlab_error_tracking_settings" "this" { project = "acme/app" }`,
				acctest.ProviderAttrs("request_timeout = "+strconv.Quote(tc.value))),
			ExpectError: acctest.ErrorLike("Invalid request_timeout", "`request_timeout` = "+strconv.Quote(tc.value)+" "+tc.why,
				"Write a positive duration with its unit, such as \"60s\""),
		})
	}
	accTest(t, resource.TestCase{Steps: steps})
	if n := len(env.Server.Requests()); n != 0 {
		t.Errorf("GitLab got %d requests; want none", n)
	}
}

// silentGitLab is a GitLab that never answers, for t. Should a provider
// wait for it for ever, it is closed after a few minutes, so that the test
// fails on its attempts and diagnostic rather than hang.
func silentGitLab(t *testing.T) *emulator.Silent {
	t.Helper()
	gl, err := emulator.NewSilent()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-time.After(3 * time.Minute):
			gl.Close()
		}
	}()
	t.Cleanup(func() { close(done); gl.Close() })
	return gl
}

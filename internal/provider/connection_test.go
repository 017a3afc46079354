package provider_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
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
	"github.com/errortracking/terraform-provider-gitlab/internal/tfcli"
)

// The mistakes of a first contact with GitLab fail at once, on the first
// attempt where another one cannot help, and say what happened. Attempts are
// counted, not timed.

// A token read from a file brings its line end along; it is trimmed, and
// GitLab gets the token alone.
func TestAccFirstContact_tokenWithLineEndIsTrimmed(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/app")

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// token = file("token.txt"): the settings are applied.
			{
				Config: env.Config(settingsConfig("acme/app", true, ""), acctest.Token(env.Token+"\n")),
				Check:  wantSettings(env, id, true, true),
			},
		},
	})
}

// The same from GITLAB_TOKEN, set from a file with CRLF line ends.
func TestAccFirstContact_tokenFromEnvironmentWithCRLFIsTrimmed(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/app")
	t.Setenv("GITLAB_TOKEN", env.Token+"\r\n")

	accTestSerial(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: env.Config(settingsConfig("acme/app", true, ""), acctest.TokenFromEnvironment()),
				Check:  wantSettings(env, id, true, true),
			},
		},
	})
}

// White space inside a token cannot be trimmed: the token is refused before
// any request, naming where it came from.
func TestAccFirstContact_tokenWithSpaceInsideIsRefused(t *testing.T) {
	env := acctest.New(t)
	env.AddProject("acme/app")

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: env.Config(settingsConfig("acme/app", true, ""), acctest.Token("glpat-first second")),
				ExpectError: acctest.ErrorLike("Invalid GitLab token", "the `token` attribute", "has a space at character 12 of 18",
					"Set the `token` attribute to the token alone"),
			},
		},
	})
	if n := len(env.Server.Requests()); n != 0 {
		t.Errorf("the token should have been refused before any request, but GitLab got %d", n)
	}
}

// Nothing listens at base_url: the connection is tried 3 times, not
// 1 + retries, and the diagnostic names the address and the attempts. At
// start-up and, without the token check, in a data source.
func TestAccFirstContact_closedPortIsTriedThreeTimes(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	for name, tc := range map[string]struct {
		attrs string
		want  []string
	}{
		"token check": {
			attrs: "retries = 10",
			want: []string{"Cannot reach GitLab", "base_url", "Could not check the token", "http://" + addr + "/api/v4/user",
				"gave up after 3 attempts", "dial tcp " + addr, "connection refused", "tried at most 3 times, however high `retries` is"},
		},
		"data source": {
			attrs: "retries = 10\nearly_auth_check = false",
			want: []string{"Cannot reach GitLab", `project "acme/app"`, "gave up after 3 attempts", "dial tcp " + addr,
				"connection refused", "Check `base_url`"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			env := acctest.New(t)
			accTest(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config: env.Config(`data "gitlab_error_tracking_settings" "this" { project = "acme/app" }`,
						acctest.BaseURL("http://"+addr), acctest.ProviderAttrs(tc.attrs)),
					ExpectError: acctest.ErrorLike(tc.want...),
				}},
			})
		})
	}
}

// https:// against GitLab served over plain HTTP: one connection, and the
// diagnostic says to use http://.
func TestAccFirstContact_httpsToPlainHTTPFailsAtOnce(t *testing.T) {
	env := acctest.New(t)
	env.AddProject("acme/app")
	var conns atomic.Int32
	plain := httptest.NewUnstartedServer(env.Server)
	plain.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	plain.Config.ErrorLog = log.New(io.Discard, "", 0)
	plain.Start()
	t.Cleanup(plain.Close)
	https := strings.Replace(plain.URL, "http://", "https://", 1)

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.Config(settingsConfig("acme/app", true, ""), acctest.BaseURL(https), acctest.ProviderAttrs("retries = 10")),
			ExpectError: acctest.ErrorLike("The server at base_url speaks plain HTTP", "base_url", https+"/api/v4/user",
				"server gave HTTP response to HTTPS client", "this server speaks plain HTTP; use http://"),
		}},
	})
	if n := conns.Load(); n != 1 {
		t.Errorf("the provider connected %d times; want 1: the same answer comes on every attempt", n)
	}
}

// https:// against a server of another protocol (here an SSH server's
// banner): one connection, and the diagnostic suggests http:// too.
func TestAccFirstContact_httpsToANonTLSServerFailsAtOnce(t *testing.T) {
	ssh, err := emulator.NewGreeting("SSH-2.0-OpenSSH_9.6\r\n")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ssh.Close)
	env := acctest.New(t)
	https := "https://" + ssh.Addr()

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.Config(settingsConfig("acme/app", true, ""), acctest.BaseURL(https), acctest.ProviderAttrs("retries = 10")),
			ExpectError: acctest.ErrorLike("The server at base_url does not speak TLS", "base_url", https+"/api/v4/user",
				"first record does not look like a TLS handshake", "use http://", "GitLab's HTTPS port"),
		}},
	})
	if n := ssh.Accepted(); n != 1 {
		t.Errorf("the provider connected %d times; want 1: the same answer comes on every attempt", n)
	}
}

// base_url that is not the GitLab API: a path below which no GitLab lives
// (404 for /user), or a web page where the API's JSON should be. The title
// does not say "Cannot reach GitLab": an answer came.
func TestAccFirstContact_baseURLThatIsNotTheAPI(t *testing.T) {
	signIn := acctest.NewServed(t, acctest.ServeOptions{Front: func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<!DOCTYPE html>\n<html><body><h1>Sign in</h1></body></html>\n")
		})
	}})

	withoutGitLab := acctest.New(t)
	for name, tc := range map[string]struct {
		env  *acctest.Env
		opt  acctest.ProviderOption
		want []string
	}{
		"a path without GitLab": {
			env: withoutGitLab,
			opt: acctest.BaseURL(withoutGitLab.Instance + "/gitlab"),
			want: []string{"base_url does not point at the GitLab API", "base_url", "INSTANCE/gitlab/api/v4/user", "404 Not Found",
				"INSTANCE/gitlab/api/v4/user, is not GitLab's API", "`base_url` is the instance root", "ends in /api/v4"},
		},
		"a sign-in page": {
			env: signIn,
			opt: acctest.ProviderAttrs("early_auth_check = false"),
			want: []string{"base_url does not point at the GitLab API", `project "acme/app"`, "200 OK", "Sign in",
				"INSTANCE/api/v4/projects/acme%2Fapp/error_tracking/settings, is not GitLab's API", "`base_url` is the instance root"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			tc.env.AddProject("acme/app")
			want := make([]string, len(tc.want))
			for i, w := range tc.want {
				want[i] = strings.ReplaceAll(w, "INSTANCE", tc.env.Instance)
			}
			accTest(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config:      tc.env.Config(`data "gitlab_error_tracking_settings" "this" { project = "acme/app" }`, tc.opt),
					ExpectError: acctest.ErrorLike(want...),
				}},
			})
		})
	}
}

// Why every example has a provider block: without one, a configuration
// that fails (here a revoked token) gets Terraform's "requires explicit
// configuration" error too, which is not the problem; with an empty one,
// only the provider's own error.
func TestAccFirstContact_emptyProviderBlockKeepsTheErrorAlone(t *testing.T) {
	env := acctest.New(t)
	env.AddProject("acme/app")
	d := newCLIDir(t, env)
	const body = `
terraform {
  required_providers {
    gitlab = {
      source = "` + acctest.ProviderSource + `"
    }
  }
}

data "gitlab_error_tracking_settings" "this" {
  project = "acme/app"
}
`
	plan := func() string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		res, err := d.cli.Run(ctx, tfcli.Options{Dir: d.dir, Env: []string{"GITLAB_TOKEN=glpat-revoked"}}, "plan", "-no-color")
		if err != nil || res.Code == 0 {
			t.Fatalf("plan with a revoked token: exit %d, %v; want a failure\n%s", res.Code, err, res.Output)
		}
		return strings.Join(strings.Fields(res.Output), " ") // Terraform wraps lines
	}
	d.write("main.tf", body)
	if out := plan(); !strings.Contains(out, "GitLab rejected the token") || !strings.Contains(out, "requires explicit configuration") {
		t.Errorf("without a provider block: want the token error and Terraform's, got\n%s", out)
	}
	d.write("main.tf", body+"\nprovider \"gitlab\" {}\n")
	if out := plan(); !strings.Contains(out, "GitLab rejected the token") || strings.Contains(out, "requires explicit configuration") {
		t.Errorf("with an empty provider block: want the token error alone, got\n%s", out)
	}
}

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

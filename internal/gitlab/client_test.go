package gitlab

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestProjectIsResolvedOncePerProject(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	var paths sync.Map
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		paths.Store(r.URL.EscapedPath(), true)
		<-release
		if r.URL.EscapedPath() == "/api/v4/projects/missing" {
			writeRaw(w, 404, `{"message":"404 Project Not Found"}`)
			return
		}
		writeRaw(w, 200, `{"id":5,"path_with_namespace":"g/sub.group/p"}`)
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL)

	var started, wg sync.WaitGroup
	for range 10 {
		started.Add(1)
		wg.Go(func() {
			started.Done()
			p, err := c.Project(t.Context(), "g/sub.group/p")
			if err != nil || p.ID != 5 || p.PathWithNamespace != "g/sub.group/p" {
				t.Errorf("Project = %+v, %v", p, err)
			}
		})
	}
	started.Wait()
	close(release)
	wg.Wait()
	if _, ok := paths.Load("/api/v4/projects/g%2Fsub%2Egroup%2Fp"); !ok || requests.Load() != 1 {
		t.Fatalf("%d requests to %v; want one to the escaped path", requests.Load(), keysOfMap(&paths))
	}

	// The ID names the same project: no request.
	if p, err := c.Project(t.Context(), "5"); err != nil || p.ID != 5 || requests.Load() != 1 {
		t.Fatalf("Project(5) = %+v, %v after %d requests", p, err, requests.Load())
	}

	// Failures are not cached.
	for i := range 2 {
		if _, err := c.Project(t.Context(), "missing"); KindOf(err) != KindProjectNotFound {
			t.Fatalf("want KindProjectNotFound, got %v", err)
		}
		if got := requests.Load(); got != int32(2+i) {
			t.Fatalf("%d requests, want %d", got, 2+i)
		}
	}
}

func keysOfMap(m *sync.Map) []string {
	var out []string
	m.Range(func(k, _ any) bool { out = append(out, str(k)); return true })
	return out
}

func TestLoggingMasksTheToken(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	srv, _ := sequence(t,
		status(502, "<html>upstream rejected PRIVATE-TOKEN "+testToken+"</html>"),
		status(200, `{"active":true,"integrated":false,"project_name":"`+testToken+`","sentry_external_url":null,"api_url":null}`),
	)
	c, err := New(ctx, Config{Token: testToken, BaseURL: srv.URL, Retries: 2, RetryWaitMin: 1, RetryWaitMax: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSettings(ctx, "g/p"); err != nil {
		t.Fatal(err)
	}

	out := buf.String()
	if strings.Contains(out, testToken) {
		t.Fatalf("the token is in the log:\n%s", out)
	}
	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var requests, responses, bodies, retryLines int
	for _, e := range entries {
		switch msg := e["@message"]; {
		case msg == "GitLab API request":
			requests++
			if e["method"] != "GET" || !strings.HasSuffix(str(e["url"]), "/api/v4/projects/g%2Fp/error_tracking/settings") || e["attempt"] == nil {
				t.Errorf("request entry lacks fields: %v", e)
			}
		case msg == "GitLab API response":
			responses++
			if e["status"] == nil || e["duration_ms"] == nil || e["attempt"] == nil || e["@level"] != "debug" {
				t.Errorf("response entry lacks fields: %v", e)
			}
		case msg == "GitLab API response body":
			bodies++
			if e["@level"] != "trace" || !strings.Contains(str(e["body"]), "***") {
				t.Errorf("body entry not masked or not at trace: %v", e)
			}
		case strings.HasPrefix(str(msg), "GitLab HTTP client: "):
			retryLines++
		}
	}
	if requests != 2 || responses != 2 || bodies != 2 || retryLines == 0 {
		t.Fatalf("requests %d, responses %d, bodies %d, client lines %d; want 2, 2, 2, >0:\n%s",
			requests, responses, bodies, retryLines, out)
	}
}

func TestLoggingMasksDSNsAndPublicKeys(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	const dsn = "https://glet_0ff98b1d849c083f76d0bc545ed053a3@observe.gitlab.com:443/errortracking/api/v1/projects/5"
	srv, _ := sequence(t,
		status(200, `[{"id":3,"active":true,"public_key":"glet_0ff98b1d849c083f76d0bc545ed053a3","sentry_dsn":"`+dsn+`"}]`),
	)
	c, err := New(ctx, Config{Token: testToken, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := c.ListClientKeys(ctx, "g/p")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0].SentryDSN != dsn {
		t.Fatalf("keys %+v, want the one key with its DSN", keys)
	}
	out := buf.String()
	if !strings.Contains(out, "GitLab API response body") || !strings.Contains(out, `\"id\":3`) {
		t.Fatalf("the answer body is not in the trace log:\n%s", out)
	}
	// The public key is the DSN's secret part.
	if n := strings.Count(out, "glet_0ff98b1d849c083f76d0bc545ed053a3"); n > 0 {
		t.Fatalf("the DSN or the public key is in the log %d times", n)
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func TestNumericID(t *testing.T) {
	t.Parallel()
	for ref, want := range map[string]int64{"42": 42, "7": 7, "9223372036854775807": 9223372036854775807} {
		if got, ok := NumericID(ref); !ok || got != want {
			t.Errorf("NumericID(%q) = %d, %v; want %d, true", ref, got, ok, want)
		}
	}
	// Paths, and numbers GitLab would not read as an :id of digits only.
	for _, ref := range []string{"", "acme/web", "acme", "042", "0", "+5", "-5", "4 2", "42a", "99999999999999999999"} {
		if got, ok := NumericID(ref); ok {
			t.Errorf("NumericID(%q) = %d, true; want false", ref, got)
		}
	}
}

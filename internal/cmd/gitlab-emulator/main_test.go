package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// start runs the command until the test ends and returns its base URL.
func start(t *testing.T, args ...string) (baseURL string, stdout *bytes.Buffer) {
	t.Helper()
	baseURL, stdout, _ = startWithStderr(t, args...)
	return baseURL, stdout
}

// startWithStderr is start that also returns what the command printed on
// standard error until it was listening.
func startWithStderr(t *testing.T, args ...string) (baseURL string, stdout, stderr *bytes.Buffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, stdout, stderr, func(u string) { ready <- u }) }()
	select {
	case baseURL = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return baseURL, stdout, stderr
}

// do sends a request and returns the answer's status and body. A token is
// sent as PRIVATE-TOKEN, a body as the request's body.
func do(t *testing.T, client *http.Client, method, url, token, body string) (int, string) {
	t.Helper()
	hr, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		hr.Header.Set("PRIVATE-TOKEN", token)
	}
	resp, err := client.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func TestServeSeededProjects(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "url")
	base, stdout := start(t, "-seed", "group/app, group/api,group/app", "-addr-file", addrFile)

	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/api/v4/") {
		t.Errorf("base URL %q", base)
	}
	if got, want := stdout.String(), "GITLAB_BASE_URL="+base+" GITLAB_TOKEN=glpat-emulator-root-token\n"; got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
	if data, err := os.ReadFile(addrFile); err != nil || string(data) != base+"\n" {
		t.Errorf("addr file %q, %v", data, err)
	}

	c := http.DefaultClient
	if status, body := do(t, c, "GET", base+"user", "glpat-emulator-root-token", ""); status != 200 || !strings.Contains(body, `"is_admin":true`) {
		t.Errorf("GET /user: %d %s", status, body)
	}
	if status, _ := do(t, c, "GET", base+"user", "wrong", ""); status != 401 {
		t.Errorf("bad token: %d", status)
	}
	if status, body := do(t, c, "GET", base+"projects/group%2Fapi", "glpat-emulator-root-token", ""); status != 200 || !strings.Contains(body, `"id":2`) {
		t.Errorf("seeded project: %d %s", status, body)
	}
	// The integrated flag is on by default, so PUT works and creates a key.
	if status, body := do(t, c, "PUT", base+"projects/1/error_tracking/settings?active=true&integrated=true", "glpat-emulator-root-token", ""); status != 200 {
		t.Errorf("PUT settings: %d %s", status, body)
	}
	if status, body := do(t, c, "GET", base+"projects/group%2Fapp/error_tracking/client_keys", "glpat-emulator-root-token", ""); status != 200 || !strings.Contains(body, `"id":1`) {
		t.Errorf("keys: %d %s", status, body)
	}
	// The admin routes are served next to the API.
	root := strings.TrimSuffix(base, "/api/v4/")
	if status, body := do(t, c, "GET", root+"/-/emulator/requests", "", ""); status != 200 || !strings.Contains(body, `"count":5`) {
		t.Errorf("admin requests: %d %s", status, body)
	}
}

func TestServeFlagOffAndCustomToken(t *testing.T) {
	base, _ := start(t, "-seed", "g/p", "-integrated-flag=false", "-token", "custom")
	status, body := do(t, http.DefaultClient, "PUT", base+"projects/1/error_tracking/settings?active=true&integrated=true", "custom", "")
	if status != 404 || body != `{"message":"404 Not Found"}` {
		t.Errorf("PUT with the flag off: %d %s", status, body)
	}
}

func TestServeTLS(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pki")
	base, _ := start(t, "-tls-dir", dir)
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("base URL %q", base)
	}
	pool := x509.NewCertPool()
	ca, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil || !pool.AppendCertsFromPEM(ca) {
		t.Fatalf("CA: %v", err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	if status, _ := do(t, client, "GET", base+"user", "glpat-emulator-root-token", ""); status != 200 {
		t.Errorf("GET /user over TLS: %d", status)
	}
}

func TestBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"-no-such-flag"},
		{"-seed", "a//b"},
		{"stray"},
		{"-listen", "256.0.0.1:0"},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard, nil)
		if err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

// TestPrintsHowToDriveIt runs the commands the emulator prints, with BASE
// as it defines it, and sees them change its world.
func TestPrintsHowToDriveIt(t *testing.T) {
	base, _, stderr := startWithStderr(t, "-seed", "demo/web-app,demo/api")
	root := strings.TrimSuffix(base, "/api/v4/")
	guide := stderr.String()
	for _, want := range []string{
		"export GITLAB_BASE_URL=" + base + " GITLAB_TOKEN=glpat-emulator-root-token\n",
		"  BASE=" + root + "\n",
		`  curl -X PUT $BASE/-/emulator/projects/demo%2Fweb-app/settings -d '{"active":false}'` + "\n",
		"  curl -X POST $BASE/-/emulator/projects/demo%2Fweb-app/keys\n",
		"  curl $BASE/-/emulator/requests\n",
	} {
		if !strings.Contains(guide, want) {
			t.Errorf("guide lacks %q:\n%s", want, guide)
		}
	}
	// The printed commands work against the printed BASE.
	c := http.DefaultClient
	if status, body := do(t, c, "POST", root+"/-/emulator/projects/demo%2Fweb-app/keys", "", ""); status != 201 {
		t.Errorf("printed keys route: %d %s", status, body)
	}
	if status, body := do(t, c, "PUT", root+"/-/emulator/projects/demo%2Fweb-app/settings", "", `{"active":false}`); status != 200 {
		t.Errorf("printed settings route: %d %s", status, body)
	}
	if status, body := do(t, c, "GET", base+"projects/demo%2Fweb-app/error_tracking/settings", "glpat-emulator-root-token", ""); status != 200 || !strings.Contains(body, `"active":false`) {
		t.Errorf("settings after the printed command: %d %s", status, body)
	}

	// Without seeded projects it shows how to create one; with TLS, the CA.
	_, _, stderr = startWithStderr(t, "-tls-dir", filepath.Join(t.TempDir(), "pki"))
	for _, want := range []string{`-X POST $BASE/-/emulator/projects -d '{"path":"group/app"}'`, "curl --cacert ", "/ca.pem -X PUT $BASE/-/emulator/projects/group%2Fapp/settings"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("guide lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestHelpIsNotAnError(t *testing.T) {
	for _, arg := range []string{"-help", "--help", "-h"} {
		var stderr bytes.Buffer
		if err := run(context.Background(), []string{arg}, io.Discard, &stderr, nil); err != nil {
			t.Errorf("%s: %v", arg, err)
		}
		if !strings.Contains(stderr.String(), "Usage: gitlab-emulator") || !strings.Contains(stderr.String(), "-seed string") {
			t.Errorf("%s printed %q", arg, stderr.String())
		}
	}
}

package gitlab

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

func TestNormalizeBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "https://gitlab.example.com", want: "https://gitlab.example.com/api/v4/"},
		{in: "https://gitlab.example.com/", want: "https://gitlab.example.com/api/v4/"},
		{in: "https://gitlab.example.com/api/v4", want: "https://gitlab.example.com/api/v4/"},
		{in: "https://gitlab.example.com/api/v4/", want: "https://gitlab.example.com/api/v4/"},
		{in: "http://localhost:8080", want: "http://localhost:8080/api/v4/"},
		{in: "https://example.com/gitlab", want: "https://example.com/gitlab/api/v4/"},
		{in: "https://example.com/gitlab/api/v4/", want: "https://example.com/gitlab/api/v4/"},
		{in: "  https://gitlab.com  ", want: "https://gitlab.com/api/v4/"},
		{in: "HTTPS://gitlab.com", want: "https://gitlab.com/api/v4/"},
		{in: "", wantErr: "base URL is empty"},
		{in: "gitlab.example.com", wantErr: `"gitlab.example.com" must start with http:// or https://`},
		{in: "ftp://gitlab.example.com", wantErr: "must start with http:// or https://"},
		{in: "https://", wantErr: "has no host name"},
		{in: "https:///api/v4", wantErr: "has no host name"},
		{in: "https://gitlab.example.com/?a=b", wantErr: "must not have a query or fragment"},
		{in: "https://gitlab.example.com/#top", wantErr: "must not have a query or fragment"},
		{in: "https://user:pw@gitlab.example.com", wantErr: "must not contain credentials"},
		{in: "https://gitlab.example.com/%zz", wantErr: "is not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := NormalizeBaseURL(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("NormalizeBaseURL(%q) = %q, want error containing %q", tt.in, got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "expected the GitLab URL") {
					t.Fatalf("error %q does not contain %q and the expected form", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeBaseURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	writeFile(t, notPEM, []byte("hello"))
	pki := newPKI(t)
	certFile, keyFile, otherKey := pki.ClientCertFile, pki.ClientKeyFile, pki.ServerKeyFile

	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"bad base URL", Config{BaseURL: "gitlab.com"}, `base URL "gitlab.com"`},
		{"missing CA file", Config{CACertFile: filepath.Join(dir, "nope.pem")}, "nope.pem"},
		{"CA file without certificates", Config{CACertFile: notPEM}, `"` + notPEM + `" contains no PEM-encoded certificate`},
		{"cert without key", Config{ClientCert: certFile}, "client_cert and client_key must be set together"},
		{"key without cert", Config{ClientKey: keyFile}, "client_cert and client_key must be set together"},
		{"missing cert file", Config{ClientCert: filepath.Join(dir, "x.pem"), ClientKey: keyFile}, "x.pem"},
		{"mismatched key", Config{ClientCert: certFile, ClientKey: otherKey}, "private key does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(t.Context(), tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New() error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewDefaultsToGitLabCom(t *testing.T) {
	t.Parallel()
	c, err := New(t.Context(), Config{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.rest.BaseURL().String(); got != DefaultBaseURL {
		t.Fatalf("base URL = %q, want %q", got, DefaultBaseURL)
	}
}

func TestHeadersUserAgentAndToken(t *testing.T) {
	t.Parallel()
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		writeJSON(w, http.StatusOK, map[string]any{"id": 1, "username": "root"})
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Token = testToken + "\r\n" // as read from a file with CRLF line ends
		cfg.UserAgent = "terraform-provider-gitlab/test"
		cfg.Headers = map[string]string{"X-Extra": "yes"}
	})
	if err := c.CurrentUser(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got.Get("Private-Token") != testToken || got.Get("X-Extra") != "yes" ||
		got.Get("User-Agent") != "terraform-provider-gitlab/test" {
		t.Fatalf("unexpected request headers: %v", got)
	}
}

func TestTLSOptions(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"id": 1})
	}))
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	writeFile(t, caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))

	t.Run("verification fails without the CA and is not retried", func(t *testing.T) {
		t.Parallel()
		err := newTestClient(t, srv.URL).CurrentUser(t.Context())
		var e *Error
		if !asError(err, &e) || e.Attempts != 1 || e.Kind != KindTLSUntrusted || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("want one failed attempt with an untrusted certificate, got %v (%v)", err, KindOf(err))
		}
	})
	t.Run("CA file", func(t *testing.T) {
		t.Parallel()
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.CACertFile = caFile })
		if err := c.CurrentUser(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("insecure", func(t *testing.T) {
		t.Parallel()
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Insecure = true })
		if err := c.CurrentUser(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestTLSClientCertificate(t *testing.T) {
	t.Parallel()
	pki := newPKI(t)

	var subject string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		subject = r.TLS.PeerCertificates[0].Subject.CommonName
		writeJSON(w, http.StatusOK, map[string]any{"id": 1})
	}))
	srv.TLS = pki.ServerTLSConfig(true)
	srv.StartTLS()
	t.Cleanup(srv.Close)

	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.CACertFile = pki.CACertFile
		cfg.ClientCert, cfg.ClientKey = pki.ClientCertFile, pki.ClientKeyFile
	})
	if err := c.CurrentUser(t.Context()); err != nil {
		t.Fatal(err)
	}
	if want := "gitlab-emulator test client"; subject != want {
		t.Fatalf("server saw client certificate %q, want %q", subject, want)
	}

	without := newTestClient(t, srv.URL, func(cfg *Config) { cfg.CACertFile = pki.CACertFile })
	err := without.CurrentUser(t.Context())
	var e *Error
	if !asError(err, &e) || e.Attempts != 1 || e.Kind != KindTLSRejected {
		t.Fatalf("without a client certificate: want one attempt rejected by the server, got %v (%v)", err, KindOf(err))
	}
}

// newPKI is the emulator's throwaway CA with a server and a client
// certificate, as PEM files.
func newPKI(t *testing.T) *emulator.PKI {
	t.Helper()
	pki, err := emulator.NewTestPKI(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return pki
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCleanToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, wantErr string
	}{
		{in: testToken, want: testToken},
		{in: testToken + "\n", want: testToken},
		{in: testToken + "\r\n", want: testToken},
		{in: "  " + testToken + " \t", want: testToken},
		{in: " \n", want: ""},
		{in: "glpat-abc def", wantErr: "has a space at character 10 of 13"},
		{in: "glpat-abc\ndef\n", wantErr: "has a line break at character 10 of 13"},
		{in: "glpat\tabc", wantErr: "has a tab at character 6 of 9"},
		{in: "glpat\x00abc", wantErr: "has a control character (U+0000) at character 6 of 9"},
		{in: "glpat\u00a0abc", wantErr: "has a space at character 6 of 9"},
	}
	for _, tt := range tests {
		got, err := CleanToken(tt.in)
		switch {
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("CleanToken(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("CleanToken(%q) error = %v; want one containing %q", tt.in, err, tt.wantErr)
		case err != nil && (strings.Contains(err.Error(), "glpat") || strings.Contains(err.Error(), "abc")):
			t.Errorf("CleanToken(%q) error quotes the token: %v", tt.in, err)
		}
	}
	if _, err := New(t.Context(), Config{Token: "glpat-abc def"}); err == nil || strings.Contains(err.Error(), "abc") {
		t.Errorf("New with a token with a space inside: error = %v; want one that does not quote it", err)
	}
}

package gitlab

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/go-cleanhttp"
)

// DefaultBaseURL is the API root used when none is configured.
const DefaultBaseURL = "https://gitlab.com/api/v4/"

// Defaults for Config.RetryWaitMin and Config.RetryWaitMax.
const (
	DefaultRetryWaitMin = 100 * time.Millisecond
	DefaultRetryWaitMax = 10 * time.Second
)

// Config is what the provider block resolves to.
type Config struct {
	Token      string
	BaseURL    string // as configured; normalised by New
	CACertFile string
	Insecure   bool
	ClientCert string // path to a PEM certificate
	ClientKey  string // path to a PEM key
	Headers    map[string]string
	Retries    int    // maximum retries of one idempotent request
	UserAgent  string // e.g. "terraform-provider-gitlab/1.2.3"
	// RequestTimeout is how long one attempt waits for the answer's
	// headers, and then for each further part of its body; zero means
	// DefaultRequestTimeout. It is per attempt, not a deadline on the call.
	RequestTimeout time.Duration

	// Bounds of the exponential backoff between retries; zero means
	// DefaultRetryWaitMin and DefaultRetryWaitMax. Tests make them short.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// ServerWaitMax, when positive, caps the wait GitLab asks for with
	// Retry-After or RateLimit-Reset. Zero, what the provider uses, honours
	// GitLab's word as sent; tests whose emulator throttles with GitLab's
	// Retry-After of at least a second make it short.
	ServerWaitMax time.Duration
}

const apiPath = "/api/v4"

// NormalizeBaseURL turns a configured GitLab URL into the API root client-go
// expects. It accepts the instance URL or the API root, with or without a
// trailing slash and below a path prefix ("https://host/gitlab"), and returns
// the API root ending in "/api/v4/".
func NormalizeBaseURL(raw string) (string, error) {
	const expected = `expected the GitLab URL, such as "https://gitlab.example.com" or "https://gitlab.example.com/api/v4/"`
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("base URL is empty; %s", expected)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("base URL %q is not a valid URL (%v); %s", raw, err, expected)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("base URL %q must start with http:// or https://; %s", raw, expected)
	case u.Host == "":
		return "", fmt.Errorf("base URL %q has no host name; %s", raw, expected)
	case u.User != nil:
		return "", fmt.Errorf("base URL %q must not contain credentials (use token instead); %s", raw, expected)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.HasSuffix(s, "#"):
		return "", fmt.Errorf("base URL %q must not have a query or fragment; %s", raw, expected)
	}
	p := strings.TrimRight(u.EscapedPath(), "/")
	p = strings.TrimSuffix(p, apiPath)
	return u.Scheme + "://" + u.Host + p + apiPath + "/", nil
}

// CleanToken returns the token without the white space around it: GitLab
// tokens never hold white space, and a token read from a file
// (file("token.txt"), a file with CRLF line ends, a variable set from one)
// brings its line end along. A token with white space or a control
// character inside is refused; the error says where, never the token.
func CleanToken(raw string) (string, error) {
	token := strings.TrimSpace(raw)
	for i, r := range []rune(token) {
		var what string
		switch {
		case r == '\n' || r == '\r':
			what = "a line break"
		case r == '\t':
			what = "a tab"
		case unicode.IsSpace(r):
			what = "a space"
		case unicode.IsControl(r):
			what = fmt.Sprintf("a control character (%U)", r)
		default:
			continue
		}
		return "", fmt.Errorf("has %s at character %d of %d; GitLab tokens hold no white space or control characters",
			what, i+1, utf8.RuneCountInString(token))
	}
	return token, nil
}

// ConfigError is a TLS setting of Config that cannot be used, named as the
// provider attribute that holds it, so that the diagnostic can point at it.
type ConfigError struct {
	Setting string // "cacert_file", "client_cert" or "client_key"
	Value   string // the file path as configured
	Err     error
}

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

var errClientPair = errors.New("client_cert and client_key must be set together: a client certificate needs its private key")

// httpClient builds the HTTP client with the TLS options of cfg. Its
// transport is client-go's (cleanhttp's) pooled transport; only TLS differs.
func httpClient(cfg Config) (*http.Client, error) {
	tc, err := tlsConfig(cfg)
	if err != nil {
		return nil, err
	}
	t := cleanhttp.DefaultPooledTransport()
	t.TLSClientConfig = tc
	return &http.Client{Transport: t}, nil
}

func tlsConfig(cfg Config) (*tls.Config, error) {
	tc := &tls.Config{
		MinVersion: tls.VersionTLS12,
		// Opt-in only, for test instances with self-signed certificates.
		InsecureSkipVerify: cfg.Insecure,
	}

	if cfg.CACertFile != "" {
		pem, err := os.ReadFile(cfg.CACertFile)
		if err != nil {
			return nil, &ConfigError{Setting: "cacert_file", Value: cfg.CACertFile,
				Err: fmt.Errorf("reading CA certificate file %q: %w", cfg.CACertFile, err)}
		}
		// Like the official GitLab provider, cacert_file replaces the system
		// roots: the instance is trusted through this CA only.
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &ConfigError{Setting: "cacert_file", Value: cfg.CACertFile,
				Err: fmt.Errorf("CA certificate file %q contains no PEM-encoded certificate", cfg.CACertFile)}
		}
		tc.RootCAs = pool
	}

	switch {
	case cfg.ClientCert == "" && cfg.ClientKey == "":
	case cfg.ClientCert == "":
		return nil, &ConfigError{Setting: "client_key", Value: cfg.ClientKey, Err: errClientPair}
	case cfg.ClientKey == "":
		return nil, &ConfigError{Setting: "client_cert", Value: cfg.ClientCert, Err: errClientPair}
	default:
		pair, err := tls.LoadX509KeyPair(cfg.ClientCert, cfg.ClientKey)
		if err != nil {
			return nil, &ConfigError{Setting: "client_cert", Value: cfg.ClientCert,
				Err: fmt.Errorf("loading client certificate %q with key %q: %w", cfg.ClientCert, cfg.ClientKey, err)}
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	return tc, nil
}

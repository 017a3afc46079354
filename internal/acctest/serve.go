package acctest

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// ServeOptions say how NewServed puts the emulator on the network.
type ServeOptions struct {
	// PKI makes the emulator serve HTTPS with the PKI's server certificate.
	PKI *emulator.PKI
	// RequireClientCert makes the HTTPS server refuse a client that does not
	// present a certificate signed by the PKI's CA.
	RequireClientCert bool
	// Front puts a handler in front of the emulator, such as a proxy that
	// misbehaves; next is the emulator.
	Front func(next http.Handler) http.Handler
}

// NewServed is New with the emulator served as opts say.
func NewServed(t testing.TB, opts ServeOptions) *Env {
	t.Helper()
	srv := emulator.New(emulator.Options{DefaultIntegratedFlag: true})
	var h http.Handler = srv
	if opts.Front != nil {
		h = opts.Front(srv)
	}
	hs := httptest.NewUnstartedServer(h)
	// Refused handshakes are what the TLS tests provoke; the server's log
	// line about each adds nothing to the test's own failure message.
	hs.Config.ErrorLog = log.New(io.Discard, "", 0)
	if opts.PKI != nil {
		hs.TLS = opts.PKI.ServerTLSConfig(opts.RequireClientCert)
		hs.StartTLS()
	} else {
		hs.Start()
	}
	t.Cleanup(hs.Close)
	uid := srv.AddUser("maintainer", false)
	srv.AddToken(uid, MaintainerToken)
	return &Env{
		Server:   srv,
		BaseURL:  hs.URL + "/api/v4/",
		Token:    MaintainerToken,
		UserID:   uid,
		Instance: hs.URL,
	}
}

// NewPKI generates a throwaway CA with server and client certificates in a
// directory removed when t ends.
func NewPKI(t testing.TB) *emulator.PKI {
	t.Helper()
	pki, err := emulator.NewTestPKI(t.TempDir())
	if err != nil {
		t.Fatalf("generating test certificates: %v", err)
	}
	return pki
}

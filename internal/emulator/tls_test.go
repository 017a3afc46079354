package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

func TestTLSWithClientCertificate(t *testing.T) {
	pki, err := NewTestPKI(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{pki.CACertFile, pki.ServerCertFile, pki.ServerKeyFile, pki.ClientCertFile, pki.ClientKeyFile} {
		if _, err := os.Stat(f); err != nil {
			t.Fatal(err)
		}
	}
	srv := New(Options{})
	srv.AddToken(srv.AddUser("root", true), "root-token")
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = pki.ServerTLSConfig(true)
	ts.StartTLS()
	t.Cleanup(ts.Close)

	// A client configured from the PEM files, as a provider would be.
	pool := x509.NewCertPool()
	caPEM, err := os.ReadFile(pki.CACertFile)
	if err != nil || !pool.AppendCertsFromPEM(caPEM) {
		t.Fatalf("CA file: %v", err)
	}
	cert, err := tls.LoadX509KeyPair(pki.ClientCertFile, pki.ClientKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	get := func(cfg *tls.Config, host string) (*http.Response, error) {
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
		defer client.CloseIdleConnections()
		hr, _ := http.NewRequest("GET", "https://"+host+"/api/v4/user", nil)
		hr.Header.Set("PRIVATE-TOKEN", "root-token")
		resp, err := client.Do(hr)
		if err == nil {
			resp.Body.Close()
		}
		return resp, err
	}
	addr := ts.Listener.Addr().String()

	if _, err := get(&tls.Config{RootCAs: pool}, addr); err == nil {
		t.Error("a client without certificate was accepted")
	}
	if srv.ClientCertSeen() {
		t.Error("ClientCertSeen before any client certificate")
	}
	resp, err := get(&tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}}, addr)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("with client certificate: %v %v", resp, err)
	}
	if !srv.ClientCertSeen() {
		t.Error("ClientCertSeen = false after a request with a client certificate")
	}
	// The server certificate names localhost too.
	_, port, _ := net.SplitHostPort(addr)
	if resp, err := get(pki.ClientTLSConfig(true), "localhost:"+port); err != nil || resp.StatusCode != 200 {
		t.Errorf("via localhost: %v %v", resp, err)
	}
	// Without the CA the server is not trusted.
	if _, err := get(&tls.Config{Certificates: []tls.Certificate{cert}}, addr); err == nil {
		t.Error("the test CA is trusted without configuring it")
	}
}

func TestTLSClientCertificateOptional(t *testing.T) {
	pki, err := NewTestPKI(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Options{})
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = pki.ServerTLSConfig(false)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: pki.ClientTLSConfig(false)}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(ts.URL + "/api/v4/user")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || srv.ClientCertSeen() {
		t.Errorf("got %d, ClientCertSeen %v", resp.StatusCode, srv.ClientCertSeen())
	}
}

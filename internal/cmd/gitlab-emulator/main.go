// Command gitlab-emulator serves the in-memory GitLab of internal/emulator,
// for demos and for trying the provider by hand:
//
//	go run ./internal/cmd/gitlab-emulator -seed group/app,group/api -addr-file /tmp/gitlab.url
//
// It prints GITLAB_BASE_URL and GITLAB_TOKEN on one line of standard output,
// and on standard error how to drive it: the instance root as BASE, as the
// README's examples use it, and curl commands for the unauthenticated
// /-/emulator/ routes described in the emulator package. It serves until
// interrupted.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "gitlab-emulator:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done. onListen, if set, gets the base URL once
// the server accepts connections. -help prints the usage and is no error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, onListen func(baseURL string)) error {
	fs := flag.NewFlagSet("gitlab-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	rootToken := fs.String("token", "glpat-emulator-root-token", "personal access token of the root (admin) user")
	seed := fs.String("seed", "", "comma-separated project paths to create, each owned by the root user")
	integratedFlag := fs.Bool("integrated-flag", true, "integrated_error_tracking feature flag of new projects")
	dsnHost := fs.String("dsn-host", emulator.DefaultDSNHost, "host:port used in client key DSNs")
	addrFile := fs.String("addr-file", "", "write the base URL into this file once listening")
	tlsDir := fs.String("tls-dir", "", "serve HTTPS with a generated CA, server and client certificate written into this directory")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // asked for, and printed
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	srv := emulator.New(emulator.Options{DefaultIntegratedFlag: *integratedFlag, DSNHost: *dsnHost})
	rootUser := srv.AddUser("root", true)
	srv.AddToken(rootUser, *rootToken)
	var seeded []string
	for _, path := range strings.Split(*seed, ",") {
		path = strings.TrimSpace(path)
		if path == "" {
			continue
		}
		if _, exists := srv.ProjectByPath(path); exists {
			continue
		}
		id, err := srv.CreateProject(path, *integratedFlag)
		if err != nil {
			return fmt.Errorf("-seed: %w", err)
		}
		srv.SetRole(id, rootUser, emulator.RoleOwner)
		seeded = append(seeded, path)
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	scheme, caFile := "http", ""
	if *tlsDir != "" {
		if err := os.MkdirAll(*tlsDir, 0o755); err != nil {
			_ = ln.Close()
			return err
		}
		pki, err := emulator.NewTestPKI(*tlsDir)
		if err != nil {
			_ = ln.Close()
			return err
		}
		// A plain TLS listener offers no h2, so connections stay HTTP/1.1 and
		// dropped-connection faults close the connection as they do in tests.
		ln = tls.NewListener(ln, pki.ServerTLSConfig(false))
		scheme, caFile = "https", pki.CACertFile
		fmt.Fprintf(stderr, "gitlab-emulator: CA certificate %s, client certificate %s, client key %s\n",
			pki.CACertFile, pki.ClientCertFile, pki.ClientKeyFile)
	}
	root := fmt.Sprintf("%s://%s", scheme, ln.Addr())
	baseURL := root + "/api/v4/"

	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()

	if *addrFile != "" {
		if err := writeFileAtomic(*addrFile, baseURL+"\n"); err != nil {
			_ = hs.Close()
			return err
		}
	}
	fmt.Fprintf(stdout, "GITLAB_BASE_URL=%s GITLAB_TOKEN=%s\n", baseURL, *rootToken)
	printGuide(stderr, root, baseURL, *rootToken, seeded, caFile)
	if onListen != nil {
		onListen(baseURL)
	}

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// writeFileAtomic lets a script that polls for the file never read it half written.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gitlab-emulator-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

const usageText = `Usage: gitlab-emulator [flags]

Serves an in-memory GitLab (the error-tracking part of its REST API) until
interrupted. Prints GITLAB_BASE_URL and GITLAB_TOKEN of its admin user on
standard output, and on standard error how to change its world through the
unauthenticated /-/emulator/ routes (see the internal/emulator package).

Flags:
`

// printGuide says how to use the emulator from another shell: the provider's
// environment, and the admin routes under BASE, the instance root.
func printGuide(w io.Writer, root, baseURL, token string, seeded []string, caFile string) {
	curl := "curl"
	if caFile != "" {
		curl += " --cacert " + caFile
	}
	project := "group%2Fapp"
	var create string
	if len(seeded) > 0 {
		project = url.PathEscape(seeded[0])
	} else {
		create = fmt.Sprintf("  %s -X POST $BASE/-/emulator/projects -d '{\"path\":\"group/app\"}'\n", curl)
	}
	fmt.Fprintf(w, `gitlab-emulator: serving until interrupted. In another shell:
  export GITLAB_BASE_URL=%[1]s GITLAB_TOKEN=%[2]s
Change its world as GitLab's UI would, without a token:
  BASE=%[3]s
%[4]s  %[5]s -X PUT $BASE/-/emulator/projects/%[6]s/settings -d '{"active":false}'
  %[5]s -X POST $BASE/-/emulator/projects/%[6]s/keys
  %[5]s $BASE/-/emulator/requests
Every route: go doc ./internal/emulator
`, baseURL, token, root, create, curl, project)
}

package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
)

// tlsConfig is settings and then a key on acme/app, through the given
// provider attributes. The settings come first, so GitLab adds its own key.
func tlsConfig(env *acctest.Env, providerExtra string) string {
	return env.Config(settingsConfig("acme/app", true, "")+`
resource "gitlab_error_tracking_client_key" "this" {
  project = gitlab_error_tracking_settings.this.project
}
`, acctest.ProviderAttrs(providerExtra))
}

// wantClientCertSeen fails unless the emulator got a request with a client
// certificate.
func wantClientCertSeen(env *acctest.Env) resource.TestCheckFunc {
	return stepCheck(func() error {
		if !env.Server.ClientCertSeen() {
			return fmt.Errorf("no request reached GitLab with a client certificate")
		}
		return nil
	})
}

func TestAccTLS_cacertFileTrustsPrivateCA(t *testing.T) {
	pki := acctest.NewPKI(t)
	env := acctest.NewServed(t, acctest.ServeOptions{PKI: pki})
	id := env.AddProject("acme/app")

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// HTTPS with a certificate from a private CA, trusted through cacert_file.
			{
				Config: tlsConfig(env, fmt.Sprintf("cacert_file = %q", pki.CACertFile)),
				Check:  resource.ComposeAggregateTestCheckFunc(wantSettings(env, id, true, true), wantServerKeys(env, id, 2)),
			},
		},
	})
}

func TestAccTLS_untrustedCertificateFails(t *testing.T) {
	pki := acctest.NewPKI(t)
	other := acctest.NewPKI(t)
	env := acctest.NewServed(t, acctest.ServeOptions{PKI: pki})
	env.AddProject("acme/app")

	for name, tc := range map[string]struct {
		extra string
		want  []string
	}{
		"another CA in cacert_file": {
			extra: fmt.Sprintf("cacert_file = %q", other.CACertFile),
			want: []string{"GitLab's TLS certificate is not trusted", "cacert_file", "certificate signed by unknown authority",
				fmt.Sprintf("the CA in `cacert_file` = %q", other.CACertFile), "Set the provider's `cacert_file` to the PEM file of the CA", "`insecure = true`"},
		},
		"found by a resource, without the early check": {
			extra: fmt.Sprintf("cacert_file = %q\nearly_auth_check = false", other.CACertFile),
			want: []string{"GitLab's TLS certificate is not trusted", `project "acme/app"`, "certificate signed by unknown authority",
				"Set the provider's `cacert_file` to the PEM file of the CA"},
		},
		"the system's CAs": {
			want: []string{"GitLab's TLS certificate is not trusted", "certificate signed by unknown authority",
				"the system's trusted CAs", "Set the provider's `cacert_file` to the PEM file of the CA"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			accTest(t, resource.TestCase{
				Steps: []resource.TestStep{{Config: tlsConfig(env, tc.extra), ExpectError: acctest.ErrorLike(tc.want...)}},
			})
		})
	}
}

func TestAccTLS_insecureSkipsVerification(t *testing.T) {
	env := acctest.NewServed(t, acctest.ServeOptions{PKI: acctest.NewPKI(t)})
	id := env.AddProject("acme/app")

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// A certificate nothing trusts, accepted because insecure = true.
			{
				Config: tlsConfig(env, "insecure = true"),
				Check:  resource.ComposeAggregateTestCheckFunc(wantSettings(env, id, true, true), wantServerKeys(env, id, 2)),
			},
		},
	})
}

func TestAccTLS_clientCertificate(t *testing.T) {
	pki := acctest.NewPKI(t)
	env := acctest.NewServed(t, acctest.ServeOptions{PKI: pki, RequireClientCert: true})
	id := env.AddProject("acme/app")
	ca := fmt.Sprintf("cacert_file = %q\n", pki.CACertFile)

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			// Without client_cert, GitLab (behind mutual TLS) refuses the connection.
			{
				Config: tlsConfig(env, ca),
				ExpectError: acctest.ErrorLike("GitLab refused the TLS connection", "certificate required",
					"requires a client certificate", "Set `client_cert` and `client_key`"),
			},
			// With client_cert and client_key, the certificate is sent and everything applies.
			{
				Config: tlsConfig(env, ca+fmt.Sprintf("client_cert = %q\nclient_key = %q", pki.ClientCertFile, pki.ClientKeyFile)),
				Check: resource.ComposeAggregateTestCheckFunc(
					wantClientCertSeen(env), wantSettings(env, id, true, true), wantServerKeys(env, id, 2),
				),
			},
		},
	})
}

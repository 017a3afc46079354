package provider_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
	"github.com/errortracking/terraform-provider-gitlab/internal/emulator"
)

// The guide whose recipes these tests check.
const deliveryGuide = "../../templates/guides/delivering-dsns-without-state.md.tmpl"

// The guide's recipe end to end, with the CLI as a user runs it: the apply
// writes the DSN that GitLab has for the new key to the file, the state
// holds neither the DSN nor the public key, and a rotation writes the new
// key's DSN before the old key is deleted.
func TestAccDeliverDSN_fileGetsTheDSNAndTheStateNone(t *testing.T) {
	acctest.SkipBelow(t, acctest.EphemeralResources)
	t.Parallel()
	// What backend.env holds at each moment GitLab is asked to delete a
	// key, read in front of the emulator before the delete runs.
	var deletes struct {
		sync.Mutex
		dir       string
		envAtEach []string
	}
	env := acctest.NewServed(t, acctest.ServeOptions{Front: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodDelete {
				deletes.Lock()
				held, _ := os.ReadFile(filepath.Join(deletes.dir, "backend.env"))
				deletes.envAtEach = append(deletes.envAtEach, string(held))
				deletes.Unlock()
			}
			next.ServeHTTP(w, r)
		})
	}})
	id := env.AddProject("acme/web-app")
	d := newCLIDir(t, env)
	deletes.Lock()
	deletes.dir = d.dir
	deletes.Unlock()
	d.write("main.tf", recipe(t, "deliver-dsn"))
	d.write("versions.tf", providerRequirement)

	out := d.run("apply", "-auto-approve", "-input=false", "-no-color")
	first := d.checkDelivered(env, id, out)
	if acctest.Has(t, acctest.EmptyEphemeralPlans) {
		d.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
	}

	env.Server.ResetRequests()
	out = d.run("apply", "-auto-approve", "-input=false", "-no-color", "-var", "rotation=2026-q3")
	second := d.checkDelivered(env, id, out)
	if second.ID == first.ID {
		t.Fatalf("the rotation kept key %d", first.ID)
	}
	if err := createdBeforeDeleted(env)(nil); err != nil {
		t.Error(err)
	}
	deletes.Lock()
	defer deletes.Unlock()
	switch {
	case len(deletes.envAtEach) != 1:
		t.Errorf("the rotation asked GitLab to delete %d keys, want 1 (the old key)", len(deletes.envAtEach))
	case deletes.envAtEach[0] != "SENTRY_DSN="+second.SentryDSN+"\n":
		t.Errorf("the old key was deleted before backend.env held the DSN of the new key %d", second.ID)
	}
	for _, s := range []string{first.SentryDSN, first.PublicKey} {
		if strings.Contains(d.read("terraform.tfstate"), s) {
			t.Error("the state still holds the replaced key's DSN or public key")
		}
	}
}

// checkDelivered checks that GitLab has one key, that the file holds its
// DSN, and that neither the state nor out (what the CLI printed) holds the
// DSN or the public key; it returns the key. Failures never quote either.
func (d *cliDir) checkDelivered(env *acctest.Env, project int64, out string) emulator.Key {
	d.t.Helper()
	keys := env.Server.Keys(project)
	if len(keys) != 1 {
		d.t.Fatalf("GitLab has %d keys, want 1", len(keys))
	}
	k := keys[0]
	if d.read("backend.env") != "SENTRY_DSN="+k.SentryDSN+"\n" {
		d.t.Errorf("backend.env does not hold the DSN of key %d", k.ID)
	}
	d.ownerOnly("backend.env")
	state := d.read("terraform.tfstate")
	if !strings.Contains(state, `"key_id": `+strconv.FormatInt(k.ID, 10)) {
		d.t.Fatalf("the state does not record key %d", k.ID)
	}
	for what, text := range map[string]string{"the state": state, "the CLI's output": out} {
		if strings.Contains(text, k.SentryDSN) || strings.Contains(text, k.PublicKey) {
			d.t.Errorf("%s holds the DSN or the public key of key %d", what, k.ID)
		}
	}
	return k
}

// The guide's recipes are as `terraform fmt` writes them, and the one that
// needs no other provider validates with the example it extends.
func TestAccDeliverDSN_guideRecipes(t *testing.T) {
	acctest.SkipBelow(t, acctest.EphemeralResources)
	t.Parallel()
	d := newCLIDir(t, acctest.New(t))
	if err := os.Mkdir(filepath.Join(d.dir, "recipes"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"kubernetes", "vault", "ci-variable", "schedule"} {
		d.write(filepath.Join("recipes", name+".tf"), guideBlock(t, deliveryGuide, name))
	}
	d.run("fmt", "-check", "-diff", "-no-color", "recipes")

	d.write("main.tf", recipe(t, "deliver-dsn")+"\n"+guideBlock(t, deliveryGuide, "ci-variable"))
	d.write("versions.tf", providerRequirement)
	d.run("validate", "-no-color")
}

package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
)

var publicKeyRE = regexp.MustCompile(`^glet_[0-9a-f]{32}$`)

func decodeKeys(t *testing.T, body string) []keyEntity {
	t.Helper()
	return decodeJSON[[]keyEntity](t, body)
}

func TestClientKeyLifecycle(t *testing.T) {
	w := newWorld(t, Options{DSNHost: "errors.example.test:8443"})
	w.call("GET", keysPath(encodedPath), tokMaintainer).expect(t, 200, `[]`)

	created := w.call("POST", keysPath(encodedPath), tokMaintainer)
	if created.status != 201 {
		t.Fatalf("POST: %d %s", created.status, created.body)
	}
	k := decodeJSON[keyEntity](t, created.body)
	if k.ID != 1 || !k.Active || !publicKeyRE.MatchString(k.PublicKey) {
		t.Errorf("created key %+v", k)
	}
	if want := fmt.Sprintf("https://%s@errors.example.test:8443/errortracking/api/v1/projects/1", k.PublicKey); k.SentryDSN != want {
		t.Errorf("sentry_dsn = %q, want %q", k.SentryDSN, want)
	}
	entity := fmt.Sprintf(`{"id":1,"active":true,"public_key":%q,"sentry_dsn":%q}`, k.PublicKey, k.SentryDSN)
	created.expect(t, 201, entity)

	// Ids come from one sequence shared by all projects.
	other := w.call("POST", keysPath("2"), tokMaintainer)
	second := w.call("POST", keysPath("1"), tokMaintainer)
	if o, s := decodeKeys(t, "["+other.body+"]")[0], decodeKeys(t, "["+second.body+"]")[0]; o.ID != 2 || s.ID != 3 {
		t.Errorf("ids = %d (other project), %d, want 2, 3", o.ID, s.ID)
	}
	if s := decodeKeys(t, "["+second.body+"]")[0]; s.PublicKey == k.PublicKey {
		t.Error("two keys share a public key")
	}

	list := decodeKeys(t, w.call("GET", keysPath("1"), tokMaintainer).body)
	if len(list) != 2 || list[0].ID != 1 || list[1].ID != 3 {
		t.Errorf("list = %+v, want ids 1, 3", list)
	}
	// Deactivated in the UI: listed as inactive.
	w.srv.SetKeyActive(1, false)
	if list := decodeKeys(t, w.call("GET", keysPath("1"), tokMaintainer).body); list[0].Active {
		t.Error("deactivated key listed as active")
	}

	// A key of another project is "not found", and stays.
	w.call("DELETE", keysPath("1")+"/2", tokMaintainer).expect(t, 404, `{"message":"404 Not found"}`)
	w.call("DELETE", keysPath("1")+"/99", tokMaintainer).expect(t, 404, `{"message":"404 Not found"}`)
	// DELETE answers with the deleted key.
	w.call("DELETE", keysPath(encodedPath)+"/1", tokMaintainer).expect(t, 200,
		fmt.Sprintf(`{"id":1,"active":false,"public_key":%q,"sentry_dsn":%q}`, k.PublicKey, k.SentryDSN))
	w.call("DELETE", keysPath("1")+"/1", tokMaintainer).expect(t, 404, `{"message":"404 Not found"}`)
	if keys := w.srv.Keys(w.other); len(keys) != 1 || keys[0].ID != 2 {
		t.Errorf("other project's keys = %+v", keys)
	}
	// :key_id is not a declared parameter: a non-number finds no key.
	w.call("DELETE", keysPath("1")+"/x", tokMaintainer).expect(t, 404, `{"message":"404 Not found"}`)
}

func TestKeySetup(t *testing.T) {
	srv := New(Options{})
	p := srv.AddProject("g/p")
	if k := srv.AddKey(99); k != (Key{}) {
		t.Errorf("AddKey on a missing project = %+v", k)
	}
	a, b := srv.AddKey(p), srv.AddKey(p)
	if a.ID != 1 || b.ID != 2 || a.ProjectID != p || !a.Active {
		t.Errorf("keys %+v %+v", a, b)
	}
	srv.SetKeyActive(a.ID, false)
	srv.RemoveKey(b.ID)
	srv.RemoveKey(b.ID) // already gone: no-op
	if keys := srv.Keys(p); len(keys) != 1 || keys[0].Active {
		t.Errorf("keys = %+v", keys)
	}
	srv.DeleteProject(p)
	if keys := srv.Keys(p); keys != nil {
		t.Errorf("keys of a deleted project = %+v", keys)
	}
	if c := srv.AddKey(srv.AddProject("g/q")); c.ID != 3 {
		t.Errorf("key id after deletions = %d, want 3 (never reused)", c.ID)
	}
}

func TestConcurrentKeyCreation(t *testing.T) {
	w := newIntegratedWorld(t)
	const n = 40
	var wg sync.WaitGroup
	ids := make([]int64, n)
	for i := range n {
		wg.Go(func() {
			// Plain client calls: t.Fatal must not run outside the test goroutine.
			project := []string{"1", "2"}[i%2]
			hr, _ := http.NewRequest("POST", w.ts.URL+keysPath(project), nil)
			hr.Header.Set("PRIVATE-TOKEN", tokMaintainer)
			resp, err := w.ts.Client().Do(hr)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var k keyEntity
			_ = json.NewDecoder(resp.Body).Decode(&k)
			ids[i] = k.ID
		})
	}
	wg.Wait()
	seen := map[int64]bool{}
	for _, id := range ids {
		if id < 1 || id > n || seen[id] {
			t.Fatalf("ids %v are not a permutation of 1..%d", ids, n)
		}
		seen[id] = true
	}
	if got := len(w.srv.Keys(w.project)) + len(w.srv.Keys(w.other)); got != n {
		t.Errorf("%d keys stored, want %d", got, n)
	}
}

// A key printed in a failure message shows its ID and not its public key
// or DSN.
func TestKeyPrintsNoSecret(t *testing.T) {
	srv := New(Options{})
	k := srv.AddKey(srv.AddProject("g/p"))
	for _, printed := range []string{fmt.Sprint(k), fmt.Sprintf("%+v", &k), fmt.Sprintf("%v", []Key{k})} {
		if strings.Contains(printed, k.PublicKey) || strings.Contains(printed, k.SentryDSN) || !strings.Contains(printed, fmt.Sprintf("ID:%d", k.ID)) {
			t.Errorf("printed as %s, want the ID and no public key or DSN", printed)
		}
	}
}

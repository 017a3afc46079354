package main

import (
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
)

// anyPublicKey matches a client key's public part, which every DSN holds.
var anyPublicKey = regexp.MustCompile(`glet_[0-9a-f]{32}`)

// TestAccDemo_printsKeyIDsNoDSN runs the whole demo against the emulator,
// with the CLI the acceptance tests use, and reads what it prints: the
// managed keys' IDs, and no DSN or public key anywhere.
func TestAccDemo_printsKeyIDsNoDSN(t *testing.T) {
	// examples/demo imports with a variable as the ID.
	acctest.SkipBelow(t, acctest.ImportExpressions)
	for _, name := range []string{"GITLAB_BASE_URL", "GITLAB_TOKEN"} {
		t.Setenv(name, "") // the emulator, never a GitLab of the caller's
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cli := acctest.CLI(t).Path

	out, code := captureStdout(t, func() int { return run(ctx, []string{"-cli", cli}) })
	if code != 0 {
		t.Fatalf("the demo exited with %d:\n%s", code, anyPublicKey.ReplaceAllString(out, "glet_***"))
	}
	if n := len(anyPublicKey.FindAllString(out, -1)); n > 0 {
		t.Errorf("the demo printed a DSN or public key %d times:\n%s", n, anyPublicKey.ReplaceAllString(out, "glet_***"))
	}
	for _, want := range []string{"web_key_ids.backend", "web_key_ids.frontend", "web_active_key_ids"} {
		if !strings.Contains(out, want) {
			t.Errorf("the demo does not print %s:\n%s", want, out)
		}
	}
}

// captureStdout runs f with os.Stdout going to a pipe, and returns what it
// wrote and f's result.
func captureStdout(t *testing.T, f func() int) (string, int) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	read := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		read <- string(b)
	}()
	code := f()
	os.Stdout = stdout
	w.Close()
	return <-read, code
}

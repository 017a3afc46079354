package main

import (
	"reflect"
	"strings"
	"testing"
)

// A go test -json stream, shortened from a real one: a table-driven test
// with two passing cases and one skipped, a test that skips, one that
// fails, and a parent that fails after its only subtest passed.
const stream = `{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestAccTable"}
{"Action":"run","Package":"p","Test":"TestAccTable/a"}
{"Action":"pass","Package":"p","Test":"TestAccTable/a"}
{"Action":"run","Package":"p","Test":"TestAccTable/b"}
{"Action":"pass","Package":"p","Test":"TestAccTable/b"}
{"Action":"run","Package":"p","Test":"TestAccTable/c"}
{"Action":"output","Package":"p","Test":"TestAccTable/c","Output":"=== RUN   TestAccTable/c\n"}
{"Action":"output","Package":"p","Test":"TestAccTable/c","Output":"    x_test.go:9: Terraform v1.5.7 lacks expressions in import blocks (Terraform 1.6 or later)\n"}
{"Action":"output","Package":"p","Test":"TestAccTable/c","Output":"--- SKIP: TestAccTable/c (0.00s)\n"}
{"Action":"skip","Package":"p","Test":"TestAccTable/c"}
{"Action":"pass","Package":"p","Test":"TestAccTable"}
{"Action":"skip","Package":"p","Test":"TestAccSkipped"}
{"Action":"output","Package":"p","Test":"TestAccBroken","Output":"    x_test.go:20: boom\n"}
{"Action":"fail","Package":"p","Test":"TestAccBroken"}
{"Action":"pass","Package":"p","Test":"TestAccParent/only"}
{"Action":"fail","Package":"p","Test":"TestAccParent"}
not json: a line go test printed itself
{"Action":"fail","Package":"p"}
{"Action":"build-fail","Package":"q"}
`

func TestResultsCountLeafTests(t *testing.T) {
	r := newResults()
	var seen int
	if err := r.read(strings.NewReader(stream), func(event) { seen++ }); err != nil {
		t.Fatal(err)
	}
	if seen != 19 {
		t.Errorf("saw %d events, want 19", seen)
	}
	if got, want := r.counts(), (counts{passed: 3, failed: 2, skipped: 2}); got != want {
		t.Errorf("counts = %+v, want %+v", got, want)
	}
	if got, want := r.with("fail"), []string{"p TestAccBroken", "p TestAccParent"}; !reflect.DeepEqual(got, want) {
		t.Errorf("failed = %q, want %q", got, want)
	}
	if got, want := r.with("skip"), []string{"p TestAccSkipped", "p TestAccTable/c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("skipped = %q, want %q", got, want)
	}
	if got, want := r.skipReason("p TestAccTable/c"), "x_test.go:9: Terraform v1.5.7 lacks expressions in import blocks (Terraform 1.6 or later)"; got != want {
		t.Errorf("skip reason = %q, want %q", got, want)
	}
	if got, want := r.failedPackages, []string{"p", "q"}; !reflect.DeepEqual(got, want) {
		t.Errorf("failed packages = %q, want %q", got, want)
	}
	if got := r.output[""]; len(got) != 1 || got[0] != "not json: a line go test printed itself" {
		t.Errorf("stray output = %q", got)
	}
}

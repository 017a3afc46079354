package emulator

import (
	"fmt"
	"strings"
	"testing"
)

// absent marks a header that must not be sent at all.
const absent = "<absent>"

func checkHeaders(t *testing.T, got reply, want map[string]string) {
	t.Helper()
	for name, w := range want {
		vs, present := got.header[name]
		switch {
		case w == absent && present:
			t.Errorf("%s = %q, want it absent", name, vs)
		case w != absent && !present:
			t.Errorf("%s absent, want %q", name, w)
		case w != absent && vs[0] != w:
			t.Errorf("%s = %q, want %q", name, vs[0], w)
		}
	}
}

// linkRels returns the rel="..." names of a Link header in order, with the
// page number of each.
func linkRels(link string) []string {
	var rels []string
	for part := range strings.SplitSeq(link, ", ") {
		url, rel, _ := strings.Cut(part, "; rel=")
		page := url[strings.Index(url, "page=")+len("page="):]
		page = page[:strings.IndexAny(page, "&>")]
		rels = append(rels, strings.Trim(rel, `"`)+"="+page)
	}
	return rels
}

func TestPagination(t *testing.T) {
	for _, tc := range []struct {
		keys     int
		query    string
		headers  map[string]string // X-Page, X-Per-Page, X-Next-Page, X-Prev-Page, X-Total, X-Total-Pages
		items    int
		firstID  int64
		rels     string
		errorMsg string
	}{
		{45, "", hdr("1", "20", "2", "", "45", "3"), 20, 1, "next=2 first=1 last=3", ""},
		{45, "?page=2", hdr("2", "20", "3", "1", "45", "3"), 20, 21, "prev=1 next=3 first=1 last=3", ""},
		{45, "?page=3", hdr("3", "20", "", "2", "45", "3"), 5, 41, "prev=2 first=1 last=3", ""},
		// Past the end: no neighbours, as Kaminari has none for an out-of-range page.
		{45, "?page=4", hdr("4", "20", "", "", "45", "3"), 0, 0, "first=1 last=3", ""},
		{45, "?per_page=100", hdr("1", "100", "", "", "45", "1"), 45, 1, "first=1 last=1", ""},
		{45, "?per_page=1000", hdr("1", "100", "", "", "45", "1"), 45, 1, "first=1 last=1", ""},
		// Not declared parameters: read like Ruby's to_i, never refused.
		{45, "?per_page=abc", hdr("1", "20", "2", "", "45", "3"), 20, 1, "next=2 first=1 last=3", ""},
		{45, "?per_page=-5", hdr("1", "20", "2", "", "45", "3"), 20, 1, "next=2 first=1 last=3", ""},
		{45, "?per_page=%205", hdr("1", "20", "2", "", "45", "3"), 20, 1, "next=2 first=1 last=3", ""},
		{45, "?per_page=5x&page=2abc", hdr("2", "5", "3", "1", "45", "9"), 5, 6, "prev=1 next=3 first=1 last=9", ""},
		{45, "?page=x&per_page=1_0", hdr("1", "10", "2", "", "45", "5"), 10, 1, "next=2 first=1 last=5", ""},
		{45, "?page=1.5&per_page=x", hdr("1", "20", "2", "", "45", "3"), 20, 1, "next=2 first=1 last=3", ""},
		// Kaminari divides by a zero per_page: GitLab answers 500.
		{45, "?per_page=0", nil, 0, 0, "", "500"},
		{45, "?per_page=00", nil, 0, 0, "", "500"},
		{45, "?page=0&per_page=7", hdr("1", "7", "2", "", "45", "7"), 7, 1, "next=2 first=1 last=7", ""},
		{45, "?page=-3", hdr("1", "20", "2", "", "45", "3"), 20, 1, "next=2 first=1 last=3", ""},
		{45, "?page=9223372036854775807", hdr("9223372036854775807", "20", "", "", "45", "3"), 0, 0, "first=1 last=3", ""},
		{40, "?page=2", hdr("2", "20", "", "1", "40", "2"), 20, 21, "prev=1 first=1 last=2", ""},
		{0, "", hdr("1", "20", "", "", "0", "1"), 0, 0, "first=1 last=1", ""},
		{1, "?page=", hdr("1", "20", "", "", "1", "1"), 1, 1, "first=1 last=1", ""},
	} {
		t.Run(fmt.Sprintf("%d keys %s", tc.keys, tc.query), func(t *testing.T) {
			w := newIntegratedWorld(t)
			w.srv.addKeys(w.project, tc.keys)
			got := w.call("GET", keysPath("1")+tc.query, tokMaintainer)
			if tc.errorMsg == "500" {
				got.expect(t, 500, `{"message":"500 Internal Server Error"}`)
				return
			}
			if got.status != 200 {
				t.Fatalf("got %d %s", got.status, got.body)
			}
			checkHeaders(t, got, tc.headers)
			items := decodeKeys(t, got.body)
			var firstID int64
			if len(items) > 0 {
				firstID = items[0].ID
			}
			if len(items) != tc.items || firstID != tc.firstID {
				t.Errorf("got %d items from id %d, want %d from %d", len(items), firstID, tc.items, tc.firstID)
			}
			if rels := strings.Join(linkRels(got.header.Get("Link")), " "); rels != tc.rels {
				t.Errorf("Link rels %q, want %q", rels, tc.rels)
			}
		})
	}
}

func hdr(page, perPage, next, prev, total, totalPages string) map[string]string {
	return map[string]string{
		"X-Page": page, "X-Per-Page": perPage, "X-Next-Page": next, "X-Prev-Page": prev,
		"X-Total": total, "X-Total-Pages": totalPages,
	}
}

func TestPaginationLinkKeepsRequest(t *testing.T) {
	w := newIntegratedWorld(t)
	w.srv.addKeys(w.project, 3)
	got := w.call("GET", keysPath(encodedPath)+"?per_page=1&page=2&sort=asc", tokMaintainer)
	base := w.ts.URL + keysPath(encodedPath)
	// GitLab's query is all of the endpoint's parameters, :id included.
	link := func(page int, rel string) string {
		return fmt.Sprintf(`<%s?id=group%%2Fsub%%2Fproject&page=%d&per_page=1&sort=asc>; rel=%q`, base, page, rel)
	}
	want := link(1, "prev") + ", " + link(3, "next") + ", " + link(1, "first") + ", " + link(3, "last")
	if link := got.header.Get("Link"); link != want {
		t.Errorf("Link =\n%s\nwant\n%s", link, want)
	}
	// Without per_page in the request, the links carry it empty, as GitLab's do.
	got = w.call("GET", keysPath("1"), tokMaintainer)
	if link := got.header.Get("Link"); link != fmt.Sprintf(`<%s?id=1&page=1&per_page=>; rel="first", <%[1]s?id=1&page=1&per_page=>; rel="last"`, w.ts.URL+keysPath("1")) {
		t.Errorf("Link = %s", link)
	}
}

// TestPaginationAboveTenThousand: GitLab stops counting, so clients must
// follow X-Next-Page until it is empty.
func TestPaginationAboveTenThousand(t *testing.T) {
	w := newIntegratedWorld(t)
	w.srv.addKeys(w.project, maxCountedRecords)

	// Exactly 10,000 records are still counted.
	got := w.call("GET", keysPath("1")+"?per_page=100&page=100", tokMaintainer)
	checkHeaders(t, got, hdr("100", "100", "", "99", "10000", "100"))

	w.srv.addKeys(w.project, 1)
	for _, tc := range []struct {
		page, next, prev string
		items            int
		rels             string
	}{
		{"1", "2", "", 100, "next=2 first=1"},
		{"100", "101", "99", 100, "prev=99 next=101 first=1"},
		{"101", "", "100", 1, "prev=100 first=1"},
		{"102", "", "", 0, "first=1"},
	} {
		got := w.call("GET", keysPath("1")+"?per_page=100&page="+tc.page, tokMaintainer)
		checkHeaders(t, got, hdr(tc.page, "100", tc.next, tc.prev, absent, absent))
		if n := len(decodeKeys(t, got.body)); n != tc.items {
			t.Errorf("page %s: %d items, want %d", tc.page, n, tc.items)
		}
		if rels := strings.Join(linkRels(got.header.Get("Link")), " "); rels != tc.rels {
			t.Errorf("page %s: Link rels %q, want %q", tc.page, rels, tc.rels)
		}
	}

	// Walking X-Next-Page visits every key once, in id order.
	var seen int64
	for page := "1"; page != ""; {
		got := w.call("GET", keysPath("1")+"?per_page=100&page="+page, tokMaintainer)
		for _, k := range decodeKeys(t, got.body) {
			seen++
			if k.ID != seen {
				t.Fatalf("key %d at position %d", k.ID, seen)
			}
		}
		page = got.header.Get("X-Next-Page")
	}
	if seen != maxCountedRecords+1 {
		t.Errorf("walked %d keys, want %d", seen, maxCountedRecords+1)
	}
}

package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// GitLab's offset pagination (gitlab-api.md, "Pagination").
const (
	defaultPerPage = 20
	maxPerPage     = 100
	// Above this many records GitLab stops counting: no X-Total,
	// X-Total-Pages or rel="last".
	maxCountedRecords = 10000
)

type pageRequest struct {
	page, perPage int
}

// pageRequest reads page and per_page. Values below 1 fall back to the
// defaults and per_page above the maximum is clamped, as GitLab does.
func (v *validator) pageRequest() pageRequest {
	pr := pageRequest{page: 1, perPage: defaultPerPage}
	if n := v.integer("page", false); n != nil && *n > 1 {
		pr.page = int(*n)
	}
	if n := v.integer("per_page", false); n != nil && *n > 0 {
		pr.perPage = int(min(*n, maxPerPage))
	}
	return pr
}

type pagination struct {
	pageRequest
	total      int
	start, end int  // slice bounds of the requested page
	counted    bool // total is small enough to be reported
	totalPages int  // at least 1
	next, prev int  // 0 when there is none
}

func paginate(total int, pr pageRequest) pagination {
	pg := pagination{pageRequest: pr, total: total, counted: total <= maxCountedRecords}
	pages := (total + pr.perPage - 1) / pr.perPage
	pg.totalPages = max(pages, 1)
	// Comparing before multiplying keeps a huge page number from overflowing.
	if pr.page-1 < pages {
		pg.start = (pr.page - 1) * pr.perPage
		pg.end = min(pg.start+pr.perPage, total)
	} else {
		pg.start, pg.end = total, total
	}
	// Kaminari: no neighbours for a page past the end. Without a count the
	// next page exists when more records follow this one.
	outOfRange := pg.start == pg.end
	if !outOfRange && pg.end < total {
		pg.next = pr.page + 1
	}
	if !outOfRange && pr.page > 1 {
		pg.prev = pr.page - 1
	}
	return pg
}

func (pg pagination) header(r *http.Request) http.Header {
	h := http.Header{}
	h.Set("X-Page", strconv.Itoa(pg.page))
	h.Set("X-Per-Page", strconv.Itoa(pg.perPage))
	h.Set("X-Next-Page", pageNumber(pg.next))
	h.Set("X-Prev-Page", pageNumber(pg.prev))
	if pg.counted {
		h.Set("X-Total", strconv.Itoa(pg.total))
		h.Set("X-Total-Pages", strconv.Itoa(pg.totalPages))
	}
	var links []string
	link := func(page int, rel string) {
		links = append(links, fmt.Sprintf("<%s>; rel=%q", pg.url(r, page), rel))
	}
	if pg.prev != 0 {
		link(pg.prev, "prev")
	}
	if pg.next != 0 {
		link(pg.next, "next")
	}
	link(1, "first")
	if pg.counted {
		link(pg.totalPages, "last")
	}
	h.Set("Link", strings.Join(links, ", "))
	return h
}

func pageNumber(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// url keeps the request's own scheme, host, path and other query
// parameters, replacing page and per_page.
func (pg pagination) url(r *http.Request, page int) string {
	q := r.URL.Query()
	q.Set("page", strconv.Itoa(page))
	q.Set("per_page", strconv.Itoa(pg.perPage))
	return baseURL(r) + r.URL.EscapedPath() + "?" + q.Encode()
}

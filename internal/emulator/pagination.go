package emulator

import (
	"fmt"
	"math"
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
	// linkPerPage is the per_page GitLab repeats in the Link header: the
	// request's parameter as it reached the endpoint, "" when absent.
	linkPerPage string
}

// kaminariPageRequest reads page and per_page on an endpoint that does not
// declare them (the key list): they reach Kaminari as strings, are never
// refused, and per_page=0 makes Kaminari divide by zero (zero is true).
func kaminariPageRequest(ps params) (pr pageRequest, zero bool) {
	pr = pageRequest{page: 1, perPage: defaultPerPage}
	if p, ok := ps["page"]; ok && p.kind == paramString {
		if n, _ := rubyToI(p.s); n > 1 {
			pr.page = int(min(n, math.MaxInt))
		}
	}
	if p, ok := ps["per_page"]; ok && p.kind == paramString {
		pr.linkPerPage = p.s
		n, _ := rubyToI(p.s)
		switch {
		case n < 0 || !lineStartsWithDigit(p.s):
		case n == 0:
			return pr, true
		default:
			pr.perPage = int(min(n, maxPerPage))
		}
	}
	return pr, false
}

// lineStartsWithDigit is Ruby's /^\d/, which matches at the start of any line.
func lineStartsWithDigit(s string) bool {
	for line := range strings.SplitSeq(s, "\n") {
		if line != "" && isDigit(line[0]) {
			return true
		}
	}
	return false
}

// pageRequest reads page and per_page on an endpoint that declares them
// with `use :pagination` (lib/api/pagination_params.rb): Grape Integers, so a
// non-number is refused, as is per_page=0; then Kaminari as above.
func (v *validator) pageRequest() pageRequest {
	pr := pageRequest{page: 1, perPage: defaultPerPage, linkPerPage: strconv.Itoa(defaultPerPage)}
	if n := v.integer("page"); n != nil && *n > 1 {
		pr.page = int(min(*n, math.MaxInt))
	}
	if n := v.integer("per_page"); n != nil {
		switch {
		case *n == 0:
			v.fail("per_page", "has a value not allowed")
		case *n > 0:
			pr.perPage = int(min(*n, maxPerPage))
		}
		pr.linkPerPage = strconv.FormatInt(*n, 10)
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

// pagedResponse answers 200 with the requested page of items, each as its
// entity, and the pagination headers; routeID is the route's :id.
func pagedResponse[T, E any](r *http.Request, routeID string, items []T, pr pageRequest, entity func(T) E) response {
	pg := paginate(len(items), pr)
	return response{status: http.StatusOK, header: pg.header(r, routeID), body: entities(items[pg.start:pg.end], entity)}
}

// entities maps items to their entities; no items is [] in JSON, not null.
func entities[T, E any](items []T, entity func(T) E) []E {
	out := make([]E, len(items))
	for i, item := range items {
		out[i] = entity(item)
	}
	return out
}

func (pg pagination) header(r *http.Request, routeID string) http.Header {
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
		links = append(links, fmt.Sprintf("<%s>; rel=%q", pg.url(r, routeID, page), rel))
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
// parameters, replacing page, with per_page as the endpoint received it.
// GitLab builds the query from all of the endpoint's parameters, so the
// route's :id appears in it too.
func (pg pagination) url(r *http.Request, routeID string, page int) string {
	q := r.URL.Query()
	q.Set("id", routeID)
	q.Set("page", strconv.Itoa(page))
	q.Set("per_page", pg.linkPerPage)
	return baseURL(r) + r.URL.EscapedPath() + "?" + q.Encode()
}

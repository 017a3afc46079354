package provider

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
)

// The list engine beneath `terraform query` (fetchInOrder), driven as plain
// Go so that it runs with any CLI or none. Each test runs in a synctest
// bubble: every read waits at a gate of its own, and synctest.Wait returns
// once every goroutine of the engine is blocked, so the tests count what
// has happened at a moment when nothing more can, without timing.

// listReads is a scope of projects and reads of them that wait at gates.
type listReads struct {
	mu       sync.Mutex
	gates    map[string]chan struct{}
	failing  map[string]bool // projects whose read fails once its gate opens
	pulled   int             // projects taken from the scope
	started  []string        // reads begun, in order
	finished []string        // reads ended with their gate open, in order
	canceled int             // reads ended by the engine's cancellation
	inFlight int
	most     int // the most reads in flight at once
}

func newListReads() *listReads {
	return &listReads{gates: map[string]chan struct{}{}, failing: map[string]bool{}}
}

func ref(prefix string, i int) string { return fmt.Sprintf("%s%02d", prefix, i) }

// scope yields n projects named prefix00, prefix01, ..., and then, when
// fail is true, an error.
func (r *listReads) scope(prefix string, n int, fail bool) iter.Seq2[listedProject, error] {
	return func(yield func(listedProject, error) bool) {
		for i := range n {
			r.mu.Lock()
			r.pulled++
			r.mu.Unlock()
			if !yield(listedProject{ref: ref(prefix, i), id: int64(i + 1)}, nil) {
				return
			}
		}
		if fail {
			yield(listedProject{}, errors.New("the group's next page could not be read"))
		}
	}
}

func (r *listReads) gate(project string) chan struct{} {
	g, ok := r.gates[project]
	if !ok {
		g = make(chan struct{})
		r.gates[project] = g
	}
	return g
}

// open lets the read of project end, whether it has begun or not.
func (r *listReads) open(project string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	close(r.gate(project))
}

// fetch is a read: it waits for its gate or for the engine to cancel it.
func (r *listReads) fetch(ctx context.Context, p listedProject) (listedProject, string, error) {
	r.mu.Lock()
	r.started = append(r.started, p.ref)
	r.inFlight++
	r.most = max(r.most, r.inFlight)
	gate := r.gate(p.ref)
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.inFlight--
		r.mu.Unlock()
	}()
	select {
	case <-gate:
		r.mu.Lock()
		defer r.mu.Unlock()
		r.finished = append(r.finished, p.ref)
		if r.failing[p.ref] {
			return p, "", errors.New("GitLab answered 500")
		}
		return p, "read " + p.ref, nil
	case <-ctx.Done():
		r.mu.Lock()
		r.canceled++
		r.mu.Unlock()
		return p, "", ctx.Err()
	}
}

func (r *listReads) snapshot() (pulled int, started, finished []string, canceled, inFlight, most int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pulled, slices.Clone(r.started), slices.Clone(r.finished), r.canceled, r.inFlight, r.most
}

// emitted is what a listing handed out, in order.
type emitted struct {
	mu   sync.Mutex
	got  []string
	done chan struct{}
}

// startListing runs fetchInOrder in the background; emit decides, for each
// project handed to it, how many results it gives and whether to go on.
func startListing(ctx context.Context, slots listSlots, r *listReads, src iter.Seq2[listedProject, error], limit int64,
	emit func(f fetched[string]) (int64, bool),
) *emitted {
	e := &emitted{done: make(chan struct{})}
	go func() {
		defer close(e.done)
		fetchInOrder(ctx, slots, src, limit, r.fetch, func(f fetched[string], _ int64) (int64, bool) {
			e.mu.Lock()
			if f.err != nil {
				e.got = append(e.got, "error: "+f.err.Error())
			} else {
				e.got = append(e.got, f.val)
			}
			e.mu.Unlock()
			return emit(f)
		})
	}()
	return e
}

func (e *emitted) results() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.got)
}

func oneEach(fetched[string]) (int64, bool) { return 1, true }

func reads(prefix string, from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, "read "+ref(prefix, i))
	}
	return out
}

// Reads that end in the reverse order are handed out in the scope's order,
// none before every earlier one.
func TestFetchInOrder_keepsTheScopesOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newListReads()
		e := startListing(t.Context(), newListSlots(), r, r.scope("p", 12, false), 0, oneEach)
		synctest.Wait()
		for i := listParallelism - 1; i >= 1; i-- {
			r.open(ref("p", i))
			synctest.Wait()
		}
		if _, _, finished, _, _, _ := r.snapshot(); len(finished) != listParallelism-1 {
			t.Fatalf("%d reads ended, want %d: %v", len(finished), listParallelism-1, finished)
		}
		if got := e.results(); len(got) != 0 {
			t.Fatalf("handed out %v while the first project's read was still out", got)
		}
		r.open(ref("p", 0))
		for i := listParallelism; i < 12; i++ {
			r.open(ref("p", i))
		}
		<-e.done
		if got, want := e.results(), reads("p", 0, 12); !slices.Equal(got, want) {
			t.Fatalf("handed out %v, want %v", got, want)
		}
		if _, _, finished, _, _, _ := r.snapshot(); finished[0] != "p07" {
			t.Fatalf("reads ended in the order %v, want p07 first", finished)
		}
	})
}

// Two list blocks of a run share the bound: at most listParallelism reads
// are in flight across both, and each still gets all its results.
func TestFetchInOrder_atMostEightReadsInFlightAcrossListBlocks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newListReads()
		slots := newListSlots()
		a := startListing(t.Context(), slots, r, r.scope("a", 10, false), 0, oneEach)
		b := startListing(t.Context(), slots, r, r.scope("b", 10, false), 0, oneEach)
		synctest.Wait()
		if _, _, _, _, inFlight, _ := r.snapshot(); inFlight != listParallelism {
			t.Fatalf("%d reads in flight with every read held, want %d", inFlight, listParallelism)
		}
		for i := range 10 {
			r.open(ref("a", i))
			synctest.Wait()
			r.open(ref("b", i))
			synctest.Wait()
			if _, _, _, _, inFlight, _ := r.snapshot(); inFlight > listParallelism {
				t.Fatalf("%d reads in flight, want at most %d", inFlight, listParallelism)
			}
		}
		<-a.done
		<-b.done
		if _, started, _, _, _, most := r.snapshot(); most != listParallelism || len(started) != 20 {
			t.Fatalf("at most %d reads in flight and %d reads, want %d and 20", most, len(started), listParallelism)
		}
		if got, want := a.results(), reads("a", 0, 10); !slices.Equal(got, want) {
			t.Fatalf("first block handed out %v, want %v", got, want)
		}
		if got, want := b.results(), reads("b", 0, 10); !slices.Equal(got, want) {
			t.Fatalf("second block handed out %v, want %v", got, want)
		}
	})
}

// A listing reads no project past its limit: as many as the results it
// needs, and one more for each project that gave none.
func TestFetchInOrder_readsNothingPastTheLimit(t *testing.T) {
	for _, tc := range []struct {
		name      string
		empty     string // a project that gives no result
		wantReads int
	}{
		{"each project gives a result", "", 3},
		{"one project gives none", "p01", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newListReads()
				for i := range 20 {
					r.open(ref("p", i))
				}
				e := startListing(t.Context(), newListSlots(), r, r.scope("p", 20, false), 3, func(f fetched[string]) (int64, bool) {
					if f.project.ref == tc.empty {
						return 0, true
					}
					return 1, true
				})
				<-e.done
				synctest.Wait()
				pulled, started, _, _, _, _ := r.snapshot()
				if pulled != tc.wantReads || len(started) != tc.wantReads {
					t.Fatalf("took %d projects from the scope and read %d (%v), want %d", pulled, len(started), started, tc.wantReads)
				}
				if got := e.results(); len(got) != tc.wantReads {
					t.Fatalf("handed out %v, want %d projects", got, tc.wantReads)
				}
			})
		})
	}
}

// A listing that stops early (Terraform has what it asked for, or the
// user interrupted) cancels the reads in flight and takes no more projects.
func TestFetchInOrder_earlyStopStopsReads(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newListReads()
		e := startListing(t.Context(), newListSlots(), r, r.scope("p", 20, false), 0, func(fetched[string]) (int64, bool) { return 1, false })
		synctest.Wait()
		r.open(ref("p", 0))
		<-e.done
		synctest.Wait()
		pulled, started, finished, canceled, inFlight, _ := r.snapshot()
		if pulled != listParallelism || len(started) != listParallelism {
			t.Fatalf("took %d projects and began %d reads, want %d: only those in flight when it stopped", pulled, len(started), listParallelism)
		}
		if len(finished) != 1 || canceled != listParallelism-1 || inFlight != 0 {
			t.Fatalf("%d reads ended, %d canceled, %d still in flight; want 1, %d, 0", len(finished), canceled, inFlight, listParallelism-1)
		}
		if got := e.results(); !slices.Equal(got, []string{"read p00"}) {
			t.Fatalf("handed out %v, want the first project alone", got)
		}
	})
}

// An error ends the listing: one from the scope (a group's page that could
// not be read) comes after the projects before it and nothing is taken
// after it; one from a read comes in its project's place, and when the
// listing stops there the later reads are canceled.
func TestFetchInOrder_errorEndsTheListing(t *testing.T) {
	t.Run("from the scope", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := newListReads()
			for i := range 3 {
				r.open(ref("p", i))
			}
			e := startListing(t.Context(), newListSlots(), r, r.scope("p", 3, true), 0, func(f fetched[string]) (int64, bool) { return 1, f.err == nil })
			<-e.done
			want := append(reads("p", 0, 3), "error: the group's next page could not be read")
			if got := e.results(); !slices.Equal(got, want) {
				t.Fatalf("handed out %v, want %v", got, want)
			}
		})
	})
	t.Run("from a read", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := newListReads()
			r.failing["p01"] = true
			e := startListing(t.Context(), newListSlots(), r, r.scope("p", 20, false), 0, func(f fetched[string]) (int64, bool) { return 1, f.err == nil })
			synctest.Wait()
			r.open(ref("p", 0))
			r.open(ref("p", 1))
			<-e.done
			synctest.Wait()
			if got, want := e.results(), []string{"read p00", "error: GitLab answered 500"}; !slices.Equal(got, want) {
				t.Fatalf("handed out %v, want %v", got, want)
			}
			// p08 was taken when p00 was handed out; nothing after p01's error.
			pulled, started, finished, canceled, inFlight, _ := r.snapshot()
			if pulled != listParallelism+1 || inFlight != 0 || len(finished) != 2 || canceled != len(started)-2 {
				t.Fatalf("took %d projects, began %v, %d ended, %d canceled, %d in flight; want %d taken and every other read canceled",
					pulled, started, len(finished), canceled, inFlight, listParallelism+1)
			}
		})
	})
}

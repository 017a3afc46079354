package provider

import (
	"context"
	"iter"
	"math"
	"strconv"
)

// listParallelism bounds the reads of projects (settings, key lists, project
// lookups) in flight at once across every list block of a run.
const listParallelism = 8

// listSlots bounds the reads of projects in flight across the list blocks
// of a run; each project's settings and key list are read once per run by
// the client (gitlab.API's SharedSettings and ListClientKeys).
type listSlots chan struct{}

func newListSlots() listSlots { return make(listSlots, listParallelism) }

// take waits for room among the reads in flight; release gives it back.
func (s listSlots) take(ctx context.Context) (release func(), err error) {
	select {
	case s <- struct{}{}:
		return func() { <-s }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// listedProject is one project of a list block's scope. ref is how it is
// asked for; id and path are 0 and "" until resolve has found them.
type listedProject struct {
	ref  string
	id   int64
	path string
}

// apiRef is how the project is named in requests once resolved: by its
// ID, so that a project named twice in `projects` is read once.
func (p listedProject) apiRef() string { return strconv.FormatInt(p.id, 10) }

// fetched is one project's read, handed to emit in the scope's order.
type fetched[T any] struct {
	project listedProject
	val     T
	err     error
}

// fetchInOrder reads the projects of src with fetch, several at a time (at
// most listParallelism across the run), and hands each to emit in src's
// order, with how many results may still be given. emit returns how many
// it gave and whether to go on.
//
// limit is Terraform's limit on results (100 unless the list block sets
// another; 0, which Terraform does not send, is taken as none). A project is taken from src only
// while the results so far plus the projects being read stay below it, as
// if each project gave one result: so a list that reaches its limit has read
// no project, and no page of a group's projects, that it did not need. A
// project that gives none is made up for when it is emitted.
func fetchInOrder[T any](ctx context.Context, slots listSlots, src iter.Seq2[listedProject, error], limit int64,
	fetch func(context.Context, listedProject) (listedProject, T, error),
	emit func(f fetched[T], room int64) (produced int64, more bool),
) {
	if limit <= 0 {
		limit = math.MaxInt64
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next, stop := iter.Pull2(src)
	defer stop()

	var queue []chan fetched[T]
	var emitted int64
	exhausted := false
	for {
		for !exhausted && len(queue) < listParallelism && emitted+int64(len(queue)) < limit {
			p, err, ok := next()
			if !ok {
				exhausted = true
				break
			}
			done := make(chan fetched[T], 1)
			queue = append(queue, done)
			if err != nil {
				exhausted = true
				done <- fetched[T]{project: p, err: err}
				break
			}
			go func() {
				release, err := slots.take(ctx)
				if err != nil {
					done <- fetched[T]{project: p, err: err}
					return
				}
				defer release()
				p, v, err := fetch(ctx, p)
				done <- fetched[T]{project: p, val: v, err: err}
			}()
		}
		if len(queue) == 0 {
			return
		}
		f := <-queue[0]
		queue = queue[1:]
		n, more := emit(f, limit-emitted)
		emitted += n
		if !more || emitted >= limit {
			return
		}
	}
}

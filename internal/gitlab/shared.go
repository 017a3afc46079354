package gitlab

import (
	"context"
	"sync"
)

// shared runs one call per key on behalf of every concurrent caller. Unlike
// singleflight, a caller whose context ends stops waiting without failing
// the call for the others: the call runs on its own context and is canceled
// only when no caller waits for it any more.
type shared[T any] struct {
	mu    sync.Mutex
	calls map[string]*flight[T]
	// joined, when set, sees how many callers wait for key's call each time
	// one joins it, so that a test can tell that they all wait together.
	joined func(key string, waiters int)
}

type flight[T any] struct {
	done    chan struct{}
	val     T
	err     error
	waiters int
	cancel  context.CancelFunc
}

// do returns the result of fn for key, running fn unless a call for key is
// already in flight. fn gets a context with the values (the logger) of the
// caller that started it.
func (s *shared[T]) do(ctx context.Context, key string, fn func(context.Context) (T, error)) (T, error) {
	s.mu.Lock()
	f, ok := s.calls[key]
	if !ok {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight[T]{done: make(chan struct{}), cancel: cancel}
		if s.calls == nil {
			s.calls = make(map[string]*flight[T])
		}
		s.calls[key] = f
		go func() {
			defer cancel()
			val, err := fn(fctx)
			s.mu.Lock()
			f.val, f.err = val, err
			if s.calls[key] == f {
				delete(s.calls, key)
			}
			s.mu.Unlock()
			close(f.done)
		}()
	}
	f.waiters++
	if s.joined != nil {
		s.joined(key, f.waiters)
	}
	s.mu.Unlock()

	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		s.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			f.cancel()
			// A caller arriving now must start afresh, not join a call
			// that is being canceled.
			if s.calls[key] == f {
				delete(s.calls, key)
			}
		}
		s.mu.Unlock()
		var zero T
		return zero, ctx.Err()
	}
}

// memo remembers one call per key for its whole life: the first caller
// runs it, concurrent callers share it (see shared), and later callers get
// its result, a failure included. A call that every caller stopped waiting
// for is not remembered: the next caller runs it afresh.
type memo[T any] struct {
	mu    sync.Mutex
	done  map[string]memoResult[T]
	calls shared[T]
}

type memoResult[T any] struct {
	val T
	err error
}

func (m *memo[T]) do(ctx context.Context, key string, fn func(context.Context) (T, error)) (T, error) {
	m.mu.Lock()
	r, ok := m.done[key]
	m.mu.Unlock()
	if ok {
		return r.val, r.err
	}
	return m.calls.do(ctx, key, func(ctx context.Context) (T, error) {
		val, err := fn(ctx)
		if ctx.Err() == nil {
			m.mu.Lock()
			if m.done == nil {
				m.done = make(map[string]memoResult[T])
			}
			m.done[key] = memoResult[T]{val, err}
			m.mu.Unlock()
		}
		return val, err
	})
}

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

package gitlab

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// DefaultRequestTimeout is how long one attempt waits for GitLab when
// Config.RequestTimeout is zero: GitLab's own limit on a request
// (internal/emulator/gitlab-api.md, "Rate limiting and server errors").
const DefaultRequestTimeout = 60 * time.Second

// timeoutError is an attempt that GitLab left without an answer, or with an
// answer that stopped halfway, for as long as Config.RequestTimeout.
type timeoutError struct {
	after  time.Duration
	inBody bool // the headers had arrived; the body stalled
}

func (e *timeoutError) Error() string {
	after := e.after.String()
	if e.after%time.Second == 0 {
		after = fmt.Sprintf("%ds", e.after/time.Second) // "60s", not "1m0s"
	}
	if e.inBody {
		return fmt.Sprintf("the answer stopped halfway and nothing more came within request_timeout (%s)", after)
	}
	return fmt.Sprintf("no answer within request_timeout (%s)", after)
}

// attemptTimer bounds one attempt: the wait for the answer's headers, then
// each wait for more of its body. It ends the attempt's own context, never
// the caller's, so that the retry policy still decides what comes next.
type attemptTimer struct {
	ctx     context.Context
	cancel  context.CancelFunc
	timeout time.Duration

	mu      sync.Mutex
	t       *time.Timer
	fired   bool
	inBody  bool
	stopped bool
}

// startAttempt starts the timer of one attempt made with ctx.
func (c *Client) startAttempt(ctx context.Context) *attemptTimer {
	at := &attemptTimer{timeout: c.requestTimeout}
	at.ctx, at.cancel = context.WithCancel(ctx)
	at.t = time.AfterFunc(at.timeout, at.fire)
	return at
}

func (at *attemptTimer) fire() {
	at.mu.Lock()
	if !at.stopped {
		at.fired = true
	}
	at.mu.Unlock()
	at.cancel()
}

// progress restarts the wait: part of the body arrived.
func (at *attemptTimer) progress() {
	at.mu.Lock()
	defer at.mu.Unlock()
	at.inBody = true
	if !at.fired && !at.stopped && at.t.Stop() {
		at.t.Reset(at.timeout)
	}
}

// stop ends the attempt: its answer has been read or given up.
func (at *attemptTimer) stop() {
	at.mu.Lock()
	at.stopped = true
	at.t.Stop()
	at.mu.Unlock()
	at.cancel()
}

// failed stops the timer and returns the attempt's error: a timeoutError
// when the timer ended the attempt.
func (at *attemptTimer) failed(err error) error {
	at.stop()
	at.mu.Lock()
	defer at.mu.Unlock()
	if at.fired {
		return &timeoutError{after: at.timeout, inBody: at.inBody}
	}
	return err
}

// timedBody is an answer's body read under its attempt's timer.
type timedBody struct {
	io.ReadCloser
	timer *attemptTimer
}

func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.timer.progress()
	}
	return n, err
}

func (b *timedBody) Close() error {
	err := b.ReadCloser.Close()
	b.timer.stop()
	return err
}

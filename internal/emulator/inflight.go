package emulator

import (
	"net/http"
	"sync"
)

// InFlight counts the requests a handler is serving and remembers the most
// at once: how many requests a client keeps open together, for tests and the
// bench that check a bound on it.
type InFlight struct {
	mu        sync.Mutex
	now, most int
}

// Count serves with next and counts the requests for which match is true.
func (c *InFlight) Count(match func(*http.Request) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if match(r) {
			c.enter()
			defer c.leave()
		}
		next.ServeHTTP(w, r)
	})
}

func (c *InFlight) enter() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now++
	c.most = max(c.most, c.now)
}

func (c *InFlight) leave() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now--
}

// Peak is the most requests counted at once.
func (c *InFlight) Peak() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.most
}

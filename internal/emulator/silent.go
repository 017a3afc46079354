package emulator

import (
	"io"
	"net"
	"sync"
)

// Silent is a GitLab that hangs, as the network shows it: it accepts
// connections and reads what is sent on them, and never answers. Each
// connection it accepts is counted; a client that gives up on an attempt
// closes its connection, so each attempt is one connection.
type Silent struct {
	ln       net.Listener
	greeting []byte

	mu       sync.Mutex
	conns    []net.Conn
	accepted int
}

// NewSilent listens on a free port of 127.0.0.1 until Close.
func NewSilent() (*Silent, error) { return NewGreeting("") }

// NewGreeting is NewSilent for a server of another protocol, which writes
// greeting on each connection before it reads anything, as an SSH server
// writes its banner ("SSH-2.0-OpenSSH_9.6\r\n"); then it says no more.
func NewGreeting(greeting string) (*Silent, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Silent{ln: ln, greeting: []byte(greeting)}
	go s.serve()
	return s, nil
}

func (s *Silent) serve() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.accepted++
		s.conns = append(s.conns, conn)
		s.mu.Unlock()
		go func() {
			if _, err := conn.Write(s.greeting); err == nil {
				_, _ = io.Copy(io.Discard, conn)
			}
		}()
	}
}

// URL is the server's address as a base_url: "http://127.0.0.1:port".
func (s *Silent) URL() string { return "http://" + s.Addr() }

// Addr is the server's host:port.
func (s *Silent) Addr() string { return s.ln.Addr().String() }

// Accepted is how many connections were made to it.
func (s *Silent) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// Close stops listening and closes every connection, which ends any wait
// of a client that has none of its own.
func (s *Silent) Close() {
	_ = s.ln.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		_ = c.Close()
	}
}

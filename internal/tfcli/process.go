package tfcli

import (
	"os"
	"os/exec"
	"time"
)

// Process is a started command in a process group of its own, so that it
// and everything it starts (terraform's provider plugins, say) can be
// stopped together.
type Process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once the command has exited
	err  error         // cmd.Wait's result, set before done is closed
}

// Start starts cmd in a process group of its own.
func Start(cmd *exec.Cmd) (*Process, error) {
	setProcessGroup(cmd)
	// A plugin that outlives its parent must not keep Wait blocked on the
	// output pipe.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Done is closed once the command has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err is cmd.Wait's result; call it after Done is closed.
func (p *Process) Err() error { return p.err }

// State is the exited command's state (exit code, CPU time); call it after
// Done is closed.
func (p *Process) State() *os.ProcessState { return p.cmd.ProcessState }

// Stop asks the process group to terminate, kills it after grace, and
// returns once the command has exited.
func (p *Process) Stop(grace time.Duration) {
	select {
	case <-p.done:
		p.Kill()
		return
	default:
	}
	p.terminate()
	p.waitOrKill(grace)
}

// Interrupt is Ctrl-C for the group, kills it after grace, and returns once
// the command has exited: terraform stops what it is doing cleanly and stops
// its plugins.
func (p *Process) Interrupt(grace time.Duration) {
	p.interrupt()
	p.waitOrKill(grace)
}

func (p *Process) waitOrKill(grace time.Duration) {
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-p.done:
	case <-t.C:
	}
	p.Kill()
	<-p.done
}

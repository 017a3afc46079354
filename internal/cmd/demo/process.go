package main

import (
	"os/exec"
	"time"
)

// process is a started command whose whole process group (terraform and its
// provider plugins, or the emulator) the demo can stop.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once the command has exited
	err  error         // cmd.Wait's result, set before done is closed
}

func startProcess(cmd *exec.Cmd) (*process, error) {
	setProcessGroup(cmd)
	// A plugin that outlives terraform must not keep Wait blocked on the
	// output pipe.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// stop asks the process group to terminate, and kills it after grace.
func (p *process) stop(grace time.Duration) {
	select {
	case <-p.done:
		p.killGroup()
		return
	default:
	}
	p.terminate()
	select {
	case <-p.done:
	case <-time.After(grace):
	}
	p.killGroup()
	<-p.done
}

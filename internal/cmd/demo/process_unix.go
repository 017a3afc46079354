//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// setProcessGroup puts the command in a process group of its own, so that
// everything it starts can be stopped together.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func (p *process) signalGroup(sig syscall.Signal) {
	// The group ID is the leader's PID; ESRCH (already gone) is fine.
	_ = syscall.Kill(-p.cmd.Process.Pid, sig)
}

// interrupt is Ctrl-C for the group: terraform stops what it is doing cleanly.
func (p *process) interrupt() { p.signalGroup(syscall.SIGINT) }

func (p *process) terminate() { p.signalGroup(syscall.SIGTERM) }

// killGroup also reaps whatever the command left behind.
func (p *process) killGroup() { p.signalGroup(syscall.SIGKILL) }

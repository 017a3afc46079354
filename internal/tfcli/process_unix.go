//go:build unix

package tfcli

import (
	"os/exec"
	"syscall"
)

func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func (p *Process) signalGroup(sig syscall.Signal) {
	// The group ID is the leader's PID; ESRCH (already gone) is fine.
	_ = syscall.Kill(-p.cmd.Process.Pid, sig)
}

func (p *Process) interrupt() { p.signalGroup(syscall.SIGINT) }

func (p *Process) terminate() { p.signalGroup(syscall.SIGTERM) }

// Kill kills the whole group; once the command has exited, it reaps
// whatever the command left behind.
func (p *Process) Kill() { p.signalGroup(syscall.SIGKILL) }

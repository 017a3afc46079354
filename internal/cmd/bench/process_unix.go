//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup puts terraform in a process group of its own, so that it
// and the provider plugins it starts can be stopped together.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// Ctrl-C for the group: terraform stops cleanly and stops its plugins.
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
	}
}

// killProcessGroup reaps whatever the command left behind in its group.
// ESRCH (nothing left) is the normal case.
func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

//go:build !unix

package tfcli

import "os/exec"

func setProcessGroup(*exec.Cmd) {}

func (p *Process) interrupt() { _ = p.cmd.Process.Kill() }

func (p *Process) terminate() { _ = p.cmd.Process.Kill() }

// Kill kills the command (there are no process groups here).
func (p *Process) Kill() { _ = p.cmd.Process.Kill() }

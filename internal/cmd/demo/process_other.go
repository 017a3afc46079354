//go:build !unix

package main

import "os/exec"

func setProcessGroup(*exec.Cmd) {}

func (p *process) interrupt() { _ = p.cmd.Process.Kill() }

func (p *process) terminate() { _ = p.cmd.Process.Kill() }

func (p *process) killGroup() {}

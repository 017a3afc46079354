//go:build unix

package tfcli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// fakeTerraform is a fake CLI that answers `version` as Terraform 1.11.4 and
// runs script for any other command.
func fakeTerraform(t *testing.T, script string) *CLI {
	t.Helper()
	path := fakeCLI(t, `if [ "$1" = version ]; then echo 'Terraform v1.11.4'; exit 0; fi
`+script)
	config := filepath.Join(t.TempDir(), "terraformrc")
	if err := WriteCLIConfig(config, Override{Source: "errortracking/gitlab", Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_LOG", "trace")
	t.Setenv("GITLAB_TOKEN", "from-the-caller")
	cli, err := New(context.Background(), path, config, "EXTRA=1")
	if err != nil {
		t.Fatal(err)
	}
	if cli.String() != "Terraform v1.11.4" {
		t.Fatalf("New detected %s", cli)
	}
	return cli
}

// Info.CLI prepares an Info already detected, without running `version`
// again.
func TestInfoCLI(t *testing.T) {
	path := fakeCLI(t, `if [ "$1" = version ]; then echo 'version ran again' >&2; exit 1; fi
echo "args: $* config=$TF_CLI_CONFIG_FILE token=$GITLAB_TOKEN extra=$EXTRA"
`)
	t.Setenv("GITLAB_TOKEN", "from-the-caller")
	info := Info{Path: path, Product: OpenTofu, Version: mustParse(t, "1.12.6")}
	cli := info.CLI("/w/tofurc", "EXTRA=1")
	if cli.Info != info || cli.Grace != 10*time.Second {
		t.Errorf("Info.CLI = %+v, grace %s; want %+v, grace 10s", cli.Info, cli.Grace, info)
	}
	res, err := cli.Run(context.Background(), Options{Dir: t.TempDir()}, "plan")
	if err != nil {
		t.Fatal(err)
	}
	if want := "args: plan config=/w/tofurc token= extra=1\n"; res.Code != 0 || res.Output != want {
		t.Errorf("exit code %d, output %q; want 0, %q", res.Code, res.Output, want)
	}
}

func TestRun(t *testing.T) {
	cli := fakeTerraform(t, `echo "args: $*"
echo "dir: $(pwd)"
echo "env: config=$(basename "$TF_CLI_CONFIG_FILE") log=$TF_LOG token=$GITLAB_TOKEN extra=$EXTRA per-run=$PER_RUN input=$TF_INPUT"
echo "to stderr" >&2
exit 2
`)
	dir := t.TempDir()
	var echo bytes.Buffer
	res, err := cli.Run(context.Background(), Options{Dir: dir, Env: []string{"PER_RUN=yes"}, Echo: &echo}, "plan", "-detailed-exitcode")
	if err != nil {
		t.Fatal(err)
	}
	if res.Code != 2 {
		t.Errorf("exit code %d, want 2", res.Code)
	}
	realDir, _ := filepath.EvalSymlinks(dir)
	for _, want := range []string{
		"args: plan -detailed-exitcode\n",
		"dir: " + realDir + "\n",
		"env: config=terraformrc log= token= extra=1 per-run=yes input=0\n",
		"to stderr\n",
	} {
		if !strings.Contains(res.Output, want) {
			t.Errorf("output lacks %q:\n%s", want, res.Output)
		}
	}
	if echo.String() != res.Output {
		t.Errorf("echoed %q, output %q", echo.String(), res.Output)
	}
	if res.Wall <= 0 {
		t.Errorf("wall time %s", res.Wall)
	}
}

func TestRunSeparateStreams(t *testing.T) {
	cli := fakeTerraform(t, `echo '{"format_version":"1.0"}'; echo 'a warning' >&2`)
	var stdout, stderr bytes.Buffer
	res, err := cli.Run(context.Background(), Options{Stdout: &stdout, Stderr: &stderr}, "providers", "schema", "-json")
	if err != nil || res.Code != 0 {
		t.Fatalf("Run = %+v, %v", res, err)
	}
	if stdout.String() != "{\"format_version\":\"1.0\"}\n" || stderr.String() != "a warning\n" || res.Output != "" {
		t.Errorf("stdout %q, stderr %q, output %q", stdout.String(), stderr.String(), res.Output)
	}
}

func TestRunCannotStart(t *testing.T) {
	cli := fakeTerraform(t, "")
	cli.Path = filepath.Join(t.TempDir(), "gone")
	if _, err := cli.Run(context.Background(), Options{}, "plan"); err == nil || !strings.Contains(err.Error(), "terraform plan: ") {
		t.Errorf("err = %v", err)
	}
}

// A plugin the CLI leaves behind does not outlive the command.
func TestRunKillsWhatTheCommandLeavesBehind(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	cli := fakeTerraform(t, `(trap '' INT TERM; exec sleep 60) >/dev/null 2>&1 &
echo $! >`+pidFile+`
`)
	res, err := cli.Run(context.Background(), Options{}, "apply")
	if err != nil || res.Code != 0 {
		t.Fatalf("Run = %+v, %v", res, err)
	}
	waitGone(t, readPID(t, pidFile))
}

// Ctrl-C reaches the CLI, which stops cleanly; the context's error is
// returned with the output so far.
func TestRunInterrupted(t *testing.T) {
	cli := fakeTerraform(t, `trap 'echo "stopping cleanly"; exit 130' INT
echo ready
sleep 60 &
wait
`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	res, err := cli.Run(ctx, Options{Echo: cancelOn("ready", cancel)}, "apply")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(res.Output, "stopping cleanly") {
		t.Errorf("the CLI did not get Ctrl-C; output:\n%s", res.Output)
	}
	if d := time.Since(start); d > cli.Grace {
		t.Errorf("took %s, longer than the grace period", d)
	}
}

// A CLI that ignores Ctrl-C is killed, with everything it started, after
// the grace period.
func TestRunInterruptedKillsAfterGrace(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	cli := fakeTerraform(t, `trap '' INT TERM
(exec sleep 60) >/dev/null 2>&1 &
echo $! >`+pidFile+`
echo ready
wait
`)
	cli.Grace = 200 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := cli.Run(ctx, Options{Echo: cancelOn("ready", cancel)}, "apply")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	waitGone(t, readPID(t, pidFile))
}

func TestFind(t *testing.T) {
	t.Setenv("TF_ACC_TERRAFORM_PATH", "/opt/tf/terraform")
	if p, err := Find(); p != "/opt/tf/terraform" || err != nil {
		t.Errorf("Find = %q, %v", p, err)
	}
	t.Setenv("TF_ACC_TERRAFORM_PATH", "")
	t.Setenv("PATH", t.TempDir())
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), "no terraform on PATH") {
		t.Errorf("err = %v", err)
	}
}

func TestWant(t *testing.T) {
	path := fakeCLI(t, `echo 'Terraform v1.11.4'`)
	ctx := context.Background()
	config := filepath.Join(t.TempDir(), "terraformrc")
	plugins := t.TempDir()

	cli, err := Want{Path: path, MinTerraform: "1.7", MinOpenTofu: "1.7"}.New(ctx, config, Override{Source: "errortracking/gitlab", Dir: plugins})
	if err != nil {
		t.Fatal(err)
	}
	if cli.String() != "Terraform v1.11.4" || !slices.Contains(cli.Env, "TF_CLI_CONFIG_FILE="+config) {
		t.Errorf("New = %s with environment %q; want Terraform v1.11.4 running with %s", cli, cli.Env, config)
	}
	if b, err := os.ReadFile(config); err != nil || !strings.Contains(string(b), `"registry.terraform.io/errortracking/gitlab" = "`+plugins+`"`) {
		t.Errorf("the CLI configuration: %v\n%s", err, b)
	}

	_, err = Want{Path: path, MinTerraform: "1.14"}.New(ctx, config)
	if err == nil || !strings.Contains(err.Error(), "Terraform v1.11.4 at "+path+" does not qualify: it takes Terraform 1.14 or later") {
		t.Errorf("too old: err = %v", err)
	}

	t.Setenv("TF_ACC_TERRAFORM_PATH", path)
	if cli, err := (Want{MinTerraform: "1.7"}).New(ctx, config); err != nil || cli.Path != path {
		t.Errorf("no path: want Find's %s, got %v, %v", path, cli, err)
	}
	t.Setenv("TF_ACC_TERRAFORM_PATH", "")
	t.Setenv("PATH", t.TempDir())
	_, err = Want{MinTerraform: "1.7", MinOpenTofu: "1.8"}.New(ctx, config)
	if err == nil || !strings.Contains(err.Error(), "no terraform on PATH") || !strings.Contains(err.Error(), "install Terraform 1.7 or OpenTofu 1.8 or later, or name one with -cli") {
		t.Errorf("no CLI: err = %v", err)
	}
}

// cancelOn is a writer that calls cancel once the output contains marker.
func cancelOn(marker string, cancel func()) *markerWriter {
	return &markerWriter{marker: marker, cancel: cancel}
}

type markerWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	cancel func()
}

func (w *markerWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(b)
	if strings.Contains(w.buf.String(), w.marker) {
		w.cancel()
	}
	return len(b), nil
}

func readPID(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// waitGone fails unless the process pid is gone (or a zombie) within a few
// seconds of its SIGKILL.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	if runtime.GOOS != "linux" {
		return
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return // gone
		}
		// pid (comm) state ...: Z is a zombie, dead and waiting to be reaped.
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && len(stat) > i+2 && stat[i+2] == 'Z' {
			return
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("process %d outlived the command", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

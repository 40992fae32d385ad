package reliability

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These tests drive the real lingong binary as a separate process, so that it can be killed with
// SIGKILL mid-write and its resident memory measured apart from the load generator.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// lingongBinary builds ./cmd/lingong once per test run.
func lingongBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lingong-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "lingong")
		cmd := exec.Command("go", "build", "-o", binPath, "lingong/cmd/lingong")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// proc is a running lingong serve process.
type proc struct {
	t    testing.TB
	cmd  *exec.Cmd
	URL  string
	done chan struct{}

	mu   sync.Mutex
	logs []map[string]any
}

// startProc starts lingong serve with env on 127.0.0.1:0 and waits until it listens.
func startProc(t testing.TB, env map[string]string) *proc {
	t.Helper()
	cmd := exec.Command(lingongBinary(t), "serve")
	cmd.Env = append(os.Environ(), "LINGONG_ADDR=127.0.0.1:0", "LINGONG_LOG_FORMAT=json")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if strings.Contains(sc.Text(), `"msg":"request"`) {
				continue // access-log lines: a load test writes a hundred thousand of them
			}
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) != nil {
				continue
			}
			p.mu.Lock()
			p.logs = append(p.logs, m)
			p.mu.Unlock()
			if m["msg"] == "listening" {
				select {
				case addr <- m["addr"].(string):
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { cmd.Wait(); close(p.done) }()
	select {
	case a := <-addr:
		p.URL = "http://" + a
	case <-p.done:
		t.Fatalf("lingong exited before listening; logs: %v", p.logLines())
	case <-time.After(180 * time.Second):
		// LINGONG_DEMO=1 lives its demo month before listening: tens of seconds on a busy machine.
		p.Kill()
		t.Fatal("lingong did not listen within 180 s")
	}
	t.Cleanup(p.Kill)
	return p
}

// Kill sends SIGKILL (a crash: no shutdown, no flush) and waits for the process to be gone.
func (p *proc) Kill() {
	if p.cmd.Process == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop sends SIGTERM and waits up to 30 s for a graceful exit.
func (p *proc) Stop() error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(30 * time.Second):
		p.Kill()
		return context.DeadlineExceeded
	}
}

// RSS is the process's resident memory in bytes (Linux /proc).
func (p *proc) RSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func (p *proc) logLines() []map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]map[string]any(nil), p.logs...)
}

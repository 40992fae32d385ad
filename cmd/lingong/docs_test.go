package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/test/testtool"
)

// The documentation is tested like code: every shell command it shows either runs here or is checked
// here, so a pasted command never fails because the docs drifted from the product.
//
//   - TestDocsShellBlocksRun runs every fenced ```sh block of README.md and docs/api.md, in order, per
//     file, with bash -euo pipefail against the real service started in this process.
//     Only BASE and the secrets are substituted; the README's run and test commands are the only lines
//     left out (the test starts the server itself; CI runs the tests).
//   - TestDocsGoTestCommandsNameExistingTests checks every `go test` command of README.md and docs/*.md
//     (the reliability table, the performance figures): each package exists, each -run, -bench and -fuzz
//     pattern names tests that exist there (go test -list), and each custom flag is defined there.
//   - TestDocsREADMEConfigTableIsComplete holds the README's configuration table to the variables the
//     configuration code reads, and TestDocsREADMEKeepsTheTwoCommands keeps the commands CI relies on.

// docsRoot is the module root, where the docs live, seen from this package's directory.
const docsRoot = "../.."

// docsRunFiles are the files whose ```sh blocks are run.
var docsRunFiles = []string{"README.md", "docs/api.md"}

// docsSubstituted are the shell variables a reader sets to their own server and secrets. In a block,
// a line assigning one of them (BASE=http://localhost:8080) is left out and the test's value comes in
// through the environment instead; nothing else of a block is changed.
var docsSubstituted = []string{"BASE", "ADMIN_PASSWORD"}

// docsNotRun are the commands of a ```sh block that this test leaves out, and why. Nothing else is left
// out: any other line runs.
var docsNotRun = map[string]string{
	// The README's test command is what CI runs (.ci/run); run here, it would run this test again.
	"go test ./...": "the README's test command: .ci/run runs it",
}

// startLine is the README's run command, optionally with environment variables: the server the
// blocks after it talk to. The test starts that server itself, in this process (the end-to-end tests
// cover `run` as a command), with the environment the line gives.
var startLine = regexp.MustCompile(`^((?:[A-Z][A-Z0-9_]*=(?:\$\([^)]*\)|\S+)\s+)*)go run \./cmd/lingong\s*(#.*)?$`)

// startAssignment is one NAME=value of a start line.
var startAssignment = regexp.MustCompile(`([A-Z][A-Z0-9_]*)=(\$\([^)]*\)|\S+)`)

func TestDocsShellBlocksRun(t *testing.T) {
	bash := testtool.Require(t, "bash")
	testtool.Require(t, "curl")
	testtool.Require(t, "jq")
	secret := "docs-" + randomHex(t, 12)
	for _, name := range docsRunFiles {
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join(docsRoot, name))
			if err != nil {
				t.Fatal(err)
			}
			blocks, err := fencedShellBlocks(string(text))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			plan, err := planDocsRun(blocks, secret)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(plan.run) == 0 {
				t.Fatalf("%s: no ```sh block to run", name)
			}
			// A variable the test supplies must be one the reader is told to set.
			for _, v := range docsSubstituted {
				used := slices.ContainsFunc(plan.run, func(b docsBlock) bool {
					return strings.Contains(b.text, "$"+v) || strings.Contains(b.text, "${"+v)
				})
				if used && !plan.assigned[v] {
					t.Errorf("%s: the blocks use $%s but never set it (%s=…); a reader's paste would fail", name, v, v)
				}
			}
			for _, n := range plan.notes {
				t.Logf("%s: %s", name, n)
			}
			srv := startServer(t, plan.env)
			start := time.Now()
			env := append(os.Environ(), "BASE="+srv.URL, "ADMIN_PASSWORD="+secret,
				"NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost") // curl straight to the test server
			runDocsBlocks(t, name, bash, plan.run, env)
			t.Logf("%s: %d blocks ran in %v", name, len(plan.run), time.Since(start).Round(time.Millisecond))
		})
	}
}

// The README's test command is the one .ci/run relies on.
func TestDocsREADMEKeepsTheTwoCommands(t *testing.T) {
	text, err := os.ReadFile(filepath.Join(docsRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := fencedShellBlocks(string(text))
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, b := range blocks {
		for _, line := range strings.Split(b.text, "\n") {
			found[stripComment(line)] = true
		}
	}
	for _, want := range []string{"go run ./cmd/lingong", "go test ./..."} {
		if !found[want] {
			t.Errorf("README.md has no ```sh line %q", want)
		}
	}
}

// docsBlock is one fenced ```sh block: its text and the line of the file where the text starts.
type docsBlock struct {
	line int
	text string
}

// fencedShellBlocks returns the ```sh blocks of a Markdown text in order. A fence of another shell
// language (bash, shell, console) is an error: it would show a command this test does not run.
func fencedShellBlocks(md string) ([]docsBlock, error) {
	var blocks []docsBlock
	var cur *docsBlock // the open ```sh block
	var body []string
	inOther := false // inside a fenced block of another language
	for i, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		fence := strings.HasPrefix(trimmed, "```")
		switch {
		case cur != nil && fence:
			cur.text = strings.Join(body, "\n") + "\n"
			blocks = append(blocks, *cur)
			cur, body = nil, nil
		case cur != nil:
			body = append(body, line)
		case inOther:
			inOther = !fence
		case fence:
			switch lang := strings.TrimSpace(strings.TrimPrefix(trimmed, "```")); lang {
			case "sh":
				if trimmed != line {
					return nil, fmt.Errorf("line %d: an indented ```sh fence; start it at the margin", i+1)
				}
				cur = &docsBlock{line: i + 2}
			case "bash", "shell", "console", "zsh", "shell-session":
				return nil, fmt.Errorf("line %d: a ```%s block; shell commands go in ```sh blocks, which the docs test runs", i+1, lang)
			default:
				inOther = true
			}
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("line %d: ```sh block never closed", cur.line-1)
	}
	return blocks, nil
}

// docsPlan is what to do with a file's blocks: the server's environment and the blocks to run.
type docsPlan struct {
	env      map[string]string
	run      []docsBlock
	notes    []string
	assigned map[string]bool // the docsSubstituted variables the file sets for its reader
}

// planDocsRun takes the blocks apart: a start line gives the server's environment, a line in
// docsNotRun is left out, a line assigning a docsSubstituted variable gives way to the environment;
// every other line runs, unchanged.
func planDocsRun(blocks []docsBlock, secret string) (docsPlan, error) {
	plan := docsPlan{env: map[string]string{}, assigned: map[string]bool{}}
	for _, b := range blocks {
		lines := strings.Split(strings.TrimSuffix(b.text, "\n"), "\n")
		var kept []string
		runs := false
		var quote rune // the quote a line starts inside of, left open by the lines before it
		for i, line := range lines {
			continued := quote != 0 || i > 0 && strings.HasSuffix(strings.TrimRight(lines[i-1], " "), "\\")
			cmd := stripComment(line)
			quote = quoteAfter(line, quote)
			where := fmt.Sprintf("line %d", b.line+i)
			switch {
			case continued || cmd == "":
			case docsNotRun[cmd] != "":
				plan.notes = append(plan.notes, fmt.Sprintf("%s: not run: %s (%s)", where, cmd, docsNotRun[cmd]))
				kept = append(kept, "# (not run by the docs test) "+line)
				continue
			case startLine.MatchString(cmd):
				env, err := startEnv(startLine.FindStringSubmatch(cmd)[1], secret)
				if err != nil {
					return docsPlan{}, fmt.Errorf("%s: %v", where, err)
				}
				for k, v := range env {
					plan.env[k] = v
				}
				plan.notes = append(plan.notes, fmt.Sprintf("%s: the test starts this server in-process: %s", where, cmd))
				kept = append(kept, "# (server started by the docs test) "+line)
				continue
			case substitutedAssignment(cmd) != "":
				plan.assigned[substitutedAssignment(cmd)] = true
				kept = append(kept, "# (set by the docs test) "+line)
				continue
			case strings.HasPrefix(cmd, "go ") || strings.Contains(cmd, " go test ") || strings.Contains(cmd, " go run "):
				return docsPlan{}, fmt.Errorf("%s: %q: the docs test runs every ```sh line and cannot run this go command; cite go test commands in docs/reliability.md or docs/performance.md (checked by TestDocsGoTestCommandsNameExistingTests)", where, cmd)
			default:
				runs = true
			}
			kept = append(kept, line)
		}
		if runs {
			plan.run = append(plan.run, docsBlock{line: b.line, text: strings.Join(kept, "\n") + "\n"})
		}
	}
	return plan, nil
}

// substitutedAssignment returns the docsSubstituted variable a command assigns, or "".
func substitutedAssignment(cmd string) string {
	for _, v := range docsSubstituted {
		if strings.HasPrefix(cmd, v+"=") {
			return v
		}
	}
	return ""
}

// quoteAfter returns the quote still open at the end of a shell line that starts inside quote (0 for
// none), so a line inside a multi-line '…' argument is not taken for a command of its own.
func quoteAfter(line string, quote rune) rune {
	escaped := false
	for _, r := range line {
		switch {
		case escaped:
			escaped = false
		case quote == 0 && r == '#':
			return 0 // a comment (the docs' lines put # only after a space or in quotes)
		case quote == 0 && (r == '\'' || r == '"'):
			quote = r
		case quote == '"' && r == '\\':
			escaped = true
		case r == quote:
			quote = 0
		}
	}
	return quote
}

// startEnv reads the assignments before `go run ./cmd/lingong`. The admin password is the test's
// secret; a fresh data directory ($(mktemp -d)) is the test's temporary one; the test chooses where
// the server listens and how it logs. Any other value is taken as written and must be literal.
func startEnv(assignments, secret string) (map[string]string, error) {
	env := map[string]string{}
	for _, m := range startAssignment.FindAllStringSubmatch(assignments, -1) {
		k, v := m[1], m[2]
		switch {
		case k == "LINGONG_ADMIN_PASSWORD":
			env[k] = secret
		case k == "LINGONG_DATA_DIR" && v == "$(mktemp -d)":
			// startServer gives every server a fresh temporary directory.
		case k == "LINGONG_ADDR" || k == "LINGONG_LOG_FORMAT" || k == "LINGONG_DATA_DIR":
			return nil, fmt.Errorf("the docs test chooses %s itself; leave it out of the start line (or use LINGONG_DATA_DIR=$(mktemp -d))", k)
		case strings.ContainsAny(v, "$`'\"\\"):
			return nil, fmt.Errorf("%s=%s: the docs test takes start-line values literally; write the value itself", k, v)
		default:
			env[k] = v
		}
	}
	return env, nil
}

// stripComment returns a shell line without its trailing comment and surrounding space. It knows
// quotes well enough for the docs' lines: a # inside quotes, or not after a space, starts no comment.
func stripComment(line string) string {
	var quote rune
	prev := ' '
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (prev == ' ' || prev == '\t'):
			return strings.TrimSpace(line[:i])
		}
		prev = r
	}
	return strings.TrimSpace(line)
}

// runDocsBlocks runs a file's blocks in order in one bash, so the variables a block captures (ids,
// keys, tokens) reach the blocks after it, as they do for a reader pasting them into one terminal.
// A marker before each block tells which block failed and what it printed.
func runDocsBlocks(t *testing.T, file, bash string, blocks []docsBlock, env []string) {
	t.Helper()
	const marker = "@@lingong-docs-block-%d@@"
	var script strings.Builder
	script.WriteString("shopt -s inherit_errexit\n")
	for i, b := range blocks {
		fmt.Fprintf(&script, "printf '\\n%s\\n'\n%s", fmt.Sprintf(marker, i), b.text)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-euo", "pipefail", "-c", script.String())
	cmd.Dir = t.TempDir()
	cmd.Env = env
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err == nil {
		if testing.Verbose() {
			t.Logf("%s: what the blocks printed:\n%s", file, regexp.MustCompile(`\n?@@lingong-docs-block-\d+@@\n`).ReplaceAllString(out.String(), "\n---\n"))
		}
		return
	}
	// The last marker printed names the failing block; what follows it is that block's output.
	output := out.String()
	failed, rest := -1, output
	for i := range blocks {
		m := fmt.Sprintf(marker, i)
		if j := strings.LastIndex(output, m); j >= 0 {
			failed, rest = i, output[j+len(m):]
		}
	}
	if failed < 0 {
		t.Fatalf("%s: bash failed before the first block: %v\n%s", file, err, output)
	}
	b := blocks[failed]
	t.Fatalf("%s: the ```sh block at line %d failed (%v).\n--- block ---\n%s--- output ---\n%s", file, b.line, err, b.text, strings.TrimLeft(rest, "\n"))
}

// lockedBuffer is a bytes.Buffer that stdout and stderr may share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// TestDocsGoTestCommandsNameExistingTests keeps the docs' go test commands honest: a command that
// names a test that does not exist passes while proving nothing, so every pattern must match.
func TestDocsGoTestCommandsNameExistingTests(t *testing.T) {
	files := []string{"README.md"}
	more, err := filepath.Glob(filepath.Join(docsRoot, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range more {
		rel, _ := filepath.Rel(docsRoot, m)
		files = append(files, rel)
	}
	var cmds []docsGoTest
	for _, f := range files {
		text, err := os.ReadFile(filepath.Join(docsRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		found, problems := goTestCommands(f, string(text))
		for _, p := range problems {
			t.Error(p)
		}
		cmds = append(cmds, found...)
	}
	if !slices.ContainsFunc(cmds, func(c docsGoTest) bool { return strings.HasPrefix(c.where, "docs/reliability.md:") }) {
		t.Error("docs/reliability.md cites no go test command")
	}
	// One go test -list for all the packages the commands name: the package's tests, benchmarks, fuzz
	// targets and examples, printed before its "ok" line.
	var pkgs []string
	for _, c := range cmds {
		for _, pkg := range c.packages {
			rel := strings.TrimPrefix(pkg, "./")
			if info, err := os.Stat(filepath.Join(docsRoot, rel)); err == nil && info.IsDir() && !slices.Contains(pkgs, "./"+rel) {
				pkgs = append(pkgs, "./"+rel)
			}
		}
	}
	slices.Sort(pkgs)
	cmd := exec.Command("go", append([]string{"test", "-list", "."}, pkgs...)...)
	cmd.Dir = docsRoot
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test -list . %s: %v\n%s", strings.Join(pkgs, " "), err, out)
	}
	names := map[string][]string{} // ./package -> its tests, benchmarks, fuzz targets and examples
	listed := regexp.MustCompile(`^(Test|Benchmark|Fuzz|Example)\w*$`)
	done := regexp.MustCompile(`^ok\s+lingong/(\S+)\s`)
	var pending []string
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case listed.MatchString(line):
			pending = append(pending, line)
		case done.MatchString(line):
			names["./"+done.FindStringSubmatch(line)[1]] = pending
			pending = nil
		}
	}
	for _, c := range cmds {
		for _, pkg := range c.packages {
			rel := strings.TrimPrefix(pkg, "./")
			if info, err := os.Stat(filepath.Join(docsRoot, rel)); err != nil || !info.IsDir() {
				t.Errorf("%s: %s: no package %s", c.where, c.text, pkg)
				continue
			}
			got, ok := names["./"+rel]
			if !ok {
				t.Errorf("%s: %s: go test -list printed nothing for %s:\n%s", c.where, c.text, pkg, out)
				continue
			}
			for _, p := range c.patterns {
				for _, alt := range topLevelAlternatives(p.pattern) {
					top, _, _ := strings.Cut(alt, "/") // the part that names a top-level test
					re, err := regexp.Compile(top)
					if err != nil {
						t.Errorf("%s: %s: %s %q is not a regular expression: %v", c.where, c.text, p.flag, alt, err)
						continue
					}
					if !slices.ContainsFunc(got, func(n string) bool { return p.accepts(n) && re.MatchString(n) }) {
						t.Errorf("%s: %s: %s %q names no %s in %s", c.where, c.text, p.flag, alt, p.kind(), pkg)
					}
				}
			}
			for _, f := range c.customFlags {
				if !packageDefinesFlag(t, filepath.Join(docsRoot, rel), f) {
					t.Errorf("%s: %s: no test flag -%s in %s", c.where, c.text, f, pkg)
				}
			}
		}
	}
	t.Logf("checked %d go test commands in %d files", len(cmds), len(files))
}

// docsGoTest is one go test command cited in the docs.
type docsGoTest struct {
	where       string // file:line
	text        string
	packages    []string
	patterns    []docsPattern
	customFlags []string
}

type docsPattern struct{ flag, pattern string }

// accepts reports whether a listed name is the kind the flag selects.
func (p docsPattern) accepts(name string) bool {
	switch p.flag {
	case "-bench":
		return strings.HasPrefix(name, "Benchmark")
	case "-fuzz":
		return strings.HasPrefix(name, "Fuzz")
	}
	return !strings.HasPrefix(name, "Benchmark")
}

func (p docsPattern) kind() string {
	switch p.flag {
	case "-bench":
		return "benchmark"
	case "-fuzz":
		return "fuzz target"
	}
	return "test"
}

// goTestFlagsWithValue are go test's own flags that take a value; other flags with a value are the
// packages' own test flags (flag.Int("burst", …)), which must exist.
var goTestFlagsWithValue = map[string]bool{"run": true, "bench": true, "fuzz": true, "skip": true, "list": true,
	"benchtime": true, "count": true, "timeout": true, "fuzztime": true, "cpu": true, "parallel": true, "p": true,
	"tags": true, "o": true, "coverprofile": true, "covermode": true, "exec": true, "shuffle": true,
	"cpuprofile": true, "memprofile": true, "blockprofile": true, "mutexprofile": true, "trace": true, "fuzzminimizetime": true}

var goTestBoolFlags = map[string]bool{"v": true, "race": true, "short": true, "failfast": true, "json": true,
	"benchmem": true, "cover": true, "c": true, "x": true, "n": true}

var inlineCode = regexp.MustCompile("`([^`]+)`")

// goTestCommands finds the go test commands of a Markdown file: in ```sh blocks and in inline code.
func goTestCommands(file, md string) ([]docsGoTest, []string) {
	var cmds []docsGoTest
	var problems []string
	inBlock := false
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		where := fmt.Sprintf("%s:%d", file, i+1)
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inBlock = !inBlock
			continue
		}
		var candidates []string
		if inBlock {
			full := line
			for strings.HasSuffix(strings.TrimRight(full, " "), "\\") && i+1 < len(lines) {
				i++
				full = strings.TrimSuffix(strings.TrimRight(full, " "), "\\") + " " + lines[i]
			}
			candidates = []string{stripComment(full)}
		} else {
			table := strings.HasPrefix(strings.TrimSpace(line), "|")
			for _, m := range inlineCode.FindAllStringSubmatch(line, -1) {
				c := m[1]
				if table {
					c = strings.ReplaceAll(c, `\|`, "|") // a pipe escaped for the Markdown table
				}
				candidates = append(candidates, c)
			}
		}
		for _, c := range candidates {
			j := strings.Index(c, "go test")
			if j < 0 {
				continue
			}
			cmd, problem := parseGoTest(where, c[j:])
			if problem != "" {
				problems = append(problems, problem)
				continue
			}
			if len(cmd.packages) > 0 {
				cmds = append(cmds, cmd)
			}
		}
	}
	return cmds, problems
}

// parseGoTest reads `go test [flags] packages [flags]` up to the end of the command.
func parseGoTest(where, text string) (docsGoTest, string) {
	if strings.Contains(text, "…") || strings.Contains(text, "...") && !strings.Contains(text, "./...") {
		return docsGoTest{}, fmt.Sprintf("%s: %q: write the command in full, without an ellipsis", where, text)
	}
	words, err := shellWords(text)
	if err != nil {
		return docsGoTest{}, fmt.Sprintf("%s: %q: %v", where, text, err)
	}
	c := docsGoTest{where: where, text: text}
	var bench, run string
	hasRun := false
	for k := 2; k < len(words); k++ {
		w := words[k]
		if w == ";" || w == "&&" || w == "||" || w == "|" {
			break
		}
		if !strings.HasPrefix(w, "-") {
			if w == "./..." || strings.HasSuffix(w, "/...") {
				continue // every package: nothing to name
			}
			c.packages = append(c.packages, w)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(w, "-"), "=")
		if goTestBoolFlags[name] {
			continue
		}
		if !hasValue {
			if k+1 >= len(words) {
				break // a fragment such as `go test -list` in prose names nothing
			}
			k++
			value = words[k]
		}
		switch {
		case name == "run":
			run, hasRun = value, true
		case name == "bench":
			bench = value
		case name == "fuzz":
			c.patterns = append(c.patterns, docsPattern{"-fuzz", value})
		case goTestFlagsWithValue[name]:
		default:
			c.customFlags = append(c.customFlags, name)
		}
	}
	if bench != "" {
		c.patterns = append(c.patterns, docsPattern{"-bench", bench})
	}
	// -run '^$' beside -bench or -fuzz runs no test on purpose.
	if hasRun && !(run == "^$" && (bench != "" || slices.ContainsFunc(c.patterns, func(p docsPattern) bool { return p.flag == "-fuzz" }))) {
		c.patterns = append(c.patterns, docsPattern{"-run", run})
	}
	return c, ""
}

// shellWords splits a command as the shell would for the docs' commands: words, single and double
// quotes (without expansion), and the operators that end a command.
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == ';' || r == '|' || r == '&':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
			words = append(words, string(r))
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed quote")
	}
	if inWord {
		words = append(words, cur.String())
	}
	// Glue the two-character operators back together.
	var out []string
	for _, w := range words {
		if n := len(out); n > 0 && (w == "|" || w == "&") && out[n-1] == w {
			out[n-1] = w + w
			continue
		}
		out = append(out, w)
	}
	return out, nil
}

// topLevelAlternatives splits a pattern at the | that are not inside parentheses or brackets.
func topLevelAlternatives(p string) []string {
	var alts []string
	depth, start := 0, 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case '|':
			if depth == 0 {
				alts = append(alts, p[start:i])
				start = i + 1
			}
		}
	}
	return append(alts, p[start:])
}

// packageDefinesFlag reports whether a test file of the package defines the test flag name.
func packageDefinesFlag(t *testing.T, dir, name string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	def := regexp.MustCompile(`flag\.[A-Za-z0-9]+\(\s*"` + regexp.QuoteMeta(name) + `"`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if def.Match(src) {
			return true
		}
	}
	return false
}

// The README's configuration table names every variable the service reads, and only those: the
// configuration code is the truth, and a variable added there without a row fails here.
func TestDocsREADMEConfigTableIsComplete(t *testing.T) {
	read := map[string]bool{}
	sources, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`"(LINGONG_[A-Z0-9_]+|DATABASE_URL)"`)
	for _, f := range sources {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range name.FindAllStringSubmatch(string(src), -1) {
			read[m[1]] = true
		}
	}
	if !read["LINGONG_ADDR"] || !read["DATABASE_URL"] {
		t.Fatalf("found only %v in the configuration code; has it moved?", slices.Sorted(maps.Keys(read)))
	}
	readme, err := os.ReadFile(filepath.Join(docsRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `(LINGONG_[A-Z0-9_]+|DATABASE_URL)` \\|")
	documented := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		if documented[m[1]] {
			t.Errorf("README.md: %s has two rows", m[1])
		}
		documented[m[1]] = true
	}
	for v := range read {
		if !documented[v] {
			t.Errorf("README.md: the configuration table has no row for %s", v)
		}
	}
	for v := range documented {
		if !read[v] {
			t.Errorf("README.md: the configuration table documents %s, which the service does not read", v)
		}
	}
}

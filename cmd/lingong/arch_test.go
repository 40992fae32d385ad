package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The import rules of DESIGN.md section 1, checked on the real dependency graph (go list -deps, which
// ignores test files): the domain in the middle imports nothing of ours; the pure engines import only
// the domain; the use cases (app) import those and never HTTP or the ORM; gorm and the drivers stay in
// store; gin stays in api, which reaches the store only through app; only cmd wires everything.
func TestImportRules(t *testing.T) {
	noStore := []string{"gorm.io/", "github.com/jackc/", "github.com/glebarez/", "github.com/pressly/"}
	rules := []struct {
		pkg       string
		allowOurs []string // our packages it may depend on
		forbid    []string // outside prefixes it must not reach
	}{
		{"lingong/domain", nil, []string{"gorm.io/", "github.com/gin-gonic/", "github.com/jackc/", "github.com/glebarez/"}},
		{"lingong/matching", []string{"lingong/domain"}, []string{"gorm.io/", "github.com/gin-gonic/", "github.com/jackc/", "github.com/glebarez/", "net/http"}},
		{"lingong/contracts", []string{"lingong/domain"}, []string{"gorm.io/", "github.com/gin-gonic/", "github.com/jackc/", "github.com/glebarez/"}},
		{"lingong/migrations", nil, []string{"gorm.io/", "github.com/gin-gonic/"}},
		{"lingong/store", []string{"lingong/domain", "lingong/migrations"}, []string{"github.com/gin-gonic/"}},
		// The use cases: no HTTP, no ORM, no driver; they declare the store they need.
		{"lingong/app", []string{"lingong/domain", "lingong/matching", "lingong/contracts"}, []string{"gorm.io/", "github.com/gin-gonic/", "github.com/jackc/", "github.com/glebarez/", "net/http"}},
		// The demo month is lived through the use cases only: never the store or HTTP.
		{"lingong/demo", []string{"lingong/app", "lingong/domain", "lingong/matching", "lingong/contracts"}, []string{"gorm.io/", "github.com/gin-gonic/", "github.com/jackc/", "github.com/glebarez/", "net/http"}},
		// The SMS adapter: like store, it implements what app declares (app.SMSSender, app.SMSCallbacks)
		// and talks to the outside world (the providers' HTTP APIs); app never imports it, and it stays
		// out of the database and the HTTP framework.
		{"lingong/sms", []string{"lingong/app", "lingong/domain", "lingong/matching", "lingong/contracts"}, []string{"gorm.io/", "github.com/gin-gonic/", "github.com/jackc/", "github.com/glebarez/"}},
		// The insurer adapter (the daily insured roster): like sms, it implements what app declares
		// (app.Insurer) and talks to the outside world; no database, no HTTP framework.
		{"lingong/insurer", []string{"lingong/domain"}, []string{"gorm.io/", "github.com/gin-gonic/", "github.com/jackc/", "github.com/glebarez/"}},
		// The HTTP side: the shared kit, then one package per audience, none reaching another's; the
		// frame mounts them all. They reach the store only through app.
		{"lingong/api/kit", []string{"lingong/app", "lingong/domain", "lingong/matching", "lingong/contracts"}, noStore},
		{"lingong/api/v1", []string{"lingong/api/kit", "lingong/app", "lingong/domain", "lingong/matching", "lingong/contracts"}, noStore},
		{"lingong/api/web", []string{"lingong/api/kit", "lingong/app", "lingong/domain", "lingong/matching", "lingong/contracts"}, noStore},
		{"lingong/api/web/worker", []string{"lingong/api/web", "lingong/api/kit", "lingong/app", "lingong/domain", "lingong/matching", "lingong/contracts"}, noStore},
		{"lingong/api/web/console", []string{"lingong/api/web", "lingong/api/kit", "lingong/app", "lingong/domain", "lingong/matching", "lingong/contracts"}, noStore},
		{"lingong/api", []string{"lingong/api/kit", "lingong/api/v1", "lingong/api/web", "lingong/api/web/worker", "lingong/api/web/console",
			"lingong/app", "lingong/domain", "lingong/matching", "lingong/contracts"}, noStore},
	}
	for _, r := range rules {
		t.Run(r.pkg, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", r.pkg).Output()
			if err != nil {
				t.Fatalf("go list -deps %s: %v", r.pkg, err)
			}
			allowed := map[string]bool{r.pkg: true}
			for _, a := range r.allowOurs {
				allowed[a] = true
			}
			for _, dep := range strings.Fields(string(out)) {
				if strings.HasPrefix(dep, "lingong/") && !allowed[dep] {
					t.Errorf("%s depends on %s, which the layout forbids", r.pkg, dep)
				}
				for _, f := range r.forbid {
					if strings.HasPrefix(dep, f) {
						t.Errorf("%s depends on %s", r.pkg, dep)
					}
				}
			}
		})
	}
}

// go.mod lists its requirements in two blocks, the direct ones first and then the indirect ones, so a
// reader sees at a glance what the product depends on (go mod tidy keeps blocks but never merges them).
func TestGoModHasOneRequireBlockForDirectAndOneForIndirect(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var blocks [][]string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "require (":
			in = true
			blocks = append(blocks, nil)
		case in && line == ")":
			in = false
		case in && line != "":
			blocks[len(blocks)-1] = append(blocks[len(blocks)-1], line)
		case strings.HasPrefix(line, "require "):
			t.Errorf("go.mod: a require outside the two blocks: %q", line)
		}
	}
	if len(blocks) != 2 {
		t.Fatalf("go.mod has %d require blocks, want 2 (direct, then indirect)", len(blocks))
	}
	for i, want := range []bool{false, true} {
		for _, l := range blocks[i] {
			if strings.HasSuffix(l, "// indirect") != want {
				t.Errorf("go.mod block %d (want indirect=%v): %q", i+1, want, l)
			}
		}
	}
}

// Sizes a newcomer can hold in their head: each HTTP package (api and everything under it) stays under
// 4,000 lines of non-test code, no non-test file passes 800 lines, and no function passes 150 (a longer
// one becomes named steps or a type of its own, as the matching engine's queries are).
func TestPackagesFilesAndFunctionsStaySmall(t *testing.T) {
	const maxHTTPPackage, maxFile, maxFunc = 4000, 800, 150
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{.Dir}}|{{join .GoFiles ","}}`, "lingong/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	fset := token.NewFileSet()
	packages := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		if len(parts) != 3 || parts[2] == "" {
			continue
		}
		pkg, dir := parts[0], parts[1]
		packages++
		total := 0
		for _, name := range strings.Split(parts[2], ",") {
			path := filepath.Join(dir, name)
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			n := bytes.Count(src, []byte("\n"))
			total += n
			if n > maxFile {
				t.Errorf("%s: %d lines, more than %d: split it by what its parts do", path, n, maxFile)
			}
			f, err := parser.ParseFile(fset, path, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
					if l := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1; l > maxFunc {
						t.Errorf("%s: func %s is %d lines, more than %d: make it named steps", path, fd.Name.Name, l, maxFunc)
					}
				}
			}
		}
		if (pkg == "lingong/api" || strings.HasPrefix(pkg, "lingong/api/")) && total > maxHTTPPackage {
			t.Errorf("HTTP package %s: %d lines of non-test code, more than %d", pkg, total, maxHTTPPackage)
		}
	}
	if packages < 10 {
		t.Fatalf("only %d packages listed: is go list reading the module?", packages)
	}
}

// TestTheCodeHasOneWordForAJob keeps one word for a gig in the code: domain.Job, the API's /jobs and the
// database's jobs table say job, so no Go identifier or file name (tests included) says gig. English
// comments and Chinese words are free; strings are the API's and the pages' business.
func TestTheCodeHasOneWordForAJob(t *testing.T) {
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("git rev-parse: %v (not a git checkout)", err)
	}
	root := strings.TrimSpace(string(top))
	out, err := exec.Command("git", "-C", root, "ls-files", "--", "*.go").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	fset := token.NewFileSet()
	files := 0
	for _, rel := range strings.Fields(string(out)) {
		files++
		if strings.Contains(strings.ToLower(filepath.Base(rel)), "gig") {
			t.Errorf("%s: a file name says gig; the code's word is job", rel)
		}
		f, err := parser.ParseFile(fset, filepath.Join(root, rel), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && strings.Contains(strings.ToLower(id.Name), "gig") {
				t.Errorf("%s: identifier %s says gig; the code's word is job", fset.Position(id.Pos()), id.Name)
			}
			return true
		})
	}
	if files < 100 {
		t.Fatalf("only %d Go files listed: the check did not see the code", files)
	}
}

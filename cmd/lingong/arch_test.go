package main

import (
	"os/exec"
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
		// The SMS adapter: like store, it implements what app declares (app.SMSSender, app.SMSCallbacks)
		// and talks to the outside world (the providers' HTTP APIs); app never imports it, and it stays
		// out of the database and the HTTP framework.
		{"lingong/sms", []string{"lingong/app", "lingong/domain", "lingong/matching", "lingong/contracts"}, []string{"gorm.io/", "github.com/gin-gonic/", "github.com/jackc/", "github.com/glebarez/"}},
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

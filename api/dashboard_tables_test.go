package api

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// tableShapes reads every <table data-table=…> of a page: for each, the number of cells of each row
// (header first).
func tableShapes(t *testing.T, page string) map[string][]int {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]int{}
	var walk func(n *html.Node, table string)
	walk = func(n *html.Node, table string) {
		if n.Type == html.ElementNode && n.Data == "table" {
			for _, a := range n.Attr {
				if a.Key == "data-table" {
					table = a.Val
					out[table] = nil
				}
			}
		}
		if n.Type == html.ElementNode && n.Data == "tr" && table != "" {
			cells := 0
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
					cells++
				}
			}
			out[table] = append(out[table], cells)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, table)
		}
	}
	walk(doc, "")
	return out
}

// Every table of the dashboard is one table: a header and rows of as many cells, no empty row (the
// arrears by employer and by how long overdue were once drawn as one table with a blank row between).
func TestDashboardTablesAreWellFormed(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		f := newAuthzFixture(t, env)
		f.alert()
		b := env.consoleLogin("admin", "admin-test-password")
		_, _, page := b.get("/console/dashboard")
		shapes := tableShapes(t, page)
		for _, name := range []string{"summary", "registrations", "skills", "districts", "stations", "arrears", "arrears_age"} {
			rows, ok := shapes[name]
			if !ok || len(rows) < 2 {
				t.Errorf("table %s: rows %v, want a header and at least one line", name, rows)
				continue
			}
			for i, n := range rows {
				if n != rows[0] {
					t.Errorf("table %s row %d has %d cells, the header %d: %v", name, i, n, rows[0], rows)
					break
				}
			}
		}
		if code, _, csv := b.get("/console/dashboard.csv?table=arrears_age"); code != 200 || !strings.Contains(csv, "逾期,预警数,欠薪（元）") {
			t.Errorf("arrears by age as CSV: %d %q", code, csv)
		}
		if _, _, csv := b.get("/console/dashboard.csv?table=arrears"); strings.Contains(csv, "\n\n") || strings.Contains(csv, "逾期,") {
			t.Errorf("arrears by employer as CSV still holds the second table: %q", csv)
		}
	})
}

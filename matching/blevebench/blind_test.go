package main

// The blind evaluation (issue 19, item 6): the frozen set in ../testdata/blind is loaded through the
// product's public API (a real HTTP server over a migrated SQLite store, as cmd wires it: employers post
// gigs with their API keys, staff approve them, workers register with an SMS code) and scored by nDCG@10
// for a worker's matches, a gig's candidates and the search box, side by side with Bleve v2 (cjk
// analyzer, the hard filters applied) on the same set, dev and test halves apart.
//
//	go -C matching/blevebench test -count=1 -run TestBlind -v .
//
// BLIND_DETAIL=dev prints every dev subject with its top 10 and their grades, for diagnosis. The test
// half is only ever scored, never printed item by item. The test asserts nothing about the scores: it is
// the measurement, not a gate (the figures are in docs/matching.md).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/search/query"

	"lingong/api"
	"lingong/app"
	"lingong/domain"
	"lingong/matching"
	"lingong/store/storetest"
)

const blindDir = "../testdata/blind"

// blindNow is the set's "today", 2027-01-05, at 10:00 in 中卫.
var blindNow = time.Date(2027, 1, 5, 2, 0, 0, 0, time.UTC)

type blindJob struct {
	Ref           string   `json:"ref"`
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	Skills        []string `json:"skills"`
	RequiredCerts []string `json:"required_certs"`
	Headcount     int      `json:"headcount"`
	WageFen       int64    `json:"wage_fen"`
	WageUnit      string   `json:"wage_unit"`
	PieceUnit     string   `json:"piece_unit"`
	ExpectedHours float64  `json:"expected_hours"`
	Settlement    string   `json:"settlement"`
	District      string   `json:"district"`
	Town          string   `json:"town"`
	Address       string   `json:"address"`
	StartDate     string   `json:"start_date"`
	EndDate       string   `json:"end_date"`
	DailyHours    float64  `json:"daily_hours"`
	Contact       string   `json:"contact"`
}

type blindWorker struct {
	Ref              string   `json:"ref"`
	Name             string   `json:"name"`
	District         string   `json:"district"`
	Town             string   `json:"town"`
	Village          string   `json:"village"`
	Skills           []string `json:"skills"`
	Certs            []string `json:"certs"`
	SelfDescription  string   `json:"self_description"`
	ExpectedWageFen  int64    `json:"expected_wage_fen"`
	ExpectedWageUnit string   `json:"expected_wage_unit"`
	AvailableFrom    string   `json:"available_from"`
	AvailableTo      string   `json:"available_to"`
	MaxCommuteKm     int      `json:"max_commute_km"`
}

type blindQuery struct {
	Ref string `json:"ref"`
	Q   string `json:"q"`
}

// qrel is one judgment line: a grade, or a violation (grade 0).
type qrel struct {
	Worker    string `json:"worker"`
	Job       string `json:"gig"` // the frozen judgments name a gig "gig"
	Query     string `json:"query"`
	Violation string `json:"violation"`
	Grade     int    `json:"grade"`
}

type halves struct {
	Workers    []string `json:"workers"`
	JobsJudged []string `json:"gigs_judged"`
	Queries    []string `json:"queries"`
}

type blindSet struct {
	jobs    []blindJob
	workers []blindWorker
	queries []blindQuery
	// grades[subject][item] and violations[subject][item] per direction.
	workerGrades, jobGrades, queryGrades map[string]map[string]int
	workerViol, jobViol                  map[string]map[string]bool
	split                                struct{ Dev, Test halves }
}

func readJSONL[T any](t *testing.T, name string) []T {
	t.Helper()
	f, err := os.Open(blindDir + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, v)
	}
	return out
}

func loadBlind(t *testing.T) *blindSet {
	s := &blindSet{
		jobs: readJSONL[blindJob](t, "gigs.jsonl"), workers: readJSONL[blindWorker](t, "workers.jsonl"),
		queries:      readJSONL[blindQuery](t, "queries.jsonl"),
		workerGrades: map[string]map[string]int{}, jobGrades: map[string]map[string]int{}, queryGrades: map[string]map[string]int{},
		workerViol: map[string]map[string]bool{}, jobViol: map[string]map[string]bool{},
	}
	put := func(m map[string]map[string]int, a, b string, g int) {
		if m[a] == nil {
			m[a] = map[string]int{}
		}
		m[a][b] = g
	}
	flag := func(m map[string]map[string]bool, a, b string) {
		if m[a] == nil {
			m[a] = map[string]bool{}
		}
		m[a][b] = true
	}
	for _, r := range readJSONL[qrel](t, "qrels_worker.jsonl") {
		if r.Violation != "" {
			flag(s.workerViol, r.Worker, r.Job)
		} else {
			put(s.workerGrades, r.Worker, r.Job, r.Grade)
		}
	}
	for _, r := range readJSONL[qrel](t, "qrels_gig.jsonl") {
		if r.Violation != "" {
			flag(s.jobViol, r.Job, r.Worker)
		} else {
			put(s.jobGrades, r.Job, r.Worker, r.Grade)
		}
	}
	for _, r := range readJSONL[qrel](t, "qrels_query.jsonl") {
		put(s.queryGrades, r.Query, r.Job, r.Grade)
	}
	b, err := os.ReadFile(blindDir + "/split.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s.split); err != nil {
		t.Fatal(err)
	}
	return s
}

// ndcg10 is nDCG@10 with gain 2^grade-1 and the ideal ranking taken from all the subject's judgments.
func ndcg10(ranked []string, grades map[string]int) float64 {
	dcg := 0.0
	for i, id := range ranked {
		if i == 10 {
			break
		}
		dcg += (math.Pow(2, float64(grades[id])) - 1) / math.Log2(float64(i+2))
	}
	var ideal []int
	for _, g := range grades {
		ideal = append(ideal, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
	idcg := 0.0
	for i, g := range ideal {
		if i == 10 {
			break
		}
		idcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 0
	}
	return dcg / idcg
}

// product is the running service, reached only over HTTP.
type product struct {
	t       *testing.T
	srv     *httptest.Server
	admin   string
	jobID   map[string]int64 // ref -> id of the gigs the API took
	jobRef  map[int64]string
	jobKey  map[string]string // ref -> the posting employer's API key
	wToken  map[string]string // worker ref -> session token
	wRef    map[int64]string
	refused []string // "ref: error" for every item the API refused
}

func (p *product) call(method, path, token string, body any, out any) (int, []byte) {
	p.t.Helper()
	var r io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, p.srv.URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			p.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return resp.StatusCode, b
}

var sixDigits = regexp.MustCompile(`\d{6}`)

// startProduct runs the service as cmd wires it (use cases over a migrated SQLite store and the
// in-memory matching index, the HTTP frame over them) with the clock at the set's today, and loads the
// set through the API.
func startProduct(t *testing.T, set *blindSet) *product {
	clock := func() time.Time { return blindNow }
	eng := storetest.Engines(t)[0]
	st := storetest.Open(t, eng, clock)
	svc := app.New(app.Options{PublicURL: "http://lg.test", SecretKey: storetest.TestKey, Wage: domain.DefaultWageStandard(),
		OTPLimits: domain.OTPLimits{PhonePerHour: 100, IPPerHour: 100000}},
		app.Deps{Store: st, Clock: clock, Index: matching.NewIndex()})
	srv := httptest.NewServer(api.New(api.Options{PublicURL: "http://lg.test", SecretKey: storetest.TestKey}, api.Deps{App: svc}).Handler())
	t.Cleanup(srv.Close)
	p := &product{t: t, srv: srv, jobID: map[string]int64{}, jobRef: map[int64]string{}, jobKey: map[string]string{},
		wToken: map[string]string{}, wRef: map[int64]string{}}
	var login struct{ Token string }
	if code, b := p.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "admin-test-password"}, &login); code != 200 {
		t.Fatalf("admin login: %d %s", code, b)
	}
	p.admin = login.Token

	// One employer per district, at a station of that district.
	var stations struct{ Items []domain.Station }
	p.call("GET", "/api/v1/stations", "", nil, &stations)
	stationOf, keyOf := map[string]string{}, map[string]string{}
	for _, s := range stations.Items {
		if stationOf[s.District] == "" {
			stationOf[s.District] = s.Code
		}
	}
	for i, d := range domain.Districts {
		first := fmt.Sprintf("91640500MA%07d", 3000000+i)
		var out app.EmployerCreated
		code, b := p.call("POST", "/api/v1/employers", p.admin, map[string]any{
			"kind": "company", "name": d + "测试用工单位", "credit_code": first + string(domain.CreditCodeCheck(first)),
			"contact_name": "王建国", "contact_phone": "13812345678", "station_code": stationOf[d], "verified": true,
		}, &out)
		if code != 201 {
			t.Fatalf("employer in %s: %d %s", d, code, b)
		}
		keyOf[d] = out.APIKey.Secret
	}

	for _, g := range set.jobs {
		body := map[string]any{"title": g.Title, "description": g.Description, "skills": g.Skills, "required_certs": g.RequiredCerts,
			"headcount": g.Headcount, "wage_fen": g.WageFen, "wage_unit": g.WageUnit, "settlement": g.Settlement,
			"district": g.District, "town": g.Town, "address": g.Address, "start_date": g.StartDate, "end_date": g.EndDate,
			"contact": g.Contact}
		if g.ExpectedHours > 0 {
			body["expected_hours"] = g.ExpectedHours
		}
		if g.WageUnit == "piece" && g.PieceUnit != "" {
			body["piece_unit"] = g.PieceUnit
		}
		if g.DailyHours > 0 {
			body["daily_hours"] = g.DailyHours
		}
		key := keyOf[g.District]
		var job struct{ ID int64 }
		code, b := p.call("POST", "/api/v1/jobs", key, body, &job)
		if code != 201 {
			p.refused = append(p.refused, g.Ref+": "+string(b))
			continue
		}
		if code, b := p.call("POST", fmt.Sprintf("/api/v1/jobs/%d/review", job.ID), p.admin, map[string]string{"decision": "approve"}, nil); code != 200 {
			p.refused = append(p.refused, g.Ref+" (review): "+string(b))
			continue
		}
		p.jobID[g.Ref], p.jobRef[job.ID], p.jobKey[g.Ref] = job.ID, g.Ref, key
	}

	for i, w := range set.workers {
		phone := fmt.Sprintf("1390000%04d", i+1)
		if code, b := p.call("POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}, nil); code != 202 {
			t.Fatalf("otp for %s: %d %s", w.Ref, code, b)
		}
		var outbox struct{ Items []domain.SMSMessage }
		p.call("GET", "/api/v1/admin/sms-outbox?per_page=1&phone="+phone, p.admin, nil, &outbox)
		if len(outbox.Items) == 0 {
			t.Fatalf("no code for %s", w.Ref)
		}
		body := map[string]any{"phone": phone, "code": sixDigits.FindString(outbox.Items[0].Body), "station_code": stationOf[w.District],
			"name": w.Name, "skills": w.Skills, "certs": w.Certs, "district": w.District, "town": w.Town,
			"self_description": w.SelfDescription, "expected_wage_fen": w.ExpectedWageFen, "expected_wage_unit": w.ExpectedWageUnit,
			"available_from": w.AvailableFrom, "available_to": w.AvailableTo, "max_commute_km": w.MaxCommuteKm}
		var reg struct {
			Worker struct{ ID int64 }
			Token  string
		}
		code, b := p.call("POST", "/api/v1/workers", "", body, &reg)
		if code != 201 {
			p.refused = append(p.refused, w.Ref+": "+string(b))
			continue
		}
		p.wToken[w.Ref], p.wRef[reg.Worker.ID] = reg.Token, w.Ref
	}
	return p
}

// The three rankings of the product, as a client of the API sees them: the top 10 (near misses are a
// list of their own, marked as such, and are not counted).

func (p *product) workerTop10(ref string) []string {
	tok, ok := p.wToken[ref]
	if !ok {
		return nil
	}
	var out struct {
		Items []struct{ Job struct{ ID int64 } }
	}
	if code, b := p.call("GET", "/api/v1/workers/me/matches?limit=10", tok, nil, &out); code != 200 {
		p.t.Fatalf("matches of %s: %d %s", ref, code, b)
	}
	var refs []string
	for _, it := range out.Items {
		refs = append(refs, p.jobRef[it.Job.ID])
	}
	return refs
}

func (p *product) jobTop10(ref string) []string {
	id, ok := p.jobID[ref]
	if !ok {
		return nil
	}
	var out struct {
		Items []struct{ Worker struct{ ID int64 } }
	}
	if code, b := p.call("GET", fmt.Sprintf("/api/v1/jobs/%d/candidates?limit=10", id), p.jobKey[ref], nil, &out); code != 200 {
		p.t.Fatalf("candidates of %s: %d %s", ref, code, b)
	}
	var refs []string
	for _, it := range out.Items {
		refs = append(refs, p.wRef[it.Worker.ID])
	}
	return refs
}

func (p *product) searchTop10(q string) (refs []string, reading string) {
	var out struct {
		Items   []struct{ ID int64 }
		Reading struct {
			Summary string `json:"summary"`
		} `json:"reading"`
	}
	if code, b := p.call("GET", "/api/v1/jobs?per_page=10&q="+url.QueryEscape(q), "", nil, &out); code != 200 {
		p.t.Fatalf("search %q: %d %s", q, code, b)
	}
	for _, it := range out.Items {
		refs = append(refs, p.jobRef[it.ID])
	}
	return refs, out.Reading.Summary
}

// baseline is Bleve v2 with its cjk analyzer over the same text, with the hard filters (a certificate
// the gig requires and the worker lacks, no overlap of dates, beyond the worker's commute between the
// town seats) applied to its ranking in the matching directions. It sees the whole set, including the
// gigs the product refused.
type baseline struct {
	jobs, workers bleve.Index
	job           map[string]blindJob
	worker        map[string]blindWorker
}

type textDoc struct {
	Text string `json:"text"`
}

func newTextIndex(t *testing.T) bleve.Index {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = cjk.AnalyzerName
	doc := bleve.NewDocumentMapping()
	doc.AddFieldMappingsAt("text", text)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = cjk.AnalyzerName
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

func jobText(g blindJob) string {
	return strings.Join(append([]string{g.Title, g.Description, g.District, g.Town, g.Address,
		domain.Settlement(g.Settlement).Label()}, g.Skills...), " ")
}

func workerText(w blindWorker) string {
	return strings.Join(append(append([]string{w.SelfDescription, w.District, w.Town, w.Village}, w.Skills...), w.Certs...), " ")
}

func newBaseline(t *testing.T, set *blindSet) *baseline {
	b := &baseline{jobs: newTextIndex(t), workers: newTextIndex(t), job: map[string]blindJob{}, worker: map[string]blindWorker{}}
	batch := b.jobs.NewBatch()
	for _, g := range set.jobs {
		b.job[g.Ref] = g
		batch.Index(g.Ref, textDoc{jobText(g)})
	}
	if err := b.jobs.Batch(batch); err != nil {
		t.Fatal(err)
	}
	batch = b.workers.NewBatch()
	for _, w := range set.workers {
		b.worker[w.Ref] = w
		batch.Index(w.Ref, textDoc{workerText(w)})
	}
	if err := b.workers.Batch(batch); err != nil {
		t.Fatal(err)
	}
	return b
}

// allowed applies the hard filters to a pair.
func allowed(w blindWorker, g blindJob) bool {
	for _, c := range g.RequiredCerts {
		if !slices.Contains(w.Certs, c) {
			return false
		}
	}
	if g.EndDate < w.AvailableFrom || (w.AvailableTo != "" && g.StartDate > w.AvailableTo) {
		return false
	}
	wt, ok1 := domain.FindTown(w.District, w.Town)
	gt, ok2 := domain.FindTown(g.District, g.Town)
	if ok1 && ok2 && w.MaxCommuteKm > 0 && domain.DistanceKm(wt.Lat, wt.Lng, gt.Lat, gt.Lng) > float64(w.MaxCommuteKm) {
		return false
	}
	return true
}

func bleveTop(t *testing.T, idx bleve.Index, text string, keep func(id string) bool) []string {
	m := bleve.NewMatchQuery(text)
	m.SetField("text")
	m.SetOperator(query.MatchQueryOperatorOr)
	res, err := idx.Search(bleve.NewSearchRequestOptions(m, 1000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		if keep == nil || keep(h.ID) {
			out = append(out, h.ID)
			if len(out) == 10 {
				break
			}
		}
	}
	return out
}

func (b *baseline) workerTop10(t *testing.T, ref string) []string {
	w := b.worker[ref]
	return bleveTop(t, b.jobs, strings.Join(append(w.Skills, w.SelfDescription), " "), func(id string) bool { return allowed(w, b.job[id]) })
}

func (b *baseline) jobTop10(t *testing.T, ref string) []string {
	g := b.job[ref]
	return bleveTop(t, b.workers, strings.Join(append([]string{g.Title, g.Description}, g.Skills...), " "),
		func(id string) bool { return allowed(b.worker[id], g) })
}

func (b *baseline) searchTop10(t *testing.T, q string) []string { return bleveTop(t, b.jobs, q, nil) }

// score is the mean nDCG@10 of one engine in one direction on one half, and the hard-filter
// violations in its top 10s.
type score struct {
	ndcg       float64
	n, violate int
}

func TestBlind(t *testing.T) {
	set := loadBlind(t)
	start := time.Now()
	p := startProduct(t, set)
	t.Logf("loaded through the API in %v: %d/%d gigs, %d/%d workers", time.Since(start).Round(time.Millisecond),
		len(p.jobID), len(set.jobs), len(p.wToken), len(set.workers))
	for _, r := range p.refused {
		t.Logf("refused %s", domain.TruncateRunes(r, 200))
	}
	bl := newBaseline(t, set)
	detail := os.Getenv("BLIND_DETAIL") == "dev"
	jobTitle := map[string]string{}
	for _, g := range set.jobs {
		jobTitle[g.Ref] = g.Title
	}
	queryText := map[string]string{}
	for _, q := range set.queries {
		queryText[q.Ref] = q.Q
	}

	type row struct{ dir, half string }
	results := map[row][2]score{}
	run := func(dir, half string, subjects []string, grades map[string]map[string]int, viol map[string]map[string]bool,
		ours, theirs func(string) []string, label func(string) string, show bool) {
		var s [2]score
		for _, subj := range subjects {
			for e, rank := range [2]func(string) []string{ours, theirs} {
				top := rank(subj)
				v := ndcg10(top, grades[subj])
				s[e].ndcg += v
				s[e].n++
				for _, id := range top {
					if viol[subj][id] {
						s[e].violate++
					}
				}
				if show && e == 0 {
					var items []string
					for _, id := range top {
						mark := fmt.Sprint(grades[subj][id])
						if viol[subj][id] {
							mark = "V"
						}
						items = append(items, id+"="+mark+" "+label(id))
					}
					t.Logf("%s %s %.3f\n    %s", dir, subj, v, strings.Join(items, "\n    "))
				}
			}
		}
		for e := range s {
			s[e].ndcg /= float64(max(s[e].n, 1))
		}
		results[row{dir, half}] = s
	}
	for _, h := range []struct {
		name string
		h    halves
	}{{"dev", set.split.Dev}, {"test", set.split.Test}} {
		show := detail && h.name == "dev"
		run("worker->gigs", h.name, h.h.Workers, set.workerGrades, set.workerViol, p.workerTop10,
			func(r string) []string { return bl.workerTop10(t, r) }, func(id string) string { return jobTitle[id] }, show)
		run("gig->workers", h.name, h.h.JobsJudged, set.jobGrades, set.jobViol, p.jobTop10,
			func(r string) []string { return bl.jobTop10(t, r) }, func(id string) string { return "" }, show)
		run("search", h.name, h.h.Queries, set.queryGrades, nil,
			func(r string) []string {
				refs, reading := p.searchTop10(queryText[r])
				if show {
					t.Logf("query %s %q read as %q", r, queryText[r], reading)
				}
				return refs
			},
			func(r string) []string { return bl.searchTop10(t, queryText[r]) }, func(id string) string { return jobTitle[id] }, show)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-14s %-5s %10s %10s %12s %12s\n", "direction", "half", "lingong", "bleve", "viol(ours)", "viol(bleve)")
	for _, dir := range []string{"worker->gigs", "gig->workers", "search"} {
		for _, half := range []string{"dev", "test"} {
			s := results[row{dir, half}]
			fmt.Fprintf(&sb, "%-14s %-5s %10.3f %10.3f %12d %12d\n", dir, half, s[0].ndcg, s[1].ndcg, s[0].violate, s[1].violate)
		}
	}
	t.Log(sb.String())
}

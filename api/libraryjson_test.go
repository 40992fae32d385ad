package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"lingong/api/kit"
	"lingong/app"
	"lingong/domain"
	"lingong/matching"
)

// The library's hand-written JSON must be encoding/json's, byte for byte: a client (and the spec test)
// reads the same answer whichever writes it. Every query of the engine's benchmark runs on 3,000 of its
// gigs, with some made awkward: HTML characters and a line separator in the title, a piece rate, pay
// below the minimum, tags and certificates outside the taxonomy, an empty page and a browse.
func TestLibraryJSONIsEncodingJSON(t *testing.T) {
	jobs := awkwardJobs()
	ix := matching.Build(jobs, nil)
	clock := domain.Clock(func() time.Time { return benchToday.Start().Add(10 * time.Hour) })
	s := testServer(Options{}, app.Options{}, app.Deps{Store: &benchStore{}, Index: ix, Clock: clock})
	queries := append(matching.BenchQueries(),
		matching.SearchQuery{Q: "急招 日结", PerPage: 100}, matching.SearchQuery{Q: "枸杞", Page: 2},
		matching.SearchQuery{District: "中宁县"}, matching.SearchQuery{Q: "的 了"}, matching.SearchQuery{Skill: "焊工", Date: "2026-06-03"},
		matching.SearchQuery{Q: "潜水 编筐"}, matching.SearchQuery{Q: "明天 中宁 日结 包吃住 200元以上"}, matching.SearchQuery{Page: 9999})
	search := func(q matching.SearchQuery) []byte {
		t.Helper()
		res := kit.Search(context.Background(), s.app, q)
		for _, h := range res.Items { // the second time, the labels come from the memos too
			if w := domain.FormatRate(h.WageFen, h.WageUnit, h.PieceUnit); h.WageLabel != w || h.SettlementLabel != h.Settlement.Label() {
				t.Fatalf("%+v: gig %d labelled %q, %q, want %q, %q", q, h.ID, h.WageLabel, h.SettlementLabel, w, h.Settlement.Label())
			}
		}
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(res); err != nil {
			t.Fatal(err)
		}
		got := append(res.AppendJSON(nil), '\n')
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%+v:\n got %s\nwant %s", q, got, want.Bytes())
		}
		return got
	}
	awkward := 0
	for range 2 { // the second time, the gigs' part comes from their memos
		for _, q := range queries {
			got := search(q)
			if bytes.Contains(got, []byte(`\u003c`)) || bytes.Contains(got, []byte(`"piece_unit"`)) || bytes.Contains(got, []byte(`"below_minimum_wage"`)) {
				awkward++
			}
		}
	}
	if awkward < len(queries) {
		t.Fatalf("only %d of %d answers hold an awkward gig: too little compared", awkward, 2*len(queries))
	}
	// Requests racing to keep the same gigs' JSON answer alike (and, under -race, share the memos safely).
	fresh := matching.SearchQuery{Q: "搬运 装车", PerPage: 50}
	answers := make([][]byte, 4)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() { answers[i] = kit.Search(context.Background(), s.app, fresh).AppendJSON(nil) })
	}
	wg.Wait()
	for _, a := range answers[1:] {
		if !bytes.Equal(a, answers[0]) {
			t.Fatalf("two answers to one query differ:\n%s\n%s", a, answers[0])
		}
	}
	// Whole requests racing through the handler, whose pages of hits are reused once written, each get
	// the answer their query gets alone.
	h := s.Handler()
	get := func(q matching.SearchQuery) []byte {
		r := httptest.NewRequest("GET", "/api/v1/jobs?q="+url.QueryEscape(q.Q)+"&per_page=50", nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Errorf("%s: %d", r.URL, w.Code)
		}
		return w.Body.Bytes()
	}
	alone := map[string][]byte{}
	for _, q := range queries {
		alone[q.Q] = get(q)
	}
	for g := range 4 {
		wg.Go(func() {
			for i := range 3 * len(queries) {
				q := queries[(g+i)%len(queries)]
				if got := get(q); !bytes.Equal(got, alone[q.Q]) {
					t.Errorf("%q answered differently when racing:\n%s\n%s", q.Q, got, alone[q.Q])
					return
				}
			}
		})
	}
	wg.Wait()
	// A gig changed after its JSON was kept is answered as it is now.
	q := matching.SearchQuery{Q: "急招 日结", PerPage: 100}
	first := kit.Search(context.Background(), s.app, q).Items[0]
	j := jobs[slices.IndexFunc(jobs, func(j domain.Job) bool { return j.ID == first.ID })]
	j.Title, j.Filled = j.Title+"（加急）", j.Filled+1
	ix.UpsertJob(j)
	got := search(q)
	if !bytes.Contains(got, []byte("（加急）")) {
		t.Fatalf("the changed title is not in the answer: %s", got)
	}
}

// awkwardJobs are 3,000 gigs of the benchmark market, some made awkward for a JSON writer: HTML
// characters and a line separator in the title, a piece rate, pay below the minimum, tags and
// certificates outside the taxonomy, a place with a long fraction.
func awkwardJobs() []domain.Job {
	jobs := matching.GenerateJobs(3000, 20260601, benchToday)
	for i := range jobs {
		j := &jobs[i]
		switch i % 7 {
		case 0:
			j.Title += ` <急招> & "日结"` + "\u2028\\"
			j.EmployerName = "A&B<劳务>"
		case 1:
			j.WageUnit, j.PieceUnit, j.WageFen = domain.PerPiece, "斤", 150
		case 2:
			j.WageFloor = &domain.WageFloor{}
			j.EmployerVerified = true
		case 3:
			j.Skills = append(j.Skills, "编筐")
			j.RequiredCerts = append(j.RequiredCerts, "潜水证")
		case 4:
			j.Lat, j.Lng = 37.000001, 105.1
		}
	}
	return jobs
}

// A worker's matches written by hand must be json.Marshal's (what c.JSON wrote), byte for byte, for
// 400 workers of the benchmark market on the awkward gigs: items and near misses (with what is missing),
// some applied to, and an empty answer.
func TestMatchesJSONIsEncodingJSON(t *testing.T) {
	ix := matching.Build(awkwardJobs(), nil)
	missing, applied, awkward := 0, 0, 0
	for i, w := range matching.GenerateWorkers(400, 20260601, benchToday) {
		if i%5 == 0 {
			w.Certs = nil // more near misses for a certificate
		}
		limit := []int{20, 50, 1}[i%3]
		rec := app.Recommendations{JobMatches: ix.MatchJobsForWorker(w, benchToday, limit), Applied: map[int64]bool{}}
		for k, m := range rec.Items {
			if k%3 == i%3 {
				rec.Applied[m.ID] = true
			}
		}
		l := kit.MatchList(rec, limit)
		want, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		got := l.AppendJSON(nil)
		if !bytes.Equal(got, want) {
			t.Fatalf("worker %d:\n got %s\nwant %s", w.ID, got, want)
		}
		missing += bytes.Count(got, []byte(`"missing":`))
		applied += bytes.Count(got, []byte(`"applied":true`))
		awkward += bytes.Count(got, []byte(`\u003c`)) + bytes.Count(got, []byte(`"piece_unit"`))
	}
	if missing == 0 || applied == 0 || awkward == 0 {
		t.Fatalf("too little compared: %d near misses with what is missing, %d applied, %d awkward gigs", missing, applied, awkward)
	}
	empty := kit.MatchList(app.Recommendations{}, 20)
	if want, _ := json.Marshal(empty); !bytes.Equal(empty.AppendJSON(nil), want) {
		t.Fatalf("empty: got %s, want %s", empty.AppendJSON(nil), want)
	}
}

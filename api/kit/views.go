package kit

import (
	"context"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"lingong/app"
	"lingong/domain"
	"lingong/matching"
)

// The views both the JSON API and the pages show: a record plus the Chinese labels a client would
// otherwise compute, and the reading of the library's query parameters.

// JobView is a gig as its viewer sees it: the gig, plus the labels a client would otherwise compute.
type JobView struct {
	domain.Job
	StatusLabel   string `json:"status_label"`
	WageLabel     string `json:"wage_label"`
	HourlyWageFen int64  `json:"hourly_wage_fen"`
	Remaining     int    `json:"remaining"`
	// WageFloorNote: for a gig below the local minimum wage, the two figures (to its employer and the
	// staff) or 低于本地最低工资标准 (to anyone else).
	WageFloorNote string `json:"wage_floor_note,omitempty"`
}

// ViewJob renders a gig for the viewer. Anyone but its employer and the staff sees the contact line
// with phone numbers masked, and not who reviewed it.
func ViewJob(j domain.Job, p domain.Principal) JobView {
	if !domain.OwnsOrStaffs(p, j) {
		j.Contact = domain.MaskPhonesIn(j.Contact)
		j.ReviewedBy = 0
	}
	v := JobView{Job: j, StatusLabel: j.Status.Label(), WageLabel: domain.FormatRate(j.WageFen, j.WageUnit, j.PieceUnit),
		HourlyWageFen: j.HourlyWageFen(), Remaining: j.Remaining()}
	if j.WageFloor != nil {
		v.WageFloorNote = domain.BelowMinimumLabel
		if domain.OwnsOrStaffs(p, j) {
			v.WageFloorNote = j.WageFloor.Message()
		}
	}
	return v
}

// LibraryHit is one gig of a library search: the index's summary with the labels a phone shows.
type LibraryHit struct {
	matching.JobHit
	WageLabel       string `json:"wage_label"`
	SettlementLabel string `json:"settlement_label"`
}

// LibraryResult is a page of library hits and how the query was read ("按 中宁县 筛选；日结 优先").
type LibraryResult struct {
	List[LibraryHit]
	Reading matching.QueryReading `json:"reading"`
	memos   []*matching.Memo      // by item, for AppendJSON
	items   *[]LibraryHit         // Items' backing array, from libraryItems, for WriteLibrary to give back
}

// libraryItems recycles the pages of hits the API writes (about 8 KB a page, a third of what a search
// request allocates): WriteLibrary gives a page back once it is written. A page the /jobs page renders
// is left to the collector.
var libraryItems = sync.Pool{New: func() any { return new([]LibraryHit) }}

// Search answers a library query (app.Service.Search) with the labels a phone shows: the search the API
// and the /jobs page share, and the benchmark measures.
func Search(ctx context.Context, svc *app.Service, q matching.SearchQuery) LibraryResult {
	res := svc.Search(ctx, q)
	items := libraryItems.Get().(*[]LibraryHit)
	if *items == nil || cap(*items) < len(res.Items) { // never nil: an empty page is [], not null
		*items = make([]LibraryHit, 0, max(len(res.Items), 20))
	}
	out := LibraryResult{List: List[LibraryHit]{Items: (*items)[:0], Total: res.Total, Page: res.Page, PerPage: res.PerPage},
		Reading: res.Reading, memos: res.Memos, items: items}
	for i, h := range res.Items {
		// A gig the API has answered before keeps its labels in its memo with its JSON (libraryjson.go):
		// the labels depend on the gig alone, and the memo on its version.
		if i < len(res.Memos) && res.Memos[i] != nil {
			if f, _ := res.Memos[i].Load().(*hitJSON); f != nil {
				out.Items = append(out.Items, LibraryHit{JobHit: h, WageLabel: f.wageLabel, SettlementLabel: f.settlementLabel})
				continue
			}
		}
		out.Items = append(out.Items, LibraryHit{JobHit: h, WageLabel: domain.FormatRate(h.WageFen, h.WageUnit, h.PieceUnit),
			SettlementLabel: h.Settlement.Label()})
	}
	return out
}

// maxLibraryWageFen bounds wage_min: no working day pays 10 万元.
const maxLibraryWageFen = 10_000_000

// LibraryQuery reads and checks the library's query parameters (q, skill, district, station, date,
// wage_min, page, per_page); a bad one is an invalid error naming it.
func LibraryQuery(c *gin.Context, svc *app.Service) (matching.SearchQuery, error) {
	var q matching.SearchQuery
	var err error
	if q.Q, err = TextParam(c, "q", 50); err != nil {
		return q, err
	}
	if skill := c.Query("skill"); skill != "" {
		if q.Skill, err = canonicalSkill(skill); err != nil {
			return q, err
		}
	}
	if d := c.Query("district"); d != "" {
		if !domain.IsDistrict(d) {
			return q, domain.Invalid("district", "区县应为 沙坡头区、中宁县 或 海原县")
		}
		q.District = d
	}
	if code := c.Query("station"); code != "" {
		if _, err := svc.StationByCode(c.Request.Context(), code); err != nil {
			return q, domain.Invalidf("station", "没有编号为“%s”的站点", domain.TruncateRunes(code, 16))
		}
		q.StationCode = code
	}
	if d := c.Query("date"); d != "" {
		if q.Date, err = domain.ParseDate("date", d); err != nil {
			return q, err
		}
	}
	wage, err := IntParam(c, "wage_min", 0, 0, maxLibraryWageFen)
	if err != nil {
		return q, err
	}
	q.WageMinFen = int64(wage)
	if q.Page, q.PerPage, err = PageParams(c); err != nil {
		return q, err
	}
	return q, nil
}

// canonicalSkill accepts a skill's canonical name or one of its synonyms (装卸 → 搬运).
func canonicalSkill(name string) (string, error) {
	if _, ok := domain.SkillByName(name); ok {
		return name, nil
	}
	for _, sk := range domain.Skills {
		for _, syn := range sk.Synonyms {
			if syn == name {
				return sk.Name, nil
			}
		}
	}
	return "", domain.Invalidf("skill", "没有“%s”这个技能，请从技能列表中选择", domain.TruncateRunes(name, 20))
}

// Rankings are top-N lists, not pages: limit says how many (1..MaxMatches), and the list shape's page
// is always 1.
const (
	DefaultMatches = 20
	MaxMatches     = 100
)

// JobSummaryView is a gig in a match list: the index's summary with the labels a phone shows.
type JobSummaryView struct {
	matching.JobSummary
	WageLabel       string `json:"wage_label"`
	SettlementLabel string `json:"settlement_label"`
}

// JobMatchView is one gig recommended to a worker: the gig, how well it fits (score 0..100), why in
// Chinese, for a near miss what is missing, and whether the worker has applied already.
type JobMatchView struct {
	Job        JobSummaryView `json:"job"`
	DistanceKm float64        `json:"distance_km"`
	Score      float64        `json:"score"`
	Reasons    []string       `json:"reasons"`
	Missing    []string       `json:"missing,omitempty"`
	Applied    bool           `json:"applied"`
}

// JobMatchList is a worker's recommendations (GET /api/v1/workers/me/matches).
type JobMatchList struct {
	List[JobMatchView]
	NearMisses []JobMatchView `json:"near_misses"`
}

// Recommend ranks the open gigs for a worker (app.Service.Recommend) with the labels a phone shows. The
// API, the /me page and the console share it.
func Recommend(ctx context.Context, svc *app.Service, p domain.Principal, workerID int64, limit int) (domain.Worker, JobMatchList, error) {
	w, rec, err := svc.Recommend(ctx, p, workerID, limit)
	if err != nil {
		return w, MatchList(app.Recommendations{}, limit), err
	}
	return w, MatchList(rec, limit), nil
}

// MatchList is rec with the labels a phone shows, as a page of limit.
func MatchList(rec app.Recommendations, limit int) JobMatchList {
	out := JobMatchList{List: List[JobMatchView]{Items: make([]JobMatchView, 0, len(rec.Items)), Page: 1, PerPage: limit},
		NearMisses: make([]JobMatchView, 0, len(rec.NearMisses))}
	view := func(m matching.JobMatch) JobMatchView {
		return JobMatchView{Job: JobSummaryView{JobSummary: m.JobSummary, WageLabel: domain.FormatRate(m.WageFen, m.WageUnit, m.PieceUnit),
			SettlementLabel: m.Settlement.Label()}, DistanceKm: m.DistanceKm, Score: m.Score, Reasons: m.Reasons,
			Missing: m.Missing, Applied: rec.Applied[m.ID]}
	}
	for _, m := range rec.Items {
		out.Items = append(out.Items, view(m))
	}
	for _, m := range rec.NearMisses {
		out.NearMisses = append(out.NearMisses, view(m))
	}
	out.Total = len(out.Items)
	return out
}

// CandidateWorker is a worker in a candidate list, as the viewer may see them: the name (family name
// only) and phone (138****8000) are masked for everyone but admins and the staff of the station the
// worker registered at, the people allowed to handle a worker's personal data.
type CandidateWorker struct {
	matching.WorkerSummary
	Masked            bool   `json:"masked"`
	ExpectedWageLabel string `json:"expected_wage_label"`
}

// CandidateView is one worker proposed for a gig.
type CandidateView struct {
	Worker     CandidateWorker `json:"worker"`
	DistanceKm float64         `json:"distance_km"`
	Score      float64         `json:"score"`
	Reasons    []string        `json:"reasons"`
	Missing    []string        `json:"missing,omitempty"`
}

// CandidateList is the answer of GET /api/v1/jobs/{id}/candidates.
type CandidateList struct {
	List[CandidateView]
	NearMisses []CandidateView `json:"near_misses"`
}

// Candidates ranks the workers for a gig (app.Service.Candidates, masked where the viewer may not see
// the worker) with the labels a page shows. The API and the console share it.
func Candidates(ctx context.Context, svc *app.Service, p domain.Principal, jobID int64, limit int) (CandidateList, error) {
	out := CandidateList{List: List[CandidateView]{Items: []CandidateView{}, Page: 1, PerPage: limit}, NearMisses: []CandidateView{}}
	res, masked, err := svc.Candidates(ctx, p, jobID, limit)
	if err != nil {
		return out, err
	}
	view := func(m matching.WorkerMatch) CandidateView {
		w := CandidateWorker{WorkerSummary: m.WorkerSummary, Masked: masked[m.ID],
			ExpectedWageLabel: domain.FormatWage(m.ExpectedWageFen, m.ExpectedWageUnit)}
		return CandidateView{Worker: w, DistanceKm: m.DistanceKm, Score: m.Score, Reasons: m.Reasons, Missing: m.Missing}
	}
	for _, m := range res.Items {
		out.Items = append(out.Items, view(m))
	}
	for _, m := range res.NearMisses {
		out.NearMisses = append(out.NearMisses, view(m))
	}
	out.Total = len(out.Items)
	return out, nil
}

// StatsFilter reads the monitoring figures' from, to, station and district (the last 30 days of the
// caller's station by default). Staff always see their own station; only admins choose one (or all).
func StatsFilter(c *gin.Context, svc *app.Service) (domain.StatsFilter, error) {
	p := Principal(c)
	today := domain.DateOf(svc.Now())
	f := domain.StatsFilter{To: today, From: today.AddDays(-29)}
	if p.Kind != domain.AsAdmin {
		f.StationID = p.StationID
	}
	var err error
	if v := c.Query("from"); v != "" {
		if f.From, err = domain.ParseDate("from", v); err != nil {
			return f, err
		}
	}
	if v := c.Query("to"); v != "" {
		if f.To, err = domain.ParseDate("to", v); err != nil {
			return f, err
		}
	}
	if f.From > f.To {
		return f, domain.Invalid("from", "开始日期不能晚于结束日期")
	}
	if f.From.DaysUntil(f.To) > 731 {
		return f, domain.Invalid("from", "统计区间最长两年")
	}
	if d := c.Query("district"); d != "" {
		if !domain.IsDistrict(d) {
			return f, domain.Invalid("district", "区县应为沙坡头区、中宁县或海原县")
		}
		f.District = d
	}
	if code := c.Query("station"); code != "" {
		st, err := svc.StationByCode(c.Request.Context(), code)
		switch {
		case p.Kind == domain.AsAdmin && err != nil:
			return f, domain.Invalid("station", "没有这个站点")
		case p.Kind == domain.AsAdmin:
			f.StationID = st.ID
		case err != nil || st.ID != p.StationID:
			return f, domain.Forbidden("只能查看本站点的数据")
		}
	}
	return f, nil
}

// JobStatuses reads the optional status parameter of the gig lists: one status or several separated
// by commas.
func JobStatuses(c *gin.Context) ([]domain.JobStatus, error) {
	raw := c.Query("status")
	if raw == "" {
		return nil, nil
	}
	var out []domain.JobStatus
	for _, part := range strings.Split(raw, ",") {
		st := domain.JobStatus(strings.TrimSpace(part))
		if !st.Valid() {
			return nil, domain.Invalid("status", "状态应为 pending_review、open、filled、closed、expired 或 rejected")
		}
		out = append(out, st)
	}
	return out, nil
}

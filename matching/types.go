package matching

import (
	"sync/atomic"
	"time"

	"lingong/domain"
)

// JobSummary is what a list item shows of a gig: everything the job library and the match lists render,
// kept in memory so the api answers from the index without touching the database. The description is
// not kept (its terms are); the gig page loads it from the store.
type JobSummary struct {
	ID               int64             `json:"id"`
	Title            string            `json:"title"`
	EmployerName     string            `json:"employer_name"`
	EmployerVerified bool              `json:"employer_verified"`
	StationCode      string            `json:"station_code"`
	District         string            `json:"district"`
	Town             string            `json:"town"`
	Lat              float64           `json:"lat"`
	Lng              float64           `json:"lng"`
	WageFen          int64             `json:"wage_fen"`
	WageUnit         domain.WageUnit   `json:"wage_unit"`
	PieceUnit        string            `json:"piece_unit,omitempty"` // piece rates: 斤, 件…
	Settlement       domain.Settlement `json:"settlement"`
	StartDate        domain.Date       `json:"start_date"`
	EndDate          domain.Date       `json:"end_date"`
	Headcount        int               `json:"headcount"`
	Remaining        int               `json:"remaining"`
	Skills           []string          `json:"skills"`          // the gig's tags, as posted
	InferredSkills   []string          `json:"inferred_skills"` // skills read from the title (and, untagged, the description)
	RequiredCerts    []string          `json:"required_certs"`  // the tags plus certificates the text requires
	CreatedAt        time.Time         `json:"created_at"`
	// BelowMinimumWage: the gig pays less than the local minimum (domain.Job.WageFloor); the staff let it
	// through review, and a worker is told 低于本地最低工资标准.
	BelowMinimumWage bool `json:"below_minimum_wage,omitempty"`
}

// JobHit is one gig of a library search. Score is its relevance to the query (see search.go; 0 for a
// plain listing).
type JobHit struct {
	JobSummary
	Score float64 `json:"score"`
}

// SearchQuery is a job library request. Every field is optional.
type SearchQuery struct {
	Q           string      // what the user typed: read by parseQuery (places, dates, wages, certificates, wishes) and searched
	Skill       string      // a canonical skill the gig is tagged with or understood as
	District    string      // 沙坡头区, 中宁县 or 海原县
	StationCode string      // the station the gig was posted through
	Date        domain.Date // only gigs running that day
	WageMinFen  int64       // only gigs known to pay at least this much for a working day
	Today       domain.Date // the day in Asia/Shanghai, for the time words of Q (今天, 周末, 寒假); "" leaves them unread
	Page        int         // 1-based; values below 1 mean 1
	PerPage     int         // 1..MaxPerPage; 0 means DefaultPerPage
}

// Paging of library searches.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
)

// SearchResult is one page of a library search.
type SearchResult struct {
	Items   []JobHit `json:"items"`
	Total   int      `json:"total"` // gigs matching the query and filters, on all pages
	Page    int      `json:"page"`
	PerPage int      `json:"per_page"`
	// Reading is how Q was read, for the page to show ("按 中宁县 筛选；日结 优先").
	Reading QueryReading `json:"reading"`
	// Memos holds, by item, the memo of the version of the gig the item was made from.
	Memos []*Memo `json:"-"`
}

// Memo keeps what a caller derives from one version of a gig, such as the API's JSON of it, so the next
// answer holding that version need not derive it again. The index gives every new version of a gig a
// new, empty memo (a change makes a new document), so a memo is never older than the hit it came with,
// whichever process made the change.
type Memo struct{ v atomic.Pointer[any] }

// Load returns what was stored, or nil.
func (m *Memo) Load() any {
	if p := m.v.Load(); p != nil {
		return *p
	}
	return nil
}

// Store keeps v; callers racing to store derive the same value, so either may win.
func (m *Memo) Store(v any) { m.v.Store(&v) }

// JobMatch is a gig recommended to a worker.
type JobMatch struct {
	JobSummary
	DistanceKm float64  `json:"distance_km"`
	Score      float64  `json:"score"`             // 0..100, see Weights; within its Fit
	Fit        string   `json:"fit"`               // FitOwn, FitRelated, FitCategory or FitGeneral: lists sort by it first
	Reasons    []string `json:"reasons"`           // why it fits, in Chinese, most important first
	Missing    []string `json:"missing,omitempty"` // near misses only: what keeps it out, in Chinese
}

// JobMatches are the gigs for one worker: Items pass every hard filter; NearMisses fail exactly one
// (a certificate the worker lacks, or a place a little beyond the commute) and say what is missing.
type JobMatches struct {
	Items      []JobMatch `json:"items"`
	NearMisses []JobMatch `json:"near_misses"`
}

// WorkerSummary is what a candidate list shows of a worker. Phone is in full: the api masks it for
// everyone but the people entitled to see it.
type WorkerSummary struct {
	ID               int64           `json:"id"`
	No               string          `json:"worker_no"`
	Name             string          `json:"name"`
	Phone            string          `json:"phone"`
	District         string          `json:"district"`
	Town             string          `json:"town"`
	Skills           []string        `json:"skills"`
	Certs            []string        `json:"certs"`
	ExpectedWageFen  int64           `json:"expected_wage_fen"`
	ExpectedWageUnit domain.WageUnit `json:"expected_wage_unit"`
	Completed        int             `json:"completed"`
	NoShows          int             `json:"no_shows"`
	StationID        int64           `json:"station_id"` // where the worker registered: whose staff may see the phone
}

// WorkerMatch is a worker proposed for a gig.
type WorkerMatch struct {
	WorkerSummary
	DistanceKm float64  `json:"distance_km"`
	Score      float64  `json:"score"`
	Fit        string   `json:"fit"`
	Reasons    []string `json:"reasons"`
	Missing    []string `json:"missing,omitempty"`
}

// WorkerMatches are the workers for one gig, split like JobMatches.
type WorkerMatches struct {
	Items      []WorkerMatch `json:"items"`
	NearMisses []WorkerMatch `json:"near_misses"`
}

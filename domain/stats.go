package domain

// StatsFilter selects what the monitoring figures (信息监测) cover: a date range of Asia/Shanghai days
// (inclusive), and optionally one station (staff see only their own) or one district.
type StatsFilter struct {
	From      Date
	To        Date
	StationID int64
	District  string
}

// Stats are the monitoring figures of the dashboard and GET /api/v1/stats. Money is fen.
type Stats struct {
	Filter StatsFilter `json:"filter"`

	RegistrationsPerDay []DayCount `json:"registrations_per_day"`
	Registrations       int        `json:"registrations"`
	ActiveWorkers       int        `json:"active_workers"`

	JobsPosted               int     `json:"gigs_posted"`                  // gigs created in the range
	JobsOpen                 int     `json:"gigs_open"`                    // open now
	JobsFilled               int     `json:"gigs_filled"`                  // filled now
	PlacesOffered            int     `json:"places_offered"`               // headcount of gigs approved in the range
	PlacesFilled             int     `json:"places_filled"`                // of those, places taken
	FillRate                 float64 `json:"fill_rate"`                    // places_filled / places_offered
	MedianHoursToFirstAccept float64 `json:"median_hours_to_first_accept"` // approval to first accepted worker

	ContractsSigned int `json:"contracts_signed"` // active or completed, created in the range

	EarnedFen      int64 `json:"earned_fen"` // work done in the range (corrections included)
	PaidFen        int64 `json:"paid_fen"`
	OutstandingFen int64 `json:"outstanding_fen"`

	ArrearsByEmployer []ArrearsByEmployer `json:"arrears_by_employer"`
	ArrearsByAge      []ArrearsByAge      `json:"arrears_by_age"`

	BySkill    []SkillSupplyDemand `json:"by_skill"`
	ByDistrict []DistrictFigures   `json:"by_district"`
	ByStation  []StationFigures    `json:"by_station"`
}

// DayCount is a count on one day.
type DayCount struct {
	Day   Date `json:"day"`
	Count int  `json:"count"`
}

// ArrearsByEmployer is one employer's open arrears.
type ArrearsByEmployer struct {
	EmployerID   int64  `json:"employer_id"`
	EmployerName string `json:"employer_name"`
	Alerts       int    `json:"alerts"`
	AmountFen    int64  `json:"amount_fen"`
	OldestDays   int    `json:"oldest_days"`
}

// ArrearsByAge buckets open arrears by days past due.
type ArrearsByAge struct {
	Bucket    string `json:"bucket"` // 1-3天, 4-7天, 8-30天, 30天以上
	Alerts    int    `json:"alerts"`
	AmountFen int64  `json:"amount_fen"`
}

// SkillSupplyDemand compares registered workers with a skill and open places needing it.
type SkillSupplyDemand struct {
	Skill      string `json:"skill"`
	Category   string `json:"category"`
	Workers    int    `json:"workers"`
	OpenPlaces int    `json:"open_places"`
}

// DistrictFigures are the market in one district.
type DistrictFigures struct {
	District     string `json:"district"`
	Workers      int    `json:"workers"`
	OpenPlaces   int    `json:"open_places"`
	PlacesFilled int    `json:"places_filled"`
	EarnedFen    int64  `json:"earned_fen"`
	PaidFen      int64  `json:"paid_fen"`
}

// StationFigures are one station's activity in the range.
type StationFigures struct {
	StationID     int64  `json:"station_id"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	Registrations int    `json:"registrations"`
	JobsPosted    int    `json:"gigs_posted"`
	Contracts     int    `json:"contracts"`
}

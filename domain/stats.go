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

	Attendance AttendanceFigures `json:"attendance"`
	Protection ProtectionFigures `json:"protection"`
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

// AttendanceCounts are the attendance figures of issue 21 item 7 for the whole range or one group
// (a station, a district). A rate or time with nothing to compute it from is nil (shown as "—").
type AttendanceCounts struct {
	CheckIns int `json:"check_ins"` // check-ins on the range's days
	// DaysDue are the contract-days of the range before today (active or completed contracts, every
	// day of their period): the days a check-in was due. Today is not over, so it is left out.
	DaysDue int `json:"contract_days_due"`
	// NoShowsConfirmed are the absences the employer or the station confirmed on those days;
	// NoShowRate = NoShowsConfirmed / DaysDue.
	NoShowsConfirmed int      `json:"no_shows_confirmed"`
	NoShowRate       *float64 `json:"no_show_rate"`
	// NoShowsUnanswered are absences the sweep marked on the range's days that nobody has answered yet
	// (not in the rate: they may still be corrected).
	NoShowsUnanswered int `json:"no_shows_unanswered"`
	// DaysWorked are the contract-days of the range with work in the ledger (net amount above 0);
	// DaysPaid are those a payment line has covered since. PayHours are, over the paid ones, the hours
	// from the day's work (its check-out, else the end of the day) to the first payment with which the
	// contract's payments, oldest work first, cover the day (结算慢): median and 90th percentile.
	DaysWorked     int      `json:"days_worked"`
	DaysPaid       int      `json:"days_paid"`
	PayHoursMedian *float64 `json:"pay_hours_median"`
	PayHoursP90    *float64 `json:"pay_hours_p90"`
}

// AttendanceFigures are the dashboard's attendance figures: the totals, check-ins per day, and the same
// counts by station and by district.
type AttendanceFigures struct {
	AttendanceCounts
	CheckInsPerDay []DayCount        `json:"check_ins_per_day"`
	ByStation      []AttendanceGroup `json:"by_station"`
	ByDistrict     []AttendanceGroup `json:"by_district"`
}

// AttendanceGroup are the attendance counts of one station (Code is its code) or one district (Code is
// the district's name).
type AttendanceGroup struct {
	Code string `json:"code"`
	Name string `json:"name"`
	AttendanceCounts
}

// ProtectionFigures are the dashboard's protection figures (issue 22 item 6).
type ProtectionFigures struct {
	// WorkingDays are the contract-days of the range (active or completed contracts, every day of their
	// period, the roster's working days); CoveredDays those the gig's accident cover insures by the
	// roster's rule (Cover.CoveredOn); CoveredShare = CoveredDays / WorkingDays.
	WorkingDays  int      `json:"working_days"`
	CoveredDays  int      `json:"covered_days"`
	CoveredShare *float64 `json:"covered_share"`
	// Exemptions are the gigs approved in the range without cover, on a staff exemption.
	Exemptions int `json:"cover_exemptions"`
	// GuaranteeHeldFen is what the employers' guarantee accounts hold now (confirmed lines only).
	GuaranteeHeldFen int64 `json:"guarantee_held_fen"`
	// Advances and AdvancedFen are the 先行垫付 paid from guarantees in the range.
	Advances    int   `json:"advances"`
	AdvancedFen int64 `json:"advanced_fen"`
	// Of the arrears alerts raised in the range: ArrearsPaid were paid (cleared by the sweep once the
	// ledger shows them paid), ArrearsUnpaid are still open; ArrearsDays are, over the paid ones, the days
	// from the alert to its payment: median and 90th percentile. Alerts cleared by hand are in neither.
	ArrearsPaid       int      `json:"arrears_paid"`
	ArrearsUnpaid     int      `json:"arrears_unpaid"`
	ArrearsDaysMedian *float64 `json:"arrears_days_median"`
	ArrearsDaysP90    *float64 `json:"arrears_days_p90"`
}

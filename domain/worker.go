package domain

import (
	"strconv"
)

// Rules of a worker's profile.
const (
	MaxWorkerSkills    = 20
	MaxSelfDescription = 200
	DefaultCommuteKm   = 30
	MaxCommuteKm       = 300
	// MinWorkingAge is the legal minimum age for employment (劳动法 第十五条).
	MinWorkingAge = 16
	// MaxAvailabilityYears bounds how far ahead an availability window may reach.
	MaxAvailabilityYears = 3
)

// maxExpectedWageFen are sane ceilings of what a worker asks, per unit: they catch a slipped digit
// (15000 typed for 150) without judging anyone's price.
// A piece rate ("摘枸杞按斤算，一斤不低于2块") is a price per thing counted; the matcher reads what is
// counted from the self description (按斤, 一箱…; 件 when it says nothing).
var maxExpectedWageFen = map[WageUnit]int64{PerDay: 3000_00, PerHour: 500_00, PerPiece: 1000_00}

// WorkerProfile is the part of a worker that the worker (or staff for them) fills in and may change
// later: everything but the phone (proved by SMS), the resident ID number (sealed separately), the
// station and the reliability figures.
type WorkerProfile struct {
	Name             string
	Skills           []string
	Certs            []string
	District         string
	Town             string
	Village          string // optional: a 村 or 社区 of the town (Town.Villages), by its spoken name
	SelfDescription  string // the page's "我还会…"
	AvailableFrom    Date
	AvailableTo      Date // "" = open-ended
	ExpectedWageFen  int64
	ExpectedWageUnit WageUnit // day, hour or piece
	MaxCommuteKm     int
	// Location is the phone's position, shared with the worker's consent (input: Normalize checks it
	// and coarsens it to ~100 m, into Lat and Lng; a Worker's Profile never has one).
	Location *GeoPoint
	// Lat and Lng are set by Normalize: the coarsened shared position when there is one, else the town's
	// seat. Located says which (LocatedGPS, LocatedTown). A shared position is kept across edits while
	// the district and town stay the same; setting Located to LocatedTown (or choosing another town
	// without sharing again) drops it.
	Lat, Lng float64
	Located  string
	// PushOptOut: the worker asked not to be sent recommended gigs (精准推送), by inbox or SMS.
	PushOptOut bool
}

// Profile returns the worker's profile.
func (w Worker) Profile() WorkerProfile {
	return WorkerProfile{Name: w.Name, Skills: w.Skills, Certs: w.Certs, District: w.District, Town: w.Town, Village: w.Village,
		SelfDescription: w.SelfDescription, AvailableFrom: w.AvailableFrom, AvailableTo: w.AvailableTo,
		ExpectedWageFen: w.ExpectedWageFen, ExpectedWageUnit: w.ExpectedWageUnit, MaxCommuteKm: w.MaxCommuteKm,
		Lat: w.Lat, Lng: w.Lng, Located: w.Located, PushOptOut: w.PushOptOut}
}

// SetProfile copies a (normalised) profile into the worker.
func (w *Worker) SetProfile(p WorkerProfile) {
	w.Name, w.Skills, w.Certs, w.District, w.Town, w.Village = p.Name, p.Skills, p.Certs, p.District, p.Town, p.Village
	w.SelfDescription, w.AvailableFrom, w.AvailableTo = p.SelfDescription, p.AvailableFrom, p.AvailableTo
	w.ExpectedWageFen, w.ExpectedWageUnit, w.MaxCommuteKm = p.ExpectedWageFen, p.ExpectedWageUnit, p.MaxCommuteKm
	w.Lat, w.Lng, w.Located = p.Lat, p.Lng, p.Located
	w.PushOptOut = p.PushOptOut
}

// Normalize validates every field and returns the cleaned profile, plus every problem found, in the
// order of the registration form, each naming its JSON field with a Chinese message. A page shows them
// all next to their fields; the API reports the first. The profile is only usable when there are none.
//
// today rejects dates in the past. prev is the profile being changed (nil at registration): a date
// that is not changed is not re-checked, so a worker registered last month can still edit their name.
// Empty values take defaults: available_from today, unit 元/天, commute 30 km.
func (p WorkerProfile) Normalize(today Date, prev *WorkerProfile) (WorkerProfile, []*Error) {
	return p.NormalizeWith(ExactVocabulary, today, prev)
}

// NormalizeWith is Normalize with the skills and certificates resolved by v (see NormalizeSkillsWith):
// any skill or certificate is accepted, a trade or licence of the taxonomy under its canonical name and
// anything else as a free tag.
func (p WorkerProfile) NormalizeWith(v Vocabulary, today Date, prev *WorkerProfile) (WorkerProfile, []*Error) {
	var problems []*Error
	check := func(err error) {
		if err != nil {
			problems = append(problems, AsError(err))
		}
	}
	out := p
	var err error
	out.Name, err = NormalizeName("name", p.Name)
	check(err)
	out.Skills, _, err = NormalizeSkillsWith(v, "skills", p.Skills, MaxWorkerSkills)
	check(err)
	out.SelfDescription, err = CleanText("self_description", p.SelfDescription, MaxSelfDescription)
	check(err)
	if err == nil && out.Skills != nil && len(out.Skills) == 0 && out.SelfDescription == "" {
		check(Invalid("skills", "请至少选一项会干的活，或在“我还会”里写上"))
	}
	out.Certs, _, err = NormalizeCertsWith(v, "certs", p.Certs, MaxCerts)
	check(err)

	if p.District == "" {
		check(Invalid("district", "请选择家住哪个区县、乡镇"))
	} else {
		out.Lat, out.Lng, err = ValidatePlace("district", "town", p.District, p.Town)
		check(err)
		out.Located = LocatedTown
		if err == nil {
			check(out.locate(prev, p.Located != LocatedTown))
			out.Village, err = ValidateVillage("village", p.District, p.Town, p.Village)
			check(err)
		}
	}

	check(out.normalizeDates(today, prev))

	if out.ExpectedWageUnit == "" {
		out.ExpectedWageUnit = PerDay
	}
	if max, ok := maxExpectedWageFen[out.ExpectedWageUnit]; !ok {
		check(Invalid("expected_wage_unit", "工钱单位请选“元/天”“元/小时”或按件（按斤、按箱）"))
	} else if out.ExpectedWageFen <= 0 {
		check(Invalid("expected_wage_fen", "请填写期望的工钱（大于 0）"))
	} else if out.ExpectedWageFen > max {
		check(Invalidf("expected_wage_fen", "期望工钱太高了（每%s最多 %s 元），请核对是不是多打了 0",
			out.ExpectedWageUnit.Label(), FormatYuan(max)))
	}

	if out.MaxCommuteKm == 0 {
		out.MaxCommuteKm = DefaultCommuteKm
	}
	if out.MaxCommuteKm < 1 || out.MaxCommuteKm > MaxCommuteKm {
		check(Invalidf("max_commute_km", "最远能去的距离应在 1 到 %d 公里之间", MaxCommuteKm))
	}
	return out, problems
}

// locate puts the worker at the shared position when one is given, or keeps the one on file (prev) while
// the district and town are unchanged and keep (the worker has not asked to drop it); p.Lat and p.Lng
// hold the town's seat on entry.
func (p *WorkerProfile) locate(prev *WorkerProfile, keep bool) error {
	if p.Location != nil {
		g, err := ValidateLocation("location", *p.Location)
		if err != nil {
			return err
		}
		// Location stays (coarsened) in the result, so normalising the result again gives the same.
		p.Lat, p.Lng, p.Located, p.Location = g.Lat, g.Lng, LocatedGPS, &g
		return nil
	}
	if keep && prev != nil && prev.Located == LocatedGPS &&
		prev.District == p.District && prev.Town == p.Town {
		p.Lat, p.Lng, p.Located = prev.Lat, prev.Lng, LocatedGPS
	}
	return nil
}

// normalizeDates checks the availability window: real dates, from ≤ to, neither in the past (unless
// unchanged from prev), to within MaxAvailabilityYears.
func (p *WorkerProfile) normalizeDates(today Date, prev *WorkerProfile) error {
	if p.AvailableFrom == "" {
		p.AvailableFrom = today
	}
	from, err := ParseDate("available_from", string(p.AvailableFrom))
	if err != nil {
		return err
	}
	unchanged := func(d Date, old func(*WorkerProfile) Date) bool { return prev != nil && old(prev) == d }
	if from < today && !unchanged(from, func(w *WorkerProfile) Date { return w.AvailableFrom }) {
		return Invalid("available_from", "开始日期不能早于今天")
	}
	if p.AvailableTo == "" {
		return nil
	}
	to, err := ParseDate("available_to", string(p.AvailableTo))
	if err != nil {
		return err
	}
	if to < today && !unchanged(to, func(w *WorkerProfile) Date { return w.AvailableTo }) {
		return Invalid("available_to", "结束日期不能早于今天")
	}
	if to < from {
		return Invalid("available_to", "结束日期不能早于开始日期")
	}
	if to > today.AddDays(366*MaxAvailabilityYears) {
		return Invalidf("available_to", "结束日期太远了，请填 %d 年以内的日期，不确定可以不填", MaxAvailabilityYears)
	}
	return nil
}

// WorkerIDNumber validates a worker's resident ID number (GB 11643-1999, see NormalizeIDNumber) and the
// legal working age, and returns it normalised with the birth year and gender it encodes.
func WorkerIDNumber(field, s string, today Date) (id string, birthYear int, gender string, err error) {
	id, err = NormalizeIDNumber(field, s, today)
	if err != nil {
		return "", 0, "", err
	}
	birth := Date(id[6:10] + "-" + id[10:12] + "-" + id[12:14])
	y, _ := strconv.Atoi(string(today[:4]))
	sixteenth := Date(strconv.Itoa(y-MinWorkingAge) + string(today[4:]))
	if birth > sixteenth {
		return "", 0, "", Invalidf(field, "未满 %d 周岁不能登记打零工", MinWorkingAge)
	}
	return id, BirthYearOfID(id), GenderOfID(id), nil
}

// GenderOfID returns the gender a valid ID number encodes (its 17th digit: odd male, even female).
func GenderOfID(id string) string {
	if len(id) != 18 || id[16] < '0' || id[16] > '9' {
		return ""
	}
	if (id[16]-'0')%2 == 1 {
		return "male"
	}
	return "female"
}

// Registration asks to register a worker: by the worker (with an SMS code, or on the page after the
// code was checked) or by station staff for a worker without a smartphone (代登记).
type Registration struct {
	// Worker holds the normalised profile, the phone and the station (ID and code); numbering, status,
	// timestamps and the registering staff are filled in by the store.
	Worker   Worker
	IDNumber string // normalised resident ID number, or ""
	// How the phone was proved; exactly one applies.
	Code          string    // an SMS code, checked and used up in the registration's transaction
	PhoneVerified bool      // the caller checked a code already (the registration page's signed step)
	Staff         Principal // station staff registering in person: no code, no session
	// SignIn (代登记 at the desk only) also signs the new worker in at their station today, in the same
	// transaction: they are standing at the desk, so they join the day's walk-in queue at once.
	SignIn        bool
	IP, UserAgent string
}

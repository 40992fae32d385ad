package domain

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Bounds of a gig posting. They keep cards readable on a small phone and catch typos (a wage of
// 1,500,000 fen a day is a slip of the finger, not an offer).
const (
	MaxJobTitle       = 50
	MaxJobDescription = 2000
	MaxJobAddress     = 100
	MaxJobContact     = 50
	MaxJobSkills      = 10
	MaxJobShifts      = 4
	MaxHeadcount      = 500
	MaxDailyHours     = 12.0
	LiveInHours       = 24.0       // daily_hours of a live-in gig (住家), the one value above MaxDailyHours
	MaxJobDays        = 366        // start to end inclusive: at most a year
	MaxWageFen        = 100_000_00 // 10 万元 for one unit
	MaxExpectedHours  = 2000.0     // hours per piece or per job
	zhongweiMinLat    = 36.0       // a box around 中卫市, to catch swapped or foreign coordinates
	zhongweiMaxLat    = 38.0
	zhongweiMinLng    = 104.2
	zhongweiMaxLng    = 106.6
)

// JobRules are the rules a gig must meet that depend on configuration and the date.
type JobRules struct {
	// Wage is the local minimum wage (LINGONG_MIN_WAGE). A gig paying less is not refused: ValidateJob
	// sets its WageFloor, and the gig waits for review with both figures shown.
	Wage WageStandard
	// Today is the current date in Asia/Shanghai: a new gig may not start before it.
	Today Date
	// Vocabulary resolves the skills and certificates as typed to the taxonomy's names (nil:
	// ExactVocabulary). The HTTP side passes matching.Vocabulary, which also knows homophone typos.
	Vocabulary Vocabulary
}

func (r JobRules) vocabulary() Vocabulary {
	if r.Vocabulary == nil {
		return ExactVocabulary
	}
	return r.Vocabulary
}

// ValidateJob checks and normalises a gig as its employer (or the staff for a walk-in employer) wants it
// to be: trims text, sorts and deduplicates skills and certificates, takes coordinates from the town
// when none are given, and derives the daily hours from the shifts. prev is the stored gig when this is
// an edit (nil for a new gig): a gig that has already started may keep its past start date.
//
// It returns the first problem as an invalid error naming the JSON field, with a Chinese message fit to
// show the person who typed it. Identity fields (ids, employer, station, status) are not its concern.
func (r JobRules) ValidateJob(j *Job, prev *Job) error {
	var err error
	if j.Title, err = cleanLine("title", j.Title, MaxJobTitle); err != nil {
		return err
	}
	if utf8.RuneCountInString(j.Title) < 2 {
		return Invalid("title", "请填写岗位标题，例如“枸杞园招摘果工 20 名 日结”")
	}
	if j.Description, err = CleanText("description", j.Description, MaxJobDescription); err != nil {
		return err
	}
	// Numbers go in contact, which the public view masks; in free text they would be shown to everyone
	// and harvested.
	for _, f := range [...]struct{ field, text string }{{"title", j.Title}, {"description", j.Description}} {
		if ContainsPhone(f.text) {
			return Invalid(f.field, "标题和描述里不要写手机号，请填在“联系方式”（contact）里，平台会保护号码")
		}
		if ContainsLink(f.text) {
			return Invalid(f.field, "标题和描述里不要写网址：岗位会以平台的名义推送给零工")
		}
	}
	if j.Skills, _, err = NormalizeSkillsWith(r.vocabulary(), "skills", j.Skills, MaxJobSkills); err != nil {
		return err
	}
	if j.RequiredCerts, _, err = NormalizeCertsWith(r.vocabulary(), "required_certs", j.RequiredCerts, MaxCerts); err != nil {
		return err
	}
	if j.Headcount < 1 || j.Headcount > MaxHeadcount {
		return Invalidf("headcount", "招聘人数应为 1 到 %d 人", MaxHeadcount)
	}
	if prev != nil && j.Headcount < prev.Filled {
		return Invalidf("headcount", "已录用 %d 人，招聘人数不能少于 %d", prev.Filled, prev.Filled)
	}
	if j.WageFen <= 0 {
		return Invalid("wage_fen", "请填写工钱（单位：分，例如 150 元填 15000）")
	}
	if j.WageFen > MaxWageFen {
		return Invalidf("wage_fen", "工钱不能超过 %s 元，请检查是否多写了零（单位是分）", FormatYuan(MaxWageFen))
	}
	if !j.WageUnit.Valid() {
		return Invalid("wage_unit", "计薪单位应为 hour（按小时）、day（按天）、piece（计件，如按斤、按箱）或 job（按单）")
	}
	if err := pieceUnit(j); err != nil {
		return err
	}
	if !j.Settlement.Valid() {
		return Invalid("settlement", "结算方式应为 daily（日结）、weekly（周结）或 on_completion（完工结）")
	}
	if j.Lat, j.Lng, err = r.place(j); err != nil {
		return err
	}
	if j.Address, err = cleanLine("address", j.Address, MaxJobAddress); err != nil {
		return err
	}
	if err := r.dates(j, prev); err != nil {
		return err
	}
	if err := hours(j); err != nil {
		return err
	}
	if j.Contact, err = cleanLine("contact", j.Contact, MaxJobContact); err != nil {
		return err
	}
	return r.minimumWage(j)
}

// place validates the district and town and returns the gig's coordinates: the ones given, when they lie
// in Zhongwei, or the town's.
func (r JobRules) place(j *Job) (lat, lng float64, err error) {
	townLat, townLng, err := ValidatePlace("district", "town", j.District, j.Town)
	if err != nil {
		return 0, 0, err
	}
	if j.Lat == 0 && j.Lng == 0 {
		return townLat, townLng, nil
	}
	if j.Lat < zhongweiMinLat || j.Lat > zhongweiMaxLat || math.IsNaN(j.Lat) {
		return 0, 0, Invalid("lat", "纬度不在中卫市范围内（约 36.0–38.0），不知道坐标可以不填，按乡镇定位")
	}
	if j.Lng < zhongweiMinLng || j.Lng > zhongweiMaxLng || math.IsNaN(j.Lng) {
		return 0, 0, Invalid("lng", "经度不在中卫市范围内（约 104.2–106.6），不知道坐标可以不填，按乡镇定位")
	}
	return j.Lat, j.Lng, nil
}

// dates checks that the gig runs from today or later, ends on or after its start, and lasts at most a
// year. An edit may keep a start date that has passed (the gig is under way), not move one into the past.
func (r JobRules) dates(j *Job, prev *Job) error {
	start, err := ParseDate("start_date", string(j.StartDate))
	if err != nil {
		return err
	}
	end, err := ParseDate("end_date", string(j.EndDate))
	if err != nil {
		return err
	}
	keptStart := prev != nil && prev.StartDate == start
	if start < r.Today && !keptStart {
		return Invalidf("start_date", "开工日期不能早于今天（%s）", r.Today)
	}
	if r.Today != "" && r.Today.DaysUntil(start) > 365 {
		return Invalid("start_date", "开工日期最多只能定在一年以内")
	}
	if end < start {
		return Invalid("end_date", "结束日期不能早于开工日期")
	}
	if end < r.Today {
		return Invalidf("end_date", "结束日期不能早于今天（%s）", r.Today)
	}
	if start.DaysUntil(end)+1 > MaxJobDays {
		return Invalid("end_date", "一个岗位最长一年，请分开发布")
	}
	j.StartDate, j.EndDate = start, end
	return nil
}

// hours validates the shifts (HH:MM within the day, in order, not overlapping) and the daily hours: when
// shifts are given the daily hours are their sum (and must agree when also given); in total at most 12.
func hours(j *Job) error {
	if len(j.Shifts) > MaxJobShifts {
		return Invalidf("shifts", "每天最多分 %d 个班次", MaxJobShifts)
	}
	if len(j.Shifts) == 0 {
		j.Shifts = []Shift{}
		if j.DailyHours <= 0 || j.DailyHours > 24 || math.IsNaN(j.DailyHours) {
			return Invalid("daily_hours", "请填写每天工作几小时（0–24 之间），或填写班次 shifts")
		}
	} else {
		type span struct{ from, to int }
		spans := make([]span, len(j.Shifts))
		for i, sh := range j.Shifts {
			from, ok1 := clockMinutes(sh.Start, false)
			to, ok2 := clockMinutes(sh.End, true)
			if !ok1 || !ok2 {
				return Invalidf("shifts", "第 %d 个班次的时间格式不对，应为 05:00 这样的 24 小时制", i+1)
			}
			if to <= from {
				return Invalidf("shifts", "第 %d 个班次的结束时间应晚于开始时间（跨夜班请分成两段填写）", i+1)
			}
			spans[i] = span{from, to}
		}
		sort.Slice(spans, func(a, b int) bool { return spans[a].from < spans[b].from })
		total := 0
		for i, sp := range spans {
			if i > 0 && sp.from < spans[i-1].to {
				return Invalid("shifts", "班次时间有重叠，请检查")
			}
			total += sp.to - sp.from
		}
		sorted := make([]Shift, len(spans))
		for i, sp := range spans {
			sorted[i] = Shift{Start: formatMinutes(sp.from), End: formatMinutes(sp.to)}
		}
		j.Shifts = sorted
		sum := float64(total) / 60
		if j.DailyHours != 0 && math.Abs(j.DailyHours-sum) > 0.01 {
			return Invalidf("daily_hours", "每天工作时长与班次合计（%s 小时）不一致，可以不填，按班次计算", formatHours(sum))
		}
		j.DailyHours = sum
	}
	// 24 without shifts is how live-in work (住家保姆、月嫂、24 小时陪护) is posted: on call, not 24 hours of
	// labour; the wage floor still judges it by 24 hours.
	if j.DailyHours > MaxDailyHours && !(j.DailyHours == LiveInHours && len(j.Shifts) == 0) {
		return Invalidf("daily_hours", "每天工作时间合计不能超过 %s 小时（现为 %s 小时；住家的活请填 24）", formatHours(MaxDailyHours), formatHours(j.DailyHours))
	}
	return nil
}

// pieceUnit checks what a piece rate counts: one of PieceUnits, 件 when not said; other rates count no
// pieces and carry none.
func pieceUnit(j *Job) error {
	j.PieceUnit = strings.TrimSpace(j.PieceUnit)
	if j.WageUnit != PerPiece {
		if j.PieceUnit != "" {
			return Invalid("piece_unit", "只有计件工资需要填写计件单位（piece_unit）")
		}
		return nil
	}
	if j.PieceUnit == "" {
		j.PieceUnit = DefaultPieceUnit
	}
	if !ValidPieceUnit(j.PieceUnit) {
		return Invalidf("piece_unit", "计件单位应为以下之一：%s", strings.Join(PieceUnits, "、"))
	}
	return nil
}

// CountedPieceUnit is what the gig's pay counts when it is a piece rate (its piece unit, 件 when not
// said) and "" for other rates: what its contracts record.
func (j *Job) CountedPieceUnit() string {
	if j.WageUnit != PerPiece {
		return ""
	}
	return j.WageUnit.LabelFor(j.PieceUnit)
}

// minimumWage checks the hours a piece or job rate takes (expected_hours, which only those units may
// carry) and records, in WageFloor, a gig that pays less than the floor that fits it (WageStandard.Check).
func (r JobRules) minimumWage(j *Job) error {
	switch j.WageUnit {
	case PerPiece, PerJob:
		if j.ExpectedHours <= 0 || math.IsNaN(j.ExpectedHours) {
			what := "每" + j.WageUnit.LabelFor(j.PieceUnit)
			if j.WageUnit == PerJob {
				what = "整单"
			}
			return Invalidf("expected_hours", "按件或按单计酬时，请填写%s预计要干几小时（expected_hours），用来核对最低工资", what)
		}
		if j.ExpectedHours > MaxExpectedHours {
			return Invalidf("expected_hours", "预计工时不能超过 %s 小时", formatHours(MaxExpectedHours))
		}
	}
	if j.WageUnit == PerHour || j.WageUnit == PerDay {
		if j.ExpectedHours != 0 {
			return Invalid("expected_hours", "按小时或按天计酬时不需要填写 expected_hours")
		}
	}
	j.WageFloor = nil
	if f, ok := r.Wage.Check(j); ok && f.Below {
		j.WageFloor = &f
	}
	return nil
}

// HourlyWageFen is the effective hourly pay of a gig in fen, computed exactly and rounded half up to the
// fen (0 when it cannot be told).
func (j *Job) HourlyWageFen() int64 {
	if h := j.HourlyWageRat(); h != nil {
		return RoundFen(h)
	}
	return 0
}

// Listed reports whether the gig belongs in the job library: approved, open, and with places left.
func (j *Job) Listed() bool { return j.Status == JobOpen && j.Remaining() > 0 }

// PubliclyVisible reports whether anyone may read the gig: it passed review (open, filled, closed or
// expired). Gigs awaiting review or rejected are seen only by their employer and the staff.
func (j *Job) PubliclyVisible() bool {
	switch j.Status {
	case JobOpen, JobFilled, JobClosed, JobExpired:
		return true
	}
	return false
}

// Editable reports whether the employer may still change the gig: while awaiting review, open, or after
// a rejection (an edit resubmits it). Closed, expired and filled gigs are history.
func (j *Job) Editable() bool {
	return j.Status == JobPendingReview || j.Status == JobOpen || j.Status == JobRejected
}

// Closable reports whether the gig can still be closed by its employer or the staff.
func (j *Job) Closable() bool {
	return j.Status == JobPendingReview || j.Status == JobOpen || j.Status == JobFilled || j.Status == JobRejected
}

// JobFilter selects gigs for the employer's and the station's lists (not the library, which searches
// the matching index).
type JobFilter struct {
	EmployerID int64       // 0 = any
	StationID  int64       // 0 = any
	Statuses   []JobStatus // empty = any
	// Q searches the console's list: the title or the employer's name (any part), the gig's number, or
	// the last digits of the employer's or the gig's contact phone.
	Q        string
	StartsOn Date // first day is this day, "" = any
	Page     int  // from 1
	PerPage  int
}

// Label is the Chinese name of the status.
func (s JobStatus) Label() string {
	switch s {
	case JobPendingReview:
		return "待审核"
	case JobOpen:
		return "招工中"
	case JobFilled:
		return "已招满"
	case JobClosed:
		return "已关闭"
	case JobExpired:
		return "已结束"
	case JobRejected:
		return "未通过审核"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s JobStatus) Valid() bool {
	switch s {
	case JobPendingReview, JobOpen, JobFilled, JobClosed, JobExpired, JobRejected:
		return true
	}
	return false
}

// cleanLine is CleanText for one-line fields: no line breaks.
func cleanLine(field, s string, max int) (string, error) {
	s, err := CleanText(field, s, max)
	if err != nil {
		return "", err
	}
	if strings.ContainsAny(s, "\n\r\t") {
		return "", Invalid(field, "这一项只能填一行，不能换行")
	}
	return s, nil
}

// clockMinutes parses "HH:MM" (24-hour) to minutes after midnight; end allows "24:00".
func clockMinutes(s string, end bool) (int, bool) {
	s = FoldWidth(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "：", ":")
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	h, m := int(s[0]-'0')*10+int(s[1]-'0'), int(s[3]-'0')*10+int(s[4]-'0')
	if end && h == 24 && m == 0 {
		return 24 * 60, true
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

func formatMinutes(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// formatHours renders hours for people: 8 -> "8", 7.5 -> "7.5".
func formatHours(h float64) string {
	s := fmt.Sprintf("%.2f", h)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// ContainsPhone reports whether text holds something that looks like a mainland mobile number (11
// digits from 13x–19x, possibly written with spaces or hyphens or in full width).
func ContainsPhone(text string) bool {
	return len(phoneSpans(text)) > 0
}

// linkRe finds what a phone would open as a link: a scheme, www., or a host under a common top-level
// domain (t.cn/Ab12, abc.top).
var linkRe = regexp.MustCompile(`(?i)(https?://|www\.|[a-z0-9-]+\.(cn|com|net|org|cc|top|xyz|vip|me|io|info|ltd|link|site|club|shop|tk)\b)`)

// ContainsLink reports whether text holds a web address. Text the platform sends under its own name
// (a gig's title in a push, an early ending's reason) must carry neither a link nor a phone number: they
// are what a fraud lure needs.
func ContainsLink(text string) bool { return linkRe.MatchString(text) }

// MaskPhonesIn replaces every mobile number in text by its masked form (138****8000), for the public view
// of a gig's contact line.
func MaskPhonesIn(text string) string {
	spans := phoneSpans(text)
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(text[last:sp.from])
		b.WriteString(MaskPhone(sp.digits))
		last = sp.to
	}
	b.WriteString(text[last:])
	return b.String()
}

type phoneSpan struct {
	from, to int // byte offsets in the original text
	digits   string
}

// phoneSpans finds runs of digits (half or full width, with single spaces or hyphens between them) that
// make an 11-digit mobile number.
func phoneSpans(text string) []phoneSpan {
	var out []phoneSpan
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if digitOf(r) < 0 {
			i += size
			continue
		}
		start, end := i, i
		var digits []byte
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if d := digitOf(r); d >= 0 {
				digits = append(digits, byte('0'+d))
				j += size
				end = j
				continue
			}
			if (r == ' ' || r == '-') && j+size < len(text) {
				if n, _ := utf8.DecodeRuneInString(text[j+size:]); digitOf(n) >= 0 {
					j += size
					continue
				}
			}
			break
		}
		if len(digits) == 11 && mobilePrefixes[string(digits[:3])] {
			out = append(out, phoneSpan{start, end, string(digits)})
		}
		i = end
	}
	return out
}

func digitOf(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	return -1
}

package contracts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"lingong/domain"
)

// TermsTemplate names the wording BuildTerms writes into the clauses. It is part of the signed terms, so
// a reader knows which template a contract was made from; change it whenever the wording changes.
const TermsTemplate = "lingong-terms/3"

// Terms are everything a 零工用工协议 says, frozen at acceptance: their canonical JSON (Canonical) is
// stored and its SHA-256 (HashHex) is what the parties sign. Every field is always present in the JSON
// (no omitempty), slices are never null, and no full resident ID number ever appears — only masked ones.
// Phones are in full: the parties must be able to reach each other.
type Terms struct {
	Template       string        `json:"template"`        // TermsTemplate when built
	Number         string        `json:"number"`          // ZW-YYYYMM-NNNNNN
	Version        int           `json:"version"`         // 1 for the original, +1 per amendment
	PreviousNumber string        `json:"previous_number"` // the contract this version amends; "" for an original
	IssuedAt       string        `json:"issued_at"`       // RFC 3339 in +08:00, whole seconds
	Employer       EmployerParty `json:"employer"`        // 甲方
	Worker         WorkerParty   `json:"worker"`          // 乙方
	Work           WorkTerms     `json:"work"`
	Place          PlaceTerms    `json:"place"`
	Period         PeriodTerms   `json:"period"`
	Hours          HoursTerms    `json:"hours"`
	Wage           WageTerms     `json:"wage"`
	Settlement     SettleTerms   `json:"settlement"`
	Safety         string        `json:"safety"` // safety conditions and accident insurance
	Cancellation   CancelTerms   `json:"cancellation"`
	// Attendance is how attendance becomes pay and when a worker counts as absent (lingong-terms/3 on).
	// Omitted from terms signed before it, which keep the bytes (and hash) they were signed with.
	Attendance *AttendanceTerms `json:"attendance,omitempty"`
	Dispute    string           `json:"dispute"` // mediation at the issuing station, then 劳动争议仲裁
	Station    StationParty     `json:"station"` // the issuing station
}

// EmployerParty is the employer (甲方). A company is identified by its credit code, an individual by a
// masked resident ID number.
type EmployerParty struct {
	Kind         domain.EmployerKind `json:"kind"`
	Name         string              `json:"name"`
	CreditCode   string              `json:"credit_code"` // companies; "" for individuals
	IDMasked     string              `json:"id_masked"`   // individuals: 640*************3X (domain.MaskIDNumber); "" for companies
	ContactName  string              `json:"contact_name"`
	ContactPhone string              `json:"contact_phone"`
}

// WorkerParty is the worker (乙方).
type WorkerParty struct {
	Name     string `json:"name"`
	No       string `json:"worker_no"` // LG00000123
	IDMasked string `json:"id_masked"` // "" when the worker gave no ID number
	Phone    string `json:"phone"`
}

// WorkTerms is what the work is.
type WorkTerms struct {
	Title         string   `json:"title"`
	Content       string   `json:"content"`
	Skills        []string `json:"skills"`
	RequiredCerts []string `json:"required_certs"`
}

// PlaceTerms is where the work is.
type PlaceTerms struct {
	District string `json:"district"`
	Town     string `json:"town"`
	Address  string `json:"address"`
}

// PeriodTerms is when: calendar dates in Asia/Shanghai, both inclusive.
type PeriodTerms struct {
	Start domain.Date `json:"start"`
	End   domain.Date `json:"end"`
	Days  int         `json:"days"`
}

// HoursTerms is the working time of a day. Minutes, not float hours, so the signed JSON holds no floats.
type HoursTerms struct {
	DailyMinutes int            `json:"daily_minutes"`
	Shifts       []domain.Shift `json:"shifts"`
}

// WageTerms is the pay: an integer number of fen per unit, and for a piece rate what is counted.
type WageTerms struct {
	AmountFen int64           `json:"amount_fen"`
	Unit      domain.WageUnit `json:"unit"`
	// PieceUnit is what a piece rate counts (斤, 件, 箱…). Omitted when empty, so the terms of other rates,
	// and of piece rates signed before there was a piece unit, keep the bytes (and hash) they were signed
	// with.
	PieceUnit string `json:"piece_unit,omitempty"`
}

// LegacyPieceUnit is what a piece rate signed without a piece unit counted: every one of them was
// weighed, in 斤 (migration 00040 says the same of their rows).
const LegacyPieceUnit = "斤"

// CountUnit is what one unit of the wage is, after 元/ and after a quantity: 天, 小时, 单, or the piece
// unit of a piece rate.
func (w WageTerms) CountUnit() string {
	if w.Unit == domain.PerPiece && w.PieceUnit == "" {
		return LegacyPieceUnit
	}
	return w.Unit.LabelFor(w.PieceUnit)
}

// Text is the wage for people: "150 元/天", "1.80 元/斤".
func (w WageTerms) Text() string { return domain.FormatYuan(w.AmountFen) + " 元/" + w.CountUnit() }

// SettleTerms is when wages are paid.
type SettleTerms struct {
	Method domain.Settlement `json:"method"`
	PayDay string            `json:"pay_day"` // e.g. 每个工作日结束时当日结清
}

// CancelTerms is what happens when either side does not turn up.
type CancelTerms struct {
	// EmployerFeeFen is half a day's pay, owed by an employer who cancels after the worker set out; 0 when
	// it cannot be computed from the wage terms (a piece rate without expected hours), in which case the
	// clause says how it is determined.
	EmployerFeeFen int64  `json:"employer_fee_fen"`
	Employer       string `json:"employer"` // the clause binding the employer
	WorkerNoShow   string `json:"worker_no_show"`
	// NoticeMinutes is the notice window of cancellations (LINGONG_CANCEL_NOTICE at signing): the employer
	// cancelling, or the worker withdrawing, less than this before the first day's start is late. Omitted
	// (0) in terms signed before lingong-terms/3, for which the configured window applies.
	NoticeMinutes int `json:"notice_minutes,omitempty"`
}

// AttendanceTerms is how the day's attendance becomes pay (domain.AttendanceQuantity) and when a worker
// without a check-in is absent, as both sides signed it.
type AttendanceTerms struct {
	// StepMinutes is the rounding of hourly pay: whole steps of this many minutes, down (15).
	StepMinutes int `json:"step_minutes"`
	// NoShowGraceMinutes is how long after the day's start a worker may still check in (LINGONG_NOSHOW_GRACE at signing).
	NoShowGraceMinutes int `json:"no_show_grace_minutes"`
	// Pay is the clause in words: the rounding, the day-rate threshold, and the no-show rule.
	Pay string `json:"pay"`
}

// StationParty is the 零工驿站 or 零工市场 that issued the contract and mediates disputes.
type StationParty struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Address string `json:"address"`
	Phone   string `json:"phone"`
}

// TermsInput is what BuildTerms needs: the gig, the parties and the station as the domain holds them, and
// what only the caller knows (the number, the time of issue, masked ID numbers).
type TermsInput struct {
	Number         string    // ZW-YYYYMM-NNNNNN, assigned by the store
	Version        int       // 0 means 1
	PreviousNumber string    // for an amendment: the number of the contract it amends
	IssuedAt       time.Time // the instant the contract was made (acceptance or amendment)
	Job            domain.Job
	Worker         domain.Worker
	Employer       domain.Employer
	Station        domain.Station
	// EmployerIDMasked is an individual employer's masked resident ID number (domain.Employer has none).
	EmployerIDMasked string
	// WorkerIDMasked overrides Worker.IDNumberMasked when set.
	WorkerIDMasked string
	// PayDay overrides the default pay-day wording derived from the job's settlement.
	PayDay string
	// CancelNotice and NoShowGrace are the rules in force (0: domain.DefaultCancelNotice, DefaultNoShowGrace).
	CancelNotice, NoShowGrace time.Duration
}

// ValidNumber reports whether s has the contract number form ZW-YYYYMM-NNNNNN, with a month 01–12.
func ValidNumber(s string) bool {
	if len(s) != 16 || s[:3] != "ZW-" || s[9] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i >= 3 && i != 9 && (c < '0' || c > '9') {
			return false
		}
	}
	month := int(s[7]-'0')*10 + int(s[8]-'0')
	return month >= 1 && month <= 12
}

// BuildTerms writes the terms of a contract from the gig, the worker, the employer and the issuing
// station. It returns a domain invalid error naming the input at fault when the number, dates, wage or
// parties are unusable. ID numbers are masked again here if a caller passed one in full.
func BuildTerms(in TermsInput) (Terms, error) {
	j := in.Job
	switch {
	case !ValidNumber(in.Number):
		return Terms{}, domain.Invalid("number", "合同编号格式应为 ZW-YYYYMM-NNNNNN")
	case in.Version < 0:
		return Terms{}, domain.Invalid("version", "版本号不能为负")
	case in.Version > 1 && in.PreviousNumber == "":
		return Terms{}, domain.Invalid("previous_number", "变更后的合同须注明原合同编号")
	case in.PreviousNumber != "" && !ValidNumber(in.PreviousNumber):
		return Terms{}, domain.Invalid("previous_number", "原合同编号格式不正确")
	case in.IssuedAt.IsZero():
		return Terms{}, domain.Invalid("issued_at", "缺少签发时间")
	case strings.TrimSpace(in.Employer.Name) == "" || strings.TrimSpace(in.Worker.Name) == "":
		return Terms{}, domain.Invalid("parties", "合同双方的名称不能为空")
	case j.WageFen <= 0 || !j.WageUnit.Valid():
		return Terms{}, domain.Invalid("wage_fen", "工资须为正数并注明单位")
	case !j.Settlement.Valid():
		return Terms{}, domain.Invalid("settlement", "结算方式不正确")
	case !j.StartDate.Valid() || !j.EndDate.Valid() || j.EndDate < j.StartDate:
		return Terms{}, domain.Invalid("start_date", "工作日期不正确")
	case j.DailyHours < 0 || j.DailyHours > 24:
		return Terms{}, domain.Invalid("daily_hours", "每日工作时长不正确")
	}
	version := in.Version
	if version == 0 {
		version = 1
	}
	days := j.StartDate.DaysUntil(j.EndDate) + 1
	minutes := dailyMinutes(&j)

	employerID := ""
	if in.Employer.Kind == domain.EmployerIndividual {
		employerID = maskID(in.EmployerIDMasked)
	}
	workerID := in.WorkerIDMasked
	if workerID == "" {
		workerID = in.Worker.IDNumberMasked
	}
	payDay := in.PayDay
	if payDay == "" {
		payDay = defaultPayDay(j.Settlement)
	}
	station := StationParty{Code: in.Station.Code, Name: in.Station.Name, Address: in.Station.Address, Phone: in.Station.Phone}
	fee := HalfDayFen(&j, days)
	notice, grace := in.CancelNotice, in.NoShowGrace
	if notice <= 0 {
		notice = domain.DefaultCancelNotice
	}
	if grace <= 0 {
		grace = domain.DefaultNoShowGrace
	}

	t := Terms{
		Template:       TermsTemplate,
		Number:         in.Number,
		Version:        version,
		PreviousNumber: in.PreviousNumber,
		IssuedAt:       in.IssuedAt.In(domain.Shanghai).Truncate(time.Second).Format(time.RFC3339),
		Employer: EmployerParty{
			Kind:         in.Employer.Kind,
			Name:         in.Employer.Name,
			CreditCode:   in.Employer.CreditCode,
			IDMasked:     employerID,
			ContactName:  in.Employer.ContactName,
			ContactPhone: in.Employer.ContactPhone,
		},
		Worker: WorkerParty{Name: in.Worker.Name, No: in.Worker.No, IDMasked: maskID(workerID), Phone: in.Worker.Phone},
		Work: WorkTerms{
			Title:         j.Title,
			Content:       j.Description,
			Skills:        nonNil(j.Skills),
			RequiredCerts: nonNil(j.RequiredCerts),
		},
		Place:      PlaceTerms{District: j.District, Town: j.Town, Address: j.Address},
		Period:     PeriodTerms{Start: j.StartDate, End: j.EndDate, Days: days},
		Hours:      HoursTerms{DailyMinutes: minutes, Shifts: nonNil(j.Shifts)},
		Wage:       WageTerms{AmountFen: j.WageFen, Unit: j.WageUnit, PieceUnit: j.CountedPieceUnit()},
		Settlement: SettleTerms{Method: j.Settlement, PayDay: payDay},
		Safety: "甲方应提供符合国家规定的劳动安全卫生条件和必要的劳动防护用品，如实告知乙方工作中的危险因素，" +
			"不得安排乙方从事其不具备相应资格证书的作业；乙方应遵守安全操作规程，服从合理的现场管理。" +
			"甲方应为乙方在本协议期间的工作投保意外伤害保险（或依法参加工伤保险）；乙方在工作中受到伤害的，" +
			"甲方应立即组织救治，并依法承担相应责任。",
		Cancellation: CancelTerms{
			EmployerFeeFen: fee,
			Employer:       employerCancelClause(fee, notice),
			WorkerNoShow: "乙方因故不能按时到岗的，应至迟在开工前 " + durationText(notice) + "通知甲方或签发驿站（也可在“我的零工卡”上退出）。" +
				"乙方在开工前 " + durationText(notice) + "内退出，或开工后 " + durationText(grace) + "仍未签到且未通知的，" +
				"平台将记录一次爽约，作为今后推荐工作的参考；乙方有正当理由的，可到签发驿站申诉。",
			NoticeMinutes: int(notice / time.Minute),
		},
		Attendance: &AttendanceTerms{StepMinutes: domain.AttendanceStepMinutes, NoShowGraceMinutes: int(grace / time.Minute),
			Pay: attendancePayClause(j.WageUnit, minutes, grace)},
		Dispute: "因履行本协议发生争议的，双方可先协商；协商不成的，可向签发驿站" + station.Name +
			"申请调解；调解不成或一方不愿调解的，可依法向当地劳动人事争议仲裁委员会申请劳动争议仲裁。",
		Station: station,
	}
	return t, nil
}

// dailyMinutes is the daily working time printed in the terms: the shifts' exact sum, or the posted
// daily hours to the nearest minute. It is only printed; no money is computed from it (HalfDayFen uses
// the exact hours).
func dailyMinutes(j *domain.Job) int {
	if m := domain.ShiftMinutes(j.Shifts); m > 0 {
		return m
	}
	h := domain.ExactHours(j.DailyHours)
	return int(domain.RoundHalfUp(h.Mul(h, big.NewRat(60, 1))))
}

// HalfDayFen is the employer's cancellation fee: half of one full day's pay (domain.Job.DayPayRat,
// computed exactly from the posted wage, daily hours or shifts, expected hours per piece and the length
// of the gig in days), rounded once, half up to the fen. 0 when the wage terms do not fix a day's pay
// (a piece rate without expected hours), in which case the clause says how the fee is determined.
func HalfDayFen(j *domain.Job, days int) int64 {
	pay := j.DayPayRat(days)
	if pay == nil || pay.Sign() <= 0 {
		return 0
	}
	return domain.RoundFen(pay.Quo(pay, big.NewRat(2, 1)))
}

func employerCancelClause(fee int64, notice time.Duration) string {
	amount := "半天工资（按乙方当日可得工资的一半计算）"
	if fee > 0 {
		amount = "半天工资 " + domain.FormatYuan(fee) + " 元"
	}
	return "甲方在开工（第一天第一个班次开始）前 " + durationText(notice) + "内取消用工，或乙方到岗后不能安排工作的，应向乙方支付" + amount +
		"作为误工补偿，记入本协议的结算记录，于原定开工当日结清；正好提前 " + durationText(notice) + "或更早取消的，不需补偿。"
}

// attendancePayClause is the clause on attendance and pay: how the time is counted and rounded for an
// hourly wage, the threshold of a day rate, and when a worker is absent.
func attendancePayClause(unit domain.WageUnit, dailyMinutes int, grace time.Duration) string {
	var pay string
	switch unit {
	case domain.PerHour:
		pay = "按签到至签退的时间计工，按整刻钟（15 分钟）向下取整，不足一刻钟的部分不计。"
	case domain.PerDay:
		if dailyMinutes <= 0 {
			dailyMinutes = domain.DefaultDailyMinutes
		}
		pay = "当天签到至签退满 " + minutesText(dailyMinutes) + "计 1 天，满一半（" + minutesText(dailyMinutes/2) +
			"）计半天，不满一半的不按考勤计，由双方按实际协商。"
	default:
		pay = "按过秤或验收数量计，考勤记录列在旁边备查。"
	}
	return "乙方到岗扫工地签到码签到、收工签退（也可由甲方记录员或驿站代记），签退时按本协议自动记工：" + pay +
		"按考勤记的工钱，甲方可在记录后 24 小时内确认或提出异议。开工后 " + durationText(grace) + "仍未签到的记为缺勤，由甲方确认或更正。"
}

// durationText is a window in words: "24 小时", "60 分钟".
func durationText(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%d 小时", int(d/time.Hour))
	}
	return fmt.Sprintf("%d 分钟", int(d/time.Minute))
}

// minutesText is a working time in words: "8 小时", "4 小时 30 分钟".
func minutesText(m int) string {
	if m%60 == 0 {
		return fmt.Sprintf("%d 小时", m/60)
	}
	if m < 60 {
		return fmt.Sprintf("%d 分钟", m)
	}
	return fmt.Sprintf("%d 小时 %d 分钟", m/60, m%60)
}

func defaultPayDay(s domain.Settlement) string {
	switch s {
	case domain.SettleDaily:
		return "每个工作日结束时当日结清"
	case domain.SettleWeekly:
		return "每周最后一个工作日结清当周工资"
	}
	return "全部工作完成当日一次结清"
}

// maskID returns a masked resident ID number: an already masked (or empty) one unchanged, a full one
// masked, so that no full ID number can reach the terms.
func maskID(id string) string {
	if id == "" || strings.Contains(id, "*") {
		return id
	}
	return domain.MaskIDNumber(strings.ToUpper(strings.TrimSpace(id)))
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Freeze returns the canonical JSON of t and its SHA-256 in hex: what the store keeps and the parties sign.
func (t Terms) Freeze() (canonical []byte, hash string, err error) {
	b, err := Canonical(t)
	if err != nil {
		return nil, "", err
	}
	return b, HashHex(b), nil
}

// ParseTerms reads terms back from their JSON. Unknown fields and trailing data are errors, because
// silently dropping a stored term would make the printed contract differ from the signed one. Parsing
// the canonical JSON of Terms and freezing the result again gives the same bytes.
func ParseTerms(b []byte) (Terms, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var t Terms
	if err := dec.Decode(&t); err != nil {
		return Terms{}, fmt.Errorf("parse terms: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Terms{}, errors.New("parse terms: data after the terms object")
	}
	t.Work.Skills = nonNil(t.Work.Skills)
	t.Work.RequiredCerts = nonNil(t.Work.RequiredCerts)
	t.Hours.Shifts = nonNil(t.Hours.Shifts)
	return t, nil
}

// IssuedTime returns IssuedAt as an instant (the zero time if it does not parse).
func (t Terms) IssuedTime() time.Time {
	it, err := time.Parse(time.RFC3339, t.IssuedAt)
	if err != nil {
		return time.Time{}
	}
	return it
}

package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Incidents (出险登记, issue 22 item 4): an accident at work, recorded by the staff of the station that
// issued the contract, against the contract and the day it happened. The claim moves forward only:
// reported (登记) -> claimed (已报案/理赔申请) -> paid (已赔付, with the amount and the insurer's
// reference) -> closed (结案); a claim the insurer refuses, or an accident never claimed, may close
// without payment. Each step keeps its date.

// IncidentStatus is where an incident's claim stands.
type IncidentStatus string

const (
	IncidentReported IncidentStatus = "reported"
	IncidentClaimed  IncidentStatus = "claimed"
	IncidentPaid     IncidentStatus = "paid"
	IncidentClosed   IncidentStatus = "closed"
)

// IncidentStatuses are the statuses in their order.
var IncidentStatuses = []IncidentStatus{IncidentReported, IncidentClaimed, IncidentPaid, IncidentClosed}

// Label is the status in Chinese.
func (s IncidentStatus) Label() string {
	switch s {
	case IncidentReported:
		return "已登记"
	case IncidentClaimed:
		return "已报案理赔"
	case IncidentPaid:
		return "已赔付"
	case IncidentClosed:
		return "已结案"
	}
	return string(s)
}

// Next lists the statuses an incident may move to from s: forward only, and paid only after a claim.
func (s IncidentStatus) Next() []IncidentStatus {
	switch s {
	case IncidentReported:
		return []IncidentStatus{IncidentClaimed, IncidentClosed}
	case IncidentClaimed:
		return []IncidentStatus{IncidentPaid, IncidentClosed}
	case IncidentPaid:
		return []IncidentStatus{IncidentClosed}
	}
	return nil
}

// Incident is one recorded accident. WorkerIDMasked is the worker's ID number masked (the pack and the
// console show no more); employers get the incident without it.
type Incident struct {
	ID               int64          `json:"id"`
	ContractID       int64          `json:"contract_id"`
	ContractNumber   string         `json:"contract_number"`
	JobID            int64          `json:"job_id"`
	JobTitle         string         `json:"job_title"`
	WorkerID         int64          `json:"worker_id"`
	WorkerName       string         `json:"worker_name"`
	WorkerIDMasked   string         `json:"worker_id_masked,omitempty"`
	EmployerID       int64          `json:"employer_id"`
	EmployerName     string         `json:"employer_name"`
	StationID        int64          `json:"station_id"`
	OccurredOn       Date           `json:"occurred_on"`
	OccurredTime     string         `json:"occurred_time"` // "14:20", Beijing time
	Place            string         `json:"place"`
	What             string         `json:"what"`
	Injuries         string         `json:"injuries"`
	Witnesses        string         `json:"witnesses"`
	Status           IncidentStatus `json:"status"`
	StatusLabel      string         `json:"status_label"`
	ReportedOn       Date           `json:"reported_on"`
	ClaimedOn        Date           `json:"claimed_on,omitempty"`
	PaidOn           Date           `json:"paid_on,omitempty"`
	ClosedOn         Date           `json:"closed_on,omitempty"`
	PaidFen          int64          `json:"paid_fen"`
	InsurerReference string         `json:"insurer_reference,omitempty"`
	Note             string         `json:"note,omitempty"`
	RecordedBy       string         `json:"recorded_by"`
	CreatedAt        time.Time      `json:"created_at"`
	UpdatedAt        time.Time      `json:"updated_at"`
}

// IncidentInput is an accident as staff record it.
type IncidentInput struct {
	ContractID   int64
	OccurredOn   Date
	OccurredTime string
	Place        string
	What         string
	Injuries     string
	Witnesses    string
}

// Normalize checks the record against the contract it names (today being today in 中卫): the day is a
// real date no later than today and within the contract's period, the time is HH:MM, the place, what
// happened and the injuries are written (what happened in at least 4 characters).
func (in IncidentInput) Normalize(today Date, ct Contract) (IncidentInput, error) {
	if !in.OccurredOn.Valid() {
		return in, Invalid("occurred_on", "日期格式不对，应为 年-月-日，例如 2026-05-01")
	}
	if in.OccurredOn > today {
		return in, Invalid("occurred_on", "出险日期不能晚于今天")
	}
	if in.OccurredOn < ct.StartDate || in.OccurredOn > ct.EndDate {
		return in, Invalidf("occurred_on", "出险日期不在合约期限（%s 至 %s）内", ct.StartDate, ct.EndDate)
	}
	m, ok := clockMinutes(in.OccurredTime, false)
	if !ok {
		return in, Invalid("occurred_time", "时间格式不对，应为 时:分，例如 14:20")
	}
	in.OccurredTime = clockText(m)
	var err error
	for _, f := range []struct {
		field string
		v     *string
		max   int
		min   int
		name  string
	}{
		{"place", &in.Place, 100, 1, "出险地点"},
		{"what", &in.What, 1000, 4, "事故经过"},
		{"injuries", &in.Injuries, 500, 1, "受伤情况"},
		{"witnesses", &in.Witnesses, 300, 0, "证人"},
	} {
		if *f.v, err = CleanText(f.field, *f.v, f.max); err != nil {
			return in, err
		}
		if n := utf8.RuneCountInString(*f.v); n < f.min {
			if f.min == 1 {
				return in, Invalidf(f.field, "请填写%s", f.name)
			}
			return in, Invalidf(f.field, "%s至少写 %d 个字", f.name, f.min)
		}
	}
	return in, nil
}

func clockText(m int) string {
	return string([]byte{byte('0' + m/600), byte('0' + m/60%10), ':', byte('0' + m%60/10), byte('0' + m%10)})
}

// MaxIncidentPaidFen bounds one insurer payment: 500 万元. Anything larger is a typing error.
const MaxIncidentPaidFen = 500_000_000

// IncidentMove is a step of the claim: the new status, the day it happened (the insurer's payment may
// be recorded days later; empty means today), and for paid the amount and the insurer's reference.
type IncidentMove struct {
	Status           IncidentStatus
	On               Date
	PaidFen          int64
	InsurerReference string
	Note             string
}

// Check validates a move of inc on today: forward along Next, on a day no later than today and no
// earlier than the previous step, paid with an amount of 1 fen to MaxIncidentPaidFen and a reference;
// other steps carry no amount. It returns the move with its day filled in.
func (m IncidentMove) Check(inc Incident, today Date) (IncidentMove, error) {
	allowed := false
	for _, n := range inc.Status.Next() {
		allowed = allowed || n == m.Status
	}
	if !allowed {
		known := false
		for _, s := range IncidentStatuses {
			known = known || s == m.Status
		}
		if !known {
			return m, Invalid("status", "状态只能是 claimed（报案理赔）、paid（已赔付）或 closed（结案）")
		}
		if inc.Status == IncidentClosed {
			return m, Conflict("这起出险已经结案，状态不能再改")
		}
		if m.Status == IncidentPaid {
			return m, Conflict("先登记报案理赔，才能登记赔付")
		}
		return m, Conflict("状态只能向前：现在是“" + inc.Status.Label() + "”，不能改成“" + m.Status.Label() + "”")
	}
	if m.On == "" {
		m.On = today
	}
	if !m.On.Valid() {
		return m, Invalid("on", "日期格式不对，应为 年-月-日，例如 2026-05-01")
	}
	if m.On > today {
		return m, Invalid("on", "日期不能晚于今天")
	}
	if last := inc.LastStepOn(); m.On < last {
		return m, Invalidf("on", "日期不能早于上一步（%s）", last)
	}
	var err error
	if m.InsurerReference, err = CleanText("insurer_reference", m.InsurerReference, 64); err != nil {
		return m, err
	}
	if strings.ContainsAny(m.InsurerReference, "\n\r\t") {
		return m, Invalid("insurer_reference", "赔付单号只能填一行")
	}
	if m.Note, err = CleanText("note", m.Note, 200); err != nil {
		return m, err
	}
	if m.Status == IncidentPaid {
		if m.PaidFen <= 0 || m.PaidFen > MaxIncidentPaidFen {
			return m, Invalidf("paid_fen", "赔付金额应大于 0、不超过 %s 元（单位：分）", FormatYuan(MaxIncidentPaidFen))
		}
		if m.InsurerReference == "" {
			return m, Invalid("insurer_reference", "请填写保险公司的赔付单号或理赔案号")
		}
	} else if m.PaidFen != 0 {
		return m, Invalid("paid_fen", "只有登记赔付时填写金额")
	}
	return m, nil
}

// LastStepOn is the day of the incident's latest step.
func (inc Incident) LastStepOn() Date {
	last := inc.ReportedOn
	for _, d := range []Date{inc.ClaimedOn, inc.PaidOn, inc.ClosedOn} {
		if d > last {
			last = d
		}
	}
	return last
}

// Apply returns inc after the (checked) move.
func (inc Incident) Apply(m IncidentMove) Incident {
	inc.Status, inc.StatusLabel = m.Status, m.Status.Label()
	switch m.Status {
	case IncidentClaimed:
		inc.ClaimedOn = m.On
	case IncidentPaid:
		inc.PaidOn, inc.PaidFen, inc.InsurerReference = m.On, m.PaidFen, m.InsurerReference
	case IncidentClosed:
		inc.ClosedOn = m.On
	}
	if m.Note != "" {
		inc.Note = m.Note
	}
	return inc
}

// ForEmployer is the incident as the employer of the job sees it: without the worker's ID number.
func (inc Incident) ForEmployer() Incident {
	inc.WorkerIDMasked = ""
	return inc
}

// IncidentFigures are the dashboard's incident figures: how many incidents stand at each status, and
// the days from report to payment of the paid ones (paid and closed after payment).
type IncidentFigures struct {
	Total    int                    `json:"total"`
	ByStatus map[IncidentStatus]int `json:"by_status"`
	// Paid is the number of incidents with a payment; the days are whole calendar days from the
	// report's date to the payment's date.
	Paid         int     `json:"paid"`
	PaidFen      int64   `json:"paid_fen"`
	AvgDaysToPay float64 `json:"avg_days_to_pay"`
	MaxDaysToPay int     `json:"max_days_to_pay"`
}

// IncidentFilter narrows a list of incidents: a station's (staff), an employer's, a status; zero
// values do not narrow.
type IncidentFilter struct {
	StationID  int64
	EmployerID int64
	Status     IncidentStatus
}

// Count is the number of incidents at status s (for pages: "reported", "claimed"...).
func (f IncidentFigures) Count(s string) int { return f.ByStatus[IncidentStatus(s)] }

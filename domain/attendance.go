package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"time"
)

// Attendance at the site (issue 21). A worker checks in (签到) and out (签退) once per contract-day; each
// is an append-only event with the server's time, and, when the phone shares it, how far from the site
// it was (never where). An event submitted late by a phone that was offline carries the phone's own
// time, flagged. Who recorded it is part of the event: the worker by the site's daily code, the
// employer's recorder (记录员) by the worker's card, station staff at the console, or the employer's own
// time clock through the API.

// AttendanceKind is a check-in or a check-out.
type AttendanceKind string

const (
	CheckIn  AttendanceKind = "in"
	CheckOut AttendanceKind = "out"
)

// Valid reports whether k is a known kind.
func (k AttendanceKind) Valid() bool { return k == CheckIn || k == CheckOut }

// Label is the Chinese name: 签到 or 签退.
func (k AttendanceKind) Label() string {
	if k == CheckOut {
		return "签退"
	}
	return "签到"
}

// AttendanceSource says who recorded an event.
type AttendanceSource string

const (
	ByWorker        AttendanceSource = "worker"         // the worker, by scanning the site's code
	ByRecorder      AttendanceSource = "recorder"       // the employer's recorder, by the worker's card
	ByStaff         AttendanceSource = "staff"          // station staff at the console
	ByEmployerClock AttendanceSource = "employer_clock" // the employer's own time clock, through the API
	// ByDayEnd is the check-out the system writes at the day's end for a worker who checked in and never
	// checked out (缺签退): at the end of the contract's shift, for the employer to confirm or dispute.
	ByDayEnd AttendanceSource = "day_end"
)

// Label is the Chinese name of the source.
func (s AttendanceSource) Label() string {
	switch s {
	case ByWorker:
		return "本人扫码"
	case ByRecorder:
		return "记录员代记"
	case ByStaff:
		return "驿站代记"
	case ByEmployerClock:
		return "用工方考勤机"
	case ByDayEnd:
		return "缺签退（按班次结束计）"
	}
	return string(s)
}

// AttendanceRules are the configurable limits of attendance.
type AttendanceRules struct {
	// RadiusM is how far from the site (metres) a shared location may be before the event is flagged.
	RadiusM int
	// OfflineWindow is how long after the phone's own time an offline event may still be submitted.
	OfflineWindow time.Duration
	// ConfirmWindow is how long the employer may confirm or dispute a work line from attendance.
	ConfirmWindow time.Duration
	// NoShowGrace is how long after the day's start a worker may still check in before being marked absent.
	NoShowGrace time.Duration
	// CancelNotice is how long before a contract's start a cancellation or withdrawal still counts as in time.
	CancelNotice time.Duration
}

// DefaultAttendanceRules: 500 m, and a phone offline for up to 12 hours (a day in the fields).
var DefaultAttendanceRules = AttendanceRules{RadiusM: 500, OfflineWindow: 12 * time.Hour, ConfirmWindow: DefaultConfirmWindow,
	NoShowGrace: DefaultNoShowGrace, CancelNotice: DefaultCancelNotice}

// deviceClockSlack is how far ahead of the server a phone's clock may run before its time is refused.
const deviceClockSlack = 5 * time.Minute

// Location is where a phone was, shared with the worker's consent. It is used once, to compute the
// distance from the site, and never stored.
type Location struct {
	Lat, Lng float64
}

// Valid reports whether the point is a real coordinate (and not the 0,0 of an unset field).
func (l Location) Valid() bool {
	return !math.IsNaN(l.Lat) && !math.IsNaN(l.Lng) && l.Lat >= -90 && l.Lat <= 90 && l.Lng >= -180 && l.Lng <= 180 &&
		(l.Lat != 0 || l.Lng != 0)
}

// AttendanceInput is one check-in or check-out to record, as a use case receives it.
type AttendanceInput struct {
	ContractID int64
	Kind       AttendanceKind
	Source     AttendanceSource
	// SiteCode is the site's code of the day the worker scanned (ByWorker only).
	SiteCode string
	// Location, when the phone shared it.
	Location *Location
	// DeviceAt is the phone's own time when it was offline and submits later; nil when online.
	DeviceAt *time.Time
}

// AttendanceEvent is one recorded check-in or check-out.
type AttendanceEvent struct {
	ID         int64            `json:"id"`
	ContractID int64            `json:"contract_id"`
	JobID      int64            `json:"job_id"`
	WorkerID   int64            `json:"worker_id"`
	WorkDate   Date             `json:"date"`
	Kind       AttendanceKind   `json:"kind"`
	At         time.Time        `json:"at"`                  // when the server received it
	DeviceAt   *time.Time       `json:"device_at,omitempty"` // the phone's time, when it was offline
	Offline    bool             `json:"offline"`
	DistanceM  *int64           `json:"distance_m,omitempty"` // from the site, when a location was shared
	Far        bool             `json:"far"`                  // beyond the radius
	Source     AttendanceSource `json:"source"`
	RecordedBy string           `json:"recorded_by"` // "worker:12", "employer:3", "staff:5"
	// LedgerEntryID is the work line a check-out wrote (0: none, e.g. a piece rate).
	LedgerEntryID int64 `json:"ledger_entry_id,omitempty"`
	// WorkerAnswer is the worker's answer to a record of the employer's clock: "" (none yet, which
	// NeedsWorker says matters), "confirm" or "dispute".
	WorkerAnswer string    `json:"worker_answer,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// Time is when the event happened: the phone's time for an offline event, else the server's.
func (e AttendanceEvent) Time() time.Time {
	if e.Offline && e.DeviceAt != nil {
		return *e.DeviceAt
	}
	return e.At
}

// Clock is the event's time of day in 中卫, "07:02".
func (e AttendanceEvent) Clock() string { return e.Time().In(Shanghai).Format("15:04") }

// AttendanceDay is one worker's attendance on one contract-day: the check-in and check-out (nil when
// missing). It is what rosters, pay and insurance read.
type AttendanceDay struct {
	ContractID int64            `json:"contract_id"`
	JobID      int64            `json:"job_id"`
	WorkerID   int64            `json:"worker_id"`
	Date       Date             `json:"date"`
	In         *AttendanceEvent `json:"check_in,omitempty"`
	Out        *AttendanceEvent `json:"check_out,omitempty"`
	// AmountFen is what the day's work line from attendance says the worker earned (0: none written),
	// and Review where that line stands with the employer ("" when there is no line).
	AmountFen int64          `json:"amount_fen"`
	Review    EmployerReview `json:"employer_review,omitempty"`
	// LineAt is when that line was written (the employer's window runs from it).
	LineAt *time.Time `json:"-"`
}

// Settle fills in Review for an unanswered line: pending within the window after the line was
// written, else it stands.
func (d *AttendanceDay) Settle(now time.Time, window time.Duration) {
	if d.LineAt == nil || d.Review != "" {
		return
	}
	d.Review = ReviewStands
	if now.Before(d.LineAt.Add(window)) {
		d.Review = ReviewPending
	}
}

// Minutes is the time between check-in and check-out in whole minutes (0 when either is missing).
func (d AttendanceDay) Minutes() int64 {
	if d.In == nil || d.Out == nil {
		return 0
	}
	m := int64(d.Out.Time().Sub(d.In.Time()) / time.Minute)
	return max(m, 0)
}

// EventTime decides when an event happened and whether it is flagged offline: now (the server's
// clock) unless the phone submits its own time, which must lie within the offline window and not in
// the future.
func (r AttendanceRules) EventTime(now time.Time, device *time.Time) (at time.Time, offline bool, err error) {
	if device == nil || device.IsZero() {
		return now, false, nil
	}
	d := device.UTC()
	switch {
	case d.After(now.Add(deviceClockSlack)):
		return time.Time{}, false, Invalid("device_at", "手机上的时间晚于现在，请校准手机时间后再试")
	case now.Sub(d) > r.OfflineWindow:
		return time.Time{}, false, Invalidf("device_at", "离线记录须在 %s 内补交，这条已超时，请找用工方或驿站处理", hoursText(r.OfflineWindow))
	case now.Sub(d) <= deviceClockSlack:
		return now, false, nil // not really offline: the server's time stands
	}
	return d, true, nil
}

// Distance returns the distance in whole metres from the site and whether it is beyond the radius.
// A site without coordinates gives no distance.
func (r AttendanceRules) Distance(site Location, at *Location) (*int64, bool, error) {
	if at == nil {
		return nil, false, nil
	}
	if !at.Valid() {
		return nil, false, Invalid("lat", "位置不正确")
	}
	if !site.Valid() {
		return nil, false, nil
	}
	m := int64(math.Round(DistanceKm(site.Lat, site.Lng, at.Lat, at.Lng) * 1000))
	return &m, m > int64(r.RadiusM), nil
}

func hoursText(d time.Duration) string {
	if d%time.Hour == 0 {
		return strconv.FormatInt(int64(d/time.Hour), 10) + " 小时"
	}
	return strconv.FormatInt(int64(d/time.Minute), 10) + " 分钟"
}

// A site code is the content of a gig's site QR for one day: the gig's id and the date, signed like a
// worker card (the first 16 bytes of HMAC-SHA256 with a key derived for the purpose), base64url. It
// changes every day, so a photo of yesterday's poster does not check anyone in today.

const (
	siteMACBytes     = 16
	maxSiteCodeLen   = 64
	siteDomainPrefix = "lingong-site"
	// SiteCodeKeyPurpose derives the site-code key from the master secret (DeriveKey).
	SiteCodeKeyPurpose = "site-code"
)

// SiteCode signs the code of job jobID's site on day.
func SiteCode(key []byte, jobID int64, day Date) string {
	payload := binary.AppendUvarint(nil, uint64(jobID))
	payload = binary.AppendUvarint(payload, uint64(dayNumber(day)))
	return base64.RawURLEncoding.EncodeToString(append(payload, siteMAC(key, payload)...))
}

// ParseSiteCode checks a site code's signature and returns the gig and the day it is for. A malformed
// or forged code is invalid ("签到码无效"); the caller compares the day with today.
func ParseSiteCode(key []byte, code string) (jobID int64, day Date, err error) {
	bad := Invalid("site_code", "签到码无效：请扫描工地张贴的今日签到码")
	code = strings.TrimSpace(code)
	if code == "" || len(code) > maxSiteCodeLen {
		return 0, "", bad
	}
	raw, derr := base64.RawURLEncoding.DecodeString(code)
	if derr != nil || len(raw) <= siteMACBytes || base64.RawURLEncoding.EncodeToString(raw) != code {
		return 0, "", bad
	}
	payload, mac := raw[:len(raw)-siteMACBytes], raw[len(raw)-siteMACBytes:]
	if !hmac.Equal(mac, siteMAC(key, payload)) {
		return 0, "", bad
	}
	id, n := binary.Uvarint(payload)
	if n <= 0 {
		return 0, "", bad
	}
	dn, m := binary.Uvarint(payload[n:])
	if m <= 0 || n+m != len(payload) || id == 0 || id > 1<<62 || dn > 1<<20 {
		return 0, "", bad
	}
	return int64(id), dateOfNumber(int64(dn)), nil
}

func siteMAC(key, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(siteDomainPrefix))
	m.Write(payload)
	return m.Sum(nil)[:siteMACBytes]
}

var epochDay = Date("2020-01-01")

func dayNumber(d Date) int64 { return int64(epochDay.DaysUntil(d)) }

func dateOfNumber(n int64) Date { return epochDay.AddDays(int(n)) }

// Attendance becomes pay (issue 21 item 3). At check-out the day's work line is written to the ledger
// from the contract's terms, exactly (the ledger's amount is EarnedFen(wage, quantity), one rounding):
//   - hourly: the time between check-in and check-out rounded down to the quarter hour (AttendanceStepMinutes);
//   - day rate: one day when the time reaches the contract's daily working time (its terms'
//     hours.daily_minutes; DefaultDailyMinutes when the terms give none), half a day when it reaches
//     half of it, else no line (the employer settles it by hand, as before);
//   - piece and whole-job rates: no line (weigh tickets and the final settlement stay as they are);
//     the attendance is shown beside them.

// AttendanceStepMinutes is the rounding step of hourly pay from attendance: whole quarter hours, down.
const AttendanceStepMinutes = 15

// DefaultDailyMinutes is the day-rate threshold when a contract's terms give no daily working time.
const DefaultDailyMinutes = 8 * 60

// AttendanceQuantity is the quantity (thousandths of the contract's unit) a day's attendance of
// workedMinutes earns under the wage unit, with dailyMinutes the contract's daily working time. 0
// means no work line is written from attendance.
func AttendanceQuantity(unit WageUnit, dailyMinutes, workedMinutes int64) int64 {
	if workedMinutes <= 0 {
		return 0
	}
	switch unit {
	case PerHour:
		quarters := workedMinutes / AttendanceStepMinutes
		return quarters * 1000 * AttendanceStepMinutes / 60
	case PerDay:
		if dailyMinutes <= 0 {
			dailyMinutes = DefaultDailyMinutes
		}
		switch {
		case workedMinutes >= dailyMinutes:
			return 1000
		case 2*workedMinutes >= dailyMinutes:
			return 500
		}
	}
	return 0
}

// DefaultConfirmWindow is how long the employer has to confirm or dispute a day's work line written
// from attendance before it stands (LINGONG_ATTENDANCE_CONFIRM_WINDOW).
const DefaultConfirmWindow = 24 * time.Hour

// EmployerReview is where a work line from attendance stands with the employer.
type EmployerReview string

const (
	ReviewPending   EmployerReview = "pending"   // within the window, not answered
	ReviewConfirmed EmployerReview = "confirmed" // the employer confirmed it
	ReviewDisputed  EmployerReview = "disputed"  // the employer disputed it (the station settles it)
	ReviewStands    EmployerReview = "stands"    // the window passed unanswered: it stands as recorded
)

// Label is the Chinese name.
func (r EmployerReview) Label() string {
	switch r {
	case ReviewPending:
		return "待用工方确认"
	case ReviewConfirmed:
		return "用工方已确认"
	case ReviewDisputed:
		return "用工方有异议"
	case ReviewStands:
		return "已生效"
	}
	return ""
}

// NeedsWorker reports whether the event waits for the worker's confirmation: the employer's own clock
// recorded it and the worker has not answered.
func (e AttendanceEvent) NeedsWorker() bool {
	return e.Source == ByEmployerClock && e.WorkerAnswer == ""
}

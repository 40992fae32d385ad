package domain

import "time"

// No-shows (issue 21 item 5): a worker who has not checked in by the contract day's start plus a grace
// is marked absent by the sweep; the employer (or the station) then confirms the absence, which counts
// in the worker's record the matcher weighs, or corrects it (the worker was there), which counts
// nothing. See docs/attendance.md.

// DefaultNoShowGrace is how long after the day's start a worker may still check in before being marked
// absent (LINGONG_NOSHOW_GRACE).
const DefaultNoShowGrace = 60 * time.Minute

// DefaultDayStartMinutes is the day's start when the contract names no shifts: 08:00 in 中卫.
const DefaultDayStartMinutes = 8 * 60

// NoShowStatus is where a marked absence stands.
type NoShowStatus string

const (
	NoShowMarked    NoShowStatus = "marked"    // marked by the sweep, waiting for the employer
	NoShowConfirmed NoShowStatus = "confirmed" // the employer confirmed it: it counts in the worker's record
	NoShowCorrected NoShowStatus = "corrected" // the employer corrected it: the worker was there
)

// Counts reports whether the no-show counts in the worker's record: confirmed and not upheld on contest.
func (n NoShow) Counts() bool { return n.Status == NoShowConfirmed && n.Contest != ContestUpheld }

// NoShow is one worker marked absent on one contract-day.
type NoShow struct {
	ID         int64        `json:"id"`
	ContractID int64        `json:"contract_id"`
	JobID      int64        `json:"job_id"`
	WorkerID   int64        `json:"worker_id"`
	Date       Date         `json:"date"`
	Status     NoShowStatus `json:"status"`
	Reason     string       `json:"reason,omitempty"`
	// Origin is "sweep" (not checked in by the start plus the grace) or "withdrawal" (the worker withdrew
	// within the notice window).
	Origin string `json:"origin"`
	// Contest is the station's decision on the worker's contest ("" none, upheld, rejected), with its reason.
	Contest       Contest    `json:"contest,omitempty"`
	ContestReason string     `json:"contest_reason,omitempty"`
	MarkedAt      time.Time  `json:"marked_at"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
	// ContestRequest is the worker's own reason when they contested online (the page or the API), and
	// ContestRequestedAt when; the station decides it without the worker present and texts the decision.
	ContestRequest     string     `json:"contest_request,omitempty"`
	ContestRequestedAt *time.Time `json:"contest_requested_at,omitempty"`
}

// Contestable reports whether the worker may still contest the no-show online: confirmed, not decided
// on contest, not contested online already.
func (n NoShow) Contestable() bool {
	return n.Status == NoShowConfirmed && n.Contest == "" && n.ContestRequestedAt == nil
}

// ContestWaiting is a no-show a worker contested online that the issuing station has not decided yet,
// with what the desk shows of the worker (who may be called back).
type ContestWaiting struct {
	NoShow
	WorkerName string `json:"worker_name"`
	WorkerNo   string `json:"worker_no"`
	JobTitle   string `json:"job_title"`
}

// NoShowCandidate is an active contract whose worker has not checked in on a day and is not marked
// absent yet, with the shifts that say when the day starts.
type NoShowCandidate struct {
	ContractID, JobID, WorkerID int64
	Shifts                      []Shift
	// Grace is the grace the contract's terms state (0 for terms signed before they stated one: the
	// configured grace applies).
	Grace time.Duration
	// ActiveSince is when the contract took effect (its last signature): a worker cannot be absent from a
	// day that had already started, grace included, before they were hired for it.
	ActiveSince time.Time
}

// DayStart is when a contract-day starts: the start of its first shift, or 08:00 when it names none.
func DayStart(day Date, shifts []Shift) time.Time {
	minutes := DefaultDayStartMinutes
	for i, sh := range shifts {
		if m, ok := clockMinutes(sh.Start, false); ok && (i == 0 || m < minutes) {
			minutes = m
		}
	}
	return day.Start().Add(time.Duration(minutes) * time.Minute)
}

// NoShowDue reports whether a worker who has not checked in on day is absent at now: at the day's
// start plus the grace exactly, and not a second before.
func NoShowDue(now time.Time, day Date, shifts []Shift, grace time.Duration) bool {
	return !now.Before(DayStart(day, shifts).Add(grace))
}

// DayEnd is when a contract-day's work ends: the end of its latest shift (a shift ending at or before its
// start ends the next day), or the day's start plus the daily working time when it names no shifts
// (dailyMinutes ≤ 0: DefaultDailyMinutes).
func DayEnd(day Date, shifts []Shift, dailyMinutes int64) time.Time {
	var end time.Time
	for _, sh := range shifts {
		s, ok1 := clockMinutes(sh.Start, false)
		e, ok2 := clockMinutes(sh.End, true)
		if !ok1 || !ok2 {
			continue
		}
		if e <= s {
			e += 24 * 60
		}
		if t := day.Start().Add(time.Duration(e) * time.Minute); t.After(end) {
			end = t
		}
	}
	if !end.IsZero() {
		return end
	}
	if dailyMinutes <= 0 {
		dailyMinutes = DefaultDailyMinutes
	}
	return DayStart(day, nil).Add(time.Duration(dailyMinutes) * time.Minute)
}

// DayEndDue reports whether a contract-day whose work ended at end is over for attendance at now, so a
// missing check-out is written: once the offline window after the end has passed (a phone that was
// offline may still submit its check-out until then), and not before the next day has begun in 中卫.
func DayEndDue(now time.Time, day Date, end time.Time, offline time.Duration) bool {
	due := end.Add(offline)
	if next := day.AddDays(1).Start(); due.Before(next) {
		due = next
	}
	return !now.Before(due)
}

// OpenCheckIn is a check-in without a check-out on a past day, with what DayEnd needs from the terms.
type OpenCheckIn struct {
	In           AttendanceEvent
	Shifts       []Shift
	DailyMinutes int64
}

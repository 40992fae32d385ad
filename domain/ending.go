package domain

import (
	"fmt"
	"time"
)

// Ending a started contract early (提前结束), a follow-up of issue 21's cancellations: once the first
// day has started a contract can no longer be cancelled, but its remaining days can be given up. The
// contract's last working day moves earlier; the signed terms stay as signed. See docs/attendance.md.
//
//   - the employer (API key) or the worker (session) ends it from a last day that is today or later;
//   - the issuing station's staff record an ending both sides agreed at the station, and may set a last
//     day up to EndingBackDays in the past (the worker left last week and nobody told the system);
//     no-shows marked after such a last day stop counting.
//
// Always: the last day is on or after the start date and before the current end date, and the contract
// is active. Ending again may only shorten.

// EndingBackDays is how far in the past the station may set a contract's last day: a week, so that the
// no-show sweep's week of marks (and the employer's week to answer them) can be undone, but no further
// (older days have been paid, rostered and reported).
const EndingBackDays = 7

// EndingParty is on whose behalf a contract was ended early.
type EndingParty string

const (
	EndingByEmployer EndingParty = "employer" // the employer, through its API key
	EndingByWorker   EndingParty = "worker"   // the worker, on their contract page
	EndingByStation  EndingParty = "station"  // both sides agreed it at the issuing station, which recorded it
)

// Label is the party in Chinese ("用工方").
func (p EndingParty) Label() string {
	switch p {
	case EndingByEmployer:
		return "用工方"
	case EndingByWorker:
		return "零工"
	case EndingByStation:
		return "双方在签发驿站"
	}
	return string(p)
}

// ContractEnding is one early ending of a contract.
type ContractEnding struct {
	ID          int64       `json:"id"`
	ContractID  int64       `json:"contract_id"`
	JobID       int64       `json:"job_id"`
	WorkerID    int64       `json:"worker_id"`
	By          EndingParty `json:"by"`
	PreviousEnd Date        `json:"previous_end"` // the end date before this ending
	LastDay     Date        `json:"last_day"`     // the new last working day (the contract's end date now)
	Reason      string      `json:"reason"`
	// VoidedNoShows is how many no-shows after LastDay stopped counting (a last day in the past).
	VoidedNoShows int       `json:"voided_no_shows"`
	CreatedAt     time.Time `json:"created_at"`
}

// Note is what the contract's paper and page print beside (not inside) the signed terms:
// "已于 2026-05-08 提前结束（原因：枸杞采完了）".
func (e ContractEnding) Note() string {
	s := "已于 " + string(e.LastDay) + " 提前结束（" + e.By.Label() + "提出"
	if e.Reason != "" {
		s += "，原因：" + e.Reason
	}
	return s + "；原定 " + string(e.PreviousEnd) + " 结束）"
}

// CheckEnding decides whether a contract running start..end may end early with lastDay as its last
// working day, today being today (Asia/Shanghai), by party: invalid (field last_day) otherwise, with the
// rule in Chinese.
func CheckEnding(start, end, lastDay, today Date, party EndingParty) error {
	switch {
	case lastDay < start:
		return Invalidf("last_day", "最后工作日不能早于合约开工日 %s", start)
	case lastDay >= end:
		return Invalidf("last_day", "最后工作日须早于合约现在的结束日 %s，否则不是提前结束", end)
	case party != EndingByStation && lastDay < today:
		return Invalidf("last_day", "最后工作日不能早于今天（%s）；已经过去的日子请双方到签发驿站办理", today)
	case lastDay < today.AddDays(-EndingBackDays):
		return Invalidf("last_day", "最后工作日最早只能是 %d 天前（%s）", EndingBackDays, today.AddDays(-EndingBackDays))
	}
	return nil
}

// endingReasonHint is shown when a reason is required and missing.
var endingReasonHint = fmt.Sprintf("请写明提前结束的原因（不超过 %d 个字），对方会看到", 200)

// EndingReasonRequired is the error for a missing reason (the employer and the station must give one).
func EndingReasonRequired() error { return Invalid("reason", endingReasonHint) }

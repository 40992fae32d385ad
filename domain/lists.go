package domain

import (
	"strings"
	"unicode"
)

// The station console's lists: every one is paged, searchable and filterable. The filters here are
// what the store's list queries take; a list answers one page and the total matching.

// ListPage is the page of a list: from 1, PerPage lines (the store bounds it).
type ListPage struct {
	Page    int
	PerPage int
}

// Offset is the number of lines before the page.
func (p ListPage) Offset() int { return (max(p.Page, 1) - 1) * p.Limit() }

// Limit is the page's size, 1 to 100 (25 when unset).
func (p ListPage) Limit() int {
	if p.PerPage <= 0 {
		return 25
	}
	return min(p.PerPage, 100)
}

// Search is what a console search box holds, read for the ways staff look records up: a name or a
// title (any part of the text), a record's number (LG00000123, ZW-202605-000123, a gig's id), or the
// last digits of a phone number (three or more digits).
type Search struct {
	Text   string // as typed, trimmed
	Digits string // the text when it is all digits (a phone tail or an id), else ""
}

// ParseSearch reads a search box's text.
func ParseSearch(q string) Search {
	q = strings.TrimSpace(FoldWidth(q))
	s := Search{Text: q}
	if q != "" && strings.IndexFunc(q, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		s.Digits = q
	}
	return s
}

// PhoneTail reports whether the search can be the end of a phone number (three to eleven digits).
func (s Search) PhoneTail() bool { return len(s.Digits) >= 3 && len(s.Digits) <= 11 }

// ContractFilter selects contracts for the console's list of contracts and their ledgers.
type ContractFilter struct {
	StationID int64            // 0 = every station (admins)
	Q         string           // contract number, worker name or number, phone tail, employer, gig title
	Statuses  []ContractStatus // empty = any
	Day       Date             // issued on this day (Asia/Shanghai), "" = any
	Unpaid    bool             // only contracts whose ledger still owes the worker
	ListPage
}

// ContractSummary is a contract as the console's lists show it: who, what, its terms at a glance and
// its ledger's balance.
type ContractSummary struct {
	ContractLine
	StationID    int64
	WageFen      int64
	WageUnit     WageUnit
	PieceUnit    string
	StartDate    Date
	EndDate      Date
	Balance      Balance
	Lines        int // ledger lines
	OpenDisputes int
}

// WorkerFilter selects workers for the console's list of workers.
type WorkerFilter struct {
	StationID int64  // 0 = every station (admins)
	Q         string // name, worker number, phone tail
	Day       Date   // registered on this day (Asia/Shanghai), "" = any
	ListPage
}

// DisputeFilter selects workers' disputes for the console's dispute queue.
type DisputeFilter struct {
	StationID int64  // 0 = every station (admins)
	Q         string // contract number, worker, employer
	Open      *bool  // true: not resolved yet; false: resolved; nil: both
	ListPage
}

// StaffFilter selects console accounts for the admin's account list.
type StaffFilter struct {
	StationID int64  // 0 = every station
	Q         string // username or name
	Role      StaffRole
	ListPage
}

// SettlementCounts are what the settlement screen's tabs count: what needs doing at a station (0:
// every station) today.
type SettlementCounts struct {
	ActiveContracts int   // contracts in force
	UnpaidContracts int   // contracts whose ledger owes the worker
	WeighedToday    int   // weigh tickets written today
	OpenDisputes    int   // disputes not resolved
	OpenArrears     int   // arrears alerts not cleared
	ArrearsFen      int64 // their unpaid amount
	Unconfirmed     int   // payments the worker has not confirmed yet
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// This file is the tamper evidence that covers money (issue 18 item 5):
//   - every column a contract's money, parties and dates are computed from is checked, on every use,
//     against the signed terms (wage, unit, settlement, period, number, version: against the terms
//     JSON, whose SHA-256 is the signed hash) and against the contract's anchor in the keyed audit
//     chain (the terms hash and the ids of worker, employer, station, job and application);
//   - each ledger line is chained to the previous line of its contract with a keyed hash, and its
//     audit event records that hash, so a line inserted, edited or deleted in the database is found;
//   - VerifyEvidence runs all of it over the whole database, for `lingong audit verify` and the sweep.

// contractAnchor is what the audit event that creates (or, for contracts made before the chain was
// keyed, seals) a contract records about it: the columns a contract's use depends on.
func contractAnchor(c domain.Contract) map[string]any {
	return map[string]any{"number": c.Number, "version": c.Version, "terms_hash": c.TermsHash, "worker_id": c.WorkerID,
		"employer_id": c.EmployerID, "station_id": c.StationID, "job_id": c.JobID, "application_id": c.ApplicationID}
}

// anchorDetail reads an anchor (and a seal's ledger head) back from an audit event's detail.
type anchorDetail struct {
	Number        string `json:"number"`
	Version       *int   `json:"version"`
	TermsHash     string `json:"terms_hash"`
	WorkerID      *int64 `json:"worker_id"`
	EmployerID    *int64 `json:"employer_id"`
	StationID     *int64 `json:"station_id"`
	JobID         *int64 `json:"job_id"`
	ApplicationID *int64 `json:"application_id"`
	// Seals only: the last ledger line of the contract when the chain was keyed, and its hash.
	LedgerThrough *int64 `json:"ledger_through_id"`
	LedgerHead    string `json:"ledger_head"`
	// Early endings (contract.end_early): the new last working day.
	LastDay string `json:"last_day"`
	// Ledger events: the line and its chained hash.
	EntryID  int64  `json:"entry_id"`
	LineHash string `json:"line_hash"`
}

// signedMoneyTerms are the parts of the terms JSON that the contract's columns copy.
type signedMoneyTerms struct {
	Number  string `json:"number"`
	Version int    `json:"version"`
	Period  struct {
		Start string `json:"start"`
		End   string `json:"end"`
	} `json:"period"`
	Wage struct {
		AmountFen int64  `json:"amount_fen"`
		Unit      string `json:"unit"`
	} `json:"wage"`
	Settlement struct {
		Method string `json:"method"`
	} `json:"settlement"`
}

// checkContractRows checks each contract's columns against its signed terms and its audit anchors, and
// returns the findings per contract id (contracts without findings are absent).
func (s *Store) checkContractRows(db *gorm.DB, rows []contractRow) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	for i, c := range rows {
		ids[i] = c.ID
	}
	anchors := map[int64][]auditRow{}
	for _, chunk := range chunks(ids, 500) {
		var evs []auditRow
		if err := db.Where("entity_kind = 'contract' AND entity_id IN ? AND action IN ('contract.create', 'contract.seal', '"+endingAction+"')", chunk).
			Order("id").Find(&evs).Error; err != nil {
			return nil, err
		}
		for _, e := range evs {
			anchors[e.EntityID] = append(anchors[e.EntityID], e)
		}
	}
	for _, c := range rows {
		if p := s.checkContractRow(c, anchors[c.ID]); len(p) > 0 {
			out[c.ID] = p
		}
	}
	return out, nil
}

func (s *Store) checkContractRow(c contractRow, anchors []auditRow) []string {
	var problems []string
	add := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	if sha256Hex([]byte(c.TermsJSON)) != c.TermsHash {
		add("合约条款与其哈希值不符：条款在签署后被改动")
	}
	var t signedMoneyTerms
	if err := json.Unmarshal([]byte(c.TermsJSON), &t); err != nil {
		add("合约条款无法读取")
	} else {
		if c.WageFen != t.Wage.AmountFen {
			add("合约的工钱与签署的条款不符：条款为 %s 元，记录为 %s 元", domain.FormatYuan(t.Wage.AmountFen), domain.FormatYuan(c.WageFen))
		}
		if c.WageUnit != t.Wage.Unit {
			add("合约的计价单位与签署的条款不符：条款为 %s，记录为 %s", domain.WageUnit(t.Wage.Unit).Label(), domain.WageUnit(c.WageUnit).Label())
		}
		if c.Settlement != t.Settlement.Method {
			add("合约的结算方式与签署的条款不符")
		}
		if end := endedOn(s, t.Period.End, anchors); c.StartDate != t.Period.Start || c.EndDate != end {
			add("合约的期限与签署的条款不符：条款为 %s 至 %s，记录为 %s 至 %s", t.Period.Start, end, c.StartDate, c.EndDate)
		}
		if c.Number != t.Number || c.Version != t.Version {
			add("合约的编号或版本与签署的条款不符")
		}
	}
	valid := 0
	for _, e := range anchors {
		if !domain.MACEqual(s.auditMAC(e), e.Hash) {
			add("建立合约的审计记录 %d 被改动", e.ID)
			continue
		}
		valid++
		var a anchorDetail
		if json.Unmarshal([]byte(e.Detail), &a) != nil {
			add("建立合约的审计记录 %d 无法读取", e.ID)
			continue
		}
		if a.TermsHash != c.TermsHash || a.Number != c.Number {
			add("合约的哈希值与建立时记录的不一致")
		}
		for _, f := range []struct {
			what string
			want *int64
			got  int64
		}{{"零工", a.WorkerID, c.WorkerID}, {"用工方", a.EmployerID, c.EmployerID}, {"签发站点", a.StationID, c.StationID},
			{"岗位", a.JobID, c.JobID}, {"报名", a.ApplicationID, c.ApplicationID}} {
			if f.want != nil && *f.want != f.got {
				add("合约的%s与建立时记录的不一致：记录被改动（建立时为 %d，现在为 %d）", f.what, *f.want, f.got)
			}
		}
	}
	if valid == 0 && len(anchors) == 0 {
		add("缺少建立合约的审计记录")
	}
	return dedupe(problems)
}

// endedOn is the end date a contract signed to end on signedEnd has now: the earliest last day of its
// early endings whose audit events are intact (an end_date changed any other way is a finding).
func endedOn(s *Store, signedEnd string, anchors []auditRow) string {
	end := signedEnd
	for _, e := range anchors {
		if e.Action != endingAction || !domain.MACEqual(s.auditMAC(e), e.Hash) {
			continue
		}
		var a anchorDetail
		if json.Unmarshal([]byte(e.Detail), &a) == nil && a.LastDay != "" && a.LastDay < end {
			end = a.LastDay
		}
	}
	return end
}

func dedupe(in []string) []string {
	var out []string
	for _, p := range in {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// usableContract refuses (conflict, a 4xx with a clear Chinese message) to use a contract whose columns
// no longer match its signed terms or its audit anchor: its wage, parties or dates may have been edited
// in the database, so nothing is computed from them and nobody is authorised by them.
func (s *Store) usableContract(db *gorm.DB, c contractRow) error {
	found, err := s.checkContractRows(db, []contractRow{c})
	if err != nil {
		return err
	}
	return unusable(found[c.ID])
}

// unusable is the error for a contract with problems (from checkContractRows), nil without any.
func unusable(problems []string) error {
	if len(problems) > 0 {
		return domain.Conflict(fmt.Sprintf("这份合约的记录与双方签署的条款不符，可能被人改动，已停止使用，请联系签发站点核查（%s）", problems[0]))
	}
	return nil
}

// ledgerLineMAC is the keyed hash of a ledger line: every column the money is read from, and the hash
// of the contract's previous line.
func (s *Store) ledgerLineMAC(r ledgerEntryRow) string {
	paid, corrects := "", ""
	if r.PaidAt != nil {
		paid = domain.Micros(*r.PaidAt)
	}
	if r.CorrectsID != nil {
		corrects = strconv.FormatInt(*r.CorrectsID, 10)
	}
	return domain.ChainMAC(s.evidenceKey, "ledger-line", r.PrevHash, r.CityCode, strconv.FormatInt(r.ContractID, 10), r.Kind,
		r.WorkDate, strconv.FormatInt(r.QuantityMilli, 10), r.Unit, strconv.FormatInt(r.AmountFen, 10), r.Method, paid,
		r.Reference, r.Note, corrects, r.DueDate, r.RecordedByKind, strconv.FormatInt(r.RecordedByID, 10), domain.Micros(r.CreatedAt))
}

// insertLedgerLine appends row to its contract's ledger chain inside tx, with its audit event (which
// records the line's hash, so deleting the last line is found too). Appends to one contract are
// serialised: on PostgreSQL by locking the contract's row, on SQLite by the write lock.
func (s *Store) insertLedgerLine(tx *gorm.DB, c contractRow, row *ledgerEntryRow, actor domain.Principal, ip string) error {
	if err := s.lockRow(tx, "contracts", c.ID); err != nil {
		return err
	}
	prev := domain.GenesisHash
	var last ledgerEntryRow
	err := tx.Select("line_hash").Where("contract_id = ?", c.ID).Order("id DESC").Limit(1).Take(&last).Error
	switch {
	case err == nil:
		prev = last.LineHash
	case !isNotFound(err):
		return err
	}
	row.CreatedAt = row.CreatedAt.UTC().Truncate(time.Microsecond)
	if row.PaidAt != nil {
		p := row.PaidAt.UTC().Truncate(time.Microsecond)
		row.PaidAt = &p
	}
	row.PrevHash = prev
	row.LineHash = s.ledgerLineMAC(*row)
	if err := tx.Create(row).Error; err != nil {
		return err
	}
	return s.appendAudit(tx, Audit{Actor: actor, Action: "ledger." + row.Kind, EntityKind: "contract", EntityID: c.ID, IP: ip,
		Detail: map[string]any{"entry_id": row.ID, "amount_fen": row.AmountFen, "quantity_milli": row.QuantityMilli, "line_hash": row.LineHash}})
}

// verifyLedger checks a contract's ledger chain against itself and against the contract's audit events
// (events: all of them, oldest first). It returns the findings and the number of lines.
func (s *Store) verifyLedger(db *gorm.DB, c contractRow, events []auditRow) ([]string, int, error) {
	var rows []ledgerEntryRow
	if err := db.Where("contract_id = ?", c.ID).Order("id").Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	var problems []string
	add := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	anchored := map[int64]string{} // ledger line id -> hash its audit event recorded
	var sealThrough int64
	sealHead := ""
	for _, e := range events {
		if !domain.MACEqual(s.auditMAC(e), e.Hash) {
			continue // reported with the audit chain
		}
		var a anchorDetail
		if json.Unmarshal([]byte(e.Detail), &a) != nil {
			continue
		}
		switch e.Action {
		case "ledger.work", "ledger.payment", "ledger.correction", "ledger.cancellation":
			if a.LineHash != "" {
				anchored[a.EntryID] = a.LineHash
			}
		case "contract.seal":
			if a.LedgerThrough != nil && *a.LedgerThrough >= sealThrough {
				sealThrough, sealHead = *a.LedgerThrough, a.LedgerHead
			}
		}
	}
	prev := domain.GenesisHash
	present := map[int64]string{}
	hashes := map[string]bool{}
	for _, r := range rows {
		present[r.ID] = r.LineHash
		hashes[r.LineHash] = true
		what := fmt.Sprintf("台账记录 %d（%s %s，%s 元）", r.ID, r.WorkDate, domain.LedgerKind(r.Kind).Label(), domain.FormatYuan(r.AmountFen))
		if r.PrevHash != prev {
			add("%s与前一条接不上：之前的记录被删除、插入或改动", what)
		}
		if !domain.MACEqual(s.ledgerLineMAC(r), r.LineHash) {
			add("%s被改动，或不是经本系统写入的", what)
		}
		if r.ID > sealThrough {
			switch h, ok := anchored[r.ID]; {
			case !ok:
				add("%s没有对应的审计记录：绕过程序直接写入了数据库", what)
			case h != r.LineHash:
				add("%s与它的审计记录不符", what)
			}
		}
		prev = r.LineHash
	}
	ids := make([]int64, 0, len(anchored))
	for id := range anchored {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if h, ok := present[id]; !ok || h != anchored[id] {
			if !ok {
				add("审计记录中的台账记录 %d 不在台账中：被删除", id)
			}
		}
	}
	if sealHead != "" && sealHead != domain.GenesisHash && !hashes[sealHead] {
		add("启用链签时封存的台账记录被删除或改动")
	}
	return problems, len(rows), nil
}

// VerifyEvidence checks everything: the keyed audit chain from its first event to its last, every
// contract against its signed terms, anchors and signatures, and every contract's ledger chain. Each
// finding names what broke (the contract's number, the ledger line, the audit event). The report
// carries the chain's head at the time, for the day's printout.
func (s *Store) VerifyEvidence(ctx context.Context) (domain.EvidenceReport, error) {
	db := s.conn(ctx)
	rep := domain.EvidenceReport{CheckedAt: s.now(), Problems: []string{}}
	chain, err := s.VerifyAuditChain(ctx)
	if err != nil {
		return rep, err
	}
	for _, p := range chain {
		rep.Problems = append(rep.Problems, p.Problem)
	}
	var head auditRow
	switch err := db.Select("id, hash").Order("id DESC").Limit(1).Take(&head).Error; {
	case err == nil:
		rep.HeadID, rep.HeadHash = head.ID, head.Hash
	case !isNotFound(err):
		return rep, translate(err, "审计记录")
	}
	heads, err := s.recordedHeadsDiffer(db)
	if err != nil {
		return rep, translate(err, "核验记录")
	}
	rep.Problems = append(rep.Problems, heads...)
	err = scanInBatches(db, "1 = 1", func(r contractRow) int64 { return r.ID }, func(db *gorm.DB, batch []contractRow) error {
		for _, c := range batch {
			v, lines, err := s.verifyContractRow(db, c, false)
			if err != nil {
				return err
			}
			rep.Contracts++
			rep.LedgerLines += lines
			for _, p := range v {
				rep.Problems = append(rep.Problems, "合约 "+c.Number+"："+p)
			}
		}
		return nil
	})
	if err != nil {
		return rep, translate(fmt.Errorf("verify evidence: %w", err), "合约")
	}
	// A ledger line whose contract is gone, or that names a contract it was not chained in, is found by
	// its contract's chain; a line pointing at no contract at all cannot exist (foreign key).
	guarantees, _, err := s.VerifyGuarantees(ctx)
	if err != nil {
		return rep, err
	}
	rep.Problems = append(rep.Problems, guarantees...)
	incidents, _, err := s.VerifyIncidents(ctx)
	if err != nil {
		return rep, err
	}
	rep.Problems = append(rep.Problems, incidents...)
	rep.Intact = len(rep.Problems) == 0
	return rep, nil
}

// recordedHeadsDiffer compares the heads kept by earlier checks (one a day; the console shows them and
// they are printed) with the chain as it is now: a chain rewritten from some event on, even by someone
// with the key, no longer has the old head at the old position. The printed copies are what counts
// against someone who can also rewrite this table; this catches the rest.
func (s *Store) recordedHeadsDiffer(db *gorm.DB) ([]string, error) {
	var checks []evidenceCheckRow
	if err := db.Select("DISTINCT head_id, head_hash").Where("head_id > 0").Find(&checks).Error; err != nil {
		return nil, err
	}
	var problems []string
	for _, c := range checks {
		var r auditRow
		err := db.Select("id, hash").Where("id = ?", c.HeadID).Take(&r).Error
		switch {
		case isNotFound(err):
			problems = append(problems, fmt.Sprintf("审计链头 #%d（%s）曾被核验记录，现在不见了：审计记录被删除", c.HeadID, c.HeadHash))
		case err != nil:
			return nil, err
		case r.Hash != c.HeadHash:
			problems = append(problems, fmt.Sprintf("审计链头 #%d 与以前核验时记下的 %s 不同：审计链被改写", c.HeadID, c.HeadHash))
		}
	}
	return problems, nil
}

// RecordEvidenceCheck keeps a verification's outcome and the audit chain's head at that time (the
// console shows the latest ones; the day's report prints them).
func (s *Store) RecordEvidenceCheck(ctx context.Context, rep domain.EvidenceReport) error {
	problems, err := json.Marshal(rep.Problems)
	if err != nil {
		return domain.Internal(err)
	}
	row := evidenceCheckRow{CityCode: domain.CityCode, CheckedAt: rep.CheckedAt.UTC(), Source: rep.Source, Intact: rep.Intact,
		Problems: string(problems), Contracts: int64(rep.Contracts), LedgerLines: int64(rep.LedgerLines), HeadID: rep.HeadID, HeadHash: rep.HeadHash}
	return translate(s.conn(ctx).Create(&row).Error, "核验记录")
}

// EvidenceChecks returns the latest recorded verifications, newest first (at most limit).
func (s *Store) EvidenceChecks(ctx context.Context, limit int) ([]domain.EvidenceReport, error) {
	var rows []evidenceCheckRow
	if err := s.conn(ctx).Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "核验记录")
	}
	out := make([]domain.EvidenceReport, len(rows))
	for i, r := range rows {
		out[i] = domain.EvidenceReport{CheckedAt: r.CheckedAt, Source: r.Source, Intact: r.Intact, Contracts: int(r.Contracts),
			LedgerLines: int(r.LedgerLines), HeadID: r.HeadID, HeadHash: r.HeadHash}
		if json.Unmarshal([]byte(r.Problems), &out[i].Problems) != nil || out[i].Problems == nil {
			out[i].Problems = []string{}
		}
	}
	return out, nil
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// This file is the wage guarantee (工资保证金, issue 22 item 2): append-only lines per employer, each
// chained to the employer's previous line with a keyed hash and audited with that hash, like ledger
// lines (evidence.go); VerifyGuarantees checks the chains for `lingong audit verify`.

type guaranteeEntryRow struct {
	ID             int64 `gorm:"primaryKey"`
	CityCode       string
	EmployerID     int64
	Kind           string
	AmountFen      int64
	BankReference  string
	ValueDate      string
	ConfirmsID     *int64
	ContractID     *int64
	LedgerEntryID  *int64
	AlertID        *int64
	Note           string
	RecordedByKind string
	RecordedByID   int64
	PrevHash       string
	LineHash       string
	CreatedAt      time.Time
}

func (guaranteeEntryRow) TableName() string { return "guarantee_entries" }

func optID(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func (s *Store) guaranteeLineMAC(r guaranteeEntryRow) string {
	return domain.ChainMAC(s.evidenceKey, "guarantee-line", r.PrevHash, r.CityCode, strconv.FormatInt(r.EmployerID, 10), r.Kind,
		strconv.FormatInt(r.AmountFen, 10), r.BankReference, r.ValueDate, optID(r.ConfirmsID), optID(r.ContractID),
		optID(r.LedgerEntryID), optID(r.AlertID), r.Note, r.RecordedByKind, strconv.FormatInt(r.RecordedByID, 10), domain.Micros(r.CreatedAt))
}

func (r guaranteeEntryRow) domain() domain.GuaranteeEntry {
	deref := func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	}
	return domain.GuaranteeEntry{ID: r.ID, EmployerID: r.EmployerID, Kind: domain.GuaranteeKind(r.Kind), AmountFen: r.AmountFen,
		BankReference: r.BankReference, ValueDate: domain.Date(r.ValueDate), ConfirmsID: deref(r.ConfirmsID), ContractID: deref(r.ContractID),
		LedgerEntryID: deref(r.LedgerEntryID), AlertID: deref(r.AlertID), Note: r.Note,
		RecordedBy: fmt.Sprintf("%s:%d", r.RecordedByKind, r.RecordedByID), CreatedAt: r.CreatedAt.UTC()}
}

// insertGuaranteeLine appends row to its employer's chain inside tx, with its audit event. Appends to
// one employer are serialised: on PostgreSQL by locking the employer's row, on SQLite by the write lock.
func (s *Store) insertGuaranteeLine(tx *gorm.DB, row *guaranteeEntryRow, actor domain.Principal, ip string) error {
	if err := s.lockRow(tx, "employers", row.EmployerID); err != nil {
		return err
	}
	prev := domain.GenesisHash
	var last guaranteeEntryRow
	err := tx.Select("line_hash").Where("employer_id = ?", row.EmployerID).Order("id DESC").Limit(1).Take(&last).Error
	switch {
	case err == nil:
		prev = last.LineHash
	case !isNotFound(err):
		return err
	}
	row.CityCode, row.RecordedByKind, row.RecordedByID = domain.CityCode, actor.ActorKind(), actor.ID
	row.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	row.PrevHash = prev
	row.LineHash = s.guaranteeLineMAC(*row)
	if err := tx.Create(row).Error; err != nil {
		return err
	}
	return s.appendAudit(tx, Audit{Actor: actor, Action: "guarantee." + row.Kind, EntityKind: "employer", EntityID: row.EmployerID, IP: ip,
		Detail: map[string]any{"entry_id": row.ID, "amount_fen": row.AmountFen, "bank_reference": row.BankReference,
			"confirms_id": optID(row.ConfirmsID), "ledger_entry_id": optID(row.LedgerEntryID), "line_hash": row.LineHash}})
}

// GuaranteeAccount returns an employer's guarantee lines, oldest first, summed.
func (s *Store) GuaranteeAccount(ctx context.Context, employerID int64) (domain.GuaranteeAccount, error) {
	a, err := s.guaranteeAccount(s.conn(ctx), employerID)
	return a, translate(err, "工资保证金")
}

func (s *Store) guaranteeAccount(db *gorm.DB, employerID int64) (domain.GuaranteeAccount, error) {
	var rows []guaranteeEntryRow
	if err := db.Where("employer_id = ?", employerID).Order("id").Find(&rows).Error; err != nil {
		return domain.GuaranteeAccount{}, fmt.Errorf("guarantee of employer %d: %w", employerID, err)
	}
	lines := make([]domain.GuaranteeEntry, len(rows))
	for i, r := range rows {
		lines[i] = r.domain()
	}
	return domain.SumGuarantee(employerID, lines), nil
}

// GuaranteeTotals returns what all accounts hold and have advanced (for the dashboard).
func (s *Store) GuaranteeTotals(ctx context.Context) (held, advanced int64, err error) {
	var rows []guaranteeEntryRow
	if err := s.conn(ctx).Find(&rows).Error; err != nil {
		return 0, 0, translate(err, "工资保证金")
	}
	byEmployer := map[int64][]domain.GuaranteeEntry{}
	for _, r := range rows {
		byEmployer[r.EmployerID] = append(byEmployer[r.EmployerID], r.domain())
	}
	for id, lines := range byEmployer {
		a := domain.SumGuarantee(id, lines)
		held, advanced = held+a.HeldFen, advanced+a.AdvancedFen
	}
	return held, advanced, nil
}

// RecordGuarantee appends a deposit, a repayment or a refund from a bank receipt. A refund may not
// exceed what the account holds, and only after the employer's last gig and last contract have ended
// (no gig awaiting review, open or filled, no active contract, that ends today or later) and every
// contract's wages are paid: conflict otherwise, nothing written.
func (s *Store) RecordGuarantee(ctx context.Context, employerID int64, in domain.GuaranteeInput, by domain.Principal, ip string) (domain.GuaranteeEntry, error) {
	row := guaranteeEntryRow{EmployerID: employerID, Kind: string(in.Kind), AmountFen: in.AmountFen, BankReference: in.BankReference,
		ValueDate: string(in.ValueDate), Note: in.Note}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockRow(tx, "employers", employerID); err != nil {
			return err
		}
		var dup int64
		// Across kinds and employers (the unique index guarantee_entries_one_receipt is the backstop
		// when two desks race): one transfer backs one line.
		if err := tx.Model(&guaranteeEntryRow{}).Where("bank_reference = ? AND kind IN ('deposit', 'repay', 'refund')", row.BankReference).
			Count(&dup).Error; err != nil {
			return err
		}
		if dup > 0 {
			return &domain.Error{Code: domain.CodeConflict, Field: "bank_reference", Message: "这张银行回单（流水号 " + row.BankReference + "）已经登记过"}
		}
		if in.Kind == domain.GuaranteeRefund {
			a, err := s.guaranteeAccount(tx, employerID)
			if err != nil {
				return err
			}
			if in.AmountFen > a.HeldFen {
				return domain.Invalidf("amount_fen", "退还金额 %s 元超过保证金余额 %s 元", domain.FormatYuan(in.AmountFen), domain.FormatYuan(a.HeldFen))
			}
			var live int64
			if err := tx.Model(&jobRow{}).Where("employer_id = ? AND status IN ('pending_review', 'open', 'filled') AND end_date >= ?",
				employerID, string(domain.DateOf(s.now()))).Count(&live).Error; err != nil {
				return err
			}
			if live > 0 {
				return domain.Conflict(fmt.Sprintf("用工方还有 %d 个没有结束的岗位，最后一个岗位结束后才能退还保证金", live))
			}
			var open int64
			if err := tx.Model(&arrearsAlertRow{}).Where("employer_id = ? AND cleared_at IS NULL", employerID).Count(&open).Error; err != nil {
				return err
			}
			if open > 0 {
				return domain.Conflict("用工方还有未清的欠薪预警，不能退还保证金")
			}
			if err := s.refundLeavesNoWorkerUnpaid(tx, employerID); err != nil {
				return err
			}
		}
		return s.insertGuaranteeLine(tx, &row, by, ip)
	})
	if err != nil {
		return domain.GuaranteeEntry{}, translate(fmt.Errorf("record guarantee of employer %d: %w", employerID, err), "工资保证金")
	}
	return row.domain(), nil
}

// refundLeavesNoWorkerUnpaid refuses a refund (conflict) while a contract of the employer still runs (a
// closed gig's contracts go on to their end date) or still owes wages that are not yet overdue (no
// arrears alert yet): the guarantee is for exactly those wages.
func (s *Store) refundLeavesNoWorkerUnpaid(tx *gorm.DB, employerID int64) error {
	var running int64
	if err := tx.Model(&contractRow{}).Where("employer_id = ? AND status = ? AND end_date >= ?", employerID, string(domain.ContractActive),
		string(domain.DateOf(s.now()))).Count(&running).Error; err != nil {
		return err
	}
	if running > 0 {
		return domain.Conflict(fmt.Sprintf("用工方还有 %d 份没有结束的合约，合约都结束、工钱结清后才能退还保证金", running))
	}
	var rows []ledgerEntryRow
	if err := tx.Where("contract_id IN (SELECT id FROM contracts WHERE employer_id = ?)", employerID).Order("id").Find(&rows).Error; err != nil {
		return err
	}
	byContract := map[int64][]domain.LedgerLine{}
	for _, r := range rows {
		byContract[r.ContractID] = append(byContract[r.ContractID], domain.LedgerLine{LedgerEntry: ledgerEntryFromRow(r)})
	}
	var owing int
	var owed int64
	for _, lines := range byContract {
		if b := BalanceOf(lines); b.OutstandingFen > 0 {
			owing, owed = owing+1, owed+b.OutstandingFen
		}
	}
	if owing > 0 {
		return domain.Conflict(fmt.Sprintf("用工方还有 %d 份合约的工钱没有付清（共 %s 元），付清后才能退还保证金", owing, domain.FormatYuan(owed)))
	}
	return nil
}

// ConfirmGuarantee records the second person's check of a receipt line (deposit, repayment, refund): another staff
// member than the one who recorded it, or an admin who did not record it. Once only.
func (s *Store) ConfirmGuarantee(ctx context.Context, entryID int64, by domain.Principal, ip string) (domain.GuaranteeEntry, error) {
	var out guaranteeEntryRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var target guaranteeEntryRow
		if err := tx.Where("id = ?", entryID).Take(&target).Error; err != nil {
			return translate(err, "保证金记录")
		}
		if !domain.GuaranteeKind(target.Kind).FromReceipt() {
			return domain.Conflict("只有按银行回单登记的缴存、归还垫付和退还需要复核")
		}
		if target.RecordedByKind == by.ActorKind() && target.RecordedByID == by.ID {
			return domain.Conflict("登记人不能复核自己登记的回单：请另一位工作人员或管理员复核")
		}
		var done int64
		if err := tx.Model(&guaranteeEntryRow{}).Where("confirms_id = ?", entryID).Count(&done).Error; err != nil {
			return err
		}
		if done > 0 {
			return domain.Conflict("这笔已经复核过")
		}
		id := target.ID
		out = guaranteeEntryRow{EmployerID: target.EmployerID, Kind: string(domain.GuaranteeConfirm), AmountFen: target.AmountFen,
			BankReference: target.BankReference, ValueDate: target.ValueDate, ConfirmsID: &id}
		return s.insertGuaranteeLine(tx, &out, by, ip)
	})
	if err != nil {
		return domain.GuaranteeEntry{}, translate(fmt.Errorf("confirm guarantee %d: %w", entryID, err), "保证金记录")
	}
	return out.domain(), nil
}

// GuaranteeEntry returns one line.
func (s *Store) GuaranteeEntry(ctx context.Context, id int64) (domain.GuaranteeEntry, error) {
	var r guaranteeEntryRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return domain.GuaranteeEntry{}, translate(err, "保证金记录")
	}
	return r.domain(), nil
}

// RecordAdvance appends the 先行垫付 line for a ledger payment made from the guarantee. It must run in
// the transaction that appended the payment (InTx): when the account holds less than the amount it
// fails with invalid, and the payment is rolled back with it.
func (s *Store) RecordAdvance(ctx context.Context, employerID, contractID, ledgerEntryID, alertID, amountFen int64, by domain.Principal, ip string) (domain.GuaranteeEntry, error) {
	row := guaranteeEntryRow{EmployerID: employerID, Kind: string(domain.GuaranteeAdvance), AmountFen: amountFen,
		ContractID: &contractID, LedgerEntryID: &ledgerEntryID, AlertID: &alertID}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockRow(tx, "employers", employerID); err != nil {
			return err
		}
		a, err := s.guaranteeAccount(tx, employerID)
		if err != nil {
			return err
		}
		if amountFen > a.HeldFen {
			return domain.Invalidf("amount_fen", "垫付金额 %s 元超过该用工方的保证金余额 %s 元", domain.FormatYuan(amountFen), domain.FormatYuan(a.HeldFen))
		}
		return s.insertGuaranteeLine(tx, &row, by, ip)
	})
	if err != nil {
		return domain.GuaranteeEntry{}, translate(fmt.Errorf("advance from guarantee of employer %d: %w", employerID, err), "工资保证金")
	}
	return row.domain(), nil
}

// LockGuarantee takes the employer's guarantee lock (the employer's row on PostgreSQL; SQLite's single
// writer serialises anyway) in the context's transaction, until it ends: a use case that checks what is
// still owed and then pays an advance holds it from the check on, so two advances at once cannot both
// pass the check.
func (s *Store) LockGuarantee(ctx context.Context, employerID int64) error {
	return translate(s.lockRow(s.conn(ctx), "employers", employerID), "用工方")
}

// InTx runs fn with a context that carries one transaction: every store call fn makes with it joins
// the transaction, and all of them commit or none (a use case that spans several store writes).
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, nested := ctx.Value(txKey{}).(*gorm.DB); nested {
		return fn(ctx)
	}
	release, err := s.admitWriter(ctx)
	if err != nil {
		return err
	}
	defer release()
	if err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(context.WithValue(ctx, txKey{}, tx)) }); err != nil {
		return err
	}
	s.changed()
	return nil
}

// EmployerHadArrears reports whether the employer ever had an arrears alert.
func (s *Store) EmployerHadArrears(ctx context.Context, employerID int64) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&arrearsAlertRow{}).Where("employer_id = ?", employerID).Count(&n).Error
	return n > 0, translate(err, "欠薪预警")
}

// VerifyGuarantees checks every employer's guarantee chain: each line's keyed hash and link, and the
// hash its audit event recorded. It returns the findings (Chinese) and the number of lines.
func (s *Store) VerifyGuarantees(ctx context.Context) ([]string, int, error) {
	var rows []guaranteeEntryRow
	if err := s.conn(ctx).Order("employer_id, id").Find(&rows).Error; err != nil {
		return nil, 0, translate(err, "工资保证金")
	}
	var evs []auditRow
	if err := s.conn(ctx).Where("action LIKE 'guarantee.%'").Find(&evs).Error; err != nil {
		return nil, 0, translate(err, "审计记录")
	}
	anchored := map[int64]string{}
	for _, e := range evs {
		var a anchorDetail
		if domain.MACEqual(s.auditMAC(e), e.Hash) && json.Unmarshal([]byte(e.Detail), &a) == nil {
			anchored[a.EntryID] = a.LineHash
		}
	}
	var problems []string
	prev, employer := domain.GenesisHash, int64(-1)
	for _, r := range rows {
		if r.EmployerID != employer {
			prev, employer = domain.GenesisHash, r.EmployerID
		}
		if r.PrevHash != prev {
			problems = append(problems, fmt.Sprintf("用工方 %d 的保证金记录 %d 之前的记录被删除或改动", r.EmployerID, r.ID))
		}
		if !domain.MACEqual(s.guaranteeLineMAC(r), r.LineHash) {
			problems = append(problems, fmt.Sprintf("用工方 %d 的保证金记录 %d 的内容被改动", r.EmployerID, r.ID))
		}
		if h, ok := anchored[r.ID]; !ok || h != r.LineHash {
			problems = append(problems, fmt.Sprintf("用工方 %d 的保证金记录 %d 与审计记录不符", r.EmployerID, r.ID))
		}
		prev = r.LineHash
	}
	return problems, len(rows), nil
}

// GuaranteeNeed applies the admin's rule to a gig: whether its employer must hold a guarantee before
// approval, how much, and whether the account holds it.
func (s *Store) GuaranteeNeed(ctx context.Context, jobID int64) (domain.GuaranteeNeed, error) {
	n, err := s.guaranteeNeed(s.conn(ctx), jobID)
	return n, translate(err, "零工岗位")
}

func (s *Store) guaranteeNeed(db *gorm.DB, jobID int64) (domain.GuaranteeNeed, error) {
	settings, err := s.protectionSettings(db)
	if err != nil {
		return domain.GuaranteeNeed{}, err
	}
	var row jobRow
	if err := db.Where("id = ?", jobID).Take(&row).Error; err != nil {
		return domain.GuaranteeNeed{}, err
	}
	js, err := loadJobs(db, []jobRow{row})
	if err != nil {
		return domain.GuaranteeNeed{}, err
	}
	var emp employerRow
	if err := db.Select("id, kind").Where("id = ?", row.EmployerID).Take(&emp).Error; err != nil {
		return domain.GuaranteeNeed{}, err
	}
	var alerts int64
	if err := db.Model(&arrearsAlertRow{}).Where("employer_id = ?", row.EmployerID).Count(&alerts).Error; err != nil {
		return domain.GuaranteeNeed{}, err
	}
	a, err := s.guaranteeAccount(db, row.EmployerID)
	if err != nil {
		return domain.GuaranteeNeed{}, err
	}
	return settings.Guarantee.Need(domain.Employer{ID: emp.ID, Kind: domain.EmployerKind(emp.Kind)}, alerts > 0, js[0], a.HeldFen), nil
}

// guaranteeGate refuses, inside an approval, a gig whose employer must hold a guarantee and does not.
func (s *Store) guaranteeGate(tx *gorm.DB, jobID int64) error {
	n, err := s.guaranteeNeed(tx, jobID)
	if err != nil {
		return err
	}
	if n.Required && !n.Met {
		return domain.Conflict(n.Note + "。请用工方缴存、工作人员登记并复核回单后再通过")
	}
	return nil
}

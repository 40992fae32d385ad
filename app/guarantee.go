package app

import (
	"context"
	"fmt"

	"lingong/domain"
)

// The wage guarantee (工资保证金, issue 22 item 2): staff record deposits from bank receipts and a second
// person confirms them; the employer reads its account; when an arrears alert stays unpaid past the
// admin's number of days, the station pays the worker from it (先行垫付) through the ledger.

// GuaranteeAccount returns an employer's account: to the employer itself and to console users.
func (s *Service) GuaranteeAccount(ctx context.Context, p domain.Principal, employerID int64) (domain.GuaranteeAccount, error) {
	switch {
	case p.Kind == domain.AsEmployer && p.ID == employerID:
	case p.Kind == domain.AsEmployer:
		return domain.GuaranteeAccount{}, domain.NotFound("用工单位")
	case p.IsStaff():
		if err := s.employerOfStation(ctx, p, employerID); err != nil {
			return domain.GuaranteeAccount{}, err
		}
	default:
		return domain.GuaranteeAccount{}, domain.Forbidden("")
	}
	return s.store.GuaranteeAccount(ctx, employerID)
}

// employerOfStation lets console users act on the guarantee of an employer of their own station
// (admins: every employer).
func (s *Service) employerOfStation(ctx context.Context, p domain.Principal, employerID int64) error {
	if !p.IsStaff() {
		return domain.Forbidden("只有工作人员能办理保证金")
	}
	e, err := s.store.EmployerByID(ctx, employerID)
	if err != nil {
		return err
	}
	if !p.CanManageStation(e.StationID) {
		return domain.Forbidden("只能办理本站点用工方的保证金")
	}
	return nil
}

// RecordGuarantee appends a deposit, repayment or refund from a bank receipt: console users only. A
// deposit or repayment counts once a second person confirms it (ConfirmGuarantee); a refund counts at
// once and waits for the same check.
func (s *Service) RecordGuarantee(ctx context.Context, p domain.Principal, employerID int64, in domain.GuaranteeInput) (domain.GuaranteeEntry, error) {
	if err := s.employerOfStation(ctx, p, employerID); err != nil {
		return domain.GuaranteeEntry{}, err
	}
	in, err := in.Normalize(s.clock.Today())
	if err != nil {
		return domain.GuaranteeEntry{}, err
	}
	return s.store.RecordGuarantee(ctx, employerID, in, p, p.IP)
}

// ConfirmGuarantee is the second person's check of a deposit, repayment or refund against its bank receipt.
func (s *Service) ConfirmGuarantee(ctx context.Context, p domain.Principal, entryID int64) (domain.GuaranteeEntry, error) {
	e, err := s.store.GuaranteeEntry(ctx, entryID)
	if err != nil {
		return domain.GuaranteeEntry{}, err
	}
	if err := s.employerOfStation(ctx, p, e.EmployerID); err != nil {
		return domain.GuaranteeEntry{}, err
	}
	return s.store.ConfirmGuarantee(ctx, entryID, p, p.IP)
}

// GuaranteeNeed tells the review screen whether the gig's employer must hold a guarantee, and whether
// it does: the gig's employer and the staff.
func (s *Service) GuaranteeNeed(ctx context.Context, p domain.Principal, jobID int64) (domain.GuaranteeNeed, error) {
	j, err := s.managedJobForCover(ctx, p, jobID)
	if err != nil {
		return domain.GuaranteeNeed{}, err
	}
	return s.store.GuaranteeNeed(ctx, j.ID)
}

// Advance is staff's payment to a worker from the employer's guarantee (先行垫付).
type Advance struct {
	AmountFen int64
	Note      string
}

// AdvanceResult is the ledger payment made and the guarantee line that funds it.
type AdvanceResult struct {
	Payment   domain.LedgerEntry
	Guarantee domain.GuaranteeEntry
	Account   domain.GuaranteeAccount
}

// AdvanceWages pays the worker of an arrears alert from the employer's guarantee: staff of the alert's
// station (admins), once the alert has stayed unpaid the admin's number of days, at most the unpaid
// amount and what the guarantee holds. The payment is an ordinary ledger line (method 保证金垫付) the
// worker confirms like any payment (and is texted about); the guarantee line records what the employer
// now owes back. Both are written in one transaction, or neither.
func (s *Service) AdvanceWages(ctx context.Context, p domain.Principal, alertID int64, a Advance) (AdvanceResult, error) {
	if !p.IsStaff() {
		return AdvanceResult{}, domain.Forbidden("只有工作人员能办理先行垫付")
	}
	if a.AmountFen <= 0 || a.AmountFen > domain.MaxPaymentFen {
		return AdvanceResult{}, domain.Invalidf("amount_fen", "垫付金额应大于 0、不超过 %s 元（单位：分）", domain.FormatYuan(domain.MaxPaymentFen))
	}
	note, err := domain.CleanText("note", a.Note, 200)
	if err != nil {
		return AdvanceResult{}, err
	}
	alert, err := s.store.ArrearsAlert(ctx, alertID)
	if err != nil {
		return AdvanceResult{}, err
	}
	if !p.CanManageStation(alert.StationID) {
		return AdvanceResult{}, domain.Forbidden("只能办理本站点的欠薪预警")
	}
	if alert.ClearedAt != nil {
		return AdvanceResult{}, domain.Conflict("这条欠薪预警已经清除，不需要垫付")
	}
	settings, err := s.store.ProtectionSettings(ctx)
	if err != nil {
		return AdvanceResult{}, err
	}
	today := s.clock.Today()
	if waited, need := domain.DateOf(alert.RaisedAt).DaysUntil(today), settings.Guarantee.AdvanceDays(); waited < need {
		return AdvanceResult{}, domain.Conflict(fmt.Sprintf("欠薪预警发出 %d 天，满 %d 天仍未支付才能先行垫付", waited, need))
	}
	var out AdvanceResult
	e := &effects{}
	err = s.store.InTx(context.WithValue(ctx, effectsKey{}, e), func(ctx context.Context) error {
		// What the alert still lacks is read from the ledger under the employer's guarantee lock, not from
		// the alert (the arrears sweep updates its amount only on its next run): an advance already paid on
		// it, or a payment since, counts, and two advances at once cannot both pass.
		if err := s.store.LockGuarantee(ctx, alert.EmployerID); err != nil {
			return err
		}
		lines, bal, err := s.store.Ledger(ctx, alert.ContractID)
		if err != nil {
			return err
		}
		unpaid := domain.UnpaidByDueDate(lines)[alert.DueDate]
		if unpaid <= 0 {
			return domain.Conflict("这条欠薪预警的工钱已经付清（或已经垫付），不能再垫付")
		}
		if a.AmountFen > unpaid {
			return domain.Invalidf("amount_fen", "垫付金额 %s 元超过未付的 %s 元（这条预警尚未支付的部分）", domain.FormatYuan(a.AmountFen), domain.FormatYuan(unpaid))
		}
		if a.AmountFen > bal.OutstandingFen {
			return domain.Invalidf("amount_fen", "垫付金额 %s 元超过合约尚欠的 %s 元", domain.FormatYuan(a.AmountFen), domain.FormatYuan(max(bal.OutstandingFen, 0)))
		}
		ref := fmt.Sprintf("保证金垫付 预警#%d", alert.ID)
		if out.Payment, err = s.appendLedger(ctx, p, alert.ContractID, domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: a.AmountFen,
			Method: domain.PayGuarantee, PaidAt: s.clock.Now(), Reference: ref, Note: note}); err != nil {
			return err
		}
		out.Guarantee, err = s.store.RecordAdvance(ctx, alert.EmployerID, alert.ContractID, out.Payment.ID, alert.ID, a.AmountFen, p, p.IP)
		return err
	})
	if err != nil {
		return AdvanceResult{}, err
	}
	for _, f := range e.fns {
		f(context.WithoutCancel(ctx))
	}
	out.Account, err = s.store.GuaranteeAccount(ctx, alert.EmployerID)
	return out, err
}

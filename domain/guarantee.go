package domain

import (
	"fmt"
	"math/big"
	"strings"
	"time"
)

// The wage guarantee (工资保证金, issue 22): an employer's account at the platform, fed by bank deposits
// the staff record from a receipt and a second person confirms; the station pays a worker from it when
// an arrears alert stays unpaid (先行垫付), and refunds what is unused after the employer's last gig.

// GuaranteeKind is the kind of a line of a guarantee account.
type GuaranteeKind string

const (
	GuaranteeDeposit GuaranteeKind = "deposit" // money paid in (bank receipt); counts once confirmed
	GuaranteeRepay   GuaranteeKind = "repay"   // the employer pays back an advance (bank receipt); counts once confirmed
	GuaranteeConfirm GuaranteeKind = "confirm" // a second staff member or an admin confirms a receipt line
	GuaranteeAdvance GuaranteeKind = "advance" // 先行垫付: paid to a worker through the ledger
	GuaranteeRefund  GuaranteeKind = "refund"  // unused money returned after the employer's last gig; counts at once, confirmed after
)

// FromReceipt reports whether staff record this kind from a bank receipt, so that a second person must
// check the receipt (confirm). Money coming in (deposit, repay) counts only once checked; money going
// out (refund) counts at once, because by the receipt it has already left: an advance must never be
// paid from money the account no longer holds while the check waits.
func (k GuaranteeKind) FromReceipt() bool {
	return k == GuaranteeDeposit || k == GuaranteeRepay || k == GuaranteeRefund
}

// Label is the kind in Chinese.
func (k GuaranteeKind) Label() string {
	switch k {
	case GuaranteeDeposit:
		return "缴存"
	case GuaranteeRepay:
		return "归还垫付"
	case GuaranteeConfirm:
		return "复核确认"
	case GuaranteeAdvance:
		return "先行垫付"
	case GuaranteeRefund:
		return "退还"
	}
	return string(k)
}

// MaxReceiptAgeDays is how old a bank receipt may be when it is recorded: a year. An older date is a
// typing error (0001-01-01), or money that needs the admin's look rather than a clerk's entry.
const MaxReceiptAgeDays = 366

// MaxGuaranteeFen bounds one line: 1,000 万元. Anything larger is a typing error.
const MaxGuaranteeFen = 1_000_000_000

// GuaranteeEntry is one append-only line of an employer's guarantee account.
type GuaranteeEntry struct {
	ID            int64         `json:"id"`
	EmployerID    int64         `json:"employer_id"`
	Kind          GuaranteeKind `json:"kind"`
	KindLabel     string        `json:"kind_label"`
	AmountFen     int64         `json:"amount_fen"`
	BankReference string        `json:"bank_reference,omitempty"`
	ValueDate     Date          `json:"value_date,omitempty"`
	ConfirmsID    int64         `json:"confirms_id,omitempty"`
	ContractID    int64         `json:"contract_id,omitempty"`
	LedgerEntryID int64         `json:"ledger_entry_id,omitempty"`
	AlertID       int64         `json:"alert_id,omitempty"`
	Note          string        `json:"note,omitempty"`
	RecordedBy    string        `json:"recorded_by"`
	CreatedAt     time.Time     `json:"created_at"`
	// Confirmed: for lines from a bank receipt (deposit, repay, refund), whether a confirm line names it.
	Confirmed bool `json:"confirmed"`
}

// GuaranteeAccount sums an employer's guarantee lines, in fen.
//   - Held: confirmed deposits and repayments, minus advances and refunds: what the account holds.
//   - Pending: deposits and repayments awaiting their second confirmation (not yet in Held).
//   - UnconfirmedRefund: refunds awaiting theirs (already out of Held).
//   - Advanced: all 先行垫付; Owed: advances the employer has not repaid (confirmed repayments).
type GuaranteeAccount struct {
	EmployerID   int64 `json:"employer_id"`
	HeldFen      int64 `json:"held_fen"`
	PendingFen   int64 `json:"pending_fen"`
	DepositedFen int64 `json:"deposited_fen"`
	AdvancedFen  int64 `json:"advanced_fen"`
	RepaidFen    int64 `json:"repaid_fen"`
	OwedFen      int64 `json:"owed_fen"`
	RefundedFen  int64 `json:"refunded_fen"`
	// UnconfirmedRefundFen: refunds whose receipt no second person has checked yet.
	UnconfirmedRefundFen int64            `json:"unconfirmed_refund_fen"`
	Entries              []GuaranteeEntry `json:"entries"`
}

// SumGuarantee computes an account from its lines (oldest first); it marks confirmed lines.
func SumGuarantee(employerID int64, lines []GuaranteeEntry) GuaranteeAccount {
	a := GuaranteeAccount{EmployerID: employerID, Entries: lines}
	confirmed := map[int64]bool{}
	for _, l := range lines {
		if l.Kind == GuaranteeConfirm {
			confirmed[l.ConfirmsID] = true
		}
	}
	for i := range a.Entries {
		l := &a.Entries[i]
		l.KindLabel = l.Kind.Label()
		if l.Kind.FromReceipt() {
			l.Confirmed = confirmed[l.ID]
		}
		switch l.Kind {
		case GuaranteeDeposit, GuaranteeRepay:
			if !l.Confirmed {
				a.PendingFen += l.AmountFen
				continue
			}
			a.HeldFen += l.AmountFen
			if l.Kind == GuaranteeDeposit {
				a.DepositedFen += l.AmountFen
			} else {
				a.RepaidFen += l.AmountFen
			}
		case GuaranteeAdvance:
			a.HeldFen -= l.AmountFen
			a.AdvancedFen += l.AmountFen
		case GuaranteeRefund:
			a.HeldFen -= l.AmountFen
			a.RefundedFen += l.AmountFen
			if !l.Confirmed {
				a.UnconfirmedRefundFen += l.AmountFen
			}
		}
	}
	a.OwedFen = max(a.AdvancedFen-a.RepaidFen, 0)
	return a
}

// GuaranteeRule is the admin's rule for when a gig needs a guarantee before approval, and how much.
type GuaranteeRule struct {
	Companies    bool  `json:"companies"`     // every company employer
	AfterArrears bool  `json:"after_arrears"` // any employer that ever had an arrears alert
	WageBillFen  int64 `json:"wage_bill_fen"` // gigs whose total wage bill reaches this (0: off)
	// Percent of the gig's wage bill (headcount × days × daily wage) the guarantee must hold.
	Percent int64 `json:"percent"`
	// AdvanceAfterDays: how long an arrears alert must stay unpaid before staff may pay from the
	// guarantee (先行垫付); 0 means DefaultAdvanceAfterDays.
	AdvanceAfterDays int64 `json:"advance_after_days"`
}

// DefaultAdvanceAfterDays is how long an arrears alert waits before 先行垫付 when the admin set nothing.
const DefaultAdvanceAfterDays = 7

// AdvanceDays is the rule's wait before 先行垫付.
func (r GuaranteeRule) AdvanceDays() int {
	if r.AdvanceAfterDays <= 0 {
		return DefaultAdvanceAfterDays
	}
	return int(r.AdvanceAfterDays)
}

// Validate refuses percentages and thresholds no rule would use.
func (r GuaranteeRule) Validate() error {
	var problems Problems
	if r.Percent < 0 || r.Percent > 100 {
		problems = append(problems, Invalid("guarantee.percent", "保证金比例应在 0 到 100（%）之间"))
	}
	if r.WageBillFen < 0 || r.WageBillFen > MaxGuaranteeFen*10 {
		problems = append(problems, Invalid("guarantee.wage_bill_fen", "工资总额门槛应在 0 到 1 亿元之间（单位：分）"))
	}
	if r.AdvanceAfterDays < 0 || r.AdvanceAfterDays > 365 {
		problems = append(problems, Invalid("guarantee.advance_after_days", "垫付等待天数应在 0 到 365 之间"))
	}
	return problems.Err()
}

// JobWageBillFen is a gig's total wage bill: headcount × days × a day's wage (a job-priced gig: headcount
// × its wage), exact and rounded half up; 0 when the gig does not say enough.
func JobWageBillFen(j Job) int64 {
	head := new(big.Rat).SetInt64(int64(j.Headcount))
	if j.WageUnit == PerJob {
		return RoundFen(head.Mul(head, new(big.Rat).SetInt64(j.WageFen)))
	}
	days := int64(j.StartDate.DaysUntil(j.EndDate) + 1)
	var day *big.Rat
	if j.WageUnit == PerDay {
		day = new(big.Rat).SetInt64(j.WageFen)
	} else if h := j.HourlyWageRat(); h != nil {
		day = new(big.Rat).Mul(h, j.DailyHoursRat())
	} else {
		return 0
	}
	bill := new(big.Rat).Mul(head, day)
	return RoundFen(bill.Mul(bill, new(big.Rat).SetInt64(days)))
}

// GuaranteeNeed is what a gig requires of its employer's guarantee.
type GuaranteeNeed struct {
	Required    bool   `json:"required"`
	Reason      string `json:"reason,omitempty"`
	WageBillFen int64  `json:"wage_bill_fen"`
	RequiredFen int64  `json:"required_fen"`
	HeldFen     int64  `json:"held_fen"`
	Met         bool   `json:"met"`
	Note        string `json:"note"`
}

// Need applies the rule to a gig of an employer (hadArrears: the employer ever had an arrears alert)
// whose account holds held.
func (r GuaranteeRule) Need(e Employer, hadArrears bool, j Job, held int64) GuaranteeNeed {
	n := GuaranteeNeed{WageBillFen: JobWageBillFen(j), HeldFen: held, Met: true}
	switch {
	case r.Companies && e.Kind == EmployerCompany:
		n.Required, n.Reason = true, "用工单位是企业"
	case r.AfterArrears && hadArrears:
		n.Required, n.Reason = true, "该用工方有过欠薪预警"
	case r.WageBillFen > 0 && n.WageBillFen >= r.WageBillFen:
		n.Required, n.Reason = true, fmt.Sprintf("岗位工资总额 %s 元，达到 %s 元的门槛", FormatYuan(n.WageBillFen), FormatYuan(r.WageBillFen))
	}
	if !n.Required {
		n.Note = "不需要工资保证金"
		return n
	}
	bill := new(big.Rat).SetInt64(n.WageBillFen)
	n.RequiredFen = RoundFen(bill.Mul(bill, big.NewRat(r.Percent, 100)))
	n.Met = held >= n.RequiredFen
	state := "已足额"
	if !n.Met {
		state = fmt.Sprintf("还差 %s 元", FormatYuan(n.RequiredFen-held))
	}
	n.Note = fmt.Sprintf("需要工资保证金（%s）：应存 %s 元（工资总额的 %d%%），现有 %s 元，%s", n.Reason, FormatYuan(n.RequiredFen), r.Percent, FormatYuan(held), state)
	return n
}

// GuaranteeInput is a line staff record from a bank receipt (deposit, repay, refund).
type GuaranteeInput struct {
	Kind          GuaranteeKind
	AmountFen     int64
	BankReference string
	ValueDate     Date
	Note          string
}

// Normalize checks the line: a positive, plausible amount, the bank's reference, a real date not in
// the future (today is the caller's date).
func (in GuaranteeInput) Normalize(today Date) (GuaranteeInput, error) {
	var problems Problems
	switch in.Kind {
	case GuaranteeDeposit, GuaranteeRepay, GuaranteeRefund:
	default:
		problems = append(problems, Invalid("kind", "类型应为 deposit（缴存）、repay（归还垫付）或 refund（退还）"))
	}
	if in.AmountFen <= 0 || in.AmountFen > MaxGuaranteeFen {
		problems = append(problems, Invalidf("amount_fen", "金额应大于 0、不超过 %s 元（单位：分）", FormatYuan(MaxGuaranteeFen)))
	}
	ref, err := CleanText("bank_reference", in.BankReference, 60)
	if err != nil {
		problems = append(problems, AsError(err))
	} else if ref = strings.ToUpper(strings.Join(strings.Fields(ref), "")); len(ref) < 4 {
		problems = append(problems, Invalid("bank_reference", "请填写银行回单上的流水号（至少 4 位）"))
	}
	in.BankReference = ref
	if _, err := ParseDate("value_date", string(in.ValueDate)); err != nil {
		problems = append(problems, AsError(err))
	} else if in.ValueDate > today {
		problems = append(problems, Invalid("value_date", "回单日期不能晚于今天"))
	} else if in.ValueDate < today.AddDays(-MaxReceiptAgeDays) {
		problems = append(problems, Invalid("value_date", "回单日期早于一年前，请核对；更早的款项请找管理员处理"))
	}
	if in.Note, err = CleanText("note", in.Note, 200); err != nil {
		problems = append(problems, AsError(err))
	}
	return in, problems.Err()
}

package app

import (
	"context"
	"strings"

	"lingong/domain"
)

// Ending a started contract early (提前结束); see domain/ending.go and docs/attendance.md.

// EndContractEarly makes lastDay ("2006-01-02") the last working day of an active contract that has
// started (or not): the employer (API key) and the worker from today on, the issuing station's staff for
// both sides up to domain.EndingBackDays back. The reason is required of the employer and the station,
// optional for the worker. The other party is told by SMS (the station's ending: both); the worker's
// entry in the matching index is refreshed (a no-show may have stopped counting). The gig's place does
// not reopen: a gig's headcount is for its whole period, so the employer posts the remaining days as a
// new gig if it still needs someone. Errors as store.EndContractEarly, and invalid input first.
func (s *Service) EndContractEarly(ctx context.Context, p domain.Principal, id int64, lastDay, reason string) (domain.ContractEnding, error) {
	reason, err := domain.CleanText("reason", reason, 200)
	if err != nil {
		return domain.ContractEnding{}, err
	}
	// The reason goes to the other party in an SMS under the platform's name.
	if domain.ContainsPhone(reason) || domain.ContainsLink(reason) {
		return domain.ContractEnding{}, domain.Invalid("reason", "原因里不要写手机号或网址：原因会以平台的名义用短信发给对方")
	}
	if strings.TrimSpace(lastDay) == "" {
		return domain.ContractEnding{}, domain.Invalid("last_day", "请填写最后工作日（年-月-日），这天之后不再上工")
	}
	day, err := domain.ParseDate("last_day", strings.TrimSpace(lastDay))
	if err != nil {
		return domain.ContractEnding{}, err
	}
	if p.Kind != domain.AsEmployer && p.Kind != domain.AsWorker && !p.IsStaff() {
		return domain.ContractEnding{}, domain.NotFound("合约")
	}
	if reason == "" && p.Kind != domain.AsWorker {
		return domain.ContractEnding{}, domain.EndingReasonRequired()
	}
	e, err := s.store.EndContractEarly(ctx, id, day, reason, p, p.IP)
	if err != nil {
		return domain.ContractEnding{}, err
	}
	s.textAfterEnding(ctx, e)
	if err := s.ApplyChange(ctx, "workers", e.WorkerID); err != nil {
		s.log.WarnContext(ctx, "could not refresh the worker in the index after an early ending", "worker_id", e.WorkerID, "err", err)
	}
	return e, nil
}

// textAfterEnding tells the other party of an early ending: the worker when the employer ended it, the
// employer's contact when the worker did, both when the station recorded it.
func (s *Service) textAfterEnding(ctx context.Context, e domain.ContractEnding) {
	ct, _, err := s.store.ContractByID(ctx, e.ContractID)
	if err != nil {
		s.log.WarnContext(ctx, "could not read the contract to text an early ending", "contract_id", e.ContractID, "err", err)
		return
	}
	why := ""
	if e.Reason != "" {
		why = "原因：" + e.Reason + "。"
	}
	m := domain.SMS{Kind: domain.SMSEndedEarly, Subject: ct.ID, Params: map[string]string{
		"number": ct.Number, "by": e.By.Label(), "day": string(e.LastDay), "reason": why}}
	if e.By != domain.EndingByWorker {
		s.textWorker(ctx, ct.WorkerID, m)
	}
	if e.By != domain.EndingByEmployer {
		s.afterCommit(ctx, func(ctx context.Context) {
			em, err := s.store.EmployerByID(ctx, ct.EmployerID)
			if err == nil {
				err = s.text(ctx, em.ContactPhone, m)
			}
			if err != nil {
				s.log.WarnContext(ctx, "could not text the employer", "employer_id", ct.EmployerID, "kind", m.Kind, "err", err)
			}
		})
	}
}

// EndingNote is what a contract's paper and page print about its early ending, beside the signed terms
// ("已于 2026-05-08 提前结束（…）"), or "" when it was not ended early. Several endings: the last one.
func (s *Service) EndingNote(ctx context.Context, contractID int64) (string, error) {
	list, err := s.store.EndingsOf(ctx, contractID)
	return endingNote(list), err
}

// endingNote is EndingNote of a contract's endings as read, oldest first.
func endingNote(list []domain.ContractEnding) string {
	if len(list) == 0 {
		return ""
	}
	last := list[len(list)-1]
	last.PreviousEnd = list[0].PreviousEnd // the end date as signed
	return last.Note()
}

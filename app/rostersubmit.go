package app

import (
	"context"
	"errors"

	"lingong/contracts"
	"lingong/domain"
)

// Insurer takes a roster batch (its CSV) and answers with a receipt. The insurer package implements it:
// a directory (the default) and an HTTP API. Submit may be called again with the same batch (same Key)
// after a failure; the insurer must treat it as the same roster.
type Insurer interface {
	Name() string
	Submit(ctx context.Context, b domain.RosterBatch, csv []byte) (domain.InsurerReceipt, error)
}

// RosterSubmitStore is what the submission needs from the database.
type RosterSubmitStore interface {
	NextRosterBatch(ctx context.Context, day domain.Date, working []int64, driver string) (domain.RosterBatch, bool, error)
	RosterBatchSent(ctx context.Context, id int64, r domain.InsurerReceipt) error
	RosterBatchFailed(ctx context.Context, id int64, reason string) error
	RosterBatches(ctx context.Context, day domain.Date) ([]domain.RosterBatch, error)
}

// ErrNoInsurer is SubmitRoster's answer when the service runs without an insurer.
var ErrNoInsurer = errors.New("no insurer configured")

// system is the principal of the server's own jobs that read the roster (audited as system reads).
var system = domain.Principal{Kind: domain.AsAdmin}

// SubmitRoster sends the insurer the day's people no earlier batch carried (all of them the first time,
// late additions after), or resends the batch an earlier attempt could not deliver, under the same key.
// It returns the batch and whether there was one. A failed delivery is recorded and returned; the next
// call retries it. Called by the server's schedule (before the cut-off for the next day, then for late
// additions), never by a request.
func (s *Service) SubmitRoster(ctx context.Context, day domain.Date) (domain.RosterBatch, bool, error) {
	if s.insurer == nil {
		return domain.RosterBatch{}, false, ErrNoInsurer
	}
	days, err := s.workingDaysSource().WorkingOn(ctx, day)
	if err != nil {
		return domain.RosterBatch{}, false, err
	}
	ids := make([]int64, len(days))
	for i, d := range days {
		ids[i] = d.ContractID
	}
	b, ok, err := s.store.NextRosterBatch(ctx, day, ids, s.insurer.Name())
	if err != nil || !ok {
		return b, ok, err
	}
	carried := map[int64]bool{}
	for _, id := range b.ContractIDs {
		carried[id] = true
	}
	var batchDays []domain.WorkDay
	for _, d := range days {
		if carried[d.ContractID] {
			batchDays = append(batchDays, d)
		}
	}
	lines, err := s.store.RosterLines(ctx, day, batchDays, system, "")
	if err != nil {
		return b, true, err
	}
	csv := contracts.RosterCSV(domain.Roster{Date: day, MadeAt: s.clock.Now().UTC(), Lines: lines})
	receipt, err := s.insurer.Submit(ctx, b, csv)
	if err != nil {
		if ferr := s.store.RosterBatchFailed(context.WithoutCancel(ctx), b.ID, err.Error()); ferr != nil {
			s.log.WarnContext(ctx, "could not record a failed roster submission", "batch", b.Key, "err", ferr)
		}
		return b, true, err
	}
	if err := s.store.RosterBatchSent(ctx, b.ID, receipt); err != nil {
		return b, true, err
	}
	b.Status, b.ReceiptRef, b.Receipt = "sent", receipt.Reference, receipt.Body
	return b, true, nil
}

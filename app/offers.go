package app

import (
	"context"
	"strings"

	"lingong/domain"
)

// Offers (domain/offers.go): the gig's employer, or staff of the gig's station, invites a worker; the
// worker answers on /me (or at a station, staff recording the answer as witness); a refused offer may
// be reported to the worker's station.

// Invite offers a gig to a worker. Nothing is accepted or booked: the worker is told (inbox and SMS,
// saying how to answer) and decides. Rate-limited per employer (Options.Invites).
func (s *Service) Invite(ctx context.Context, p domain.Principal, jobID, workerID int64) (Applied, error) {
	if p.Kind != domain.AsEmployer && !p.IsStaff() {
		return Applied{}, domain.Forbidden("")
	}
	if workerID <= 0 {
		return Applied{}, domain.Invalid("worker_id", "请指定要邀请的零工")
	}
	app, job, created, err := s.store.Invite(ctx, jobID, workerID, p, p.IP, s.opts.Invites)
	if err != nil {
		return Applied{}, err
	}
	if created {
		s.textWorker(ctx, workerID, offerSMS(job, app.ID, s.opts.PublicURL))
	}
	return Applied{Application: app, Created: created}, nil
}

// offerSMS is the message of an offer: who, what, when, and how to answer (1 by reply accepts it:
// acceptOfferByReply).
func offerSMS(j domain.Job, offerID int64, publicURL string) domain.SMS {
	return domain.SMS{Kind: domain.SMSOffer, Subject: offerID, Params: map[string]string{
		"employer": domain.TruncateRunes(j.EmployerName, 20), "title": domain.TruncateRunes(j.Title, 20),
		"start": string(j.StartDate), "end": string(j.EndDate), "link": publicURL + "/me"}}
}

// AgreeToOffer is the worker's yes to an offer: the worker themself, or staff of the worker's station
// recording the yes the worker gave in front of them (the audit names the witness). A place is taken
// and the contract drafted, as when an employer accepts an application; from then on the employer sees
// the worker's name and phone.
func (s *Service) AgreeToOffer(ctx context.Context, p domain.Principal, applicationID int64) (domain.Contract, error) {
	if p.Kind != domain.AsWorker && !p.IsStaff() {
		return domain.Contract{}, domain.Forbidden("")
	}
	ct, err := s.store.AgreeToOffer(ctx, applicationID, p, p.IP, s.buildTerms)
	if err != nil {
		return domain.Contract{}, err
	}
	s.jobIDChanged(ctx, ct.JobID)
	return ct, nil
}

// RefuseOffer is the worker's no (themself, or recorded by staff of their station). The employer is
// told the offer was not taken, not by whom.
func (s *Service) RefuseOffer(ctx context.Context, p domain.Principal, applicationID int64) (domain.Application, error) {
	if p.Kind != domain.AsWorker && !p.IsStaff() {
		return domain.Application{}, domain.Forbidden("")
	}
	return s.store.RefuseOffer(ctx, applicationID, p, p.IP, false, "")
}

// ReportOffer refuses an offer and reports it to the staff of the worker's station (a stranger, a
// pushy employer, a gig that looks wrong). The worker themself only; the reason is optional.
func (s *Service) ReportOffer(ctx context.Context, p domain.Principal, applicationID int64, reason string) (domain.Application, error) {
	if p.Kind != domain.AsWorker {
		return domain.Application{}, domain.Forbidden("")
	}
	reason, err := domain.CleanText("reason", strings.TrimSpace(reason), 200)
	if err != nil {
		return domain.Application{}, err
	}
	return s.store.RefuseOffer(ctx, applicationID, p, p.IP, true, reason)
}

// OfferReports lists the reports of offers made by a station's workers, for its staff (an admin names
// any station).
func (s *Service) OfferReports(ctx context.Context, p domain.Principal, stationID int64) ([]domain.OfferReport, error) {
	if !p.IsStaff() || (stationID == 0 && p.Kind != domain.AsAdmin) || !p.CanManageStation(stationID) {
		return nil, domain.Forbidden("只能查看本站点的举报")
	}
	return s.store.OfferReports(ctx, stationID)
}

// HandleOfferReport marks a report dealt with (staff of the worker's station; audited).
func (s *Service) HandleOfferReport(ctx context.Context, p domain.Principal, id int64, note string) error {
	if !p.IsStaff() {
		return domain.Forbidden("")
	}
	note, err := domain.CleanText("note", strings.TrimSpace(note), 200)
	if err != nil {
		return err
	}
	return s.store.HandleOfferReport(ctx, id, p, p.IP, note)
}

// IDConflicts lists a station's ID number conflicts (domain.IDConflict), for its staff.
func (s *Service) IDConflicts(ctx context.Context, p domain.Principal, stationID int64) ([]domain.IDConflict, error) {
	if !p.IsStaff() || (stationID == 0 && p.Kind != domain.AsAdmin) || !p.CanManageStation(stationID) {
		return nil, domain.Forbidden("只能查看本站点的身份证号冲突")
	}
	return s.store.IDConflicts(ctx, stationID)
}

// ResolveIDConflict settles a conflict after staff checked the ID cards in person: the number goes to
// the claimant (verified; the holder loses it) or stays with the holder (the claim is dropped).
func (s *Service) ResolveIDConflict(ctx context.Context, p domain.Principal, id int64, resolution string) (domain.IDConflict, error) {
	if !p.IsStaff() {
		return domain.IDConflict{}, domain.Forbidden("")
	}
	c, err := s.store.ResolveIDConflict(ctx, id, p, p.IP, resolution)
	if err != nil {
		return domain.IDConflict{}, err
	}
	for _, wid := range []int64{c.WorkerID, c.HolderID} {
		if w, err := s.store.WorkerByID(ctx, wid); err == nil {
			s.workerChanged(ctx, w)
		}
	}
	return c, nil
}

// CorrectIDNumber is staff of the worker's station setting the worker's ID number from the card in
// front of them: the number is then verified (the worker can no longer change it themself). Staff are
// told when another worker holds it (conflict on "id_number"), and settle that on /console/reports.
func (s *Service) CorrectIDNumber(ctx context.Context, p domain.Principal, workerID int64, raw string) (domain.Worker, error) {
	if !p.IsStaff() {
		return domain.Worker{}, domain.Forbidden("")
	}
	w, err := s.Worker(ctx, p, workerID)
	if err != nil {
		return domain.Worker{}, err
	}
	id, _, _, err := domain.WorkerIDNumber("id_number", raw, s.clock.Today())
	if err != nil {
		return domain.Worker{}, err
	}
	if w, err = s.store.UpdateWorker(ctx, p, p.IP, w.ID, w.Profile(), &id); err != nil {
		return domain.Worker{}, err
	}
	s.workerChanged(ctx, w)
	return w, nil
}

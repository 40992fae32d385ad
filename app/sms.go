package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"lingong/domain"
)

// Text messages: sending a template, the providers' delivery receipts and the workers' replies.

// SMSCallbacks reads the providers' callbacks (package sms implements it): delivery receipts and
// replies, each provider in its own format. An error means the body is not one of them.
type SMSCallbacks interface {
	ParseReceipts(provider string, body []byte) ([]domain.SMSReceipt, error)
	ParseReplies(provider string, body []byte) ([]domain.SMSReply, error)
}

// DefaultSMSReplyWindow is how old a question a reply may still answer, unless configured.
const DefaultSMSReplyWindow = 72 * time.Hour

// text sends one templated message to phone: the message is checked against its template, recorded
// in the outbox as queued under a fresh reference (codes masked), handed to the sender, and its state
// set to sent or failed with the provider's code. The reference travels with the message to the
// provider, so its receipts find it, and a retry inside the sender reuses it.
func (s *Service) text(ctx context.Context, phone string, m domain.SMS) error {
	rec, out, err := s.prepareSMS(phone, m)
	if err != nil {
		return err
	}
	if err := s.store.AppendSMS(ctx, &rec); err != nil {
		return err
	}
	return s.deliver(ctx, rec.Ref, out)
}

// prepareSMS is m to phone as the outbox keeps it and as the sender gets it, under one new reference.
// The outbox keeps the variables and the body with codes masked, so neither the API, nor a backup,
// nor anyone reading the table can log in or sign as the worker; only the sender gets the code.
func (s *Service) prepareSMS(phone string, m domain.SMS) (domain.SMSMessage, OutgoingSMS, error) {
	t, params, err := m.Prepare()
	if err != nil {
		return domain.SMSMessage{}, OutgoingSMS{}, err
	}
	masked := t.MaskedParams(params)
	rec := domain.SMSMessage{Phone: phone, Body: t.Render(s.opts.SMSSignName, masked), Purpose: t.Purpose,
		Kind: t.Kind, Params: masked, Ref: newSMSRef(), Status: domain.SMSQueued, WorkerID: m.WorkerID,
		Asks: t.Asks, Subject: m.Subject}
	return rec, OutgoingSMS{Ref: rec.Ref, Phone: phone, Template: t, Params: params, Body: t.Render(s.opts.SMSSignName, params)}, nil
}

// deliver hands a message recorded in the outbox (under ref) to the sender and records the outcome.
func (s *Service) deliver(ctx context.Context, ref string, out OutgoingSMS) error {
	if s.devInbox != nil {
		s.devInbox.add(ref, out.Body)
	}
	acc, err := s.sms.Send(ctx, out)
	if err != nil {
		code := "error"
		var pc interface{ ProviderCode() string }
		if errors.As(err, &pc) {
			code = pc.ProviderCode()
		}
		if _, serr := s.store.SetSMSStatus(context.WithoutCancel(ctx), ref, domain.SMSFailed, "", "", code); serr != nil {
			s.log.WarnContext(ctx, "could not mark a message failed", "ref", ref, "err", serr)
		}
		return err
	}
	if _, err := s.store.SetSMSStatus(ctx, ref, domain.SMSSent, acc.Provider, acc.ProviderID, acc.Code); err != nil {
		s.log.WarnContext(ctx, "could not mark a message sent", "ref", ref, "err", err)
	}
	return nil
}

// newSMSRef is a message's reference: 16 random bytes in hex (Alibaba Cloud's OutId takes up to 256
// characters, Tencent Cloud's SessionContext 512).
func newSMSRef() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// checkCallbackToken refuses a callback whose URL does not carry the configured secret token (compared
// in constant time). No token configured means no callbacks: not_found, as if the route did not exist.
func (s *Service) checkCallbackToken(token string) error {
	if len(s.opts.SMSCallbackToken) == 0 || s.callbacks == nil {
		return domain.NotFound("页面")
	}
	if !hmac.Equal([]byte(token), []byte(s.opts.SMSCallbackToken)) {
		return domain.Unauthorized("回调地址不对")
	}
	return nil
}

// SMSReceipts applies a provider's delivery receipts (the callback at /sms/{provider}/receipts/{token}).
// A repeated or out-of-order receipt changes nothing (a message's state only moves forward); a receipt
// for a message we never sent is skipped. It returns how many messages changed.
func (s *Service) SMSReceipts(ctx context.Context, provider, token string, body []byte) (int, error) {
	if err := s.checkCallbackToken(token); err != nil {
		return 0, err
	}
	receipts, err := s.callbacks.ParseReceipts(provider, body)
	if err != nil {
		return 0, domain.Invalid("body", "看不懂的状态报告")
	}
	changed := 0
	for _, r := range receipts {
		ok, err := s.store.ApplySMSReceipt(ctx, provider, r)
		if domain.IsCode(err, domain.CodeNotFound) {
			s.log.WarnContext(ctx, "receipt for an unknown message", "provider", provider, "ref", r.Ref, "provider_id", r.ProviderID)
			continue
		}
		if err != nil {
			return changed, err
		}
		if ok {
			changed++
		}
	}
	return changed, nil
}

// SMSReplies handles the replies a provider forwards (the callback at /sms/{provider}/replies/{token}):
// each is kept once (a repeated callback acts on nothing), matched to its worker by phone and then
// handled (Service.handleReply). Replies from phones that are not a worker's are kept and ignored.
func (s *Service) SMSReplies(ctx context.Context, provider, token string, body []byte) (int, error) {
	if err := s.checkCallbackToken(token); err != nil {
		return 0, err
	}
	replies, err := s.callbacks.ParseReplies(provider, body)
	if err != nil {
		return 0, domain.Invalid("body", "看不懂的上行短信")
	}
	handled := 0
	for _, r := range replies {
		phone, err := domain.NormalizePhone("phone", r.Phone)
		if err != nil {
			continue
		}
		r.Phone = phone
		w, err := s.store.WorkerByPhone(ctx, phone)
		if err != nil && !domain.IsCode(err, domain.CodeNotFound) {
			return handled, err
		}
		id, fresh, err := s.store.RecordSMSReply(ctx, provider, r, w.ID)
		if err != nil {
			return handled, err
		}
		if !fresh || w.ID == 0 {
			continue
		}
		if !r.At.IsZero() && r.At.Before(s.clock.Now().Add(-s.opts.SMSReplyWindow)) {
			// A reply older than the window (a provider replaying its backlog): kept, not acted on.
			if err := s.store.SetSMSReplyOutcome(ctx, id, "stale"); err != nil {
				s.log.WarnContext(ctx, "could not note a reply's outcome", "err", err)
			}
			continue
		}
		outcome := s.handleReply(ctx, w, r)
		if err := s.store.SetSMSReplyOutcome(ctx, id, outcome); err != nil {
			s.log.WarnContext(ctx, "could not note a reply's outcome", "err", err)
		}
		handled++
	}
	return handled, nil
}

// acceptOfferByReply accepts an employer's offer (the subject of an SMSOffer message) for the worker
// who replied 1, through the offer page's use case (AgreeToOffer), and returns the line of the
// confirmation SMS: the contract is drafted, and signing it needs a code, so it says where to sign.
func (s *Service) acceptOfferByReply(ctx context.Context, p domain.Principal, offerID int64) (string, error) {
	ct, err := s.AgreeToOffer(ctx, p, offerID)
	if err != nil {
		return "", err
	}
	return "已接受邀请，合约" + ct.Number + "请到驿站或在网页上签", nil
}

// handleReply does what a worker's reply asks, through the same use cases as the pages, and texts
// them the outcome: 1 to a push applies for its gig; TD opts out of pushes; Y or N to a wage line
// confirms or disputes it; anything that signs a contract is refused (signing needs a code, on the web
// or at a station); anything else, or a reply to no question within the window, gets the help text
// with their station's phone. It returns what happened, for the record.
func (s *Service) handleReply(ctx context.Context, w domain.Worker, r domain.SMSReply) string {
	p := domain.Principal{Kind: domain.AsWorker, ID: w.ID, IP: "sms"}
	station, phone := s.replyStation(ctx, w)
	say := func(outcome string, m domain.SMS) string {
		m.WorkerID = w.ID
		if err := s.text(ctx, w.Phone, m); err != nil {
			s.log.WarnContext(ctx, "could not answer a reply", "worker_id", w.ID, "err", err)
		}
		return outcome
	}
	done := func(what string) domain.SMS {
		return domain.SMS{Kind: domain.SMSReplyDone, Params: map[string]string{"what": what}}
	}
	refused := func(err error) domain.SMS {
		msg := "请稍后再试"
		var de *domain.Error
		if errors.As(err, &de) && de.Message != "" && de.Code != domain.CodeInternal && de.Code != domain.CodeUnavailable {
			msg = de.Message
		}
		return domain.SMS{Kind: domain.SMSReplyRefused, Params: map[string]string{"reason": msg, "station": station, "phone": phone}}
	}
	help := domain.SMS{Kind: domain.SMSReplyHelp, Params: map[string]string{"station": station, "phone": phone}}
	sign := domain.SMS{Kind: domain.SMSReplySign, Params: map[string]string{"station": station, "phone": phone}}

	cmd, rest := domain.ParseSMSReply(r.Text)
	switch cmd {
	case domain.ReplyOptOut:
		prof := w.Profile()
		prof.PushOptOut = true
		if _, err := s.UpdateProfile(ctx, p, ProfileUpdate{Profile: prof}); err != nil {
			return say("optout_failed", refused(err))
		}
		return say("opted_out", done("不再给您发岗位推荐，想恢复可在“我的零工卡”打开"))
	case domain.ReplySign:
		return say("sign_refused", sign)
	case domain.ReplyUnknown:
		return say("help", help)
	}
	q, err := s.store.LatestSMSQuestion(ctx, w.Phone, s.clock.Now().Add(-s.opts.SMSReplyWindow))
	if err != nil {
		return say("help", help)
	}
	switch {
	case q.Asks == domain.AsksContract:
		return say("sign_refused", sign)
	case q.Asks == domain.AsksPush && (cmd == domain.ReplyOne || cmd == domain.ReplyYes):
		a, err := s.Apply(ctx, p, q.Subject, 0)
		if err != nil {
			return say("apply_failed", refused(err))
		}
		j, _ := s.store.JobByID(ctx, a.Application.JobID)
		return say("applied", done("已为您报名“"+domain.TruncateRunes(j.Title, 16)+"”，用工方会联系您"))
	case q.Asks == domain.AsksOffer && (cmd == domain.ReplyOne || cmd == domain.ReplyYes):
		what, err := s.acceptOfferByReply(ctx, p, q.Subject)
		if err != nil {
			return say("offer_failed", refused(err))
		}
		return say("offer_accepted", done(what))
	case q.Asks == domain.AsksWage && cmd == domain.ReplyYes:
		if _, err := s.answerLedger(ctx, p, q.Subject, LedgerAnswer{Response: "confirm"}, 0); err != nil {
			return say("confirm_failed", refused(err))
		}
		return say("confirmed", done("已确认收到这笔钱"))
	case q.Asks == domain.AsksWage && cmd == domain.ReplyNo:
		reason := rest
		if reason == "" {
			reason = "短信回复N：有异议"
		}
		if _, err := s.answerLedger(ctx, p, q.Subject, LedgerAnswer{Response: "dispute", Reason: reason}, 0); err != nil {
			return say("dispute_failed", refused(err))
		}
		return say("disputed", done("已记下您的异议，驿站会联系您核实"))
	}
	return say("help", help)
}

// replyStation is the station a worker's help texts name: where they registered.
func (s *Service) replyStation(ctx context.Context, w domain.Worker) (name, phone string) {
	st, err := s.store.StationByID(ctx, w.StationID)
	if err != nil || st.Phone == "" {
		return "零工驿站", "12333"
	}
	return st.Name, st.Phone
}

// WorkerMessages is what the console shows on a worker's page: their latest messages with their
// states, and whether the last domain.SMSFailureStreak of them all failed (staff should call).
type WorkerMessages struct {
	Messages []domain.SMSMessage
	Failed   []domain.SMSMessage
	Flagged  bool
}

// WorkerSMS returns a worker's latest messages (staff who may see the worker).
func (s *Service) WorkerSMS(ctx context.Context, p domain.Principal, workerID int64) (WorkerMessages, error) {
	if !p.IsStaff() {
		return WorkerMessages{}, domain.Forbidden("")
	}
	w, err := s.Worker(ctx, p, workerID)
	if err != nil {
		return WorkerMessages{}, err
	}
	msgs, err := s.store.WorkerSMS(ctx, w.ID, w.Phone, 20)
	if err != nil {
		return WorkerMessages{}, err
	}
	out := WorkerMessages{Messages: msgs}
	streak := 0
	for i, m := range msgs {
		if m.Status == domain.SMSFailed {
			out.Failed = append(out.Failed, m)
			if streak == i {
				streak++
			}
		}
	}
	out.Flagged = streak >= domain.SMSFailureStreak
	return out, nil
}

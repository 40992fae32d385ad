package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"lingong/domain"
	"lingong/matching"
)

// 精准推送: when a gig is approved, its best available workers hear of it in their inbox and by SMS.
//
// The push runs after the approval has committed and answered, in the background: matching takes a
// few milliseconds, but the SMS goes to a vendor (one request per worker, up to Max of them) and the
// approval must neither wait for it nor fail because of it. At most pushSlots pushes run at once; the
// rest wait their turn, and Shutdown waits for them all before the database closes.

// pushSlots bounds concurrent pushes: each holds a database transaction and a stream of SMS requests.
const pushSlots = 2

// pushTimeout bounds one push, its SMS included.
const pushTimeout = 2 * time.Minute

// pusher runs pushes off the request path.
type pusher struct {
	slots  chan struct{}
	mu     sync.Mutex // guards closed against the Add of a late approval
	closed bool
	wg     sync.WaitGroup
	ctx    context.Context // cancelled when Shutdown gives up waiting
	cancel context.CancelFunc
}

func newPusher() *pusher {
	ctx, cancel := context.WithCancel(context.Background())
	return &pusher{slots: make(chan struct{}, pushSlots), ctx: ctx, cancel: cancel}
}

// jobApproved schedules the push of a gig that has just been approved, once the approval has
// committed. It returns at once.
func (s *Service) jobApproved(ctx context.Context, j domain.Job) {
	s.afterCommit(ctx, func(context.Context) { s.schedulePush(j) })
}

// schedulePush starts the push of an approved gig in the background.
func (s *Service) schedulePush(j domain.Job) {
	if s.index == nil || s.opts.Push.Size(j.Remaining()) == 0 {
		return
	}
	p := s.pusher
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		s.log.Warn("not pushing a gig approved during shutdown", "job_id", j.ID)
		return
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		select {
		case p.slots <- struct{}{}:
		case <-p.ctx.Done():
			return
		}
		defer func() { <-p.slots }()
		ctx, cancel := context.WithTimeout(p.ctx, pushTimeout)
		defer cancel()
		made, took, err := s.pushJob(ctx, j)
		if err != nil {
			s.log.Error("push of an approved gig failed", "job_id", j.ID, "err", err)
			return
		}
		s.log.Info("pushed an approved gig", "job_id", j.ID, "workers", len(made), "rank", took.rank, "record", took.record, "sms", took.sms)
	}()
}

// shutdown stops accepting pushes and waits for the running and queued ones to finish (Service.Shutdown).
func (p *pusher) shutdown(ctx context.Context) error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	done := make(chan struct{})
	go func() { p.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		p.cancel()
		<-done
		return ctx.Err()
	}
}

// pushJob pushes a gig to its best available workers: N = the push rules' Size of its remaining places;
// the engine ranks the active workers under every hard filter (certificates, dates, distance); the store
// keeps the N best who opted in, are under the daily limit and were not told about this gig before
// (RecordPushes, one transaction with the inbox notifications); then each gets an SMS. A failed SMS is
// logged: the notification is in the inbox either way. It returns the pushes made and how long each
// step took.
func (s *Service) pushJob(ctx context.Context, j domain.Job) ([]domain.Push, pushTimes, error) {
	var took pushTimes
	rules := s.opts.Push
	want := rules.Size(j.Remaining())
	if want == 0 || s.index == nil {
		return nil, took, nil
	}
	start := time.Now()
	today := s.clock.Today()
	// More candidates than N: some will have opted out, reached the day's limit or heard of the gig at
	// an earlier approval, and the next best take their places.
	ranked := s.index.MatchWorkersForJob(j, today, min(2*want+20, 1000))
	candidates := make([]domain.Push, len(ranked.Items))
	for i, m := range ranked.Items {
		candidates[i] = domain.Push{WorkerID: m.ID, Title: pushTitle(j), Body: pushBody(j, m)}
	}
	took.rank = time.Since(start)
	start = time.Now()
	made, err := s.store.RecordPushes(ctx, j.ID, today, candidates, want, rules.DailyLimit)
	if err != nil {
		return nil, took, err
	}
	took.record = time.Since(start)
	start = time.Now()
	// A few messages in flight at once: a provider answers in tens of milliseconds, and the sender's
	// global rate, not this loop, is what keeps within the provider's limits.
	next := make(chan domain.Push)
	var wg sync.WaitGroup
	for range min(pushSenders, len(made)) {
		wg.Go(func() {
			for p := range next {
				if err := s.text(ctx, p.Phone, s.pushSMS(j, p.WorkerID)); err != nil {
					s.log.WarnContext(ctx, "could not text a pushed gig", "job_id", j.ID, "worker_id", p.WorkerID, "err", err)
				}
			}
		})
	}
	for _, p := range made {
		next <- p
	}
	close(next)
	wg.Wait()
	took.sms = time.Since(start)
	return made, took, nil
}

// pushSenders is how many of a push's messages are handed to the SMS sender at once.
const pushSenders = 8

// pushTimes is how long a push's steps took: ranking the workers, the transaction that records the
// pushes and their notifications, and handing the SMS to the sender.
type pushTimes struct{ rank, record, sms time.Duration }

// pushTitle is the inbox line of a pushed gig.
func pushTitle(j domain.Job) string { return "为你推荐：" + domain.TruncateRunes(j.Title, 30) }

// pushBody is the inbox text: why the gig suits this worker, then what and where. The reasons come from
// the gig's side of the ranking, written for the employer; the line about the worker's own record
// (新人，暂无干活记录 / 已完成 12 次零工，从未爽约) is the employer's business, not news to the worker.
func pushBody(j domain.Job, m matching.WorkerMatch) string {
	reasons := slices.DeleteFunc(slices.Clone(m.Reasons), func(r string) bool {
		return strings.HasPrefix(r, "新人") || strings.HasPrefix(r, "已完成 ")
	})
	var b strings.Builder
	b.WriteString(strings.Join(reasons, "；"))
	if b.Len() > 0 {
		b.WriteString("。")
	}
	fmt.Fprintf(&b, "%s，%s，%s%s，%s。", domain.FormatWage(j.WageFen, j.WageUnit), j.Settlement.Label(),
		j.District, j.Town, domain.DateRange(j.StartDate, j.EndDate))
	return b.String()
}

// pushSMS is the text message of a pushed gig: short (one SMS is 70 characters; two are fine), with the
// link to the gig's page and how to stop them.
func (s *Service) pushSMS(j domain.Job, workerID int64) domain.SMS {
	return domain.SMS{Kind: domain.SMSPush, WorkerID: workerID, Subject: j.ID, Params: map[string]string{
		"title": domain.TruncateRunes(j.Title, 20), "wage": domain.FormatRate(j.WageFen, j.WageUnit, j.PieceUnit),
		"place": j.District + j.Town, "start": domain.MonthDay(j.StartDate),
		"link": fmt.Sprintf("%s/jobs/%d", s.opts.PublicURL, j.ID)}}
}

// WaitForPushes waits until the pushes scheduled so far have run (tests and tools that check their
// effects).
func (s *Service) WaitForPushes() { s.pusher.wg.Wait() }

// Package demo builds the demo market of LINGONG_DEMO=1: a month of a real market in Zhongwei, lived
// day by day through the use cases of app.Service with a clock moved forward, so it holds only states
// the product itself can reach. Employers register at their stations; workers register over the weeks
// (a launch day, then a steady stream); gigs are posted and reviewed; workers apply, employers accept,
// both sides sign; work is recorded daily (枸杞 by the weigh ticket), pay follows by the settlement
// terms, a few workers confirm their pay and a few dispute a line (one dispute is still open); one
// employer stops paying in the last two weeks, which the arrears sweep turns into 欠薪预警. Every station has
// employers and gigs. It is deterministic but for the dates, which end today.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"lingong/app"
	"lingong/domain"
)

// Days is how many days of history the demo lives before today.
const Days = 30

// Clock is the demo's clock: the service and its store read it, the demo moves it.
type Clock struct{ t atomic.Int64 }

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { c := &Clock{}; c.Set(t); return c }

// Now is the clock's time (a domain.Clock).
func (c *Clock) Now() time.Time { return time.Unix(0, c.t.Load()).UTC() }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.t.Store(t.UnixNano()) }

func (c *Clock) advance(d time.Duration) { c.t.Add(int64(d)) }

// Codes passes every text message on (to the outbox) and keeps the last code each phone received: the
// demo's workers read it off their phones, as real ones do.
type Codes struct {
	next app.SMSSender
	mu   sync.Mutex
	last map[string]string
}

// NewCodes wraps the real sender.
func NewCodes(next app.SMSSender) *Codes { return &Codes{next: next, last: map[string]string{}} }

var sixDigits = regexp.MustCompile(`\d{6}`)

// Send implements app.SMSSender.
func (c *Codes) Send(ctx context.Context, m app.OutgoingSMS) (app.SMSAccepted, error) {
	if k := m.Template.Kind; k == domain.SMSLoginCode || k == domain.SMSConfirmCode {
		c.mu.Lock()
		c.last[m.Phone] = sixDigits.FindString(m.Body)
		c.mu.Unlock()
	}
	return c.next.Send(ctx, m)
}

func (c *Codes) code(phone string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last[phone]
}

// OTPLimits are the code limits of the demo's service: a month of confirmations in a minute of real time.
var OTPLimits = domain.OTPLimits{PhoneInterval: time.Nanosecond, PhonePerHour: 1000, IPPerHour: 1_000_000}

// Result counts what the demo made.
type Result struct {
	Employers, Workers, Jobs, Applications, Contracts, WorkLines, WeighTickets, Payments, Confirmed, Disputes, Refused int
	// Held counts the gigs the arrears rule held back from approval.
	Held int
}

type employer struct {
	spec    employerSpec
	p       domain.Principal
	station domain.Station
	contact string
}

type worker struct {
	w          domain.Worker
	p          domain.Principal
	registered int // day
	busy       [][2]domain.Date
}

type job struct {
	job    domain.Job
	emp    *employer
	posted int
}

type contract struct {
	ct     domain.Contract
	job    *job
	w      *worker
	signed bool
	unpaid int64
	ended  bool
}

type run struct {
	ctx     context.Context
	svc     *app.Service
	clock   *Clock
	codes   *Codes
	admin   domain.Principal
	rng     *rand.Rand
	res     Result
	emps    []*employer
	workers []*worker
	jobs    []*job
	cts     []*contract
	phones  map[string]bool
	tickets []domain.LedgerEntry
	// disputed are the tickets a picker has disputed (each is disputed once).
	disputed map[int64]bool
}

// Run lives the month that ends now (the clock is left at now). admin is the admin account's principal.
func Run(ctx context.Context, svc *app.Service, clock *Clock, codes *Codes, admin domain.Principal, now time.Time) (Result, error) {
	r := &run{ctx: ctx, svc: svc, clock: clock, codes: codes, admin: admin, rng: rand.New(rand.NewPCG(640500, 2026)), phones: map[string]bool{}, disputed: map[int64]bool{}}
	first := domain.DateOf(now).AddDays(-Days)
	for d := 0; d <= Days; d++ {
		if d < Days {
			clock.Set(first.AddDays(d).Start().Add(8 * time.Hour))
		} else {
			// Today's part of the day is what has happened before now.
			clock.Set(now.Add(-45 * time.Minute))
		}
		if err := r.day(d); err != nil {
			return r.res, fmt.Errorf("demo day %d (%s): %w", d, domain.DateOf(clock.Now()), err)
		}
	}
	clock.Set(now)
	if err := svc.ExpireJobs(ctx); err != nil {
		return r.res, err
	}
	if _, _, err := svc.SweepArrears(ctx, 0); err != nil {
		return r.res, err
	}
	return r.res, nil
}

// tick moves the clock on a little between two actions; on the last day by seconds, so it stays before now.
func (r *run) tick(d int) {
	if d == Days {
		r.clock.advance(2 * time.Second)
		return
	}
	r.clock.advance(time.Duration(20+r.rng.IntN(60)) * time.Second)
}

func (r *run) day(d int) error {
	today := domain.DateOf(r.clock.Now())
	if d == 0 {
		if err := r.registerEmployers(); err != nil {
			return err
		}
	}
	if err := r.pay(d, today); err != nil {
		return err
	}
	if err := r.register(d); err != nil {
		return err
	}
	if err := r.walkIn(d); err != nil {
		return err
	}
	if err := r.post(d, today); err != nil {
		return err
	}
	if err := r.hire(d, today); err != nil {
		return err
	}
	if err := r.work(d, today); err != nil {
		return err
	}
	if err := r.dispute(d); err != nil {
		return err
	}
	if err := r.svc.ExpireJobs(r.ctx); err != nil {
		return err
	}
	_, _, err := r.svc.SweepArrears(r.ctx, 0)
	return err
}

// registerEmployers registers every employer at a station of its district, in turn, so every station has some.
func (r *run) registerEmployers() error {
	stations, err := r.svc.Stations(r.ctx)
	if err != nil {
		return err
	}
	next := map[string]int{}
	for i, spec := range employers {
		var inDistrict []domain.Station
		for _, st := range stations {
			if st.District == spec.district {
				inDistrict = append(inDistrict, st)
			}
		}
		st := inDistrict[next[spec.district]%len(inDistrict)]
		next[spec.district]++
		n := app.NewEmployer{Kind: spec.kind, Name: spec.name, ContactName: name(r.rng), ContactPhone: r.newPhone(),
			StationCode: st.Code, Verified: i%5 != 4}
		if spec.kind == domain.EmployerCompany {
			first := fmt.Sprintf("91640500MA%07d", 7000000+i*7919%1000000)
			n.CreditCode = first[:17] + string(domain.CreditCodeCheck(first[:17]))
		}
		out, err := r.svc.CreateEmployer(r.ctx, r.admin, n)
		if err != nil {
			return fmt.Errorf("employer %s: %w", spec.name, err)
		}
		r.emps = append(r.emps, &employer{spec: spec, p: domain.Principal{Kind: domain.AsEmployer, ID: out.Employer.ID},
			station: st, contact: n.ContactName})
		r.res.Employers++
		r.tick(0)
	}
	return nil
}

func (r *run) newPhone() string {
	p := phone(r.rng)
	for r.phones[p] {
		p = phone(r.rng)
	}
	r.phones[p] = true
	return p
}

// register registers the day's workers at the desks (代登记): 40 on the launch day, then 4 to 14 a day,
// more at the weekend when people come to town.
func (r *run) register(d int) error {
	n := 5 + r.rng.IntN(9)
	switch wd := r.clock.Now().In(domain.Shanghai).Weekday(); {
	case d == 0:
		n = 40
	case wd == time.Saturday || wd == time.Sunday:
		n += 4
	}
	stations, err := r.svc.Stations(r.ctx)
	if err != nil {
		return err
	}
	for range n {
		st := stations[r.rng.IntN(len(stations))]
		town := townIn(r.rng, st.District)
		if r.rng.IntN(3) == 0 {
			town = domain.Town{District: st.District, Name: st.Town}
		}
		cat := domain.SkillCategories[r.rng.IntN(len(domain.SkillCategories))]
		if st.District == "中宁县" && r.rng.IntN(2) == 0 {
			cat = "农业采摘"
		}
		var skills []string
		for _, sk := range domain.Skills {
			if sk.Category == cat && r.rng.IntN(3) == 0 && len(skills) < 4 {
				skills = append(skills, sk.Name)
			}
		}
		if len(skills) == 0 || r.rng.IntN(3) == 0 {
			skills = append(skills, []string{"建筑小工", "搬运", "枸杞采摘", "保洁"}[r.rng.IntN(4)])
		}
		certs := []string{}
		for _, name := range skills {
			if sk, ok := domain.SkillByName(name); ok && len(sk.Certs) > 0 && r.rng.IntN(2) == 0 {
				certs = append(certs, sk.Certs...)
			}
		}
		today := domain.DateOf(r.clock.Now())
		reg, err := r.svc.RegisterWorker(r.ctx, r.admin, app.Registration{Phone: r.newPhone(), StationCode: st.Code,
			Profile: domain.WorkerProfile{Name: name(r.rng), Skills: skills, Certs: certs, District: town.District, Town: town.Name,
				SelfDescription: selfWords[r.rng.IntN(len(selfWords))], AvailableFrom: today, AvailableTo: today.AddDays(60 + r.rng.IntN(150)),
				ExpectedWageFen: int64(100+r.rng.IntN(15)*10) * 100, ExpectedWageUnit: domain.PerDay,
				MaxCommuteKm: []int{20, 30, 50, 80}[r.rng.IntN(4)]}})
		if err != nil {
			return fmt.Errorf("register a worker at %s: %w", st.Code, err)
		}
		r.workers = append(r.workers, &worker{w: reg.Worker, p: domain.Principal{Kind: domain.AsWorker, ID: reg.Worker.ID}, registered: d})
		r.res.Workers++
		r.tick(d)
	}
	return nil
}

// walkIn: every morning some registered workers come to their station's desk and sign in for the
// day's walk-in queue (现场签到).
func (r *run) walkIn(d int) error {
	for range min(len(r.workers), 5+r.rng.IntN(10)) {
		w := r.workers[r.rng.IntN(len(r.workers))]
		if _, _, err := r.svc.SignInWalkin(r.ctx, r.admin, w.w.ID); err != nil {
			return fmt.Errorf("sign %s in at the desk: %w", w.w.No, err)
		}
		r.tick(d)
	}
	return nil
}

// post posts the day's gigs (about 8; every employer posts on the first days) and reviews them: the
// last two days' are partly still waiting for review.
func (r *run) post(d int, today domain.Date) error {
	n := 7 + r.rng.IntN(3)
	for i := range n {
		e := r.emps[r.rng.IntN(len(r.emps))]
		if k := d*8 + i; k < len(r.emps) {
			e = r.emps[k]
		}
		skill := e.spec.skills[r.rng.IntN(len(e.spec.skills))]
		town := townIn(r.rng, e.spec.district)
		if r.rng.IntN(2) == 0 {
			town = domain.Town{District: e.station.District, Name: e.station.Town, Lat: e.station.Lat, Lng: e.station.Lng}
		}
		start := today.AddDays(1 + r.rng.IntN(3))
		if r.rng.IntN(4) == 0 {
			start = today.AddDays(4 + r.rng.IntN(10))
		}
		j, err := r.svc.PostJob(r.ctx, e.p, jobFor(r.rng, e.spec, e.contact, skill, town, start))
		if err != nil {
			return fmt.Errorf("post a gig of %s: %w", e.spec.name, err)
		}
		r.res.Jobs++
		r.tick(d)
		if d >= Days-1 && i%3 == 0 {
			continue // waiting for review
		}
		approved, err := r.svc.ReviewJob(r.ctx, r.admin, j.ID, app.Review{Decision: "approve"})
		if domain.IsCode(err, domain.CodeConflict) {
			// The slow payer's arrears hold its new gigs back until it pays (LINGONG_ARREARS_BLOCK_DAYS).
			r.res.Held++
			continue
		}
		if err != nil {
			return fmt.Errorf("approve %s: %w", j.Title, err)
		}
		j = approved
		r.jobs = append(r.jobs, &job{job: j, emp: e, posted: d})
		r.tick(d)
	}
	return nil
}

// hire: workers of the district apply to the gigs approved yesterday; the employer accepts some (most
// when the gig starts soon) and both sides sign, the worker's signature witnessed at the station desk.
// Today's acceptances are partly still unsigned.
func (r *run) hire(d int, today domain.Date) error {
	for _, g := range r.jobs {
		if g.posted != d-1 && !(d == Days && g.posted == d) {
			continue
		}
		var cands []*worker
		for _, w := range r.workers {
			if w.w.District == g.job.District && w.free(g.job.StartDate, g.job.EndDate) {
				cands = append(cands, w)
			}
		}
		r.rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		// Most gigs find a few of their people through the platform; the rest come by word of mouth.
		accept := min(g.job.Headcount, 1+r.rng.IntN(2))
		if g.job.StartDate > today.AddDays(3) {
			accept = r.rng.IntN(2)
		}
		apply := min(len(cands), accept+1+r.rng.IntN(2))
		for _, w := range cands[:apply] {
			a, err := r.svc.Apply(r.ctx, w.p, g.job.ID, w.w.ID)
			r.tick(d)
			if err != nil {
				r.res.Refused++
				continue
			}
			r.res.Applications++
			if accept == 0 {
				continue
			}
			ct, err := r.svc.Accept(r.ctx, g.emp.p, a.Application.ID)
			r.tick(d)
			if err != nil {
				r.res.Refused++
				continue
			}
			accept--
			w.busy = append(w.busy, [2]domain.Date{g.job.StartDate, g.job.EndDate})
			c := &contract{ct: ct, job: g, w: w}
			r.cts = append(r.cts, c)
			r.res.Contracts++
			if d == Days && r.rng.IntN(2) == 0 {
				continue // to be signed at the desk later today
			}
			if _, err := r.svc.Sign(r.ctx, r.admin, ct.ID, app.Signing{Role: domain.SignerWorker}); err != nil {
				return fmt.Errorf("witness the worker's signature of %s: %w", ct.Number, err)
			}
			if _, err := r.svc.Sign(r.ctx, g.emp.p, ct.ID, app.Signing{}); err != nil {
				return fmt.Errorf("employer signs %s: %w", ct.Number, err)
			}
			c.signed = true
			r.tick(d)
		}
	}
	return nil
}

func (w *worker) free(from, to domain.Date) bool {
	for _, b := range w.busy {
		if from <= b[1] && b[0] <= to {
			return false
		}
	}
	return true
}

// work records the day's work of every signed contract running today: 枸杞 by a weigh ticket at
// the station's scale, day and hour wages as a line each; one in twelve stays home.
func (r *run) work(d int, today domain.Date) error {
	for _, c := range r.cts {
		if !c.signed || today < c.ct.StartDate || today > c.ct.EndDate || r.rng.IntN(12) == 0 {
			continue
		}
		if c.ct.WageUnit == domain.PerPiece {
			for range 1 {
				wt, err := r.svc.Weigh(r.ctx, r.admin, app.WeighIn{Card: c.w.w.No, Weight: domain.Milli(int64(12+r.rng.IntN(30))*1000 + int64(r.rng.IntN(2))*500),
					Date: today, ContractID: c.ct.ID})
				if err != nil {
					return fmt.Errorf("weigh for %s: %w", c.ct.Number, err)
				}
				c.unpaid += wt.Entry.AmountFen
				r.tickets = append(r.tickets, wt.Entry)
				r.res.WeighTickets++
				r.tick(d)
			}
			continue
		}
		if d == Days {
			continue // a day's work is recorded when it is done
		}
		qty := int64(1000)
		if c.ct.WageUnit == domain.PerHour {
			qty = 4000
		}
		e, err := r.svc.AppendLedger(r.ctx, c.job.emp.p, c.ct.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: today, QuantityMilli: qty})
		if err != nil {
			return fmt.Errorf("record work on %s: %w", c.ct.Number, err)
		}
		c.unpaid += e.AmountFen
		r.res.WorkLines++
		r.tick(d)
	}
	return nil
}

// pay pays in the morning what is due: daily pay the day after, weekly pay on Mondays and at the end.
// The slow payer stops paying in the last two weeks; a fifth of the workers confirm what they received.
func (r *run) pay(d int, today domain.Date) error {
	monday := today.Start().In(domain.Shanghai).Weekday() == time.Monday
	for _, c := range r.cts {
		if c.unpaid <= 0 {
			continue
		}
		due := c.ct.Settlement == domain.SettleDaily || monday || today > c.ct.EndDate
		if !due || (c.job.emp.spec.name == slowPayer && d >= Days-14) {
			continue
		}
		method := []domain.PayMethod{domain.PayCash, domain.PayWeChat, domain.PayWeChat, domain.PayAlipay}[r.rng.IntN(4)]
		e, err := r.svc.AppendLedger(r.ctx, c.job.emp.p, c.ct.ID, domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: c.unpaid, Method: method})
		if err != nil {
			return fmt.Errorf("pay %s: %w", c.ct.Number, err)
		}
		c.unpaid = 0
		r.res.Payments++
		r.tick(d)
		if r.rng.IntN(5) == 0 {
			if err := r.answer(c.w, e.ID, app.LedgerAnswer{Response: "confirm"}); err != nil {
				return fmt.Errorf("confirm a payment of %s: %w", c.ct.Number, err)
			}
			r.res.Confirmed++
			r.tick(d)
		}
	}
	return nil
}

// dispute: three pickers dispute a weigh ticket (days 18, 24 and today); the station settles the first
// two after a second weighing, the last waits in the queue.
func (r *run) dispute(d int) error {
	if d != 18 && d != 24 && d != Days {
		return nil
	}
	// The latest ticket not disputed yet: on a month with few weighing days (it depends on the dates the
	// month covers) the latest ticket of day 24 can be the one disputed on day 18.
	i := len(r.tickets) - 1
	for i >= 0 && r.disputed[r.tickets[i].ID] {
		i--
	}
	if i < 0 {
		return nil
	}
	t := r.tickets[i]
	r.disputed[t.ID] = true
	var c *contract
	for _, x := range r.cts {
		if x.ct.ID == t.ContractID {
			c = x
		}
	}
	if err := r.answer(c.w, t.ID, app.LedgerAnswer{Response: "dispute", Reason: "少记了 3 斤，我的筐是满的"}); err != nil {
		return fmt.Errorf("dispute a ticket of %s: %w", c.ct.Number, err)
	}
	r.res.Disputes++
	r.tick(d)
	if d == Days {
		return nil
	}
	if _, err := r.svc.ResolveDispute(r.ctx, r.admin, t.ID, app.Resolution{Resolution: "当面复秤，确实少记 3 斤，补记",
		Correction: &app.Correction{QuantityMilli: 3000, Note: "复秤补记 3 斤"}}); err != nil {
		return fmt.Errorf("resolve the dispute of %s: %w", c.ct.Number, err)
	}
	c.unpaid += domain.EarnedFen(c.ct.WageFen, 3000)
	r.tick(d)
	return nil
}

// answer is the worker answering a ledger line on their phone: a confirmation code, then the answer.
func (r *run) answer(w *worker, entryID int64, a app.LedgerAnswer) error {
	if _, err := r.svc.SendConfirmCode(r.ctx, w.p); err != nil {
		return err
	}
	a.Code = r.codes.code(w.w.Phone)
	_, err := r.svc.AnswerLedgerEntry(r.ctx, w.p, entryID, a)
	return err
}

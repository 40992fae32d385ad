// Package app holds the use cases of 零工一码通 that every surface shares: the JSON API, the worker's
// phone pages, the station console and the background jobs all register workers, post and review gigs,
// apply, accept, sign, record pay and clear arrears through these functions, and nowhere else.
//
// Each use case takes (ctx, the caller as a domain.Principal, a command) and returns domain values or
// domain errors; it checks who may do it, applies the domain's rules, calls the store, and owns the
// after-effects of the write (the matching index, the push of an approved gig, the SMS to a worker), so
// that no caller can forget one. The package declares the store it needs (Store) and never imports gin,
// net/http or gorm.
package app

import (
	"context"
	"crypto/rand"
	"log/slog"
	"sync"
	"time"

	"lingong/domain"
)

// Options are the rules and secrets the use cases run under (from the service configuration).
type Options struct {
	// PublicURL is the base of links printed in QR codes and sent by SMS, e.g. https://lg.zw.gov.cn.
	PublicURL string
	// SecretKey is the service's master secret (LINGONG_SECRET_KEY); app derives its keys from it
	// (domain.DeriveKey). Empty gives a random key for this process only (tests): cards printed under it
	// stop working at the next start, so cmd always passes the configured one.
	SecretKey []byte
	// OTPLimits bound how often SMS codes are sent; the zero value means domain.DefaultOTPLimits.
	OTPLimits domain.OTPLimits
	// Wage is the local minimum wage per district (domain.WageStandard); a gig paying less waits for
	// review with both figures shown. The zero value checks nothing.
	Wage domain.WageStandard
	// Push are the rules of 精准推送; the zero value means domain.DefaultPushRules.
	Push domain.PushRules
	// SMSSignName is the approved SMS signature (签名) the outbox shows in front of each text; empty
	// means 中卫零工.
	SMSSignName string
	// SMSReplyWindow is how old a question an SMS reply may still answer; 0 means DefaultSMSReplyWindow.
	SMSReplyWindow time.Duration
	// SMSCallbackToken is the secret in the providers' callback URLs; empty turns callbacks off.
	SMSCallbackToken string
	// Invites bound an employer's invitations (offers); the zero value means domain.DefaultInviteLimit.
	Invites domain.InviteLimit
	// BackupDir is where the daily backup of the embedded database goes (LINGONG_BACKUP_DIR; empty =
	// none); BackupUnsupported says the database is PostgreSQL, backed up by its own tools. The console
	// shows both with the last outcomes.
	BackupDir         string
	BackupUnsupported bool
	// Attendance are the radius and offline window of check-ins (LINGONG_ATTENDANCE_*); the zero value
	// means domain.DefaultAttendanceRules.
	Attendance domain.AttendanceRules
	// Production (LINGONG_ENV=production) removes every way to read an SMS code but the recipient's
	// phone: no development inbox (DevInbox).
	Production bool
}

// Deps are the collaborators a Service works with.
type Deps struct {
	Store  Store
	Logger *slog.Logger
	Clock  domain.Clock
	// SMS delivers text messages; nil means the built-in outbox driver (NewOutboxSender over Store).
	SMS SMSSender
	// SMSCallbacks reads the providers' receipts and replies; nil turns the callbacks off.
	SMSCallbacks SMSCallbacks
	// Index is the matching engine's in-memory index of open gigs and active workers, built by the
	// caller from Store.OpenJobs and Store.ActiveWorkers; the use cases keep it current after every
	// write, and ApplyChange applies the changes of other processes. nil runs without a library,
	// recommendations or pushes.
	Index Index
	// WorkingDays says who works on a date (the insured roster); nil reads the contracts. Attendance
	// plugs in here.
	WorkingDays WorkingDays
	// Insurer receives the daily insured roster (SubmitRoster); nil sends nothing.
	Insurer Insurer
}

// Service is the use cases. Create it with New; it is safe for concurrent use.
type Service struct {
	opts  Options
	store Store
	log   *slog.Logger
	clock domain.Clock
	sms   SMSSender
	index Index

	callbacks SMSCallbacks
	// devInbox keeps what the phones received, codes in clear, outside production only; nil in production.
	devInbox *DevInbox
	keys     keys

	pusher    *pusher   // pushes of approved gigs, off the request path
	indexSync indexSync // orders the index's updates of each record
	expiry    expiry    // the once-a-day expiry sweep
	sweepMu   sync.Mutex
	stations  stationCache
	common    commonSkillsCache

	workingDays WorkingDays
	insurer     Insurer
}

// keys are the secrets derived from the master key, one per purpose.
type keys struct {
	card      []byte // signs worker-card tokens
	checkCode []byte // makes contracts' check codes (see domain.ContractCheckCode)
	site      []byte // signs the sites' daily codes (see domain.SiteCode)
}

// New builds the use cases.
func New(opts Options, deps Deps) *Service {
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if len(opts.SecretKey) == 0 {
		opts.SecretKey = make([]byte, 32)
		rand.Read(opts.SecretKey)
	}
	if opts.OTPLimits == (domain.OTPLimits{}) {
		opts.OTPLimits = domain.DefaultOTPLimits
	}
	if opts.Invites.PerDay <= 0 {
		opts.Invites = domain.DefaultInviteLimit
	}
	if opts.Push == (domain.PushRules{}) {
		opts.Push = domain.DefaultPushRules
	}
	if opts.SMSSignName == "" {
		opts.SMSSignName = "中卫零工"
	}
	if opts.SMSReplyWindow == 0 {
		opts.SMSReplyWindow = DefaultSMSReplyWindow
	}
	var dev *DevInbox
	if !opts.Production {
		dev = &DevInbox{}
	}
	if deps.SMS == nil {
		deps.SMS = NewOutboxSender(deps.Logger)
	}
	return &Service{opts: opts, store: deps.Store, log: deps.Logger, clock: deps.Clock, sms: deps.SMS, index: deps.Index, callbacks: deps.SMSCallbacks,
		keys: keys{card: domain.DeriveKey(opts.SecretKey, "worker-card"), checkCode: domain.DeriveKey(opts.SecretKey, domain.CheckCodeKeyPurpose),
			site: domain.DeriveKey(opts.SecretKey, domain.SiteCodeKeyPurpose)}, pusher: newPusher(), devInbox: dev, workingDays: deps.WorkingDays, insurer: deps.Insurer}
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.clock.Now() }

// HasIndex reports whether the service runs with the matching index (without it there is no library,
// no recommendations and no pushes).
func (s *Service) HasIndex() bool { return s.index != nil }

// Ping checks the database.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// After-effects and transactions.
//
// A use case's after-effects (the index, pushes, SMS) must run only once its writes have committed. Most
// use cases commit inside one store call, so they run the effects right after it. Under an
// Idempotency-Key the use case runs inside the key's transaction (Once); its effects are then collected
// and run after that transaction commits, and not at all when it rolls back or replays an earlier
// answer.

type effectsKey struct{}

// effects collects the after-effects of the writes made inside one transaction.
type effects struct {
	mu  sync.Mutex
	fns []func(context.Context)
}

// afterCommit runs fn once the caller's writes have committed: at once, or, inside Once, after its
// transaction commits. fn gets a context that is not cancelled with the request, so an SMS is not cut
// off by a client that hangs up.
func (s *Service) afterCommit(ctx context.Context, fn func(ctx context.Context)) {
	if e, ok := ctx.Value(effectsKey{}).(*effects); ok {
		e.mu.Lock()
		e.fns = append(e.fns, fn)
		e.mu.Unlock()
		return
	}
	fn(context.WithoutCancel(ctx))
}

// Once runs fn at most once for a (scope, key) pair (Stripe's Idempotency-Key; see store.Idempotent):
// the first request runs fn inside a transaction that also records its answer (status and body), a
// retry with the same key and request hash gets that answer back (replayed) and runs nothing, and the
// same key with another request is refused with domain.IdempotencyMismatch. The after-effects of the
// use cases fn calls run after the commit, and never for a replay.
func (s *Service) Once(ctx context.Context, scope, key, requestHash string,
	fn func(ctx context.Context) (status int, body []byte, err error)) (status int, body []byte, replayed bool, err error) {
	e := &effects{}
	status, body, replayed, err = s.store.Idempotent(context.WithValue(ctx, effectsKey{}, e), scope, key, requestHash, fn)
	if err != nil || replayed {
		return status, body, replayed, err
	}
	bg := context.WithoutCancel(ctx)
	for _, f := range e.fns {
		f(bg)
	}
	return status, body, false, nil
}

// Shutdown stops accepting pushes and waits for the running and queued ones to finish. When ctx ends
// first, they are cancelled and ctx's error is returned. serve calls it after the HTTP server has
// stopped and before the database closes.
func (s *Service) Shutdown(ctx context.Context) error { return s.pusher.shutdown(ctx) }

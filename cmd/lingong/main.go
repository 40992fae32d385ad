// Command lingong runs 零工一码通: the gig-work service of Zhongwei's 5 零工市场 and 20 零工驿站.
//
//	lingong [serve]           start the service (migrates and seeds an empty database first)
//	lingong migrate [up]      apply pending migrations and exit
//	lingong migrate status    list migrations and whether each is applied
//	lingong admin reset-password USERNAME   give a console account a new password (printed once)
//	lingong backup DIR        a consistent, checked copy of the embedded database while it runs
//	lingong restore SRC       check a copy (integrity, audit chain, contract hashes), then put it in place
//	lingong audit verify      check the audit chain, every contract and every ledger; exit 1 on any break
//	lingong version           print the version
//
// Configuration comes from the environment; see README.md. main only wires: run does the work, so the
// end-to-end test can call it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"lingong/api"
	"lingong/app"
	"lingong/domain"
	"lingong/matching"
	"lingong/migrations"
	"lingong/sms"
	"lingong/store"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise it comes from the build info.
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lingong:", err)
		os.Exit(1)
	}
}

// run executes one subcommand. It returns when the command is done or, for serve, when ctx is cancelled
// and the server has shut down.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version", "-v", "--version":
		fmt.Fprintln(stdout, "lingong", buildVersion())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve", "migrate", "admin", "backup", "restore", "audit":
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stdout)
	switch cmd {
	case "migrate":
		return migrate(ctx, cfg, log, args, stdout)
	case "admin":
		return admin(ctx, cfg, log, args, stdout)
	case "backup":
		return backupCmd(ctx, cfg, log, args, stdout)
	case "restore":
		return restoreCmd(ctx, cfg, log, args, stdout)
	case "audit":
		return audit(ctx, cfg, log, args, stdout)
	}
	return serve(ctx, cfg, log)
}

const usage = `usage: lingong [serve | migrate [up|status] | admin reset-password USERNAME | backup DIR | restore SRC | audit verify | version]
`

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(api.WithRequestIDs(h))
}

// openStore opens the database with the service's key, and returns the key for the other users of it.
func openStore(ctx context.Context, cfg Config, log *slog.Logger) (*store.Store, []byte, error) {
	key, err := cfg.secretKey()
	if err != nil {
		return nil, nil, fmt.Errorf("secret key: %w", err)
	}
	db, err := store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Key: key, Logger: log,
		Clock: cfg.Clock(), ArrearsBlockDays: cfg.ArrearsBlockDays})
	return db, key, err
}

func migrate(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	sub := "up"
	if len(args) > 0 {
		sub = args[0]
	}
	db, _, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "up":
		applied, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migration(s) on %s\n", len(applied), db.Dialect())
		for _, f := range applied {
			fmt.Fprintln(stdout, "  ", f)
		}
		return nil
	case "status":
		states, err := db.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		for _, m := range states {
			state := "pending"
			if m.Applied {
				state = "applied " + m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
			}
			fmt.Fprintf(stdout, "%-40s %s\n", m.File, state)
		}
		return nil
	}
	return fmt.Errorf("unknown migrate command %q (use up or status)", sub)
}

// serve runs the service until ctx is cancelled, then shuts down gracefully: the listener closes,
// in-flight requests get ShutdownTimeout to finish, then the database closes.
func serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	log.Info("starting lingong", "version", buildVersion(), "config", cfg)
	// Listen first: /healthz answers at once, /readyz (and every route) answers 503 until the database
	// is migrated and the index built; then the service takes over the same listener.
	ln, httpServer, gate, serveErr, err := listenEarly(cfg, log)
	if err != nil {
		return err
	}
	started := false
	defer func() {
		if !started { // a start that failed closes the listener it opened
			httpServer.Close()
		}
	}()
	db, key, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		log.Info("migrated", "dialect", db.Dialect(), "applied", applied)
	}
	seeded, err := db.Seed(ctx, store.SeedOptions{AdminPassword: cfg.AdminPassword})
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := loadDemo(ctx, cfg, key, db, log); err != nil {
			return err
		}
	}
	if seeded.GeneratedAdminPassword != "" {
		// Printed once, on the start that created the account; it is never stored in clear.
		log.Warn("created the admin account with a random password: log in as admin and change it",
			"username", "admin", "password", seeded.GeneratedAdminPassword)
	}
	if seeded.StationsCreated > 0 {
		log.Info("seeded", "stations", seeded.StationsCreated, "skills", seeded.SkillsCreated)
	}

	// The change feed replays from just before the index was loaded, so nothing committed by another
	// process between the load and the LISTEN is missed.
	loadedAt := time.Now()
	index, err := warmPoolAndBuildIndex(ctx, db, log)
	if err != nil {
		return err
	}
	service := app.New(app.Options{PublicURL: cfg.PublicURL, SecretKey: key, OTPLimits: cfg.OTPLimits(),
		Wage: cfg.Wage, Push: cfg.PushRules(), Invites: cfg.InviteLimit(),
		Attendance: cfg.AttendanceRules(), SMSSignName: cfg.SMS.SignName,
		SMSReplyWindow: cfg.SMS.ReplyWindow, SMSCallbackToken: cfg.SMS.CallbackToken,
		BackupDir: cfg.BackupDir, BackupUnsupported: db.Dialect() != migrations.SQLite, Production: cfg.Env == "production"},
		app.Deps{Store: db, Logger: log, Index: index, Clock: cfg.Clock(), SMS: cfg.SMS.Sender(log), SMSCallbacks: sms.Callbacks{},
			Insurer: cfg.Insurer.Insurer(db), WorkingDays: app.AttendanceDays{Store: db, Clock: cfg.Clock()}})
	server := api.New(api.Options{PublicURL: cfg.PublicURL, RequestTimeout: cfg.RequestTimeout,
		Production: cfg.Env == "production", SecretKey: key, TrustedProxies: cfg.TrustedProxies, MetricsToken: cfg.MetricsToken},
		api.Deps{App: service, Pool: db.PoolStats, Logger: log})

	// Housekeeping: gigs past their end date expire (and leave the library), old Idempotency-Keys go.
	// Both stop before the database closes.
	bgCtx, stopBackground := context.WithCancel(context.Background())
	var background sync.WaitGroup
	defer func() { stopBackground(); background.Wait() }()
	// Several processes on one PostgreSQL: each follows the others' gig and worker changes (DESIGN.md
	// section 6). SQLite has one process; WatchChangesSince then just waits.
	background.Go(func() {
		if err := db.WatchChangesSince(bgCtx, loadedAt, func(c store.Change) { followChange(bgCtx, service, c, log) }); err != nil {
			log.Error("change feed stopped: this process no longer follows the others' changes", "err", err)
		}
	})
	background.Go(func() {
		runEvery(bgCtx, cfg.ExpiryInterval, func(ctx context.Context) error { return service.ExpireJobs(ctx) }, log, "expire gigs")
	})
	// Arrears (欠薪预警): earned pay unpaid past its due date (plus the grace) raises one alert per
	// contract and due date, to the station and the employer; paid alerts clear.
	background.Go(func() {
		runEvery(bgCtx, cfg.ArrearsSweepInterval, func(ctx context.Context) error {
			raised, cleared, err := service.SweepArrears(ctx, cfg.ArrearsGraceDays)
			if raised > 0 || cleared > 0 {
				log.Info("arrears swept", "raised", raised, "cleared", cleared)
			}
			return err
		}, log, "sweep arrears")
	})
	startNoShowSweep(bgCtx, &background, service, log)         // no-shows (issue 21)
	startRosterSchedule(bgCtx, &background, service, cfg, log) // the insured roster (投保名单)
	// The daily backup (LINGONG_BACKUP_DIR): checked at start and every quarter hour, made when today's
	// (Beijing) copy is missing, so a PC that was off at night still gets its copy of the day.
	if cfg.BackupDir != "" {
		background.Go(func() {
			runEvery(bgCtx, backupCheckEvery, func(ctx context.Context) error {
				_, err := dailyBackup(ctx, db, key, cfg.BackupDir, time.Now(), log)
				return err
			}, log, "daily backup")
		})
	}
	// The evidence sweep: once per LINGONG_EVIDENCE_SWEEP_INTERVAL (a day), the whole verification of
	// `lingong audit verify`; its outcome and the audit chain's head show on the console (the alert).
	background.Go(func() {
		runEvery(bgCtx, min(time.Hour, cfg.EvidenceSweepInterval), func(ctx context.Context) error {
			return sweepEvidence(ctx, service, cfg.EvidenceSweepInterval, log)
		}, log, "verify evidence")
	})
	background.Go(func() {
		runEvery(bgCtx, time.Hour, func(ctx context.Context) error {
			n, err := db.DeleteIdempotencyKeys(ctx, time.Now().Add(-cfg.IdempotencyTTL))
			if n > 0 {
				log.Info("removed expired idempotency keys", "count", n)
			}
			return err
		}, log, "clean idempotency keys")
	})

	gate.ready(server.Handler())
	started = true
	log.Info("listening", "addr", ln.Addr().String(), "public_url", cfg.PublicURL)

	select {
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		log.Warn("in-flight requests did not finish in time", "err", err)
		httpServer.Close()
	}
	// Pushes of gigs approved just before the stop finish (or are cut off) before the database closes.
	if err := service.Shutdown(shutdownCtx); err != nil {
		log.Warn("pushes of approved gigs did not finish in time", "err", err)
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// warmPoolAndBuildIndex warms the connection pool while the index is built (the index loaders read on
// connections of their own, issue 24); both are done before it returns.
func warmPoolAndBuildIndex(ctx context.Context, db *store.Store, log *slog.Logger) (*matching.Index, error) {
	warmed := make(chan error, 1)
	go func() {
		warmStart := time.Now()
		err := db.WarmPool(ctx)
		if err == nil {
			log.Info("warmed the connection pool", "took", time.Since(warmStart).Round(time.Millisecond))
		}
		warmed <- err
	}()
	index, err := buildIndex(ctx, db, log)
	if warmErr := <-warmed; err == nil {
		err = warmErr
	}
	return index, err
}

// buildIndex loads the open gigs and active workers into the matching engine's in-memory index; from
// here on the api keeps it current. The workers are read while the gigs are read and then analysed:
// the database works on one while this process works on the other.
func buildIndex(ctx context.Context, db *store.Store, log *slog.Logger) (*matching.Index, error) {
	start := time.Now()
	// The build allocates the index and several times as much short-lived garbage while the heap only
	// grows: at the default GOGC the collector marked the growing index over and over, 15% of the
	// start's CPU (issue 24). On PostgreSQL it runs at a fifth of that frequency during the build,
	// bounded by a soft limit of 1 GiB (or a lower GOMEMLIMIT), then both settings are restored. Not on
	// SQLite: its driver leaves more garbage between the rows the index keeps, and collected that
	// rarely the heap in use after the start grew from 475 to 510 MB (on PostgreSQL it stayed the same).
	if db.Dialect() == migrations.Postgres {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(min(debug.SetMemoryLimit(-1), buildMemoryLimit)))
		defer debug.SetGCPercent(debug.SetGCPercent(buildGCPercent))
	}
	type read struct {
		workers []domain.Worker
		took    time.Duration
		err     error
	}
	workers := make(chan read, 1)
	go func() {
		ws, err := db.ActiveWorkers(ctx)
		workers <- read{ws, time.Since(start), err}
	}()
	jobs, err := db.OpenJobs(ctx)
	if err != nil {
		<-workers
		return nil, fmt.Errorf("load open gigs for the index: %w", err)
	}
	jobsRead := time.Since(start)
	var workersRead time.Duration
	ix, err := matching.BuildWhileReading(jobs, func() ([]domain.Worker, error) {
		r := <-workers
		workersRead = r.took
		return r.workers, r.err
	})
	if err != nil {
		return nil, fmt.Errorf("load workers for the index: %w", err)
	}
	jobCount, ws := ix.Len()
	log.Info("built the matching index", "gigs", jobCount, "workers", ws, "took", time.Since(start).Round(time.Millisecond),
		"read", fmt.Sprintf("gigs %v, workers %v", jobsRead.Round(time.Millisecond), workersRead.Round(time.Millisecond)))
	return ix, nil
}

// The collector's settings while the index is built (see buildIndex).
const (
	buildGCPercent   = 400
	buildMemoryLimit = 1 << 30
)

// followChange applies one change of the feed to the index, retrying a failed reload a few times: a
// change that still fails is logged, and the row is caught up at its next change.
func followChange(ctx context.Context, service *app.Service, c store.Change, log *slog.Logger) {
	wait := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := service.ApplyChange(callCtx, c.Table, c.ID)
		cancel()
		if err == nil || ctx.Err() != nil {
			return
		}
		if attempt == 3 {
			log.Error("change feed: could not apply a change", "table", c.Table, "id", c.ID, "err", err)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 4
	}
}

// runEvery calls fn at once and then every interval until ctx ends. A failure is logged and retried at
// the next tick: housekeeping must never stop the service.
func runEvery(ctx context.Context, interval time.Duration, fn func(context.Context) error, log *slog.Logger, what string) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		callCtx, cancel := context.WithTimeout(ctx, max(interval, 30*time.Second))
		if err := fn(callCtx); err != nil && ctx.Err() == nil {
			log.Warn("housekeeping failed", "task", what, "err", err)
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, modified := "", ""
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = "-dirty"
				}
			}
		}
		if rev != "" {
			return rev[:min(12, len(rev))] + modified
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
	}
	return "dev"
}

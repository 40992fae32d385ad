package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"lingong/app"
	"lingong/demo"
	"lingong/domain"
	"lingong/store"
)

// loadDemo lives the demo month (LINGONG_DEMO=1) into a market without gigs: its own store and service
// over the same database, on a clock the demo moves from a month ago to now, so every record carries
// the day it happened on and went through the use cases the product runs.
func loadDemo(ctx context.Context, cfg Config, key []byte, db *store.Store, log *slog.Logger) error {
	n, err := db.CountJobs(ctx)
	if err != nil || n > 0 {
		return err
	}
	staff, err := db.ListStaff(ctx, 0)
	if err != nil {
		return err
	}
	var admin domain.Principal
	for _, s := range staff {
		if s.Role == domain.RoleAdmin {
			admin = domain.Principal{Kind: domain.AsAdmin, ID: s.ID}
			break
		}
	}
	if admin.ID == 0 {
		return fmt.Errorf("demo: no admin account")
	}
	now := cfg.Clock().Now()
	clock := demo.NewClock(now.AddDate(0, 0, -demo.Days))
	demoDB, err := store.Open(ctx, store.Options{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, Key: key, Logger: log,
		Clock: clock.Now, ArrearsBlockDays: cfg.ArrearsBlockDays, MaxOpenConns: 4, Unsynced: true})
	if err != nil {
		return err
	}
	defer demoDB.Close()
	codes := demo.NewCodes(app.NewOutboxSender(log))
	svc := app.New(app.Options{PublicURL: cfg.PublicURL, SecretKey: key, OTPLimits: demo.OTPLimits, Wage: cfg.Wage},
		app.Deps{Store: demoDB, Logger: log, Clock: clock.Now, SMS: codes})
	start := time.Now()
	res, err := demo.Run(ctx, svc, clock, codes, admin, now)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	log.Info("loaded the demo month", "employers", res.Employers, "workers", res.Workers, "gigs", res.Jobs,
		"applications", res.Applications, "contracts", res.Contracts, "work_lines", res.WorkLines, "weigh_tickets", res.WeighTickets,
		"payments", res.Payments, "confirmed", res.Confirmed, "disputes", res.Disputes, "refused", res.Refused, "held", res.Held,
		"took_ms", time.Since(start).Milliseconds())
	return nil
}

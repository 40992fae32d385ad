package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/insurer"
	"lingong/store"
)

// InsurerConfig is where the daily insured roster (投保名单, issue 22) goes, and when.
type InsurerConfig struct {
	// Driver (LINGONG_INSURER): "dir" (default: sealed files in <data dir>/rosters), "dir:/path", an
	// https:// URL (the insurer's API), or "off".
	Driver, Dir, URL string
	// KeyID and Secret (LINGONG_INSURER_KEY, "keyid:secret"): the HTTP driver's key and HMAC secret.
	KeyID, Secret string
	// Cutoff (LINGONG_ROSTER_CUTOFF, "07:30" Beijing time): the next day's roster is sent before it.
	Cutoff time.Duration
}

func loadInsurerConfig(getenv func(string) string, dataDir string) (InsurerConfig, error) {
	c := InsurerConfig{Driver: "dir", Dir: filepath.Join(dataDir, "rosters"), Cutoff: 7*time.Hour + 30*time.Minute}
	switch v := strings.TrimSpace(getenv("LINGONG_INSURER")); {
	case v == "" || v == "dir":
	case v == "off":
		c.Driver = "off"
	case strings.HasPrefix(v, "dir:"):
		c.Dir = strings.TrimPrefix(v, "dir:")
	case strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://"):
		if _, err := url.ParseRequestURI(v); err != nil {
			return c, &configError{"LINGONG_INSURER", "not a URL: " + err.Error()}
		}
		c.Driver, c.URL = "http", v
		key := getenv("LINGONG_INSURER_KEY")
		var ok bool
		if c.KeyID, c.Secret, ok = strings.Cut(key, ":"); !ok || c.KeyID == "" || len(c.Secret) < 16 {
			return c, &configError{"LINGONG_INSURER_KEY", `the HTTP driver needs "keyid:secret" (secret ≥ 16 characters)`}
		}
	default:
		return c, &configError{"LINGONG_INSURER", `use "dir", "dir:/path", an https:// URL or "off"`}
	}
	if v := strings.TrimSpace(getenv("LINGONG_ROSTER_CUTOFF")); v != "" {
		t, err := time.Parse("15:04", v)
		if err != nil {
			return c, &configError{"LINGONG_ROSTER_CUTOFF", `a time of day like "07:30"`}
		}
		c.Cutoff = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	return c, nil
}

// Insurer returns the driver over the store (whose key seals the directory's files); nil when off.
func (c InsurerConfig) Insurer(db *store.Store) app.Insurer {
	switch c.Driver {
	case "off":
		return nil
	case "http":
		return insurer.HTTP{URL: c.URL, KeyID: c.KeyID, Secret: c.Secret}
	}
	return insurer.Directory{Dir: c.Dir, Seal: db.SealRosterFile}
}

// LogValue is the configuration as logged: the secret masked.
func (c InsurerConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("driver", c.Driver), slog.String("dir", c.Dir), slog.String("url", c.URL),
		slog.String("key", maskSecret(c.Secret, "(none)")), slog.String("cutoff", fmt.Sprintf("%02d:%02d", int(c.Cutoff.Hours()), int(c.Cutoff.Minutes())%60)))
}

// rosterDays is which dates a run of the roster schedule submits at now: today's late additions, and
// from the cut-off's hour before it (so the first batch is in by the cut-off) the next day's roster.
func (c InsurerConfig) rosterDays(now time.Time) []domain.Date {
	today := domain.DateOf(now)
	days := []domain.Date{today}
	if now.Sub(today.Start()) >= c.Cutoff-time.Hour {
		days = append(days, today.AddDays(1))
	}
	return days
}

// startRosterSchedule runs the roster schedule in the background: every 10 minutes, today's late
// additions, and from an hour before the cut-off the next day's roster; a failed delivery is resent
// under the same key at the next run.
func startRosterSchedule(ctx context.Context, wg *sync.WaitGroup, service *app.Service, cfg Config, log *slog.Logger) {
	wg.Go(func() {
		runEvery(ctx, 10*time.Minute, func(ctx context.Context) error {
			return warnUncovered(ctx, service, cfg.Clock().Now(), log)
		}, log, "warn of days without cover")
	})
	if cfg.Insurer.Driver == "off" {
		return
	}
	wg.Go(func() {
		runEvery(ctx, 10*time.Minute, func(ctx context.Context) error {
			return submitRosters(ctx, service, cfg.Insurer, cfg.Clock().Now(), log)
		}, log, "submit insured roster")
	})
}

// Cover warnings go out the evening before, from 17:00 to 21:00 Beijing time: after the day's work,
// before people sleep; a contract signed later that night is told on /me only.
const (
	coverWarnFrom  = 17 * time.Hour
	coverWarnUntil = 21 * time.Hour
)

// coverWarnDue reports whether now (any zone) lies in the evening window, Beijing time.
func coverWarnDue(now time.Time) bool {
	since := now.Sub(domain.DateOf(now).Start())
	return since >= coverWarnFrom && since < coverWarnUntil
}

// warnUncovered is one run of the day-before cover warning: inside the evening window, every worker
// working tomorrow without cover is texted once (app.WarnUncoveredTomorrow keeps it to once).
func warnUncovered(ctx context.Context, service *app.Service, now time.Time, log *slog.Logger) error {
	if !coverWarnDue(now) {
		return nil
	}
	n, err := service.WarnUncoveredTomorrow(ctx)
	if n > 0 {
		log.Info("workers warned of a day without cover", "sent", n)
	}
	return err
}

// submitRosters is one run of the roster schedule.
func submitRosters(ctx context.Context, service *app.Service, c InsurerConfig, now time.Time, log *slog.Logger) error {
	var first error
	for _, day := range c.rosterDays(now) {
		b, ok, err := service.SubmitRoster(ctx, day)
		if ok && err == nil {
			log.Info("insured roster submitted", "date", day, "batch", b.Batch, "lines", len(b.ContractIDs), "receipt", b.ReceiptRef)
		}
		if err != nil && first == nil {
			first = fmt.Errorf("roster of %s: %w", day, err)
		}
	}
	return first
}

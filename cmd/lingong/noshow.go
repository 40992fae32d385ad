package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"lingong/app"
)

// noShowSweepEvery is how often the no-show sweep runs: a minute, so a worker is marked absent within a
// minute of the day's start plus LINGONG_NOSHOW_GRACE.
const noShowSweepEvery = time.Minute

// startNoShowSweep runs the no-show sweep in the background (issue 21): a worker of an active contract
// without a check-in by the day's start plus LINGONG_NOSHOW_GRACE is marked absent, once per
// contract-day, for the employer to confirm or correct; and a day with a check-in and no check-out is
// closed at its end (缺签退), its work line written for the employer to confirm.
func startNoShowSweep(ctx context.Context, wg *sync.WaitGroup, service *app.Service, log *slog.Logger) {
	wg.Go(func() {
		runEvery(ctx, noShowSweepEvery, func(ctx context.Context) error {
			n, err := service.SweepNoShows(ctx)
			if n > 0 {
				log.Info("no-shows marked", "count", n)
			}
			if err != nil {
				return err
			}
			n, err = service.CloseMissedCheckOuts(ctx)
			if n > 0 {
				log.Info("missing check-outs closed at the day's end", "count", n)
			}
			return err
		}, log, "sweep no-shows")
	})
}

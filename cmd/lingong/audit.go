package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"lingong/app"
	"lingong/domain"
)

// audit runs `lingong audit verify`: the whole verification (the keyed audit chain, every contract
// against its signed terms and anchors, every ledger chain) on the configured database, with the
// service's secret key. It prints what it checked, the audit chain's head and every break, records the
// check (the console shows it), and fails (exit status 1) when anything broke.
func audit(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "verify" {
		return fmt.Errorf("usage: lingong audit verify")
	}
	db, key, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	service := app.New(app.Options{PublicURL: cfg.PublicURL, SecretKey: key}, app.Deps{Store: db, Logger: log, Clock: cfg.Clock()})
	rep, err := service.VerifyEvidence(ctx, "command")
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	fmt.Fprintf(stdout, "审计链头：第 %d 条事件 %s\n", rep.HeadID, rep.HeadHash)
	fmt.Fprintf(stdout, "核验了 %d 份合约、%d 条台账记录（%s）\n", rep.Contracts, rep.LedgerLines,
		rep.CheckedAt.In(domain.Shanghai).Format("2006-01-02 15:04:05"))
	if rep.Intact {
		fmt.Fprintln(stdout, "记录完整：审计链、合约和台账都没有被改动")
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, "✘", p)
	}
	return fmt.Errorf("audit verify: %d problem(s) found: the records were altered", len(rep.Problems))
}

// sweepEvidence runs the verification when the latest recorded one is older than every (the daily
// sweep); a restart does not run it again.
func sweepEvidence(ctx context.Context, service *app.Service, every time.Duration, log *slog.Logger) error {
	last, err := service.EvidenceChecks(ctx, domain.Principal{Kind: domain.AsAdmin}, 1)
	if err != nil {
		return err
	}
	if len(last) > 0 && service.Now().Sub(last[0].CheckedAt) < every {
		return nil
	}
	rep, err := service.VerifyEvidence(ctx, "sweep")
	if err == nil && rep.Intact {
		log.Info("evidence verified", "contracts", rep.Contracts, "ledger_lines", rep.LedgerLines, "head_id", rep.HeadID, "head_hash", rep.HeadHash)
	}
	return err
}

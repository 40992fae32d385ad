package app

import (
	"context"

	"lingong/domain"
)

// VerifyEvidence checks all the evidence (the keyed audit chain, every contract against its signed terms
// and anchors, every ledger chain), keeps the outcome with the audit chain's head, and returns it.
// source says who asked: "sweep" (the daily background check) or "command" (`lingong audit verify`).
// A broken result is the alert: the console shows the latest check on every page's start (今日工作)
// and on 数据核验, and the log records it at error level.
func (s *Service) VerifyEvidence(ctx context.Context, source string) (domain.EvidenceReport, error) {
	rep, err := s.store.VerifyEvidence(ctx)
	if err != nil {
		return rep, err
	}
	rep.Source = source
	if err := s.store.RecordEvidenceCheck(ctx, rep); err != nil {
		return rep, err
	}
	if !rep.Intact {
		s.log.Error("evidence verification found tampering", "problems", len(rep.Problems), "first", rep.Problems[0],
			"head_id", rep.HeadID, "head_hash", rep.HeadHash)
	}
	return rep, nil
}

// EvidenceChecks lists the latest verifications, newest first, for station staff and admins.
func (s *Service) EvidenceChecks(ctx context.Context, p domain.Principal, limit int) ([]domain.EvidenceReport, error) {
	if !p.IsStaff() {
		return nil, domain.Forbidden("只有工作人员可以查看数据核验")
	}
	return s.store.EvidenceChecks(ctx, limit)
}

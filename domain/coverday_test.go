package domain

import (
	"testing"
	"time"
)

// A lapse next week is told now, once: today and tomorrow insured, then the first uninsured day.
func TestContractCoverDaysWarnsOfALapseAhead(t *testing.T) {
	now := time.Now()
	c := Cover{Kind: CoverCity, Policy: Policy{Insurer: "中华联合财险", PolicyNumber: "ZW-LG-2026", CoverFen: 100, ValidFrom: "2026-12-01", ValidTo: "2026-12-11"}, CheckedAt: &now}
	ct := Contract{ID: 7, Status: ContractActive, StartDate: "2026-12-06", EndDate: "2026-12-20"}
	got := ContractCoverDays(ct, "枸杞采摘", c, "2026-12-07", 7)
	want := []string{"今天有意外保险（中华联合财险 · ZW-LG-2026）", "明天（12月8日）有意外保险（中华联合财险 · ZW-LG-2026）",
		"12月12日没有意外保险（保单 12月11日 已到期），请先和用工方或驿站确认"}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i].Text != want[i] {
			t.Errorf("line %d: %q, want %q", i, got[i].Text, want[i])
		}
	}
	// A contract that is not active, or a gig that starts later and is insured, says nothing.
	if got := ContractCoverDays(Contract{Status: ContractDraft, StartDate: "2026-12-07", EndDate: "2026-12-08"}, "", c, "2026-12-07", 7); got != nil {
		t.Errorf("draft contract: %+v", got)
	}
	if got := ContractCoverDays(Contract{Status: ContractActive, StartDate: "2026-12-09", EndDate: "2026-12-10"}, "", c, "2026-12-07", 7); got != nil {
		t.Errorf("later insured gig: %+v", got)
	}
}

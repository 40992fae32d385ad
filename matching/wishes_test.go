package matching

import (
	"strings"
	"testing"

	"lingong/domain"
)

// A worker who asks a piece rate ("一斤不低于2块") is compared rate with rate on the piece rates that
// count the same thing: 2.2 元/斤 comes before 1.6 元/斤, and the reason says how it stands to his wish.
func TestAPieceRateWishIsComparedWithPieceRates(t *testing.T) {
	good := job(1, "枸杞园摘果 按斤算", withSkills("枸杞采摘"), wage(220, domain.PerPiece), func(j *domain.Job) { j.PieceUnit = "斤" })
	poor := job(2, "枸杞园摘果 按斤算", withSkills("枸杞采摘"), wage(160, domain.PerPiece), func(j *domain.Job) { j.PieceUnit = "斤" })
	w := worker(1, "中宁县", "宁安镇", skilled("枸杞采摘"), says("摘枸杞按斤算，一斤不低于2块"), expects(200, domain.PerPiece))
	ix := Build([]domain.Job{good, poor}, []domain.Worker{w})
	got := ix.MatchJobsForWorker(w, testToday, 10).Items
	if len(got) != 2 || got[0].ID != 1 {
		t.Fatalf("matches %v, want the 2.2 元/斤 gig (1) first", ids(got))
	}
	if r := strings.Join(got[0].Reasons, "；"); !strings.Contains(r, "高于期望 2 元/斤") {
		t.Errorf("reasons %q, want the rate set beside the wish", r)
	}
	if r := strings.Join(got[1].Reasons, "；"); !strings.Contains(r, "低于期望 2 元/斤") {
		t.Errorf("reasons %q, want the rate set beside the wish", r)
	}
	// Both directions score a pair the same.
	for _, m := range got {
		c := ix.MatchWorkersForJob(map[int64]domain.Job{1: good, 2: poor}[m.ID], testToday, 10).Items
		if len(c) != 1 || c[0].Score != m.Score {
			t.Errorf("gig %d: candidates %+v, want the worker at score %.2f", m.ID, c, m.Score)
		}
	}
}

func TestPieceUnitIn(t *testing.T) {
	for text, want := range map[string]string{
		"摘枸杞按斤算，一斤不低于2块": "斤",
		"装车每吨不少于10元":     "吨",
		"2块/公斤就行":        "公斤",
		"按箱算，一箱3块":       "箱",
		"手快，价钱好说":        "件",
	} {
		if got := pieceUnitIn(text); got != want {
			t.Errorf("pieceUnitIn(%q) = %q, want %q", text, got, want)
		}
	}
}

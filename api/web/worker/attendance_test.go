package worker

import (
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// After a tap the page says success only when the worker's own tap recorded the step; when the recorder
// (or the station, the clock, the day's end) had recorded it, it says so with the time that stands.
func TestDoneMessageSaysWhoseRecordStands(t *testing.T) {
	at := time.Date(2026, 5, 10, 9, 10, 0, 0, time.UTC) // 17:10 in 中卫
	if got := doneMessage("签退", &domain.AttendanceEvent{Source: domain.ByWorker, At: at}); got != "签退成功" {
		t.Errorf("own tap: %q", got)
	}
	if got := doneMessage("签到", nil); got != "签到成功" {
		t.Errorf("no event: %q", got)
	}
	got := doneMessage("签退", &domain.AttendanceEvent{Source: domain.ByRecorder, At: at})
	for _, want := range []string{"签退已经由用工方的记录员记过（17:10）", "没有改动", "异议"} {
		if !strings.Contains(got, want) {
			t.Errorf("recorder's check-out: %q lacks %q", got, want)
		}
	}
}

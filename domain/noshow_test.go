package domain

import (
	"testing"
	"time"
)

// The day starts at the earliest shift, else 08:00 in 中卫; a worker is absent at start+grace exactly.
func TestNoShowDueAtTheDayStartPlusTheGrace(t *testing.T) {
	day := Date("2026-05-01")
	cases := []struct {
		name   string
		shifts []Shift
		at     string // 中卫 time of the limit with the default grace
	}{
		{"no shifts", nil, "09:00"},
		{"one shift", []Shift{{Start: "07:00", End: "17:00"}}, "08:00"},
		{"the earliest of two", []Shift{{Start: "13:00", End: "17:00"}, {Start: "06:30", End: "11:00"}}, "07:30"},
	}
	for _, c := range cases {
		limit, _ := time.ParseInLocation("2006-01-02 15:04", string(day)+" "+c.at, Shanghai)
		if NoShowDue(limit.Add(-time.Second), day, c.shifts, DefaultNoShowGrace) {
			t.Errorf("%s: absent a second before %s", c.name, c.at)
		}
		if !NoShowDue(limit, day, c.shifts, DefaultNoShowGrace) {
			t.Errorf("%s: not absent at %s", c.name, c.at)
		}
	}
}

// TestCancelLateAtTheNoticeLimit: a cancellation exactly the notice before the start is in time, a
// second later is late; a contract may be cancelled until a second before its start, not at it.
func TestCancelLateAtTheNoticeLimit(t *testing.T) {
	start := DayStart(Date("2026-05-11"), []Shift{{Start: "07:00", End: "17:00"}})
	for _, c := range []struct {
		before     time.Duration
		late, open bool
	}{
		{DefaultCancelNotice + time.Second, false, true},
		{DefaultCancelNotice, false, true},
		{DefaultCancelNotice - time.Second, true, true},
		{time.Second, true, true},
		{0, true, false},
	} {
		now := start.Add(-c.before)
		if got := CancelLate(now, start, DefaultCancelNotice); got != c.late {
			t.Errorf("%v before the start: late %v, want %v", c.before, got, c.late)
		}
		if got := CancelOpen(now, start); got != c.open {
			t.Errorf("%v before the start: open %v, want %v", c.before, got, c.open)
		}
	}
}

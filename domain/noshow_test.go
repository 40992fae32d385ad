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

// TestDayEnd: the end of the latest shift (one past midnight ends the next day), else the start plus the
// daily time; the day closes at the end plus the offline window, never before the next day begins.
func TestDayEnd(t *testing.T) {
	day := Date("2026-05-10")
	at := func(d Date, h, m int) time.Time {
		return d.Start().Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	for _, c := range []struct {
		shifts []Shift
		daily  int64
		want   time.Time
	}{
		{[]Shift{{Start: "07:00", End: "11:00"}, {Start: "14:00", End: "18:30"}}, 0, at(day, 18, 30)},
		{[]Shift{{Start: "20:00", End: "04:00"}}, 0, at(day.AddDays(1), 4, 0)},
		{nil, 0, at(day, 16, 0)},
		{nil, 600, at(day, 18, 0)},
	} {
		if got := DayEnd(day, c.shifts, c.daily); !got.Equal(c.want) {
			t.Errorf("DayEnd(%v, %d) = %v, want %v", c.shifts, c.daily, got, c.want)
		}
	}
	end := at(day, 17, 0)
	if DayEndDue(at(day.AddDays(1), 5, 0).Add(-time.Second), day, end, 12*time.Hour) || !DayEndDue(at(day.AddDays(1), 5, 0), day, end, 12*time.Hour) {
		t.Error("a 17:00 end with a 12 h window closes at 05:00 the next day exactly")
	}
	if DayEndDue(at(day, 23, 59), day, at(day, 9, 0), time.Hour) || !DayEndDue(at(day.AddDays(1), 0, 0), day, at(day, 9, 0), time.Hour) {
		t.Error("a day never closes before the next day begins")
	}
}

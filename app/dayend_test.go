package app

import (
	"testing"
	"time"

	"lingong/domain"
)

// A worker who checked in and never checked out (issue 21 item 4): the day closes once the offline window
// after the shift's end has passed (the terms name no shifts: 08:00 plus the 8 hours, 16:00; plus 12 h,
// 04:00 the next morning), not a second before, and once however often the sweep runs. The check-out is
// written at 16:00, flagged 缺签退, with the day's work line from the terms (07:00–16:00 reaches the
// 8 hours: one day, 200 元) for the employer to confirm or dispute, under the tamper evidence. A worker
// who checked out is left alone.
func TestMissingCheckOutClosesAtTheDayEnd(t *testing.T) {
	eachAttendanceEngine(t, func(t *testing.T, e *attEnv) {
		ctx := t.Context()
		emp := e.employer("ZN-M1")
		ct, w := e.signedContract(emp, "13812340051", "2026-05-12")
		done, w2 := e.signedContract(emp, "13812340052", "2026-05-12")
		e.set(shanghai("2026-05-10", "07:00"))
		for _, c := range []struct {
			ct domain.Contract
			p  domain.Principal
		}{{ct, w}, {done, w2}} {
			if _, _, err := e.svc.RecordAttendance(ctx, c.p, domain.AttendanceInput{ContractID: c.ct.ID, Kind: domain.CheckIn,
				Source: domain.ByWorker, SiteCode: e.code(c.ct.JobID)}); err != nil {
				t.Fatal(err)
			}
		}
		e.set(shanghai("2026-05-10", "17:00"))
		if _, _, err := e.svc.RecordAttendance(ctx, w2, domain.AttendanceInput{ContractID: done.ID, Kind: domain.CheckOut,
			Source: domain.ByWorker, SiteCode: e.code(done.JobID)}); err != nil {
			t.Fatal(err)
		}
		sweep := func() int {
			t.Helper()
			n, err := e.svc.CloseMissedCheckOuts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		e.set(shanghai("2026-05-11", "04:00").Add(-time.Second))
		if n := sweep(); n != 0 {
			t.Fatalf("at 03:59:59 the sweep closed %d days, want none", n)
		}
		e.set(shanghai("2026-05-11", "04:00"))
		if n := sweep(); n != 1 {
			t.Fatalf("at 04:00 the sweep closed %d days, want 1", n)
		}
		if n := sweep(); n != 0 {
			t.Errorf("a second sweep closed %d more", n)
		}
		day, err := e.store.AttendanceOfContract(ctx, ct.ID, "2026-05-10")
		if err != nil || day.Out == nil || day.Out.Source != domain.ByDayEnd || day.Out.Clock() != "16:00" || day.AmountFen != 20000 {
			t.Fatalf("the closed day = %+v (out %+v), %v; want a 16:00 check-out by day_end and 200 元", day, day.Out, err)
		}
		_, lines, _, err := e.svc.Ledger(ctx, emp, ct.ID)
		if err != nil || len(lines) != 1 || lines[0].AmountFen != 20000 || !containsText(lines[0].Note, "缺签退") {
			t.Fatalf("ledger of the closed day = %+v, %v", lines, err)
		}
		sheet, err := e.svc.JobAttendance(ctx, emp, ct.JobID, "2026-05-10")
		if err != nil || len(sheet) != 1 {
			t.Fatalf("roster: %+v %v", sheet, err)
		}
		if f := rosterFlags(day); !containsText(f, "缺签退") {
			t.Errorf("the roster's flags %q do not say 缺签退", f)
		}
		// The employer disputes it within the window, as any line from attendance.
		if err := e.svc.ReviewAttendanceLine(ctx, emp, lines[0].ID, "dispute", "他中午就走了"); err != nil {
			t.Errorf("the employer disputing the closed day: %v", err)
		}
		rep, err := e.store.VerifyEvidence(ctx)
		if err != nil || !rep.Intact {
			t.Fatalf("evidence after the day's end: %+v %v", rep.Problems, err)
		}
	})
}

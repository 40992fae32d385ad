package app

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lingong/domain"
	"lingong/matching"
	"lingong/store/storetest"
)

// site is where the attendance tests' gig is: 宁安镇, 中宁县.
var site = domain.Location{Lat: 37.49, Lng: 105.67}

// attEnv is one service on one engine with a clock the test moves.
type attEnv struct {
	*appEnv
	now   *atomic.Int64
	eng   storetest.Engine
	staff domain.Principal // staff of the gig's station (ZN-M1)
}

func (e *attEnv) set(t time.Time)     { e.now.Store(t.UnixNano()) }
func (e *attEnv) add(d time.Duration) { e.now.Add(int64(d)) }
func (e *attEnv) clock() time.Time    { return time.Unix(0, e.now.Load()).UTC() }
func (e *attEnv) today() domain.Date  { return domain.DateOf(e.clock()) }
func (e *attEnv) code(j int64) string { return e.svc.SiteCode(j, e.today()) }
func shanghai(d string, hm string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", d+" "+hm, domain.Shanghai)
	return t.UTC()
}

// eachAttendanceEngine runs fn on every engine with the clock at 2026-05-10 06:50 in 中卫 and an
// attendance radius of 500 m.
func eachAttendanceEngine(t *testing.T, fn func(t *testing.T, e *attEnv)) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			now := &atomic.Int64{}
			env := &attEnv{now: now, eng: eng}
			env.set(shanghai("2026-05-10", "06:50"))
			st := storetest.Open(t, eng, env.clock)
			svc := New(Options{PublicURL: "http://lg.test", SecretKey: storetest.TestKey, Wage: domain.DefaultWageStandard(),
				Attendance: domain.AttendanceRules{RadiusM: 500, OfflineWindow: 12 * time.Hour}},
				Deps{Store: st, Clock: env.clock, Index: matching.NewIndex()})
			env.appEnv = &appEnv{t: t, svc: svc, store: st, admin: domain.Principal{Kind: domain.AsAdmin, ID: 1}}
			stn, err := st.StationByCode(t.Context(), "ZN-M1")
			if err != nil {
				t.Fatal(err)
			}
			env.staff = domain.Principal{Kind: domain.AsStaff, ID: 2, StationID: stn.ID}
			fn(t, env)
		})
	}
}

// signedContract posts a day-wage gig at the site (today to end), hires a new worker through the
// station and has both sides sign as witnessed by the station: an active contract.
func (e *attEnv) signedContract(emp domain.Principal, phone, end string) (domain.Contract, domain.Principal) {
	return e.signedContractOn(emp, phone, end, domain.PerDay, 20000, 8)
}

// signedContractOn is signedContract with the wage terms given.
func (e *attEnv) signedContractOn(emp domain.Principal, phone, end string, unit domain.WageUnit, wage int64, hours float64) (domain.Contract, domain.Principal) {
	e.t.Helper()
	ctx := e.t.Context()
	ptr := func(s string) *string { return &s }
	headcount, lat, lng := 5, site.Lat, site.Lng
	j, err := e.svc.PostJob(ctx, emp, NewJob{JobFields: JobFields{Title: ptr("宁安镇枸杞园招修剪工"), Headcount: &headcount,
		WageFen: &wage, WageUnit: ptr(string(unit)), Settlement: ptr("daily"), District: ptr("中宁县"), Town: ptr("宁安镇"),
		Address: ptr("宁安镇枸杞园"), Lat: &lat, Lng: &lng, StartDate: ptr(string(e.today())), EndDate: ptr(end), DailyHours: &hours}})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err = e.svc.ReviewJob(ctx, e.admin, j.ID, Review{Decision: "approve"}); err != nil {
		e.t.Fatal(err)
	}
	reg, err := e.svc.RegisterWorker(ctx, e.admin, Registration{Phone: phone, StationCode: "ZN-M1", Profile: domain.WorkerProfile{
		Name: "马福海", District: "中宁县", Town: "宁安镇", Skills: []string{"枸杞采摘"}, ExpectedWageFen: 18000, ExpectedWageUnit: domain.PerDay, MaxCommuteKm: 20, AvailableFrom: e.today()}})
	if err != nil {
		e.t.Fatal(err)
	}
	ap, err := e.svc.Apply(ctx, e.admin, j.ID, reg.Worker.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	ct, err := e.svc.Accept(ctx, e.admin, ap.Application.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, role := range []domain.SignerRole{domain.SignerWorker, domain.SignerEmployer} {
		if _, err := e.svc.Sign(ctx, e.admin, ct.ID, Signing{Role: role, TermsHash: ct.TermsHash, HashShown: true}); err != nil {
			e.t.Fatal(err)
		}
	}
	return ct, domain.Principal{Kind: domain.AsWorker, ID: reg.Worker.ID}
}

func (e *attEnv) events(jobID int64, day domain.Date) int {
	e.t.Helper()
	days, err := e.svc.JobAttendance(e.t.Context(), e.admin, jobID, day)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, d := range days {
		if d.In != nil {
			n++
		}
		if d.Out != nil {
			n++
		}
	}
	return n
}

func TestAttendanceWorkerChecksInAndOutOncePerDay(t *testing.T) {
	eachAttendanceEngine(t, func(t *testing.T, e *attEnv) {
		ctx := t.Context()
		emp := e.employer("ZN-M1")
		ct, w := e.signedContract(emp, "13812340001", "2026-05-12")
		e.set(shanghai("2026-05-10", "07:02"))
		near := &domain.Location{Lat: site.Lat + 0.001, Lng: site.Lng} // about 111 m north
		in, created, err := e.svc.RecordAttendance(ctx, w, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckIn,
			Source: domain.ByWorker, SiteCode: e.code(ct.JobID), Location: near})
		if err != nil || !created {
			t.Fatalf("check in: created %v, %v", created, err)
		}
		if in.Clock() != "07:02" || in.Far || in.DistanceM == nil || *in.DistanceM < 100 || *in.DistanceM > 120 || in.Source != domain.ByWorker {
			t.Fatalf("check-in = %+v (distance %v), want 07:02 about 111 m, not far, by the worker", in, in.DistanceM)
		}
		// A second tap a minute later is the first check-in again.
		e.add(time.Minute)
		again, created, err := e.svc.RecordAttendance(ctx, w, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckIn,
			Source: domain.ByWorker, SiteCode: e.code(ct.JobID)})
		if err != nil || created || again.ID != in.ID || again.Clock() != "07:02" {
			t.Fatalf("second tap: %+v created %v %v, want the 07:02 event again", again, created, err)
		}
		e.set(shanghai("2026-05-10", "17:10"))
		far := &domain.Location{Lat: site.Lat + 0.02, Lng: site.Lng} // about 2.2 km
		out, created, err := e.svc.RecordAttendance(ctx, w, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckOut,
			Source: domain.ByWorker, SiteCode: e.code(ct.JobID), Location: far})
		if err != nil || !created || !out.Far || out.Clock() != "17:10" {
			t.Fatalf("check out: %+v created %v %v, want 17:10 flagged far", out, created, err)
		}
		days, err := e.svc.JobAttendance(ctx, emp, ct.JobID, "2026-05-10")
		if err != nil || len(days) != 1 || days[0].WorkerID != w.ID || days[0].Minutes() != 10*60+8 || days[0].AmountFen != 20000 {
			t.Fatalf("the day's attendance = %+v, %v; want one worker, 10 h 08 min, 200 元", days, err)
		}
		// The check-out wrote the day's work line: one day at 200 元, recorded by the system, in the ledger
		// whose balance the arrears rules read.
		_, lines, bal, err := e.svc.Ledger(ctx, emp, ct.ID)
		if err != nil || len(lines) != 1 || lines[0].Kind != domain.LedgerWork || lines[0].QuantityMilli != 1000 ||
			lines[0].AmountFen != 20000 || lines[0].RecordedBy != "system:0" || bal.EarnedFen != 20000 || !containsText(lines[0].Note, "签到 07:02，签退 17:10") {
			t.Fatalf("ledger after check-out = %+v, balance %+v, %v", lines, bal, err)
		}
		mine, err := e.svc.MyAttendance(ctx, w, "2026-05-10")
		if err != nil || len(mine) != 1 || mine[0].In.Clock() != "07:02" || mine[0].Out.Clock() != "17:10" {
			t.Fatalf("worker's own day = %+v, %v", mine, err)
		}
		rep, err := e.store.VerifyEvidence(ctx)
		if err != nil || !rep.Intact {
			t.Fatalf("evidence after attendance: %+v %v", rep.Problems, err)
		}
	})
}

func TestAttendanceRecordedByRecorderStaffAndOfflinePhone(t *testing.T) {
	eachAttendanceEngine(t, func(t *testing.T, e *attEnv) {
		ctx := t.Context()
		emp := e.employer("ZN-M1")
		ct, w := e.signedContract(emp, "13812340002", "2026-05-12")
		e.set(shanghai("2026-05-10", "07:30"))
		in, _, err := e.svc.RecordAttendance(ctx, emp, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckIn, Source: domain.ByRecorder})
		if err != nil || in.Source != domain.ByRecorder || in.RecordedBy != fmt.Sprintf("employer:%d", emp.ID) {
			t.Fatalf("recorder's check-in = %+v, %v", in, err)
		}
		e.set(shanghai("2026-05-10", "19:00"))
		device := shanghai("2026-05-10", "17:05") // the phone had no signal at 17:05 and sends it at 19:00
		out, _, err := e.svc.RecordAttendance(ctx, w, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckOut,
			Source: domain.ByWorker, SiteCode: e.code(ct.JobID), DeviceAt: &device})
		if err != nil || !out.Offline || out.Clock() != "17:05" || out.At.Equal(device) {
			t.Fatalf("offline check-out = %+v, %v; want the phone's 17:05, flagged, received later", out, err)
		}
		e.set(shanghai("2026-05-11", "07:40"))
		staffIn, _, err := e.svc.RecordAttendance(ctx, e.staff, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckIn, Source: domain.ByStaff})
		if err != nil || staffIn.Source != domain.ByStaff || staffIn.WorkDate != "2026-05-11" {
			t.Fatalf("staff check-in = %+v, %v", staffIn, err)
		}
	})
}

// Every refusal is a clear Chinese 4xx error and records nothing.
func TestAttendanceRefusalsChangeNothing(t *testing.T) {
	eachAttendanceEngine(t, func(t *testing.T, e *attEnv) {
		ctx := t.Context()
		emp := e.employer("ZN-M1")
		ct, w := e.signedContract(emp, "13812340003", "2026-05-12")
		other, otherWorker := e.signedContract(emp, "13812340004", "2026-05-12")
		otherEmp := e.employer("ZN-M1")
		farStaff := domain.Principal{Kind: domain.AsStaff, ID: 3, StationID: e.staff.StationID + 1}
		e.set(shanghai("2026-05-10", "07:00"))
		stale := e.svc.SiteCode(ct.JobID, "2026-05-09")
		ahead := e.svc.SiteCode(ct.JobID, "2026-05-11") // a poster printed for tomorrow
		code := e.code(ct.JobID)
		forged := []byte(code)
		forged[len(forged)-1] ^= 1
		old := shanghai("2026-05-09", "17:00")
		future := shanghai("2026-05-10", "09:00")
		in := func(p domain.Principal, src domain.AttendanceSource, c string) domain.AttendanceInput {
			return domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckIn, Source: src, SiteCode: c}
		}
		cases := []struct {
			name string
			p    domain.Principal
			in   domain.AttendanceInput
			code domain.Code
			msg  string
		}{
			{"another worker's contract", otherWorker, in(otherWorker, domain.ByWorker, code), domain.CodeNotFound, "合约"},
			{"another employer", otherEmp, in(otherEmp, domain.ByRecorder, ""), domain.CodeNotFound, "合约"},
			{"staff of another station", farStaff, in(farStaff, domain.ByStaff, ""), domain.CodeForbidden, "本站点"},
			{"a worker posing as the recorder", w, in(w, domain.ByRecorder, ""), domain.CodeForbidden, "无权"},
			{"no site code", w, in(w, domain.ByWorker, ""), domain.CodeInvalid, "签到码"},
			{"a forged site code", w, in(w, domain.ByWorker, string(forged)), domain.CodeInvalid, "签到码无效"},
			{"yesterday's site code", w, in(w, domain.ByWorker, stale), domain.CodeInvalid, "已经过期"},
			{"tomorrow's site code", w, in(w, domain.ByWorker, ahead), domain.CodeInvalid, "还没到日子"},
			{"another gig's site code", w, in(w, domain.ByWorker, e.code(other.JobID)), domain.CodeInvalid, "不是你这份工"},
			{"check-out without check-in", w, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckOut, Source: domain.ByWorker, SiteCode: code}, domain.CodeConflict, "还没有签到"},
			{"offline beyond the window", emp, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckIn, Source: domain.ByRecorder, DeviceAt: &old}, domain.CodeInvalid, "超时"},
			{"a phone clock in the future", emp, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckIn, Source: domain.ByRecorder, DeviceAt: &future}, domain.CodeInvalid, "晚于现在"},
			{"a location off the globe", emp, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckIn, Source: domain.ByRecorder, Location: &domain.Location{Lat: 99, Lng: 1}}, domain.CodeInvalid, "位置"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, _, err := e.svc.RecordAttendance(ctx, c.p, c.in)
				assertDomainError(t, err, c.code, c.msg)
			})
		}
		// After the contract's last day it is not active that day.
		e.set(shanghai("2026-05-13", "07:00"))
		_, _, err := e.svc.RecordAttendance(ctx, emp, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckIn, Source: domain.ByRecorder})
		assertDomainError(t, err, domain.CodeConflict, "不在合约期限")
		for _, day := range []domain.Date{"2026-05-10", "2026-05-13"} {
			if n := e.events(ct.JobID, day); n != 0 {
				t.Fatalf("%d events recorded on %s by refused requests", n, day)
			}
		}
	})
}

func assertDomainError(t *testing.T, err error, code domain.Code, contains string) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != code || !containsText(de.Message, contains) {
		t.Fatalf("error = %v, want %s mentioning %q", err, code, contains)
	}
}

func containsText(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (func() bool {
		for i := 0; i+len(sub) <= len(s); i++ {
			if s[i:i+len(sub)] == sub {
				return true
			}
		}
		return false
	})())
}

// A worker double-tapping 签到 on a weak network: many simultaneous requests, exactly one event.
func TestAttendanceSimultaneousCheckInsMakeOneEvent(t *testing.T) {
	eachAttendanceEngine(t, func(t *testing.T, e *attEnv) {
		emp := e.employer("ZN-M1")
		ct, w := e.signedContract(emp, "13812340005", "2026-05-12")
		e.set(shanghai("2026-05-10", "07:00"))
		const taps = 8
		var wg sync.WaitGroup
		ids := make([]int64, taps)
		made := atomic.Int32{}
		errs := make([]error, taps)
		for i := range taps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ev, created, err := e.svc.RecordAttendance(t.Context(), w, domain.AttendanceInput{ContractID: ct.ID,
					Kind: domain.CheckIn, Source: domain.ByWorker, SiteCode: e.code(ct.JobID)})
				ids[i], errs[i] = ev.ID, err
				if created {
					made.Add(1)
				}
			}()
		}
		wg.Wait()
		for i := range taps {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Fatalf("tap %d: id %d (first %d), %v", i, ids[i], ids[0], errs[i])
			}
		}
		if made.Load() != 1 || e.events(ct.JobID, "2026-05-10") != 1 {
			t.Fatalf("%d taps created %d events, stored %d; want exactly one", taps, made.Load(), e.events(ct.JobID, "2026-05-10"))
		}
	})
}

// An attendance row slipped into the database, or edited, is found by the evidence check; the
// database itself refuses updates.
func TestAttendanceTamperingIsFound(t *testing.T) {
	eachAttendanceEngine(t, func(t *testing.T, e *attEnv) {
		ctx := t.Context()
		emp := e.employer("ZN-M1")
		ct, w := e.signedContract(emp, "13812340006", "2026-05-12")
		e.set(shanghai("2026-05-10", "07:00"))
		if _, _, err := e.svc.RecordAttendance(ctx, w, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckIn,
			Source: domain.ByWorker, SiteCode: e.code(ct.JobID)}); err != nil {
			t.Fatal(err)
		}
		db := storetest.SQL(t, e.eng)
		if _, err := db.ExecContext(ctx, "UPDATE attendance_events SET work_date = '2026-05-11'"); err == nil {
			t.Fatal("the database let an attendance event be updated")
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO attendance_events (city_code, contract_id, job_id, worker_id, work_date, kind,
			at, offline, far, source, recorded_by_kind, recorded_by_id, prev_hash, line_hash, created_at)
			SELECT city_code, contract_id, job_id, worker_id, work_date, 'out', at, offline, far, source, recorded_by_kind,
			recorded_by_id, line_hash, 'forged', created_at FROM attendance_events`); err != nil {
			t.Fatal(err)
		}
		rep, err := e.store.VerifyEvidence(ctx)
		if err != nil || rep.Intact || !containsText(fmt.Sprint(rep.Problems), "考勤记录") {
			t.Fatalf("evidence after a forged check-out: intact %v, %v, %v", rep.Intact, rep.Problems, err)
		}
	})
}

// Property: every work line written from attendance equals the terms' formula, computed here
// independently in exact rationals: hourly, the wage × whole quarter hours worked; day rate, the wage
// when the day reaches the contract's daily hours, half of it when it reaches half, else no line.
func TestAttendanceAmountsEqualTheTermsFormula(t *testing.T) {
	eachAttendanceEngine(t, func(t *testing.T, e *attEnv) {
		ctx := t.Context()
		rng := rand.New(rand.NewPCG(21, 2026))
		emp := e.employer("ZN-M1")
		const days = 12
		for i, unit := range []domain.WageUnit{domain.PerHour, domain.PerDay} {
			e.set(shanghai("2026-05-10", "06:00"))
			wage := int64(2000 + rng.IntN(3000))
			if unit == domain.PerDay {
				wage = int64(15000 + rng.IntN(15000))
			}
			hours := float64(6 + rng.IntN(5))
			ct, w := e.signedContractOn(emp, fmt.Sprintf("1381234010%d", i), string(domain.Date("2026-05-10").AddDays(days)), unit, wage, hours)
			for d := range days {
				day := domain.Date("2026-05-10").AddDays(d)
				in := shanghai(string(day), "06:00").Add(time.Duration(rng.IntN(180)) * time.Minute)
				worked := time.Duration(rng.IntN(13*60)+1) * time.Minute
				e.set(in)
				if _, _, err := e.svc.RecordAttendance(ctx, emp, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckIn, Source: domain.ByRecorder}); err != nil {
					t.Fatal(err)
				}
				e.set(in.Add(worked))
				if _, _, err := e.svc.RecordAttendance(ctx, emp, domain.AttendanceInput{ContractID: ct.ID, Kind: domain.CheckOut, Source: domain.ByRecorder}); err != nil {
					t.Fatal(err)
				}
				mine, err := e.svc.MyAttendance(ctx, w, day)
				if err != nil || len(mine) != 1 {
					t.Fatalf("%s: %+v %v", day, mine, err)
				}
				minutes := int64(worked / time.Minute)
				want := new(big.Rat)
				switch {
				case unit == domain.PerHour:
					want.SetFrac64(wage*(minutes/15)*15, 60)
				case minutes >= int64(hours)*60:
					want.SetInt64(wage)
				case 2*minutes >= int64(hours)*60:
					want.SetFrac64(wage, 2)
				}
				if got := mine[0].AmountFen; got != domain.RoundFen(want) {
					t.Fatalf("%s %s: %d min at %d fen, %v h a day: amount %d, want %d", unit, day, minutes, wage, hours, got, domain.RoundFen(want))
				}
			}
		}
	})
}

// The employer's window on a day's work line from attendance: pending at first, answered once within
// 24 hours, standing after them (a clock test).
func TestAttendanceLineEmployerWindow(t *testing.T) {
	eachAttendanceEngine(t, func(t *testing.T, e *attEnv) {
		ctx := t.Context()
		emp := e.employer("ZN-M1")
		ct, _ := e.signedContract(emp, "13812340007", "2026-05-12")
		day := func(d domain.Date) domain.AttendanceDay {
			t.Helper()
			e.set(shanghai(string(d), "07:00"))
			for _, k := range []domain.AttendanceKind{domain.CheckIn, domain.CheckOut} {
				if _, _, err := e.svc.RecordAttendance(ctx, emp, domain.AttendanceInput{ContractID: ct.ID, Kind: k, Source: domain.ByRecorder}); err != nil {
					t.Fatal(err)
				}
				e.add(9 * time.Hour)
			}
			days, err := e.svc.JobAttendance(ctx, emp, ct.JobID, d)
			if err != nil || len(days) != 1 || days[0].Out == nil || days[0].Out.LedgerEntryID == 0 {
				t.Fatalf("%s: %+v %v", d, days, err)
			}
			return days[0]
		}
		first := day("2026-05-10")
		if first.Review != domain.ReviewPending {
			t.Fatalf("a fresh line is %q, want pending", first.Review)
		}
		assertDomainError(t, e.svc.ReviewAttendanceLine(ctx, emp, first.Out.LedgerEntryID, "dispute", ""), domain.CodeInvalid, "原因")
		if err := e.svc.ReviewAttendanceLine(ctx, emp, first.Out.LedgerEntryID, "dispute", "下午 3 点就走了"); err != nil {
			t.Fatal(err)
		}
		assertDomainError(t, e.svc.ReviewAttendanceLine(ctx, emp, first.Out.LedgerEntryID, "confirm", ""), domain.CodeConflict, "已经确认或提出过异议")
		other := e.employer("ZN-M1")
		second := day("2026-05-11")
		assertDomainError(t, e.svc.ReviewAttendanceLine(ctx, other, second.Out.LedgerEntryID, "confirm", ""), domain.CodeNotFound, "考勤")
		// 23 h 59 min after the line it may still be answered; at 24 h it stands.
		e.set(second.LineAt.Add(24 * time.Hour))
		assertDomainError(t, e.svc.ReviewAttendanceLine(ctx, emp, second.Out.LedgerEntryID, "confirm", ""), domain.CodeConflict, "已超过确认期限")
		days, err := e.svc.JobAttendance(ctx, emp, ct.JobID, "2026-05-11")
		if err != nil || days[0].Review != domain.ReviewStands {
			t.Fatalf("after 24 h the line is %+v, want it to stand", days)
		}
		e.set(second.LineAt.Add(24*time.Hour - time.Minute))
		if err := e.svc.ReviewAttendanceLine(ctx, emp, second.Out.LedgerEntryID, "confirm", ""); err != nil {
			t.Fatalf("a minute before the window closes: %v", err)
		}
		got := map[domain.Date]domain.EmployerReview{}
		for _, d := range []domain.Date{"2026-05-10", "2026-05-11"} {
			days, _ := e.svc.JobAttendance(ctx, emp, ct.JobID, d)
			got[d] = days[0].Review
		}
		if got["2026-05-10"] != domain.ReviewDisputed || got["2026-05-11"] != domain.ReviewConfirmed {
			t.Fatalf("reviews = %v", got)
		}
	})
}

// The recorder scans the worker's card: the employer's recorder for its own contracts, staff only for
// their station's.
func TestAttendanceRecordedByCard(t *testing.T) {
	eachAttendanceEngine(t, func(t *testing.T, e *attEnv) {
		ctx := t.Context()
		emp := e.employer("ZN-M1")
		ct, w := e.signedContract(emp, "13812340008", "2026-05-12")
		worker, err := e.svc.Worker(ctx, e.admin, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		card := e.svc.CardURL(worker)
		e.set(shanghai("2026-05-10", "07:10"))
		ev, created, err := e.svc.RecordByCard(ctx, emp, card, domain.CheckIn, 0)
		if err != nil || !created || ev.ContractID != ct.ID || ev.Source != domain.ByRecorder {
			t.Fatalf("recorder's scan: %+v %v %v", ev, created, err)
		}
		other := e.employer("ZN-M1")
		_, _, err = e.svc.RecordByCard(ctx, other, card, domain.CheckOut, 0)
		assertDomainError(t, err, domain.CodeNotFound, "没有可以记考勤")
		_, _, err = e.svc.RecordByCard(ctx, other, e.svc.CardURL(domain.Worker{ID: 99999999, No: "LG99999999"}), domain.CheckOut, 0)
		assertDomainError(t, err, domain.CodeNotFound, "没有可以记考勤")
		// An employer cannot type a number, not even its own worker's: only the card shows the worker is there.
		_, _, err = e.svc.RecordByCard(ctx, emp, worker.No, domain.CheckOut, 0)
		assertDomainError(t, err, domain.CodeInvalid, "二维码")
		farStaff := domain.Principal{Kind: domain.AsStaff, ID: 3, StationID: e.staff.StationID + 1}
		_, _, err = e.svc.RecordByCard(ctx, farStaff, worker.No, domain.CheckOut, 0)
		assertDomainError(t, err, domain.CodeNotFound, "本站点")
		e.set(shanghai("2026-05-10", "17:00"))
		out, created, err := e.svc.RecordByCard(ctx, e.staff, worker.No, domain.CheckOut, 0)
		if err != nil || !created || out.Source != domain.ByStaff {
			t.Fatalf("staff's check-out by number: %+v %v %v", out, created, err)
		}
		if n := e.events(ct.JobID, "2026-05-10"); n != 2 {
			t.Fatalf("%d events, want 2", n)
		}
	})
}

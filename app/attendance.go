package app

import (
	"context"
	"fmt"
	"strings"

	"lingong/contracts"
	"lingong/domain"
)

// Attendance at the site (issue 21): check-ins and check-outs by the worker (with the site's daily
// code), by the employer's recorder or own time clock, or by station staff. Each is one append-only
// event; the same check-in twice is the first one again. See docs/attendance.md.

// attendanceRules are the configured rules, defaults filled in.
func (s *Service) attendanceRules() domain.AttendanceRules {
	r := s.opts.Attendance
	if r.RadiusM <= 0 {
		r.RadiusM = domain.DefaultAttendanceRules.RadiusM
	}
	if r.OfflineWindow <= 0 {
		r.OfflineWindow = domain.DefaultAttendanceRules.OfflineWindow
	}
	if r.ConfirmWindow <= 0 {
		r.ConfirmWindow = domain.DefaultAttendanceRules.ConfirmWindow
	}
	if r.NoShowGrace <= 0 {
		r.NoShowGrace = domain.DefaultAttendanceRules.NoShowGrace
	}
	if r.CancelNotice <= 0 {
		r.CancelNotice = domain.DefaultAttendanceRules.CancelNotice
	}
	return r
}

// settle fills in where each day's work line stands with the employer (pending or stands).
func (s *Service) settle(days []domain.AttendanceDay) []domain.AttendanceDay {
	now, w := s.Now(), s.attendanceRules().ConfirmWindow
	for i := range days {
		days[i].Settle(now, w)
	}
	return days
}

// SiteCode is the code of job jobID's site on day: the content of the site poster's QR that day.
func (s *Service) SiteCode(jobID int64, day domain.Date) string {
	return domain.SiteCode(s.keys.site, jobID, day)
}

// sourceFor checks that the caller may record events of the source it asks for.
func sourceFor(p domain.Principal, src domain.AttendanceSource) error {
	ok := false
	switch p.Kind {
	case domain.AsWorker:
		ok = src == domain.ByWorker
	case domain.AsEmployer:
		ok = src == domain.ByRecorder || src == domain.ByEmployerClock
	case domain.AsStaff, domain.AsAdmin:
		ok = src == domain.ByStaff
	}
	if !ok {
		return domain.Forbidden("无权以这种方式记考勤")
	}
	return nil
}

// RecordAttendance records a check-in or check-out on a contract and returns the event and whether it
// is new (false: the same check-in or check-out was already recorded that day, and is returned as it
// was, so a double tap or a retry changes nothing). The worker needs the site's code of the day; the
// employer (recorder or own clock) and station staff record for the contract's worker. The time is the
// server's, or the phone's own when it was offline (within the configured window, flagged); a shared
// location is kept only as its distance from the site, flagged beyond the configured radius.
//
// Refusals change nothing: someone else's contract (not_found), staff of another station (forbidden), a
// forged or stale site code or a bad time (invalid), a contract not active that day or a check-out
// without a check-in (conflict).
func (s *Service) RecordAttendance(ctx context.Context, p domain.Principal, in domain.AttendanceInput) (domain.AttendanceEvent, bool, error) {
	if !in.Kind.Valid() {
		return domain.AttendanceEvent{}, false, domain.Invalid("kind", "请选择签到或签退")
	}
	if err := sourceFor(p, in.Source); err != nil {
		return domain.AttendanceEvent{}, false, err
	}
	ct, _, err := s.store.ContractByID(ctx, in.ContractID)
	if err != nil {
		return domain.AttendanceEvent{}, false, err
	}
	if err := domain.CanSeeContract(p, ct); err != nil {
		return domain.AttendanceEvent{}, false, err
	}
	rules := s.attendanceRules()
	at, offline, err := rules.EventTime(s.Now(), in.DeviceAt)
	if err != nil {
		return domain.AttendanceEvent{}, false, err
	}
	day := domain.DateOf(at)
	if in.Source == domain.ByWorker {
		if err := s.checkSiteCode(in.SiteCode, ct.JobID, day); err != nil {
			return domain.AttendanceEvent{}, false, err
		}
	}
	job, err := s.store.JobByID(ctx, ct.JobID)
	if err != nil {
		return domain.AttendanceEvent{}, false, err
	}
	dist, far, err := rules.Distance(domain.Location{Lat: job.Lat, Lng: job.Lng}, in.Location)
	if err != nil {
		return domain.AttendanceEvent{}, false, err
	}
	ev := domain.AttendanceEvent{ContractID: ct.ID, WorkDate: day, Kind: in.Kind, At: s.Now(), Offline: offline,
		DistanceM: dist, Far: far, Source: in.Source}
	if offline {
		ev.DeviceAt = &at
	}
	return s.store.RecordAttendance(ctx, ev, p, p.IP)
}

// checkSiteCode accepts only the code of this gig's site for this day.
func (s *Service) checkSiteCode(code string, jobID int64, day domain.Date) error {
	if code == "" {
		return domain.Invalid("site_code", "请扫描工地张贴的今日签到码")
	}
	codeJob, codeDay, err := domain.ParseSiteCode(s.keys.site, code)
	if err != nil {
		return err
	}
	if codeJob != jobID {
		return domain.Invalid("site_code", "这不是你这份工的签到码：请扫描你干活的工地张贴的签到码")
	}
	if codeDay != day {
		return wrongDaySiteCode(codeDay, day)
	}
	return nil
}

// JobAttendance returns who attended job jobID on day (one AttendanceDay per contract with an event),
// for the gig's employer and its station's staff.
func (s *Service) JobAttendance(ctx context.Context, p domain.Principal, jobID int64, day domain.Date) ([]domain.AttendanceDay, error) {
	if !day.Valid() {
		return nil, domain.Invalid("date", "日期格式不对，应为 年-月-日，例如 2026-05-01")
	}
	job, err := s.store.JobByID(ctx, jobID)
	if err != nil {
		return nil, err
	}
	if err := domain.CanManageJob(p, job); err != nil {
		return nil, err
	}
	days, err := s.store.AttendanceOfJob(ctx, jobID, day)
	return s.settle(days), err
}

// MyAttendance returns the calling worker's attendance on day, one AttendanceDay per contract.
func (s *Service) MyAttendance(ctx context.Context, p domain.Principal, day domain.Date) ([]domain.AttendanceDay, error) {
	if p.Kind != domain.AsWorker {
		return nil, domain.Forbidden("")
	}
	days, err := s.store.AttendanceOfWorker(ctx, p.ID, day)
	return s.settle(days), err
}

// ReviewAttendanceLine is the employer's answer to a day's work line written from attendance: decision
// "confirm", or "dispute" with a reason, within the confirm window (default 24 h) after the line was
// written; after it the line stands. The contract's employer or its station's staff; once per line.
func (s *Service) ReviewAttendanceLine(ctx context.Context, p domain.Principal, entryID int64, decision, reason string) error {
	reason, err := domain.CleanText("reason", reason, 200)
	if err != nil {
		return err
	}
	switch decision {
	case "confirm":
	case "dispute":
		if reason == "" {
			return domain.Invalid("reason", "请写明有异议的原因，例如“下午 3 点就走了”")
		}
	default:
		return domain.Invalid("decision", "请选择确认（confirm）或提出异议（dispute）")
	}
	if p.Kind != domain.AsEmployer && !p.IsStaff() {
		return domain.Forbidden("")
	}
	return s.store.ReviewAttendanceLine(ctx, entryID, decision, reason, s.attendanceRules().ConfirmWindow, p, p.IP)
}

// CheckInURL is what the site poster's QR carries on day: {PublicURL}/a/{site code}.
func (s *Service) CheckInURL(jobID int64, day domain.Date) string {
	return s.opts.PublicURL + "/a/" + s.SiteCode(jobID, day)
}

// SitePoster returns the site poster of job jobID for day ("" = today), for the gig's employer and its
// station's staff. The gig must have passed review and day must lie within its dates.
func (s *Service) SitePoster(ctx context.Context, p domain.Principal, jobID int64, day domain.Date) (contracts.SitePosterDoc, error) {
	if day == "" {
		day = domain.DateOf(s.Now())
	}
	if !day.Valid() {
		return contracts.SitePosterDoc{}, domain.Invalid("date", "日期格式不对，应为 年-月-日，例如 2026-05-01")
	}
	job, err := s.store.JobByID(ctx, jobID)
	if err != nil {
		return contracts.SitePosterDoc{}, err
	}
	if err := domain.CanManageJob(p, job); err != nil {
		return contracts.SitePosterDoc{}, err
	}
	if !job.PubliclyVisible() {
		return contracts.SitePosterDoc{}, domain.Conflict("岗位审核通过后才能打印签到码")
	}
	if day < job.StartDate || day > job.EndDate {
		return contracts.SitePosterDoc{}, domain.Invalidf("date", "%s 不在工期（%s 至 %s）内", day, job.StartDate, job.EndDate)
	}
	emp, err := s.store.EmployerByID(ctx, job.EmployerID)
	if err != nil {
		return contracts.SitePosterDoc{}, err
	}
	st, err := s.store.StationByID(ctx, job.StationID)
	if err != nil {
		return contracts.SitePosterDoc{}, err
	}
	return contracts.SitePosterDoc{JobTitle: job.Title, EmployerName: emp.Name, Address: job.Town + job.Address,
		Day: string(day), Period: string(job.StartDate) + " 至 " + string(job.EndDate), CheckInURL: s.CheckInURL(jobID, day),
		StationName: st.Name, Phone: st.Phone, Date: day.Start()}, nil
}

// SiteVisit is what the worker sees after scanning a site's code: the gig, their contract on it, and
// their attendance that day (which says whether the next step is 签到, 签退, or done).
type SiteVisit struct {
	Code     string
	Job      domain.Job
	Contract domain.Contract
	Day      domain.AttendanceDay
}

// Next is the step the page offers: CheckIn, CheckOut, or "" when both are recorded.
func (v SiteVisit) Next() domain.AttendanceKind {
	switch {
	case v.Day.In == nil:
		return domain.CheckIn
	case v.Day.Out == nil:
		return domain.CheckOut
	}
	return ""
}

// VisitSite reads a site code for the calling worker: the code must be this day's, and the worker must
// have an active contract on its gig covering the day. Errors are clear Chinese refusals.
func (s *Service) VisitSite(ctx context.Context, p domain.Principal, code string) (SiteVisit, error) {
	if p.Kind != domain.AsWorker {
		return SiteVisit{}, domain.Forbidden("请用零工账号登录后扫码签到")
	}
	jobID, day, err := domain.ParseSiteCode(s.keys.site, code)
	if err != nil {
		return SiteVisit{}, err
	}
	today := domain.DateOf(s.Now())
	if day != today {
		return SiteVisit{}, wrongDaySiteCode(day, today)
	}
	job, err := s.store.JobByID(ctx, jobID)
	if err != nil {
		return SiteVisit{}, err
	}
	cts, err := s.store.ContractsFor(ctx, "worker_id", p.ID, "")
	if err != nil {
		return SiteVisit{}, err
	}
	for _, ct := range cts {
		if ct.JobID == jobID && ct.Status == domain.ContractActive && ct.StartDate <= today && today <= ct.EndDate {
			att, err := s.store.AttendanceOfContract(ctx, ct.ID, today)
			if err != nil {
				return SiteVisit{}, err
			}
			return SiteVisit{Code: code, Job: job, Contract: ct, Day: att}, nil
		}
	}
	return SiteVisit{}, domain.Conflict("你今天在“" + job.Title + "”没有生效的合约，不能签到：请先和用工方签好合约，或找驿站帮忙")
}

// CheckInAtSite records the calling worker's check-in or check-out by the site code they scanned, on
// their contract for that gig and day (see VisitSite and RecordAttendance).
func (s *Service) CheckInAtSite(ctx context.Context, p domain.Principal, code string, kind domain.AttendanceKind, loc *domain.Location) (SiteVisit, error) {
	v, err := s.VisitSite(ctx, p, code)
	if err != nil {
		return SiteVisit{}, err
	}
	if _, _, err := s.RecordAttendance(ctx, p, domain.AttendanceInput{ContractID: v.Contract.ID, Kind: kind,
		Source: domain.ByWorker, SiteCode: code, Location: loc}); err != nil {
		return SiteVisit{}, err
	}
	return s.VisitSite(ctx, p, code)
}

// errNoAttendanceContract is the answer when the scanned worker has no contract the caller may record
// attendance on today.
var errNoAttendanceContract = &domain.Error{Code: domain.CodeNotFound, Field: "card",
	Message: "这位零工今天没有可以记考勤的有效合约（需双方已确认、今天在合约期限内，且属于贵单位或本站点）"}

// RecordByCard is the recorder's path (记录员, or station staff at the console): the worker's card is
// scanned (its URL or token) or the worker number typed, and the check-in or check-out is recorded on
// the worker's active contract today that the caller may record on: the employer's own, or at the staff
// member's station. contractID picks one when there are several (else a conflict naming them). The
// event records who recorded it (recorder or staff).
func (s *Service) RecordByCard(ctx context.Context, p domain.Principal, card string, kind domain.AttendanceKind, contractID int64) (domain.AttendanceEvent, bool, error) {
	src := domain.ByStaff
	switch {
	case p.Kind == domain.AsEmployer:
		src = domain.ByRecorder
	case !p.IsStaff():
		return domain.AttendanceEvent{}, false, domain.Forbidden("")
	}
	if card == "" {
		return domain.AttendanceEvent{}, false, domain.Invalid("card", "请扫零工卡或输入零工编号")
	}
	if _, typed := domain.NormalizeWorkerNo(card); typed && p.Kind == domain.AsEmployer {
		// The card's signed QR shows the worker is there; a number (printed on lists the employer holds)
		// would let an employer start or end anyone's day from afar. Staff, who see the person and the ID
		// card at the desk, may type it.
		return domain.AttendanceEvent{}, false, domain.Invalid("card", "用工方记考勤要扫零工卡上的二维码；没带卡的零工请到驿站代记")
	}
	w, err := s.workerByScan(ctx, card)
	if domain.IsCode(err, domain.CodeNotFound) && p.Kind == domain.AsEmployer {
		err = errNoAttendanceContract // an employer learns nothing about workers it has no contract with
	}
	if err != nil {
		return domain.AttendanceEvent{}, false, err
	}
	all, err := s.store.ContractsFor(ctx, "worker_id", w.ID, "")
	if err != nil {
		return domain.AttendanceEvent{}, false, err
	}
	today := domain.DateOf(s.Now())
	var open []domain.Contract
	for _, ct := range all {
		if ct.Status == domain.ContractActive && ct.StartDate <= today && today <= ct.EndDate && domain.RecordsOn(p, ct) &&
			(contractID == 0 || ct.ID == contractID) {
			open = append(open, ct)
		}
	}
	switch {
	case len(open) == 0 && p.IsStaff() && contractID == 0:
		return domain.AttendanceEvent{}, false, &domain.Error{Code: domain.CodeNotFound, Field: "card",
			Message: "这位零工今天没有本站点签发的有效合约，不能代记考勤"}
	case len(open) == 0:
		return domain.AttendanceEvent{}, false, errNoAttendanceContract
	case len(open) > 1:
		nums := ""
		for i, ct := range open {
			if i > 0 {
				nums += "、"
			}
			nums += ct.Number
		}
		return domain.AttendanceEvent{}, false, domain.Invalidf("contract_id", "这位零工今天有几份合约（%s），请选一份", nums)
	}
	return s.RecordAttendance(ctx, p, domain.AttendanceInput{ContractID: open[0].ID, Kind: kind, Source: src})
}

// RecordClockPunch records a punch of the employer's own time clock on a contract of job jobID (the
// employer's API): marked as the employer's record (employer_clock). The contract must be on that gig.
func (s *Service) RecordClockPunch(ctx context.Context, p domain.Principal, jobID int64, in domain.AttendanceInput) (domain.AttendanceEvent, bool, error) {
	if p.Kind != domain.AsEmployer {
		return domain.AttendanceEvent{}, false, domain.Forbidden("只有用工方的考勤机可以这样记考勤")
	}
	ct, _, err := s.store.ContractByID(ctx, in.ContractID)
	if err != nil {
		return domain.AttendanceEvent{}, false, err
	}
	if ct.JobID != jobID || ct.EmployerID != p.ID {
		return domain.AttendanceEvent{}, false, domain.NotFound("合约")
	}
	in.Source = domain.ByEmployerClock
	return s.RecordAttendance(ctx, p, in)
}

// AttendanceSheet is a gig's daily attendance sheet (考勤表) for the gig's employer and its station's staff.
func (s *Service) AttendanceSheet(ctx context.Context, p domain.Principal, jobID int64, day domain.Date) (contracts.AttendanceSheet, error) {
	days, err := s.JobAttendance(ctx, p, jobID, day)
	if err != nil {
		return contracts.AttendanceSheet{}, err
	}
	job, err := s.store.JobByID(ctx, jobID)
	if err != nil {
		return contracts.AttendanceSheet{}, err
	}
	emp, err := s.store.EmployerByID(ctx, job.EmployerID)
	if err != nil {
		return contracts.AttendanceSheet{}, err
	}
	st, err := s.store.StationByID(ctx, job.StationID)
	if err != nil {
		return contracts.AttendanceSheet{}, err
	}
	doc := contracts.AttendanceSheet{JobTitle: job.Title, EmployerName: emp.Name, StationName: st.Name, Day: string(day), PreparedAt: s.Now()}
	for _, d := range days {
		w, err := s.store.WorkerByID(ctx, d.WorkerID)
		if err != nil {
			return contracts.AttendanceSheet{}, err
		}
		ct, _, err := s.store.ContractByID(ctx, d.ContractID)
		if err != nil {
			return contracts.AttendanceSheet{}, err
		}
		row := contracts.AttendanceSheetRow{WorkerName: w.Name, WorkerNo: w.No, ContractNumber: ct.Number, Minutes: d.Minutes(),
			AmountFen: d.AmountFen, Review: d.Review.Label(), Flags: rosterFlags(d)}
		if d.In != nil {
			row.In = d.In.Clock()
		}
		if d.Out != nil {
			row.Out = d.Out.Clock()
		}
		doc.Rows = append(doc.Rows, row)
	}
	return doc, nil
}

// rosterFlags writes what the employer should look at: offline, far from the site, who recorded.
func rosterFlags(d domain.AttendanceDay) string {
	var out []string
	for _, ev := range []*domain.AttendanceEvent{d.In, d.Out} {
		if ev == nil {
			continue
		}
		what := ev.Kind.Label()
		if ev.Offline {
			out = append(out, what+"离线补交")
		}
		if ev.Far && ev.DistanceM != nil {
			out = append(out, fmt.Sprintf("%s离工地 %d 米", what, *ev.DistanceM))
		}
		switch ev.Source {
		case domain.ByWorker:
		case domain.ByDayEnd:
			out = append(out, ev.Source.Label())
		default:
			out = append(out, what+ev.Source.Label())
		}
	}
	if d.In != nil && d.Out == nil {
		out = append(out, "未签退")
	}
	return strings.Join(out, "；")
}

// AnswerClockRecord is the worker's answer to a check-in or check-out the employer's own time clock
// recorded on their contract: "confirm", or "dispute" with a reason; once.
func (s *Service) AnswerClockRecord(ctx context.Context, p domain.Principal, eventID int64, decision, reason string) error {
	if p.Kind != domain.AsWorker {
		return domain.Forbidden("")
	}
	reason, err := domain.CleanText("reason", reason, 200)
	if err != nil {
		return err
	}
	switch decision {
	case "confirm":
	case "dispute":
		if reason == "" {
			return domain.Invalid("reason", "请写明有异议的原因，例如“我 7 点就到了”")
		}
	default:
		return domain.Invalid("decision", "请选择确认（confirm）或提出异议（dispute）")
	}
	return s.store.AnswerClockRecord(ctx, eventID, p.ID, decision, reason, p.IP)
}

// wrongDaySiteCode is the answer to a site code of another day: an old poster has expired, a poster printed
// ahead is not valid yet.
func wrongDaySiteCode(codeDay, today domain.Date) error {
	if codeDay > today {
		return domain.Invalid("site_code", fmt.Sprintf("这是 %s 的签到码，还没到日子：请扫描工地今天的签到码", codeDay))
	}
	return domain.Invalid("site_code", fmt.Sprintf("这是 %s 的签到码，已经过期：请扫描工地今天的签到码", codeDay))
}

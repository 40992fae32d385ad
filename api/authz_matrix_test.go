package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
)

// The authorization matrix: every route of the router × every kind of caller gets the expected
// status. The routes are read from gin (s.engine.Routes()), so a route added without a row here fails
// TestAuthorizationMatrixCoversEveryRoute, and a row for a route that went away fails too.
//
// The callers are anonymous, a worker, an employer, staff of the station that owns the resources
// ("here", ZN-S03), staff of another station ("there", SPT-S01) and an admin. Every resource a path
// names belongs to station ZN-S03: the worker registered there, the employer's home station, the
// gigs, applications and contracts. Rows whose request changes something build a fresh resource for
// each caller (target), so the answer never depends on the order the callers run in.
//
// Reading a row: want is {anonymous, worker, employer, staff here, staff there, admin}. toLogin is a
// 303 to the console's login page (anonymous on a console page); 303 alone is any other redirect (a
// console form done, or a page sending its visitor elsewhere). A console form's handler may answer
// 303 after a refused business step (its message rides along); what the matrix proves is that the
// caller got through to it, or was turned away, at the right point.
//
// To add a route: add one row (or several, for the object-level cases of an {id}) to authzRows.

// caller is one column of the matrix.
type caller int

const (
	anonymous caller = iota
	asWorker
	asEmployer
	staffHere
	staffThere
	asAdmin
	callers
)

var callerNames = [callers]string{"anonymous", "worker", "employer", "staff here", "staff there", "admin"}

// toLogin is the expected "status" of a redirect to the console's login page.
const toLogin = 1303

// want is a row's expected statuses, one per caller.
type want [callers]int

// every is the same status for every caller (public routes).
func every(status int) want { return want{status, status, status, status, status, status} }

// authzRow is one route (or one object-level case of it) in the matrix.
type authzRow struct {
	method, route string // exactly as in the route table
	name          string // the case, when a route has several rows
	// target is the concrete path (with query) for one caller; it may create a fresh resource.
	target func(f *authzFixture, who caller) string
	// body, when not nil, is the request body for one caller: url.Values are posted as a form (with
	// the caller's csrf_token added), anything else as JSON.
	body func(f *authzFixture, who caller) any
	// freshLogin gives each caller a credential of its own for this row (logging out ends it).
	freshLogin bool
	want       want
}

func fixed(path string) func(*authzFixture, caller) string {
	return func(*authzFixture, caller) string { return path }
}

func pathf(format string, id func(f *authzFixture) int64) func(*authzFixture, caller) string {
	return func(f *authzFixture, _ caller) string { return fmt.Sprintf(format, id(f)) }
}

func jsonBody(v any) func(*authzFixture, caller) any {
	return func(*authzFixture, caller) any { return v }
}

func formBody(v func(f *authzFixture) url.Values) func(*authzFixture, caller) any {
	return func(f *authzFixture, _ caller) any { return v(f) }
}

// The resources rows point at.
var (
	theWorker       = func(f *authzFixture) int64 { return f.worker.Worker.ID }
	theEmployer     = func(f *authzFixture) int64 { return f.employerID }
	theJob          = func(f *authzFixture) int64 { return f.jobID }
	thePendingJob   = func(f *authzFixture) int64 { return f.pendingJobID }
	theContract     = func(f *authzFixture) int64 { return f.contractID }
	freshOpenJob    = func(f *authzFixture) int64 { return f.openJob() }
	freshPendingJob = func(f *authzFixture) int64 { return f.pendingJob() }
	freshApp        = func(f *authzFixture) int64 { return f.application() }
	freshContract   = func(f *authzFixture) int64 { return f.contract() }
	thePayment      = func(f *authzFixture) int64 { return f.paymentID }
	freshDispute    = func(f *authzFixture) int64 { return f.disputed() }
	freshAlert      = func(f *authzFixture) int64 { return f.alert() }
	freshOffer      = func(f *authzFixture) int64 { return f.offer(f.newWorker()) }
	ownOffer        = func(f *authzFixture) int64 { return f.offer(f.worker.Worker.ID) }
	ownOfferFree    = func(f *authzFixture) int64 { return f.offerOn(f.worker.Worker.ID, f.freeDay()) } // the worker is free that day
	freshReport     = func(f *authzFixture) int64 { return f.report() }
	freshConflict   = func(f *authzFixture) int64 { return f.conflict() }
	freshDeposit    = func(f *authzFixture) int64 { return f.deposit() }
	freshIncident   = func(f *authzFixture) int64 { return f.incident() }
)

// incident is a fresh incident on the picker's contract (station here, the employer caller's gig).
func (f *authzFixture) incident() int64 {
	f.t.Helper()
	ct, _, err := f.env.store.ContractByID(f.t.Context(), f.pieceContractID)
	if err != nil {
		f.t.Fatal(err)
	}
	inc, err := f.env.store.RecordIncident(f.t.Context(), ct, domain.IncidentInput{OccurredOn: "2026-05-10", OccurredTime: "09:00", Place: "枸杞地",
		What: "摘枸杞时扭伤脚踝", Injuries: "右脚踝扭伤"}, "2026-05-10", domain.Principal{Kind: domain.AsStaff, ID: 999999}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return inc.ID
}

func incidentBody(f *authzFixture) map[string]any {
	return map[string]any{"contract_id": f.pieceContractID, "occurred_on": "2026-05-10", "occurred_time": "09:30", "place": "枸杞地",
		"what": "摘枸杞时扭伤脚踝", "injuries": "右脚踝扭伤"}
}

// deposit is a fresh guarantee deposit of the employer's, recorded by a staff member none of the
// callers is (so each may confirm it).
func (f *authzFixture) deposit() int64 {
	f.t.Helper()
	e, err := f.env.store.RecordGuarantee(f.t.Context(), f.employerID, domain.GuaranteeInput{Kind: domain.GuaranteeDeposit, AmountFen: 10000,
		BankReference: f.unique("AUTHZ-DEP-"), ValueDate: "2026-05-10"}, domain.Principal{Kind: domain.AsStaff, ID: 999999}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return e.ID
}

// authzRows is the matrix. Keep it in route-table order.
func authzRows() []authzRow {
	apiStaff := want{401, 403, 403, 200, 403, 200}    // staff of the resource's station and admins
	apiAnyStaff := want{401, 403, 403, 200, 200, 200} // any console user (their own station's data)
	apiWorker := want{401, 200, 403, 403, 403, 403}
	apiEmployer := want{401, 403, 200, 403, 403, 403}
	page := want{toLogin, 403, 403, 200, 200, 200}     // a console page about the caller's own station
	pageHere := want{toLogin, 403, 403, 200, 403, 200} // a console page about a record of station "here"
	formHere := want{toLogin, 403, 403, 303, 403, 303} // a console form on a record of station "here"
	mePage := want{303, 200, 403, 403, 403, 403}       // the worker's own page
	meForm := want{303, 303, 403, 403, 403, 403}       // a form of the worker's own pages
	return []authzRow{
		// Operations.
		{method: "GET", route: "/healthz", target: fixed("/healthz"), want: every(200)},
		{method: "GET", route: "/readyz", target: fixed("/readyz"), want: every(200)},
		{method: "GET", route: "/metrics", target: fixed("/metrics"), want: every(200)},

		// Authentication.
		{method: "POST", route: "/api/v1/auth/login", target: fixed("/api/v1/auth/login"),
			body: func(f *authzFixture, _ caller) any {
				return map[string]string{"username": f.unique("nobody"), "password": "wrong-password-1"}
			}, want: every(401)},
		{method: "POST", route: "/api/v1/auth/logout", target: fixed("/api/v1/auth/logout"), freshLogin: true,
			want: want{401, 204, 400, 204, 204, 204}}, // an API key is revoked, not logged out

		// Stations.
		{method: "GET", route: "/api/v1/stations", target: fixed("/api/v1/stations"), want: every(200)},
		{method: "GET", route: "/api/v1/skills", target: fixed("/api/v1/skills"), want: every(200)},
		{method: "GET", route: "/api/v1/places", target: fixed("/api/v1/places"), want: every(200)},
		{method: "GET", route: "/api/v1/stations/:code/qrcode.png", target: fixed("/api/v1/stations/ZN-S03/qrcode.png"), want: every(200)},
		{method: "GET", route: "/api/v1/stations/:code/poster.pdf", target: fixed("/api/v1/stations/ZN-S03/poster.pdf"), want: every(200)},

		// Workers.
		{method: "POST", route: "/api/v1/auth/otp", target: fixed("/api/v1/auth/otp"),
			body: func(f *authzFixture, _ caller) any { return map[string]string{"phone": f.phone()} }, want: every(202)},
		{method: "POST", route: "/api/v1/auth/worker", target: fixed("/api/v1/auth/worker"),
			body: func(f *authzFixture, _ caller) any { return map[string]string{"phone": f.phone(), "code": "123456"} }, want: every(400)},
		// Without an SMS code only staff register (代登记, at their own station).
		{method: "POST", route: "/api/v1/workers", target: fixed("/api/v1/workers"),
			body: func(f *authzFixture, _ caller) any { return registration(f.phone(), "") }, want: want{400, 400, 400, 201, 201, 201}},
		{method: "GET", route: "/api/v1/workers/me", target: fixed("/api/v1/workers/me"), want: apiWorker},
		{method: "PATCH", route: "/api/v1/workers/me", target: fixed("/api/v1/workers/me"),
			body: jsonBody(map[string]string{"self_description": "会开三轮车，能搬重物"}), want: apiWorker},
		{method: "GET", route: "/api/v1/workers/me/card.pdf", target: fixed("/api/v1/workers/me/card.pdf"), want: apiWorker},
		{method: "POST", route: "/api/v1/workers/me/card/revoke", target: fixed("/api/v1/workers/me/card/revoke"), want: apiWorker},
		{method: "GET", route: "/api/v1/workers/lookup", target: func(f *authzFixture, _ caller) string {
			return "/api/v1/workers/lookup?q=" + f.worker.Worker.No
		}, want: apiStaff},
		{method: "GET", route: "/api/v1/workers/:id", target: pathf("/api/v1/workers/%d", theWorker), want: apiStaff},
		{method: "GET", route: "/api/v1/workers/:id/card.pdf", target: pathf("/api/v1/workers/%d/card.pdf", theWorker), want: apiStaff},
		{method: "POST", route: "/api/v1/workers/:id/card/revoke", target: pathf("/api/v1/workers/%d/card/revoke", theWorker), want: apiStaff},
		{method: "GET", route: "/api/v1/admin/sms-outbox", target: fixed("/api/v1/admin/sms-outbox"), want: want{401, 403, 403, 403, 403, 200}},
		// The providers' callbacks: whoever calls, only the URL's secret token lets a report in.
		{method: "POST", route: "/api/v1/sms/:provider/receipts", name: "wrong token", target: fixed("/api/v1/sms/aliyun/receipts?token=guess"),
			body: jsonBody([]any{}), want: every(401)},
		{method: "POST", route: "/api/v1/sms/:provider/receipts", name: "the token", target: fixed("/api/v1/sms/aliyun/receipts?token=" + testCallbackToken),
			body: jsonBody([]any{}), want: every(200)},
		{method: "POST", route: "/api/v1/sms/:provider/replies", name: "wrong token", target: fixed("/api/v1/sms/tencent/replies?token="),
			body: jsonBody([]any{}), want: every(401)},
		{method: "POST", route: "/api/v1/sms/:provider/replies", name: "the token", target: fixed("/api/v1/sms/tencent/replies?token=" + testCallbackToken),
			body: jsonBody([]any{}), want: every(200)},

		// Applications and contracts.
		{method: "POST", route: "/api/v1/jobs/:id/applications", target: pathf("/api/v1/jobs/%d/applications", freshOpenJob),
			body: func(f *authzFixture, who caller) any {
				if who == asWorker {
					return nil // a worker applies for themself
				}
				return map[string]int64{"worker_id": f.newWorker()}
			}, want: want{401, 201, 201, 201, 403, 201}},
		{method: "GET", route: "/api/v1/jobs/:id/applications", target: pathf("/api/v1/jobs/%d/applications", theJob), want: want{401, 403, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/workers/me/matches", target: fixed("/api/v1/workers/me/matches"), want: apiWorker},
		{method: "GET", route: "/api/v1/workers/me/notifications", target: fixed("/api/v1/workers/me/notifications"), want: apiWorker},
		{method: "GET", route: "/api/v1/jobs/:id/candidates", target: pathf("/api/v1/jobs/%d/candidates", theJob), want: want{401, 403, 200, 200, 403, 200}},

		// Protection (issue 22): cover rules, each gig's cover, the wage guarantee and 先行垫付.
		{method: "GET", route: "/api/v1/admin/protection", target: fixed("/api/v1/admin/protection"), want: apiAnyStaff},
		{method: "PUT", route: "/api/v1/admin/protection", target: fixed("/api/v1/admin/protection"), body: jsonBody(map[string]any{"cover_required": false}),
			want: want{401, 403, 403, 403, 403, 200}},
		{method: "GET", route: "/api/v1/jobs/:id/cover", target: pathf("/api/v1/jobs/%d/cover", theJob), want: want{401, 403, 200, 200, 403, 200}},
		{method: "PUT", route: "/api/v1/jobs/:id/cover", target: pathf("/api/v1/jobs/%d/cover", freshPendingJob), body: jsonBody(map[string]any{
			"kind": "own", "insurer": "中国人寿财险中卫支公司", "policy_number": "AUTHZ-0001", "cover_fen": 50_000_000,
			"valid_from": "2026-01-01", "valid_to": "2026-12-31", "scan_base64": base64.StdEncoding.EncodeToString(pngPolicy)}),
			want: want{401, 403, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/jobs/:id/cover/scan", target: pathf("/api/v1/jobs/%d/cover/scan", theJob), want: want{401, 403, 404, 404, 403, 404}},
		{method: "POST", route: "/api/v1/jobs/:id/cover/check", target: pathf("/api/v1/jobs/%d/cover/check", theJob), want: want{401, 403, 403, 409, 403, 409}},
		{method: "GET", route: "/api/v1/jobs/:id/guarantee", target: pathf("/api/v1/jobs/%d/guarantee", theJob), want: want{401, 403, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/employers/:id/guarantee", target: pathf("/api/v1/employers/%d/guarantee", theEmployer), want: want{401, 403, 200, 200, 403, 200}},
		{method: "POST", route: "/api/v1/employers/:id/guarantee", target: pathf("/api/v1/employers/%d/guarantee", theEmployer),
			body: func(f *authzFixture, who caller) any {
				return map[string]any{"kind": "deposit", "amount_fen": 10000, "bank_reference": f.unique("AUTHZ-REF-"), "value_date": "2026-05-10"}
			}, want: want{401, 403, 403, 201, 403, 201}},
		{method: "POST", route: "/api/v1/guarantee/:id/confirm", target: pathf("/api/v1/guarantee/%d/confirm", freshDeposit), want: want{401, 403, 403, 201, 403, 201}},
		{method: "GET", route: "/api/v1/admin/roster", target: fixed("/api/v1/admin/roster"), want: want{401, 403, 403, 403, 403, 200}},
		{method: "POST", route: "/api/v1/arrears/:id/advance", target: pathf("/api/v1/arrears/%d/advance", freshAlert), body: jsonBody(map[string]any{"amount_fen": 100}),
			want: want{401, 403, 403, 409, 403, 409}},
		{method: "POST", route: "/api/v1/incidents", target: fixed("/api/v1/incidents"), body: func(f *authzFixture, _ caller) any { return incidentBody(f) },
			want: want{401, 403, 403, 201, 404, 201}},
		{method: "GET", route: "/api/v1/incidents", target: fixed("/api/v1/incidents"), want: want{401, 403, 200, 200, 200, 200}},
		{method: "GET", route: "/api/v1/incidents/:id", target: pathf("/api/v1/incidents/%d", freshIncident), want: want{401, 403, 200, 200, 404, 200}},
		{method: "POST", route: "/api/v1/incidents/:id/status", target: pathf("/api/v1/incidents/%d/status", freshIncident),
			body: jsonBody(map[string]any{"status": "claimed"}), want: want{401, 403, 403, 200, 404, 200}},
		{method: "GET", route: "/api/v1/incidents/:id/pack.pdf", target: pathf("/api/v1/incidents/%d/pack.pdf", freshIncident), want: want{401, 403, 403, 200, 404, 200}},
		{method: "GET", route: "/api/v1/jobs/:id/attendance", target: pathf("/api/v1/jobs/%d/attendance", theJob), want: want{401, 403, 200, 200, 403, 200}},
		// The fixture's contract is not running today: the employer's clock is refused with a conflict.
		{method: "POST", route: "/api/v1/jobs/:id/attendance", target: pathf("/api/v1/jobs/%d/attendance", theJob),
			body: func(f *authzFixture, _ caller) any { return map[string]any{"contract_id": f.contractID, "kind": "in"} }, want: want{401, 403, 409, 403, 403, 403}},
		{method: "GET", route: "/api/v1/jobs/:id/attendance.pdf", target: pathf("/api/v1/jobs/%d/attendance.pdf", theJob), want: want{401, 403, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/jobs/:id/no-shows", target: pathf("/api/v1/jobs/%d/no-shows", theJob), want: want{401, 403, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/jobs/:id/site-poster.pdf", target: func(f *authzFixture, _ caller) string {
			j, err := f.env.store.JobByID(f.t.Context(), f.jobID)
			if err != nil {
				f.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/jobs/%d/site-poster.pdf?date=%s", f.jobID, j.StartDate)
		}, want: want{401, 403, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/workers/me/applications", target: fixed("/api/v1/workers/me/applications"), want: apiWorker},
		{method: "POST", route: "/api/v1/applications/:id/accept", target: pathf("/api/v1/applications/%d/accept", freshApp), want: want{401, 403, 201, 201, 403, 201}},
		{method: "POST", route: "/api/v1/applications/:id/decline", target: pathf("/api/v1/applications/%d/decline", freshApp), want: want{401, 403, 200, 200, 403, 200}},
		{method: "POST", route: "/api/v1/applications/:id/withdraw", target: pathf("/api/v1/applications/%d/withdraw", func(f *authzFixture) int64 { return f.ownApplication() }),
			want: want{401, 200, 403, 403, 403, 403}},
		{method: "POST", route: "/api/v1/applications/:id/withdraw", name: "someone else's", target: pathf("/api/v1/applications/%d/withdraw", freshApp),
			want: want{401, 404, 403, 403, 403, 403}},
		// An employer's invitation is an offer: nobody but the worker accepts it (issue 18).
		{method: "POST", route: "/api/v1/applications/:id/accept", name: "an unanswered invitation", target: pathf("/api/v1/applications/%d/accept", freshOffer),
			want: want{401, 403, 409, 409, 403, 409}},
		{method: "POST", route: "/api/v1/applications/:id/agree", target: pathf("/api/v1/applications/%d/agree", ownOfferFree),
			want: want{401, 201, 403, 403, 403, 403}},
		{method: "POST", route: "/api/v1/applications/:id/agree", name: "someone else's", target: pathf("/api/v1/applications/%d/agree", freshOffer),
			want: want{401, 404, 403, 403, 403, 403}},
		{method: "POST", route: "/api/v1/applications/:id/refuse", target: pathf("/api/v1/applications/%d/refuse", ownOffer),
			want: want{401, 200, 403, 403, 403, 403}},
		{method: "POST", route: "/api/v1/applications/:id/refuse", name: "someone else's", target: pathf("/api/v1/applications/%d/refuse", freshOffer),
			want: want{401, 404, 403, 403, 403, 403}},
		{method: "POST", route: "/api/v1/applications/:id/report", target: pathf("/api/v1/applications/%d/report", ownOffer),
			body: jsonBody(map[string]string{"reason": "陌生单位"}), want: want{401, 200, 403, 403, 403, 403}},
		{method: "POST", route: "/api/v1/applications/:id/report", name: "someone else's", target: pathf("/api/v1/applications/%d/report", freshOffer),
			want: want{401, 404, 403, 403, 403, 403}},
		{method: "POST", route: "/api/v1/workers/me/otp", target: fixed("/api/v1/workers/me/otp"), want: want{401, 202, 403, 403, 403, 403}},
		{method: "GET", route: "/api/v1/workers/me/contracts", target: fixed("/api/v1/workers/me/contracts"), want: apiWorker},
		{method: "GET", route: "/api/v1/employer/contracts", target: fixed("/api/v1/employer/contracts"), want: apiEmployer},
		{method: "GET", route: "/api/v1/contracts/:id", target: pathf("/api/v1/contracts/%d", theContract), want: want{401, 200, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/contracts/:id", name: "another worker's", target: pathf("/api/v1/contracts/%d", freshContract), want: want{401, 404, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/contracts/:id/pdf", target: pathf("/api/v1/contracts/%d/pdf", theContract), want: want{401, 200, 200, 200, 403, 200}},
		// The worker signs with an SMS code (none sent here: 400 after passing the checks), the employer
		// with its key, staff record a witnessed handwritten signature.
		{method: "POST", route: "/api/v1/contracts/:id/sign", target: func(f *authzFixture, who caller) string {
			if who == asWorker {
				return fmt.Sprintf("/api/v1/contracts/%d/sign", f.contractID)
			}
			return fmt.Sprintf("/api/v1/contracts/%d/sign", f.contract())
		}, body: func(_ *authzFixture, who caller) any {
			if who == staffHere || who == staffThere || who == asAdmin {
				return map[string]string{"role": "worker"}
			}
			return nil
		}, want: want{401, 400, 200, 200, 403, 200}},
		{method: "POST", route: "/api/v1/contracts/:id/amend", target: pathf("/api/v1/contracts/%d/amend", freshContract),
			body: jsonBody(map[string]any{"wage_fen": 20000, "reason": "天热，加工钱"}), want: want{401, 403, 201, 201, 403, 201}},
		{method: "GET", route: "/api/v1/stations/:code/contracts.pdf", target: fixed("/api/v1/stations/ZN-S03/contracts.pdf?date=2026-05-10"), want: apiStaff},
		{method: "GET", route: "/api/v1/verify/:number", target: func(f *authzFixture, _ caller) string {
			return "/api/v1/verify/" + f.contractNumber + "?code=" + testCheckCode(f.contractNumber)
		}, want: every(200)},
		{method: "GET", route: "/verify/:number", target: func(f *authzFixture, _ caller) string {
			return "/verify/" + f.contractNumber + "?code=" + testCheckCode(f.contractNumber)
		}, want: every(200)},
		// The worker's contract page: the worker (anyone else logged in is refused; a visitor is sent
		// to log in).
		{method: "GET", route: "/me/contracts/:id", target: pathf("/me/contracts/%d", theContract), want: mePage},
		{method: "GET", route: "/me/contracts/:id", name: "another worker's", target: pathf("/me/contracts/%d", freshContract), want: want{303, 404, 403, 403, 403, 403}},
		{method: "POST", route: "/me/contracts/:id/code", target: pathf("/me/contracts/%d/code", theContract), body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: meForm},
		{method: "POST", route: "/me/contracts/:id/sign", target: pathf("/me/contracts/%d/sign", theContract), body: formBody(func(*authzFixture) url.Values { return url.Values{} }),
			want: want{303, 400, 403, 403, 403, 403}}, // no code typed: the page again, with the error

		// Settlement: the ledger, weigh tickets, the worker's answers, disputes, arrears, payroll.
		{method: "POST", route: "/api/v1/contracts/:id/ledger", target: pathf("/api/v1/contracts/%d/ledger", theContract),
			body: func(*authzFixture, caller) any { return paymentBody() }, want: want{401, 403, 201, 201, 403, 201}},
		{method: "GET", route: "/api/v1/contracts/:id/ledger", target: pathf("/api/v1/contracts/%d/ledger", theContract), want: want{401, 200, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/contracts/:id/ledger.pdf", target: pathf("/api/v1/contracts/%d/ledger.pdf", theContract), want: want{401, 200, 200, 200, 403, 200}},
		// Another station's staff cannot find the picker at all (their card answers as unknown there).
		{method: "POST", route: "/api/v1/weigh-tickets", target: fixed("/api/v1/weigh-tickets"),
			body: func(f *authzFixture, _ caller) any { return map[string]any{"card": f.pickerNo, "weight_jin": 10} }, want: want{401, 403, 201, 201, 404, 201}},
		{method: "POST", route: "/api/v1/ledger/:id/confirm", target: pathf("/api/v1/ledger/%d/confirm", thePayment), // no SMS code sent
			body: jsonBody(map[string]string{}), want: want{401, 400, 403, 403, 403, 403}},
		{method: "POST", route: "/api/v1/ledger/:id/dispute", target: pathf("/api/v1/ledger/%d/dispute", thePayment),
			body: jsonBody(map[string]string{"reason": "少给了 5 元"}), want: want{401, 400, 403, 403, 403, 403}},
		// A forged card: employers and staff are told there is no contract to record on.
		{method: "POST", route: "/api/v1/attendance/scan", target: fixed("/api/v1/attendance/scan"),
			body: jsonBody(map[string]string{"card": "http://lg.test/c/bm9ib2R5LWZvcmdlZC1jYXJk", "kind": "in"}), want: want{401, 403, 404, 404, 404, 404}},
		{method: "POST", route: "/api/v1/attendance/:id/answer", target: fixed("/api/v1/attendance/999999/answer"),
			body: jsonBody(map[string]string{"decision": "confirm"}), want: want{401, 404, 403, 403, 403, 403}},
		// No absence was marked: employers and staff are told there is none.
		{method: "POST", route: "/api/v1/no-shows/:id/decision", target: fixed("/api/v1/no-shows/999999/decision"),
			body: jsonBody(map[string]string{"decision": "confirm"}), want: want{401, 403, 404, 404, 404, 404}},
		// The worker's own no-shows; contesting one that is not theirs (here: none) is not found.
		{method: "GET", route: "/api/v1/workers/me/no-shows", target: fixed("/api/v1/workers/me/no-shows"), want: apiWorker},
		{method: "POST", route: "/api/v1/workers/me/no-shows/:id/contest", target: fixed("/api/v1/workers/me/no-shows/999999/contest"),
			body: jsonBody(map[string]string{"reason": "那天下雨停工"}), want: want{401, 404, 403, 403, 403, 403}},
		// No contract, no absence: each caller allowed through is told there is none (nothing is cancelled).
		{method: "POST", route: "/api/v1/no-shows/:id/contest", target: fixed("/api/v1/no-shows/999999/contest"),
			body: jsonBody(map[string]string{"decision": "uphold", "reason": "有证明"}), want: want{401, 403, 403, 404, 404, 404}},
		{method: "POST", route: "/api/v1/contracts/:id/cancel", target: fixed("/api/v1/contracts/999999/cancel"),
			body: jsonBody(map[string]string{"reason": "雨天"}), want: want{401, 403, 404, 404, 404, 404}},
		{method: "POST", route: "/api/v1/contracts/:id/withdraw", target: fixed("/api/v1/contracts/999999/withdraw"),
			body: jsonBody(map[string]string{}), want: want{401, 404, 403, 403, 403, 403}},
		// Every party may end a contract early: each is told there is none (nothing is ended).
		{method: "POST", route: "/api/v1/contracts/:id/end-early", target: fixed("/api/v1/contracts/999999/end-early"),
			body: jsonBody(map[string]string{"last_day": "2026-05-12", "reason": "采完了"}), want: want{401, 404, 404, 404, 404, 404}},
		// A payment is no work line from attendance: nobody may review it as one.
		{method: "POST", route: "/api/v1/ledger/:id/employer-review", target: pathf("/api/v1/ledger/%d/employer-review", thePayment),
			body: jsonBody(map[string]string{"decision": "confirm"}), want: want{401, 403, 404, 404, 404, 404}},
		{method: "POST", route: "/api/v1/ledger/:id/resolve", target: pathf("/api/v1/ledger/%d/resolve", freshDispute),
			body: jsonBody(map[string]string{"resolution": "核对了收条，确实少给 5 元，已补"}), want: want{401, 403, 403, 200, 403, 200}},
		{method: "GET", route: "/api/v1/disputes", target: fixed("/api/v1/disputes"), want: apiAnyStaff},
		{method: "GET", route: "/api/v1/disputes", name: "another station's", target: fixed("/api/v1/disputes?station=ZN-S03"), want: apiStaff},
		{method: "GET", route: "/api/v1/arrears", target: fixed("/api/v1/arrears"), want: apiAnyStaff},
		{method: "GET", route: "/api/v1/arrears", name: "another station's", target: fixed("/api/v1/arrears?station=ZN-S03"), want: apiStaff},
		{method: "POST", route: "/api/v1/arrears/:id/clear", target: pathf("/api/v1/arrears/%d/clear", freshAlert), want: apiStaff},
		{method: "GET", route: "/api/v1/employer/arrears", target: fixed("/api/v1/employer/arrears"), want: apiEmployer},
		{method: "GET", route: "/api/v1/stations/:code/payroll", target: fixed("/api/v1/stations/ZN-S03/payroll?month=2026-05&format=csv"), want: apiStaff},
		{method: "POST", route: "/me/offers/:id/agree", target: pathf("/me/offers/%d/agree", ownOfferFree), body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: meForm},
		{method: "POST", route: "/me/offers/:id/refuse", target: pathf("/me/offers/%d/refuse", ownOffer), body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: meForm},
		{method: "POST", route: "/me/offers/:id/report", target: pathf("/me/offers/%d/report", ownOffer), body: formBody(func(*authzFixture) url.Values { return url.Values{"reason": {"骚扰"}} }), want: meForm},
		{method: "POST", route: "/me/offers/:id/agree", name: "someone else's", target: pathf("/me/offers/%d/agree", freshOffer), body: formBody(func(*authzFixture) url.Values { return url.Values{} }),
			want: want{303, 404, 403, 403, 403, 403}},
		{method: "POST", route: "/me/ledger/:id/confirm", target: pathf("/me/ledger/%d/confirm", thePayment), body: formBody(func(*authzFixture) url.Values { return url.Values{} }),
			want: want{303, 400, 403, 403, 403, 403}}, // no code typed: the page again, with the error
		{method: "POST", route: "/me/ledger/:id/dispute", target: pathf("/me/ledger/%d/dispute", thePayment), body: formBody(func(*authzFixture) url.Values { return url.Values{} }),
			want: want{303, 400, 403, 403, 403, 403}},

		// Monitoring.
		{method: "GET", route: "/api/v1/stats", target: fixed("/api/v1/stats"), want: apiAnyStaff},
		{method: "GET", route: "/api/v1/stats", name: "another station's", target: fixed("/api/v1/stats?station=ZN-S03"), want: want{401, 403, 403, 200, 403, 200}},

		// The console.
		{method: "GET", route: "/console/login", target: fixed("/console/login"), want: want{200, 200, 200, 303, 303, 303}},
		{method: "POST", route: "/console/login", target: fixed("/console/login"), // no login-form cookie: refused
			body: formBody(func(*authzFixture) url.Values { return url.Values{"username": {"admin"}, "password": {"x"}} }), want: every(403)},
		{method: "POST", route: "/console/logout", target: fixed("/console/logout"), freshLogin: true,
			body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: want{toLogin, 403, 403, toLogin, toLogin, toLogin}},
		{method: "GET", route: "/console/password", target: fixed("/console/password"), want: page},
		{method: "POST", route: "/console/password", target: fixed("/console/password"), // wrong current password
			body: formBody(func(*authzFixture) url.Values {
				return url.Values{"current_password": {"not-my-password"}, "new_password": {"new-password-123"}, "confirm_password": {"new-password-123"}}
			}), want: want{toLogin, 403, 403, 400, 400, 400}},
		{method: "GET", route: "/console/staff", target: fixed("/console/staff"), want: want{toLogin, 403, 403, 403, 403, 200}},
		{method: "POST", route: "/console/staff", target: fixed("/console/staff"), body: formBody(func(f *authzFixture) url.Values {
			return url.Values{"username": {f.unique("desk")}, "display_name": {"新同事"}, "password": {"staff-password-1"}, "role": {"staff"}, "station_code": {"ZN-S03"}}
		}), want: want{toLogin, 403, 403, 403, 403, 303}},
		// An admin's actions on an account (each cell acts on a fresh account of here, so no caller loses theirs).
		{method: "POST", route: "/console/staff/:id/disable", target: pathf("/console/staff/%d/disable", aVictimStaff),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"disabled": {"true"}} }), want: want{toLogin, 403, 403, 403, 403, 303}},
		{method: "POST", route: "/console/staff/:id/reset-password", target: pathf("/console/staff/%d/reset-password", aVictimStaff),
			body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: want{toLogin, 403, 403, 403, 403, 200}},
		{method: "POST", route: "/console/staff/:id/station", target: pathf("/console/staff/%d/station", aVictimStaff),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"station_code": {"SPT-S01"}} }), want: want{toLogin, 403, 403, 403, 403, 303}},
		{method: "GET", route: "/console/dev/sms", target: fixed("/console/dev/sms"), want: want{toLogin, 403, 403, 403, 403, 200}},
		{method: "GET", route: "/console/dashboard", target: fixed("/console/dashboard"), want: page},
		{method: "GET", route: "/console/dashboard", name: "another station's", target: fixed("/console/dashboard?station=ZN-S03"), want: pageHere},
		{method: "GET", route: "/console/dashboard.csv", target: fixed("/console/dashboard.csv?table=summary"), want: page},
		{method: "GET", route: "/console/evidence", target: fixed("/console/evidence"), want: page},
		{method: "GET", route: "/console/dashboard.csv", name: "another station's", target: fixed("/console/dashboard.csv?table=summary&station=ZN-S03"), want: want{toLogin, 403, 403, 200, 403, 200}},
		{method: "GET", route: "/console/ledger", target: fixed("/console/ledger"), want: page},
		{method: "GET", route: "/console/contracts/:id/ledger", target: pathf("/console/contracts/%d/ledger", theContract), want: pageHere},
		{method: "POST", route: "/console/contracts/:id/ledger", target: pathf("/console/contracts/%d/ledger", theContract),
			body: formBody(func(*authzFixture) url.Values {
				return url.Values{"kind": {"payment"}, "amount": {"10"}, "method": {"cash"}}
			}), want: formHere},
		{method: "GET", route: "/console/attendance", target: fixed("/console/attendance"), want: page},
		{method: "POST", route: "/console/attendance", target: fixed("/console/attendance"),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"card": {"LG99999999"}, "kind": {"in"}} }), want: want{toLogin, 403, 403, 303, 303, 303}},
		{method: "POST", route: "/console/no-shows/:id/contest", target: fixed("/console/no-shows/999999/contest"),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"decision": {"uphold"}, "reason": {"有证明"}} }), want: want{toLogin, 403, 403, 303, 303, 303}},
		{method: "POST", route: "/console/contracts/:id/cancel", target: fixed("/console/contracts/999999/cancel"),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"reason": {"雨天"}, "confirm": {"1"}} }), want: want{toLogin, 403, 403, 303, 303, 303}},
		{method: "POST", route: "/console/contracts/:id/end-early", target: fixed("/console/contracts/999999/end-early"),
			body: formBody(func(*authzFixture) url.Values {
				return url.Values{"last_day": {"2026-05-12"}, "reason": {"采完了"}, "confirm": {"1"}}
			}), want: want{toLogin, 403, 403, 303, 303, 303}},
		{method: "GET", route: "/console/weigh", target: fixed("/console/weigh"), want: page},
		{method: "POST", route: "/console/weigh", target: fixed("/console/weigh"),
			body: formBody(func(f *authzFixture) url.Values { return url.Values{"card": {f.pickerNo}, "weight": {"10"}} }), want: want{toLogin, 403, 403, 303, 404, 303}},
		{method: "GET", route: "/console/ledger/:id/slip", target: pathf("/console/ledger/%d/slip", func(f *authzFixture) int64 { return f.ticketID }), want: pageHere},
		{method: "GET", route: "/console/disputes", target: fixed("/console/disputes"), want: page},
		{method: "POST", route: "/console/disputes/:id/resolve", target: pathf("/console/disputes/%d/resolve", freshDispute),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"resolution": {"核对了收条，已补"}} }), want: formHere},
		{method: "GET", route: "/console/arrears", target: fixed("/console/arrears"), want: page},
		{method: "POST", route: "/console/arrears/:id/clear", target: pathf("/console/arrears/%d/clear", freshAlert),
			body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: formHere},
		{method: "GET", route: "/console/payroll", target: fixed("/console/payroll?month=2026-05"), want: page},
		{method: "GET", route: "/console/incidents", target: fixed("/console/incidents"), want: page},
		// Staff of another station: the contract number is not theirs, the form says so (400).
		{method: "POST", route: "/console/incidents", target: fixed("/console/incidents"), body: formBody(func(f *authzFixture) url.Values {
			return url.Values{"contract_number": {f.pieceNumber}, "occurred_on": {"2026-05-10"}, "occurred_time": {"09:30"}, "place": {"枸杞地"},
				"what": {"摘枸杞时扭伤脚踝"}, "injuries": {"右脚踝扭伤"}}
		}), want: want{toLogin, 403, 403, 303, 400, 303}},
		{method: "POST", route: "/console/incidents/:id/status", target: pathf("/console/incidents/%d/status", freshIncident),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"status": {"claimed"}} }), want: want{toLogin, 403, 403, 303, 404, 303}},
		{method: "GET", route: "/console/employers/:id/guarantee", target: pathf("/console/employers/%d/guarantee", theEmployer), want: pageHere},
		{method: "POST", route: "/console/employers/:id/guarantee", target: pathf("/console/employers/%d/guarantee", theEmployer),
			body: formBody(func(f *authzFixture) url.Values {
				return url.Values{"kind": {"deposit"}, "amount": {"100"}, "bank_reference": {f.unique("AUTHZ-FORM-")}, "value_date": {"2026-05-10"}}
			}), want: formHere},
		// A refusal (staff of another station included) comes back as the page's message.
		{method: "POST", route: "/console/guarantee/:id/confirm", target: pathf("/console/guarantee/%d/confirm", freshDeposit),
			body: formBody(func(f *authzFixture) url.Values { return url.Values{"employer_id": {fmt.Sprint(f.employerID)}} }), want: want{toLogin, 403, 403, 303, 303, 303}},
		// Too early for 先行垫付 (the alert is a day old): the page says so; another station is turned away.
		{method: "POST", route: "/console/arrears/:id/advance", target: pathf("/console/arrears/%d/advance", freshAlert),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"amount": {"1"}} }), want: formHere},
		{method: "GET", route: "/console/gigs/:id/cover", target: pathf("/console/gigs/%d/cover", theJob), want: pageHere},
		// No city policy is configured: the form comes back with the message (400) to those who may declare.
		{method: "POST", route: "/console/gigs/:id/cover", target: pathf("/console/gigs/%d/cover", freshPendingJob),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"kind": {"city"}} }), want: want{toLogin, 403, 403, 400, 403, 400}},
		{method: "GET", route: "/console", target: fixed("/console"), want: page},
		{method: "GET", route: "/console", name: "another station's", target: fixed("/console?station=ZN-S03"), want: pageHere},
		{method: "GET", route: "/console/desk", target: fixed("/console/desk"), want: page},
		{method: "GET", route: "/console/desk", name: "a worker of here", target: func(f *authzFixture, _ caller) string {
			return "/console/desk?q=" + f.worker.Worker.No
		}, want: want{toLogin, 403, 403, 303, 403, 303}},
		{method: "POST", route: "/console/desk/register", target: fixed("/console/desk/register"), body: formBody(func(f *authzFixture) url.Values {
			return deskValues(f.phone(), "马福海", func(v url.Values) { v.Set("station_code", "ZN-S03") })
		}), want: want{toLogin, 403, 403, 303, 303, 303}},
		{method: "GET", route: "/console/workers", target: fixed("/console/workers?q=9999&day=today"), want: page},
		{method: "GET", route: "/console/workers", name: "another station's", target: fixed("/console/workers?station=ZN-S03"), want: pageHere},
		{method: "GET", route: "/console/workers/:id", target: pathf("/console/workers/%d", theWorker), want: pageHere},
		{method: "POST", route: "/console/workers/:id/signin", target: pathf("/console/workers/%d/signin", func(f *authzFixture) int64 { return f.newWorker() }),
			body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: formHere},
		{method: "POST", route: "/console/workers/:id/apply", target: pathf("/console/workers/%d/apply", func(f *authzFixture) int64 { return f.newWorker() }),
			body: formBody(func(f *authzFixture) url.Values { return url.Values{"job_id": {fmt.Sprint(f.jobID)}} }), want: formHere},
		{method: "POST", route: "/console/workers/:id/id-number", target: pathf("/console/workers/%d/id-number", func(f *authzFixture) int64 { return f.newWorker() }),
			body: formBody(func(f *authzFixture) url.Values {
				return url.Values{"id_number": {withIDCheck(fmt.Sprintf("64052219810101%03d", f.seq.Add(1)%1000))}}
			}), want: formHere},
		{method: "GET", route: "/console/employers", target: fixed("/console/employers"), want: page},
		{method: "POST", route: "/console/employers", target: fixed("/console/employers"), body: formBody(func(f *authzFixture) url.Values {
			return url.Values{"kind": {"individual"}, "name": {"马建军枸杞园"}, "contact_name": {"马建军"}, "contact_phone": {"13912345678"}, "station_code": {"ZN-S03"}}
		}), want: want{toLogin, 403, 403, 201, 201, 201}},
		{method: "GET", route: "/console/gigs", target: fixed("/console/gigs"), want: page},
		{method: "GET", route: "/console/gigs/new", target: fixed("/console/gigs/new"), want: page},
		{method: "POST", route: "/console/gigs", target: fixed("/console/gigs"), body: formBody(func(f *authzFixture) url.Values {
			return jobValues(f.employerID, func(v url.Values) { v.Set("place", "中宁县/新堡镇") })
		}), want: want{toLogin, 403, 403, 303, 403, 303}},
		{method: "GET", route: "/console/gigs/:id", target: pathf("/console/gigs/%d", theJob), want: pageHere},
		{method: "GET", route: "/console/gigs/:id/edit", target: pathf("/console/gigs/%d/edit", theJob), want: pageHere},
		{method: "POST", route: "/console/gigs/:id/edit", target: pathf("/console/gigs/%d/edit", freshOpenJob),
			body: formBody(func(f *authzFixture) url.Values { return jobValues(f.employerID) }), want: formHere},
		{method: "POST", route: "/console/gigs/:id/review", target: pathf("/console/gigs/%d/review", freshPendingJob),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"decision": {"approve"}} }), want: formHere},
		{method: "POST", route: "/console/gigs/:id/invite", target: pathf("/console/gigs/%d/invite", theJob),
			body: formBody(func(f *authzFixture) url.Values { return url.Values{"worker_id": {fmt.Sprint(f.newWorker())}} }), want: formHere},
		{method: "POST", route: "/console/applications/:id/accept", target: pathf("/console/applications/%d/accept", freshApp),
			body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: formHere},
		{method: "POST", route: "/console/applications/:id/decline", target: pathf("/console/applications/%d/decline", freshApp),
			body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: formHere},
		{method: "GET", route: "/console/contracts/:id", target: pathf("/console/contracts/%d", theContract), want: pageHere},
		{method: "POST", route: "/console/contracts/:id/witness", target: pathf("/console/contracts/%d/witness", freshContract),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"role": {"worker"}} }), want: formHere},
		// Staff of the worker's station record a worker's answer to an offer, as witness.
		{method: "POST", route: "/console/offers/:id/agree", target: pathf("/console/offers/%d/agree", freshOffer),
			body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: want{toLogin, 403, 403, 303, 404, 303}},
		{method: "POST", route: "/console/offers/:id/refuse", target: pathf("/console/offers/%d/refuse", freshOffer),
			body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: want{toLogin, 403, 403, 303, 404, 303}},
		{method: "GET", route: "/console/reports", target: fixed("/console/reports"), want: page},
		{method: "GET", route: "/console/reports", name: "another station's", target: fixed("/console/reports?station=ZN-S03"), want: pageHere},
		{method: "POST", route: "/console/reports/:id/handle", target: pathf("/console/reports/%d/handle", freshReport),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"note": {"已电话联系用工方"}} }), want: formHere},
		{method: "POST", route: "/console/id-conflicts/:id/resolve", target: pathf("/console/id-conflicts/%d/resolve", freshConflict),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"resolution": {"holder"}} }), want: formHere},

		// Employers and their keys.
		{method: "POST", route: "/api/v1/employers", target: fixed("/api/v1/employers"), body: jsonBody(map[string]any{
			"kind": "individual", "name": "马建军枸杞园", "contact_name": "马建军", "contact_phone": "13912345678", "station_code": "ZN-S03"}),
			want: want{401, 403, 403, 201, 403, 201}},
		{method: "GET", route: "/api/v1/employers/:id", target: pathf("/api/v1/employers/%d", theEmployer), want: want{401, 403, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/employers/:id", name: "another employer", target: pathf("/api/v1/employers/%d", func(f *authzFixture) int64 { return f.otherEmployerID }),
			want: want{401, 403, 404, 200, 403, 200}},
		{method: "GET", route: "/api/v1/employers/:id/keys", target: pathf("/api/v1/employers/%d/keys", theEmployer), want: want{401, 403, 200, 200, 403, 200}},
		{method: "POST", route: "/api/v1/employers/:id/keys", target: func(f *authzFixture, _ caller) string {
			f.pruneKeys()
			return fmt.Sprintf("/api/v1/employers/%d/keys", f.employerID)
		}, want: want{401, 403, 201, 201, 403, 201}},
		{method: "POST", route: "/api/v1/employers/:id/keys/:key_id/rotate", target: func(f *authzFixture, _ caller) string {
			return fmt.Sprintf("/api/v1/employers/%d/keys/%d/rotate", f.employerID, f.newKey())
		}, want: want{401, 403, 201, 201, 403, 201}},
		{method: "DELETE", route: "/api/v1/employers/:id/keys/:key_id", target: func(f *authzFixture, _ caller) string {
			return fmt.Sprintf("/api/v1/employers/%d/keys/%d", f.employerID, f.newKey())
		}, want: want{401, 403, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/employer", target: fixed("/api/v1/employer"), want: apiEmployer},
		{method: "GET", route: "/api/v1/employer/jobs", target: fixed("/api/v1/employer/jobs"), want: apiEmployer},

		// Gigs.
		{method: "GET", route: "/api/v1/jobs", target: fixed("/api/v1/jobs"), want: every(200)},
		{method: "POST", route: "/api/v1/jobs", target: fixed("/api/v1/jobs"), body: func(f *authzFixture, who caller) any {
			b := jobBody()
			if who != asEmployer {
				b["employer_id"] = f.employerID
			}
			return b
		}, want: want{401, 403, 201, 201, 403, 201}},
		{method: "GET", route: "/api/v1/jobs/:id", target: pathf("/api/v1/jobs/%d", theJob), want: every(200)},
		{method: "GET", route: "/api/v1/jobs/:id", name: "awaiting review", target: pathf("/api/v1/jobs/%d", thePendingJob), want: want{404, 404, 200, 200, 200, 200}},
		{method: "PATCH", route: "/api/v1/jobs/:id", target: pathf("/api/v1/jobs/%d", freshOpenJob), body: jsonBody(map[string]int{"headcount": 30}),
			want: want{401, 403, 200, 200, 403, 200}},
		{method: "POST", route: "/api/v1/jobs/:id/review", target: pathf("/api/v1/jobs/%d/review", freshPendingJob), body: jsonBody(map[string]string{"decision": "approve"}),
			want: want{401, 403, 403, 200, 403, 200}},
		{method: "POST", route: "/api/v1/jobs/:id/close", target: pathf("/api/v1/jobs/%d/close", freshOpenJob), want: want{401, 403, 200, 200, 403, 200}},
		{method: "GET", route: "/api/v1/station/jobs", target: fixed("/api/v1/station/jobs"), want: apiAnyStaff},
		{method: "GET", route: "/api/v1/station/jobs", name: "another station's", target: fixed("/api/v1/station/jobs?station=ZN-S03"), want: apiStaff},

		// The API's description.
		{method: "GET", route: "/api/openapi.yaml", target: fixed("/api/openapi.yaml"), want: every(200)},
		{method: "GET", route: "/api/docs", target: fixed("/api/docs"), want: every(200)},

		// Public pages. A logged-in worker is sent from the registration and login pages to their card;
		// the worker's own pages (/me…) refuse anyone else who is logged in and send visitors to log in.
		{method: "GET", route: "/", target: fixed("/"), want: every(200)},
		{method: "GET", route: "/static/*file", target: fixed("/static/console.css"), want: every(200)},
		{method: "GET", route: "/r/:code", target: fixed("/r/ZN-S03"), want: want{200, 303, 200, 200, 200, 200}},
		{method: "POST", route: "/r/:code", target: fixed("/r/ZN-S03"), body: formBody(func(*authzFixture) url.Values { return url.Values{"name": {"马福海"}} }), want: every(303)},
		{method: "POST", route: "/r/:code/otp", target: fixed("/r/ZN-S03/otp"), body: formBody(func(f *authzFixture) url.Values { return url.Values{"phone": {f.phone()}} }), want: every(303)},
		{method: "POST", route: "/r/:code/verify", target: fixed("/r/ZN-S03/verify"), body: formBody(func(*authzFixture) url.Values { return url.Values{"code": {"123456"}} }), want: every(303)},
		{method: "POST", route: "/r/:code/reset", target: fixed("/r/ZN-S03/reset"), body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: every(303)},
		{method: "GET", route: "/login", target: fixed("/login"), want: want{200, 303, 200, 200, 200, 200}},
		{method: "POST", route: "/login/otp", target: fixed("/login/otp"), body: formBody(func(f *authzFixture) url.Values { return url.Values{"phone": {f.phone()}} }), want: every(303)},
		{method: "POST", route: "/login/verify", target: fixed("/login/verify"), body: formBody(func(*authzFixture) url.Values { return url.Values{"code": {"123456"}} }), want: every(303)},
		{method: "POST", route: "/login/reset", target: fixed("/login/reset"), body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: every(303)},
		{method: "GET", route: "/me", target: fixed("/me"), want: mePage},
		{method: "GET", route: "/me/edit", target: fixed("/me/edit"), want: mePage},
		{method: "POST", route: "/me/edit", target: fixed("/me/edit"), body: formBody(func(*authzFixture) url.Values { return url.Values{"name": {"马福海"}} }),
			want: want{303, 400, 403, 403, 403, 403}}, // a profile without skills: the form again, with the errors
		{method: "POST", route: "/me/logout", target: fixed("/me/logout"), freshLogin: true, body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: meForm},
		{method: "POST", route: "/me/contracts/:id/withdraw", target: fixed("/me/contracts/999999/withdraw"),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"confirm": {"1"}} }), want: want{303, 404, 403, 403, 403, 403}},
		{method: "POST", route: "/me/contracts/:id/end-early", target: fixed("/me/contracts/999999/end-early"),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"last_day": {"2026-05-12"}, "confirm": {"1"}} }),
			want: want{303, 404, 403, 403, 403, 403}},
		{method: "POST", route: "/me/contracts/:id/no-shows/:ns/contest", target: fixed("/me/contracts/999999/no-shows/999999/contest"),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"reason": {"那天下雨停工"}} }), want: want{303, 404, 403, 403, 403, 403}},
		{method: "POST", route: "/me/attendance/:id/answer", target: fixed("/me/attendance/999999/answer"),
			body: formBody(func(*authzFixture) url.Values { return url.Values{"decision": {"confirm"}} }), want: want{303, 404, 403, 403, 403, 403}},
		{method: "GET", route: "/c/:token", target: func(f *authzFixture, _ caller) string { return f.cardPath() }, want: every(200)},
		// The site's check-in page: a worker's page (a forged code is the worker's 400).
		{method: "GET", route: "/a/:code", target: fixed("/a/forged-code"), want: want{303, 400, 403, 403, 403, 403}},
		{method: "POST", route: "/a/:code", target: fixed("/a/forged-code"), body: formBody(func(*authzFixture) url.Values { return url.Values{"kind": {"in"}} }),
			want: want{303, 400, 403, 403, 403, 403}},
		{method: "GET", route: "/jobs", target: fixed("/jobs"), want: every(200)},
		{method: "GET", route: "/jobs/:id", target: pathf("/jobs/%d", theJob), want: every(200)},
		{method: "POST", route: "/jobs/:id/apply", target: pathf("/jobs/%d/apply", freshOpenJob), body: formBody(func(*authzFixture) url.Values { return url.Values{} }), want: meForm},
		{method: "GET", route: "/jobs/:id/qrcode.png", target: pathf("/jobs/%d/qrcode.png", theJob), want: every(200)},
	}
}

// authzFixture is the world the matrix runs in: station "here" (ZN-S03) owns a worker, an employer, an
// open gig the worker holds a contract on, a gig awaiting review; station "there" (SPT-S01) has staff.
type authzFixture struct {
	t    *testing.T
	env  *testEnv
	seq  atomic.Int64
	days atomic.Int64 // freeDay's

	tokens [callers]string

	worker          registered // the worker caller, registered at here
	employerID      int64      // the employer caller, home station here
	employerKey     string
	employerKeyID   int64 // the key the employer caller uses
	otherEmployerID int64 // another employer of here
	jobID           int64 // open, headcount 100, the worker holds a contract on it
	pendingJobID    int64
	contractID      int64 // the worker's contract on the gig, signed by both (active)
	contractNumber  string
	paymentID       int64  // a payment on that contract's ledger
	pickerNo        string // a worker of here on a piece-rate gig that started today (weigh tickets)
	pieceContractID int64  // the picker's contract (it runs today: incidents)
	pieceNumber     string
	ticketID        int64 // a weigh ticket of the picker
}

func newAuthzFixture(t *testing.T, env *testEnv) *authzFixture {
	t.Helper()
	f := &authzFixture{t: t, env: env}
	f.seq.Store(1000)
	f.tokens[asAdmin] = env.admin
	f.tokens[staffHere], _ = env.createStaff("matrix-here", "ZN-S03")
	f.tokens[staffThere], _ = env.createStaff("matrix-there", "SPT-S01")
	f.worker = env.register("13700009999", nil)
	f.tokens[asWorker] = f.worker.Token
	f.employerID, f.employerKey, f.employerKeyID = f.newEmployer()
	f.tokens[asEmployer] = f.employerKey
	f.otherEmployerID, _, _ = f.newEmployer()
	f.jobID = f.openJob()
	f.pendingJobID = f.pendingJob()
	var app struct{ Application domain.Application }
	env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", f.jobID), f.worker.Token, nil, 201, &app)
	var accepted struct{ Contract domain.Contract }
	env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/accept", app.Application.ID), env.admin, nil, 201, &accepted)
	f.contractID, f.contractNumber = accepted.Contract.ID, accepted.Contract.Number
	env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/sign", f.contractID), f.employerKey, nil, 200, nil)
	env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/sign", f.contractID), env.admin, map[string]string{"role": "worker"}, 200, nil)
	f.paymentID = f.payment()

	// A piece-rate gig (180 fen a 斤) that started today, with a picker under an active contract.
	var piece jobView
	env.mustJSON("POST", "/api/v1/jobs", f.employerKey, jobBody(func(m map[string]any) { m["start_date"], m["piece_unit"] = "2026-05-10", "斤" }), 201, &piece)
	env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/review", piece.ID), env.admin, map[string]string{"decision": "approve"}, 200, nil)
	var picker registered
	env.mustJSON("POST", "/api/v1/workers", f.tokens[staffHere], registration(f.phone(), ""), 201, &picker)
	f.pickerNo = picker.Worker.No
	var papp struct{ Application domain.Application }
	env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", piece.ID), f.tokens[staffHere], map[string]int64{"worker_id": picker.Worker.ID}, 201, &papp)
	var pc struct{ Contract domain.Contract }
	env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/accept", papp.Application.ID), env.admin, nil, 201, &pc)
	env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/sign", pc.Contract.ID), f.employerKey, nil, 200, nil)
	env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/sign", pc.Contract.ID), env.admin, map[string]string{"role": "worker"}, 200, nil)
	f.pieceContractID, f.pieceNumber = pc.Contract.ID, pc.Contract.Number
	var ticket weighTicket
	env.mustJSON("POST", "/api/v1/weigh-tickets", f.employerKey, map[string]any{"card": f.pickerNo, "weight_jin": 10}, 201, &ticket)
	f.ticketID = ticket.Entry.ID
	return f
}

// payment records a fresh cash payment of 10 yuan on the worker's contract.
func (f *authzFixture) payment() int64 {
	f.t.Helper()
	var e domain.LedgerEntry
	f.env.mustJSON("POST", fmt.Sprintf("/api/v1/contracts/%d/ledger", f.contractID), f.employerKey, paymentBody(), 201, &e)
	return e.ID
}

func paymentBody() map[string]any {
	return map[string]any{"kind": "payment", "amount_fen": 1000, "method": "cash", "paid_at": consoleNow.Add(-time.Hour).Format(time.RFC3339)}
}

// disputed is a fresh payment the worker disputed.
func (f *authzFixture) disputed() int64 {
	f.t.Helper()
	id := f.payment()
	if err := f.env.store.RespondToLedgerEntry(context.Background(), id, f.worker.Worker.ID, "dispute", "少给了 5 元", 0, ""); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// alert is an open arrears alert on the worker's contract (the same one, opened again each time).
func (f *authzFixture) alert() int64 {
	f.t.Helper()
	var id int64
	// Due today: an alert days overdue would hold the approval of the employer's new gigs, which
	// other rows make.
	due := "2026-05-10"
	err := f.env.db.QueryRow(`INSERT INTO arrears_alerts (city_code, contract_id, employer_id, station_id, due_date, amount_fen, raised_at)
		SELECT '640500', id, employer_id, station_id, $1, 15000, $2 FROM contracts WHERE id = $3
		ON CONFLICT (contract_id, due_date) DO UPDATE SET cleared_at = NULL RETURNING id`, due, consoleNow, f.contractID).Scan(&id)
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// aVictimStaff is a fresh staff account of here, for the rows that disable, reset or move one.
func aVictimStaff(f *authzFixture) int64 {
	username := f.unique("victim")
	f.env.createStaff(username, "ZN-S03")
	var id int64
	if err := f.env.db.QueryRow("SELECT id FROM staff WHERE username = $1", username).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *authzFixture) unique(prefix string) string { return fmt.Sprintf("%s%d", prefix, f.seq.Add(1)) }

// phone is a fresh mobile number.
func (f *authzFixture) phone() string { return fmt.Sprintf("1350000%04d", f.seq.Add(1)) }

func (f *authzFixture) newEmployer() (id int64, key string, keyID int64) {
	f.t.Helper()
	first := fmt.Sprintf("91640500MA%07d", 3000000+f.seq.Add(1))
	var out employerCreated
	f.env.mustJSON("POST", "/api/v1/employers", f.env.admin, map[string]any{
		"kind": "company", "name": "矩阵用工单位" + first[10:], "credit_code": first + string(domain.CreditCodeCheck(first)),
		"contact_name": "王建国", "contact_phone": "13812345678", "station_code": "ZN-S03", "verified": true,
	}, 201, &out)
	return out.Employer.ID, out.APIKey.Secret, out.APIKey.Key.ID
}

// pendingJob posts a gig (starting tomorrow, 100 places) with the employer's key.
func (f *authzFixture) pendingJob() int64 {
	f.t.Helper()
	var j jobView
	f.env.mustJSON("POST", "/api/v1/jobs", f.employerKey, jobBody(func(m map[string]any) { m["headcount"] = 100 }), 201, &j)
	return j.ID
}

// openJob is a pending gig the admin approved.
func (f *authzFixture) openJob() int64 {
	f.t.Helper()
	id := f.pendingJob()
	f.env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/review", id), f.env.admin, map[string]string{"decision": "approve"}, 200, nil)
	return id
}

// newWorker registers a worker at here (代登记 by here's staff).
func (f *authzFixture) newWorker() int64 {
	f.t.Helper()
	var out registered
	f.env.mustJSON("POST", "/api/v1/workers", f.tokens[staffHere], registration(f.phone(), ""), 201, &out)
	return out.Worker.ID
}

// application is a fresh pending application of a fresh worker of here to the gig.
func (f *authzFixture) application() int64 {
	f.t.Helper()
	var out struct{ Application domain.Application }
	f.env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", f.jobID), f.tokens[staffHere],
		map[string]int64{"worker_id": f.newWorker()}, 201, &out)
	return out.Application.ID
}

// ownApplication is a fresh pending application of the worker caller (to a fresh gig, each time).
func (f *authzFixture) ownApplication() int64 {
	f.t.Helper()
	var out struct{ Application domain.Application }
	f.env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", f.openJob()), f.worker.Token, nil, 201, &out)
	return out.Application.ID
}

// contract is a fresh draft contract of a fresh worker of here on the gig.
func (f *authzFixture) contract() int64 {
	f.t.Helper()
	var out struct{ Contract domain.Contract }
	f.env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/accept", f.application()), f.env.admin, nil, 201, &out)
	return out.Contract.ID
}

// offer is a fresh invitation of the employer to the worker, on a fresh gig (the store's, without the
// daily limit the matrix would reach).
func (f *authzFixture) offer(workerID int64) int64 { return f.invitation(workerID, f.openJob()) }

// offerOn is a fresh invitation to a one-day gig on day.
func (f *authzFixture) offerOn(workerID int64, day string) int64 {
	f.t.Helper()
	var j jobView
	f.env.mustJSON("POST", "/api/v1/jobs", f.employerKey, jobBody(func(m map[string]any) { m["start_date"], m["end_date"] = day, day }), 201, &j)
	f.env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/review", j.ID), f.env.admin, map[string]string{"decision": "approve"}, 200, nil)
	return f.invitation(workerID, j.ID)
}

// freeDay is a day after every gig of the fixture, a different one each call.
func (f *authzFixture) freeDay() string {
	return time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f.days.Add(1))).Format("2006-01-02")
}

func (f *authzFixture) invitation(workerID, jobID int64) int64 {
	f.t.Helper()
	emp := domain.Principal{Kind: domain.AsEmployer, ID: f.employerID}
	a, _, _, err := f.env.store.Invite(context.Background(), jobID, workerID, emp, "", domain.InviteLimit{PerDay: 1 << 30})
	if err != nil {
		f.t.Fatal(err)
	}
	return a.ID
}

// report is a fresh report of an offer by a fresh worker of here.
func (f *authzFixture) report() int64 {
	f.t.Helper()
	wid := f.newWorker()
	appID := f.offer(wid)
	if _, err := f.env.store.RefuseOffer(context.Background(), appID, domain.Principal{Kind: domain.AsWorker, ID: wid}, "", true, "陌生单位"); err != nil {
		f.t.Fatal(err)
	}
	var id int64
	if err := f.env.db.QueryRow("SELECT id FROM offer_reports WHERE application_id = $1", appID).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// conflict is a fresh claim of a fresh worker of here to the ID number of another fresh worker.
func (f *authzFixture) conflict() int64 {
	f.t.Helper()
	ctx := context.Background()
	id := withIDCheck(fmt.Sprintf("64052219800101%03d", f.seq.Add(1)%1000))
	var holder registered
	f.env.mustJSON("POST", "/api/v1/workers", f.tokens[staffHere], func() map[string]any {
		m := registration(f.phone(), "")
		m["id_number"] = id
		return m
	}(), 201, &holder)
	wid := f.newWorker()
	w, err := f.env.store.WorkerByID(ctx, wid)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.env.store.UpdateWorker(ctx, domain.Principal{Kind: domain.AsWorker, ID: wid}, "", wid, w.Profile(), &id); err != nil {
		f.t.Fatal(err)
	}
	var cid int64
	if err := f.env.db.QueryRow("SELECT id FROM id_conflicts WHERE worker_id = $1", wid).Scan(&cid); err != nil {
		f.t.Fatal(err)
	}
	return cid
}

// pruneKeys revokes every key of the employer but the one the employer caller uses: an employer holds
// at most 5 live keys, and the key rows make new ones.
func (f *authzFixture) pruneKeys() {
	f.t.Helper()
	var keys listResponse[domain.APIKey]
	f.env.mustJSON("GET", fmt.Sprintf("/api/v1/employers/%d/keys", f.employerID), f.env.admin, nil, 200, &keys)
	for _, k := range keys.Items {
		if k.RevokedAt == nil && k.ID != f.employerKeyID {
			f.env.mustJSON("DELETE", fmt.Sprintf("/api/v1/employers/%d/keys/%d", f.employerID, k.ID), f.env.admin, nil, 200, nil)
		}
	}
}

// newKey is a fresh API key of the employer.
func (f *authzFixture) newKey() int64 {
	f.t.Helper()
	f.pruneKeys()
	var out domain.IssuedAPIKey
	f.env.mustJSON("POST", fmt.Sprintf("/api/v1/employers/%d/keys", f.employerID), f.env.admin, nil, 201, &out)
	return out.Key.ID
}

// cardPath is the path of the worker's card QR code (its current version).
func (f *authzFixture) cardPath() string {
	f.t.Helper()
	var w workerView
	f.env.mustJSON("GET", fmt.Sprintf("/api/v1/workers/%d", f.worker.Worker.ID), f.env.admin, nil, 200, &w)
	return strings.TrimPrefix(w.CardURL, testPublicURL)
}

// freshToken is a new credential for the caller, for rows that end the one they use.
func (f *authzFixture) freshToken(who caller) string {
	f.t.Helper()
	ctx := context.Background()
	switch who {
	case asWorker:
		sess, err := f.env.store.CreateWorkerSession(ctx, f.worker.Worker.ID, "", "")
		if err != nil {
			f.t.Fatal(err)
		}
		return sess.Token
	case asEmployer:
		f.pruneKeys()
		var out domain.IssuedAPIKey
		f.env.mustJSON("POST", fmt.Sprintf("/api/v1/employers/%d/keys", f.employerID), f.env.admin, nil, 201, &out)
		return out.Secret
	case staffHere, staffThere, asAdmin:
		username := map[caller]string{staffHere: "matrix-here", staffThere: "matrix-there", asAdmin: "admin"}[who]
		password := "staff-test-password"
		if who == asAdmin {
			password = "admin-test-password"
		}
		var login struct{ Token string }
		f.env.mustJSON("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password}, 200, &login)
		return login.Token
	}
	return ""
}

// csrf is the console form token of a staff session.
func (f *authzFixture) csrf(token string) string {
	f.t.Helper()
	p, err := f.env.store.Authenticate(context.Background(), token)
	if err != nil || p.SessionID == 0 {
		return ""
	}
	csrf, err := f.env.store.StaffCSRFToken(context.Background(), p.SessionID)
	if err != nil {
		f.t.Fatal(err)
	}
	return csrf
}

// call sends one cell's request and returns its status (toLogin for a redirect to the console login).
func (f *authzFixture) call(row authzRow, who caller) (int, string) {
	f.t.Helper()
	token := f.tokens[who]
	if row.freshLogin && who != anonymous {
		token = f.freshToken(who)
	}
	path := row.target(f, who)
	var body io.Reader
	ctype := ""
	if row.body != nil {
		switch b := row.body(f, who).(type) {
		case nil:
		case url.Values:
			if token != "" {
				// Console forms name the session's token csrf_token, the worker's pages csrf.
				b.Set("csrf_token", f.csrf(token))
				b.Set("csrf", f.csrf(token))
			}
			body, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
		default:
			j, err := json.Marshal(b)
			if err != nil {
				f.t.Fatal(err)
			}
			body, ctype = strings.NewReader(string(j)), "application/json"
		}
	}
	req, err := http.NewRequest(row.method, f.env.http.URL+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", row.method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	f.env.bodies.add(b)
	if resp.StatusCode == 303 && strings.HasPrefix(resp.Header.Get("Location"), "/console/login") {
		return toLogin, path
	}
	return resp.StatusCode, path
}

// Every route of the router has at least one row, and every row names a route of the router.
func TestAuthorizationMatrixCoversEveryRoute(t *testing.T) {
	s := testServer(Options{}, app.Options{}, app.Deps{Store: &fakeStore{}})
	routed := map[string]bool{}
	for _, r := range s.engine.Routes() {
		routed[r.Method+" "+r.Path] = true
	}
	covered := map[string]bool{}
	for _, row := range authzRows() {
		k := row.method + " " + row.route
		covered[k] = true
		if !routed[k] {
			t.Errorf("matrix row for %s, which is not a route", k)
		}
	}
	var missing []string
	for r := range routed {
		if !covered[r] {
			missing = append(missing, r)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("routes without a row in the authorization matrix (api/authz_matrix_test.go, authzRows):\n  %s", strings.Join(missing, "\n  "))
	}
}

// Every row × every caller through the real HTTP server.
func TestAuthorizationMatrix(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		f := newAuthzFixture(t, env)
		rows := authzRows()
		cells := 0
		for _, row := range rows {
			name := row.method + " " + row.route
			if row.name != "" {
				name += " (" + row.name + ")"
			}
			var got want
			var paths [callers]string
			for who := anonymous; who < callers; who++ {
				got[who], paths[who] = f.call(row, who)
				cells++
			}
			if got != row.want {
				var diff []string
				for who := anonymous; who < callers; who++ {
					if got[who] != row.want[who] {
						diff = append(diff, fmt.Sprintf("%s: got %d, want %d (%s)", callerNames[who], got[who], row.want[who], paths[who]))
					}
				}
				t.Errorf("%s:\n    %s", name, strings.Join(diff, "\n    "))
			}
		}
		t.Logf("authorization matrix: %d rows (%d routes) × %d callers = %d requests", len(rows), len(env.server.engine.Routes()), callers, cells)
	})
}

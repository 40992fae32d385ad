package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// Issue 18, item 1: an employer's invitation is only an offer. The employer cannot accept it, nothing
// is booked and the worker stays masked until the worker says yes; the worker may refuse or report it;
// an employer's invitations are limited per day.

type offerApp struct {
	Application domain.Application
	Created     bool
}

// invite is the employer's POST /jobs/{id}/applications {"worker_id"}: the status and the application.
func (f *authzFixture) invite(key string, jobID, workerID int64) (int, domain.Application) {
	f.t.Helper()
	var out offerApp
	status, b, _ := f.env.do("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", jobID), key, map[string]int64{"worker_id": workerID})
	if status < 300 {
		if err := decodeInto(string(b), &out); err != nil {
			f.t.Fatal(err)
		}
	}
	return status, out.Application
}

// applicantLine is the worker's line of the gig's application list, as the employer sees it.
func (f *authzFixture) applicantLine(jobID, workerID int64) domain.ApplicationView {
	f.t.Helper()
	var list listResponse[domain.ApplicationView]
	f.env.mustJSON("GET", fmt.Sprintf("/api/v1/jobs/%d/applications", jobID), f.employerKey, nil, 200, &list)
	for _, v := range list.Items {
		if v.WorkerID == workerID {
			return v
		}
	}
	f.t.Fatalf("worker %d is not on gig %d's list", workerID, jobID)
	return domain.ApplicationView{}
}

func (f *authzFixture) filled(jobID int64) int {
	f.t.Helper()
	var n int
	if err := f.env.db.QueryRow("SELECT filled FROM jobs WHERE id = $1", jobID).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestAnInvitationIsOnlyAnOfferTheWorkerAnswers(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		f := newAuthzFixture(t, env)
		job := f.openJob()
		w := env.register("13700001111", func(m map[string]any) { m["name"] = "马春花" })

		status, offer := f.invite(f.employerKey, job, w.Worker.ID)
		if status != 201 || !offer.AwaitingWorker || offer.Status != domain.AppPending || offer.Origin != domain.OriginInvited {
			t.Fatalf("invite: %d %+v, want 201 and an offer awaiting the worker", status, offer)
		}
		// The employer cannot accept its own invitation; nor can staff or an admin for it.
		for name, token := range map[string]string{"employer": f.employerKey, "staff": f.tokens[staffHere], "admin": env.admin} {
			status, b, _ := env.do("POST", fmt.Sprintf("/api/v1/applications/%d/accept", offer.ID), token, nil)
			if e := apiError(t, b); status != 409 || e.Code != domain.CodeOfferUnanswered {
				t.Errorf("%s accepts the offer: %d %s, want 409 offer_unanswered", name, status, b)
			}
		}
		// Nothing is booked, no contract drafted, and the employer sees the worker masked.
		if got := f.filled(job); got != 0 {
			t.Errorf("the gig has %d places filled before the worker answered", got)
		}
		if n := env.count("contracts WHERE application_id = " + fmt.Sprint(offer.ID)); n != 0 {
			t.Errorf("%d contracts before the worker answered", n)
		}
		line := f.applicantLine(job, w.Worker.ID)
		if line.WorkerName != "马**" || line.WorkerPhone != "137****1111" || !line.AwaitingWorker {
			t.Errorf("before the yes the employer sees %q %q (awaiting %v), want 马** 137****1111", line.WorkerName, line.WorkerPhone, line.AwaitingWorker)
		}
		// The worker got an SMS saying how to answer, not that they were hired.
		var sms listResponse[domain.SMSMessage]
		env.mustJSON("GET", "/api/v1/admin/sms-outbox?phone=13700001111&per_page=1", env.admin, nil, 200, &sms)
		if len(sms.Items) == 0 || !strings.Contains(sms.Items[0].Body, "邀请") || !strings.Contains(sms.Items[0].Body, testPublicURL+"/me") ||
			strings.Contains(sms.Items[0].Body, "录用") {
			t.Errorf("offer SMS: %+v", sms.Items)
		}
		// Another worker, or the employer, cannot answer for the worker.
		other := env.register("13700001112", nil)
		if status, b, _ := env.do("POST", fmt.Sprintf("/api/v1/applications/%d/agree", offer.ID), other.Token, nil); status != 404 {
			t.Errorf("another worker agrees: %d %s, want 404", status, b)
		}
		if status, _, _ := env.do("POST", fmt.Sprintf("/api/v1/applications/%d/agree", offer.ID), f.employerKey, nil); status != 403 {
			t.Errorf("the employer agrees for the worker: %d, want 403", status)
		}

		// The worker says yes: booked, the contract drafted, and now the employer sees name and phone.
		var agreed struct{ Contract domain.Contract }
		env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/agree", offer.ID), w.Token, nil, 201, &agreed)
		if agreed.Contract.WorkerID != w.Worker.ID || f.filled(job) != 1 {
			t.Errorf("after the yes: contract %+v, filled %d", agreed.Contract, f.filled(job))
		}
		line = f.applicantLine(job, w.Worker.ID)
		if line.WorkerName != "马春花" || line.WorkerPhone != "13700001111" || line.AwaitingWorker {
			t.Errorf("after the yes the employer sees %q %q", line.WorkerName, line.WorkerPhone)
		}
		if status, _, _ := env.do("POST", fmt.Sprintf("/api/v1/applications/%d/agree", offer.ID), w.Token, nil); status != 409 {
			t.Errorf("agreeing twice: %d, want 409", status)
		}

		// A refused offer: nothing booked, the employer cannot accept it, nor invite again.
		r := env.register("13700001113", nil)
		_, offer2 := f.invite(f.employerKey, job, r.Worker.ID)
		var refused struct{ Application domain.Application }
		env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/refuse", offer2.ID), r.Token, nil, 200, &refused)
		if refused.Application.Status != domain.AppWithdrawn || f.filled(job) != 1 {
			t.Errorf("refused: %+v, filled %d", refused.Application, f.filled(job))
		}
		if status, _, _ := env.do("POST", fmt.Sprintf("/api/v1/applications/%d/accept", offer2.ID), f.employerKey, nil); status != 409 {
			t.Errorf("accepting a refused offer: %d, want 409", status)
		}
		if status, _ := f.invite(f.employerKey, job, r.Worker.ID); status != 409 {
			t.Errorf("inviting again after a refusal: %d, want 409", status)
		}

		// A reported offer: refused, and on the console of the worker's station with the reason.
		rp := env.register("13700001114", func(m map[string]any) { m["name"] = "杨举报" })
		_, offer3 := f.invite(f.employerKey, job, rp.Worker.ID)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/report", offer3.ID), rp.Token,
			map[string]string{"reason": "不认识这家单位，却知道我的名字"}, 200, nil)
		here := env.consoleLogin("matrix-here", "staff-test-password")
		if _, _, page := here.get("/console/reports"); !strings.Contains(page, "不认识这家单位，却知道我的名字") || !strings.Contains(page, rp.Worker.No) {
			t.Errorf("the report is not on the console of the worker's station")
		}
		there := env.consoleLogin("matrix-there", "staff-test-password")
		if _, _, page := there.get("/console/reports"); strings.Contains(page, "不认识这家单位") {
			t.Errorf("another station's staff see the report")
		}
	})
}

// A worker answers an offer at a station: the staff of the worker's station record the yes (or no) as
// witness; staff of another station cannot.
func TestStaffWitnessAWorkersAnswerAtTheStation(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		f := newAuthzFixture(t, env)
		job := f.openJob()
		wid := f.newWorker()
		_, offer := f.invite(f.employerKey, job, wid)
		there := env.consoleLogin("matrix-there", "staff-test-password")
		if status, _, _ := there.form(fmt.Sprintf("/console/offers/%d/agree", offer.ID), nil); status == 303 {
			t.Errorf("staff of another station recorded the worker's yes")
		}
		here := env.consoleLogin("matrix-here", "staff-test-password")
		_, _, page := here.get(fmt.Sprintf("/console/workers/%d", wid))
		if !strings.Contains(page, fmt.Sprintf("/console/offers/%d/agree", offer.ID)) {
			t.Fatalf("the worker's console page shows no answer buttons for the offer")
		}
		if status, _, _ := here.form(fmt.Sprintf("/console/offers/%d/agree", offer.ID), nil); status != 303 {
			t.Fatalf("witnessed yes: %d", status)
		}
		if f.filled(job) != 1 {
			t.Errorf("the witnessed yes booked no place")
		}
		var detail string
		if err := env.db.QueryRow(`SELECT detail FROM audit_events WHERE action = 'application.offer_agree' AND entity_id = $1`, offer.ID).Scan(&detail); err != nil ||
			!strings.Contains(detail, "witnessed_by_staff") {
			t.Errorf("audit of the witnessed yes: %q, %v", detail, err)
		}
	})
}

// An employer sends at most 30 invitations in any 24 hours: the 30th goes, the 31st is 429, and a day
// later they go again.
func TestInvitationsAreLimitedPerEmployer(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		f := newAuthzFixture(t, env)
		job := f.openJob()
		limit := domain.DefaultInviteLimit.PerDay
		for i := 1; i <= limit; i++ {
			if status, _ := f.invite(f.employerKey, job, f.newWorker()); status != 201 {
				t.Fatalf("invitation %d: %d", i, status)
			}
		}
		late := f.newWorker()
		status, b, _ := env.do("POST", fmt.Sprintf("/api/v1/jobs/%d/applications", job), f.employerKey, map[string]int64{"worker_id": late})
		if e := apiError(t, b); status != 429 || e.Code != domain.CodeRateLimited {
			t.Fatalf("invitation %d: %d %s, want 429", limit+1, status, b)
		}
		// Another employer is not held back by this one.
		_, otherKey, _ := f.newEmployer()
		var j jobView
		env.mustJSON("POST", "/api/v1/jobs", otherKey, jobBody(), 201, &j)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/review", j.ID), env.admin, map[string]string{"decision": "approve"}, 200, nil)
		if status, _ := f.invite(otherKey, j.ID, late); status != 201 {
			t.Errorf("another employer's invitation: %d", status)
		}
		env.clock.Advance(24*time.Hour + time.Minute)
		if status, _ := f.invite(f.employerKey, job, late); status != 201 {
			t.Errorf("an invitation a day later: %d", status)
		}
	})
}

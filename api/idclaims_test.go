package api

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"lingong/domain"
)

// Issue 18, item 2: the worker's own change of their ID number is no oracle. Whether another worker
// holds the number, the answer is the same (status and body); the claim goes to the station's staff,
// who settle it in person; a verified number needs staff; changes are limited; the mask keeps 3 + 2.

// sameIDTail is a valid ID number of 1970 other than avoid, whose last two characters (and so the
// mask, the birth year and the gender) are the same as avoid's.
func sameIDTail(t *testing.T, avoid string) string {
	t.Helper()
	for seq := 100; seq < 1000; seq++ {
		id := withIDCheck(fmt.Sprintf("6405211970010%d%d", 1+seq%2, seq))
		if id != avoid && id[16:] == avoid[16:] {
			return id
		}
	}
	t.Fatal("no ID number with the same tail")
	return ""
}

// selfView is a worker's own profile with what differs between two workers anyway taken out.
func selfView(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	for _, k := range []string{"id", "worker_no", "phone", "created_at", "updated_at", "card_url", "card_pdf_url"} {
		delete(m, k)
	}
	return m
}

func TestIDNumberChangesAnswerTheSameWhoeverHoldsTheNumber(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		held := withIDCheck("64052119700101123")
		free := sameIDTail(t, held)
		holder := env.register("13600000001", func(m map[string]any) { m["id_number"] = held })
		prober := env.register("13600000002", nil)
		control := env.register("13600000003", nil)

		// The mask keeps the first 3 and the last 2 characters, and nobody else sees the birth year.
		if m := holder.Worker.IDNumberMasked; m != held[:3]+strings.Repeat("*", 13)+held[16:] {
			t.Errorf("mask %q", m)
		}
		staff, _ := env.createStaff("zn-staff", "ZN-S03")
		_, b, _ := env.do("GET", fmt.Sprintf("/api/v1/workers/%d", holder.Worker.ID), staff, nil)
		if strings.Contains(string(b), "birth_year") || !strings.Contains(string(b), holder.Worker.IDNumberMasked) {
			t.Errorf("staff see %s", b)
		}

		// The held number and a free one answer alike.
		sHeld, bHeld, _ := env.do("PATCH", "/api/v1/workers/me", prober.Token, map[string]string{"id_number": held})
		sFree, bFree, _ := env.do("PATCH", "/api/v1/workers/me", control.Token, map[string]string{"id_number": free})
		if sHeld != 200 || sFree != 200 || !reflect.DeepEqual(selfView(t, bHeld), selfView(t, bFree)) {
			t.Fatalf("held number: %d %s\nfree number: %d %s", sHeld, bHeld, sFree, bFree)
		}
		_, bHeld, _ = env.do("GET", "/api/v1/workers/me", prober.Token, nil)
		_, bFree, _ = env.do("GET", "/api/v1/workers/me", control.Token, nil)
		if !reflect.DeepEqual(selfView(t, bHeld), selfView(t, bFree)) {
			t.Errorf("read back, held: %s\nfree: %s", bHeld, bFree)
		}
		// The holder keeps the number; the claim waits on the console of the prober's station.
		var h workerView
		env.mustJSON("GET", "/api/v1/workers/me", holder.Token, nil, 200, &h)
		if h.IDNumberMasked != holder.Worker.IDNumberMasked {
			t.Errorf("the holder lost the number: %+v", h)
		}
		console := env.consoleLogin("zn-staff", "staff-test-password")
		if _, _, page := console.get("/console/reports"); !strings.Contains(page, prober.Worker.No) || !strings.Contains(page, holder.Worker.No) {
			t.Fatalf("the conflict is not on the station's console")
		}
		var conflictID int64
		if err := env.db.QueryRow("SELECT id FROM id_conflicts WHERE worker_id = $1", prober.Worker.ID).Scan(&conflictID); err != nil {
			t.Fatal(err)
		}

		// Staff check the cards: the number is the prober's. It moves, verified; the holder is told.
		console.flashAfter(fmt.Sprintf("/console/id-conflicts/%d/resolve", conflictID), map[string][]string{"resolution": {"claimant"}})
		var p, hh workerView
		env.mustJSON("GET", "/api/v1/workers/me", prober.Token, nil, 200, &p)
		env.mustJSON("GET", "/api/v1/workers/me", holder.Token, nil, 200, &hh)
		if p.IDNumberMasked != holder.Worker.IDNumberMasked || !p.IDVerified || hh.IDNumberMasked != "" {
			t.Errorf("after the station settled it: prober %q verified %v, holder %q", p.IDNumberMasked, p.IDVerified, hh.IDNumberMasked)
		}
		if n := env.count("audit_events WHERE action = 'id_conflict.resolve'"); n != 1 {
			t.Errorf("%d resolve audit events", n)
		}
		// A verified number is changed by staff only.
		status, b, _ := env.do("PATCH", "/api/v1/workers/me", prober.Token, map[string]string{"id_number": free})
		if e := apiError(t, b); status != 403 || !strings.Contains(e.Message, "驿站") {
			t.Errorf("changing a verified number: %d %s", status, b)
		}

		// Three changes a day: the fourth is 429 whether the number is held or free.
		others := []string{withIDCheck("64052219800101123"), withIDCheck("64052219800101124")}
		for _, id := range others {
			env.mustJSON("PATCH", "/api/v1/workers/me", control.Token, map[string]string{"id_number": id}, 200, nil)
		}
		for _, id := range []string{held, withIDCheck("64052219800101125")} {
			status, b, _ := env.do("PATCH", "/api/v1/workers/me", control.Token, map[string]string{"id_number": id})
			if e := apiError(t, b); status != 429 || e.Field != "id_number" {
				t.Errorf("the fourth change: %d %s", status, b)
			}
		}
		// Other profile changes are not limited.
		env.mustJSON("PATCH", "/api/v1/workers/me", control.Token, map[string]string{"self_description": "会开叉车"}, 200, nil)

		// Staff record the number from the card: verified. A number another worker holds is named to them.
		page := console.flashAfter(fmt.Sprintf("/console/workers/%d/id-number", control.Worker.ID), map[string][]string{"id_number": {held}})
		if !strings.Contains(page, "已经登记") {
			t.Errorf("staff recording a held number are not told")
		}
		console.flashAfter(fmt.Sprintf("/console/workers/%d/id-number", control.Worker.ID), map[string][]string{"id_number": {free}})
		var c workerView
		env.mustJSON("GET", "/api/v1/workers/me", control.Token, nil, 200, &c)
		if !c.IDVerified || c.IDNumberMasked != domain.MaskIDNumber(free) {
			t.Errorf("after staff recorded the number: %q verified %v", c.IDNumberMasked, c.IDVerified)
		}
	})
}

package store_test

import (
	"context"
	"testing"
	"time"

	"lingong/domain"
	"lingong/store"
	"lingong/store/storetest"
)

// A small market with figures worked out by hand; the dashboard must show exactly these.
func TestStatsOfAKnownMarket(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			// 2027-06-01 10:00 in Zhongwei.
			clk := newClock(time.Date(2027, 6, 1, 2, 0, 0, 0, time.UTC))
			s := storetest.Open(t, e, clk.clock())
			ctx := context.Background()
			m := newMarket(t, s) // station ZN-M1 (中宁县)

			// Three registrations: two on 06-01, one on 06-02 (at 23:30 UTC on 06-01, already 06-02 locally).
			w1 := m.worker()
			w2 := m.worker()
			clk.set(time.Date(2027, 6, 1, 23, 30, 0, 0, time.UTC))
			w3 := m.worker()
			_ = w3

			// One gig of 4 places approved at 06-02 08:00 local; two accepted at 10:00 and 14:00 (2 h and 6 h).
			clk.set(time.Date(2027, 6, 2, 0, 0, 0, 0, time.UTC))
			approved := clk.now()
			j := domain.Job{EmployerID: m.employer.ID, StationID: m.station.ID, Title: "枸杞采摘", Headcount: 4, WageFen: 15000,
				WageUnit: domain.PerDay, Settlement: domain.SettleDaily, District: "中宁县", Town: "宁安镇", Skills: []string{"枸杞采摘", "搬运"},
				StartDate: "2027-06-02", EndDate: "2027-06-05", DailyHours: 8, Status: domain.JobOpen, ApprovedAt: &approved}
			if err := s.InsertJob(ctx, &j); err != nil {
				t.Fatal(err)
			}
			var contracts []domain.Contract
			for i, w := range []domain.Worker{w1, w2} {
				clk.set(approved.Add(time.Duration(2+4*i) * time.Hour))
				app, _, _ := s.Apply(ctx, j.ID, w.ID, domain.OriginApplied, workerP(w), "")
				c, err := s.AcceptApplication(ctx, app.ID, employerOf(m.employer), "", testTerms)
				if err != nil {
					t.Fatal(err)
				}
				s.SignContract(ctx, c.ID, domain.SignatureEvent{Role: domain.SignerWorker, Method: domain.SignStaffWitness, SignerID: w.ID, CredentialID: 1, TermsHash: c.TermsHash}, workerP(w), "")
				c, _ = s.SignContract(ctx, c.ID, domain.SignatureEvent{Role: domain.SignerEmployer, Method: domain.SignAPIKey, SignerID: m.employer.ID, TermsHash: c.TermsHash}, employerOf(m.employer), "")
				contracts = append(contracts, c)
			}
			// Work on 06-02 for both (150 元 each), one paid 100 元; on 06-05 the unpaid rest is 3 days late.
			for _, c := range contracts {
				if _, err := s.AppendLedger(ctx, c.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: "2027-06-02", QuantityMilli: 1000}, employerOf(m.employer), ""); err != nil {
					t.Fatal(err)
				}
			}
			s.AppendLedger(ctx, contracts[0].ID, domain.LedgerInput{Kind: domain.LedgerPayment, AmountFen: 10000, Method: domain.PayCash}, employerOf(m.employer), "")
			clk.set(time.Date(2027, 6, 5, 2, 0, 0, 0, time.UTC))
			if _, _, err := s.SweepArrears(ctx, 0); err != nil {
				t.Fatal(err)
			}

			st, err := s.Stats(ctx, domain.StatsFilter{From: "2027-06-01", To: "2027-06-05", StationID: m.station.ID})
			if err != nil {
				t.Fatal(err)
			}
			days := map[domain.Date]int{}
			for _, d := range st.RegistrationsPerDay {
				days[d.Day] = d.Count
			}
			if len(st.RegistrationsPerDay) != 5 || days["2027-06-01"] != 2 || days["2027-06-02"] != 1 || st.Registrations != 3 {
				t.Errorf("registrations %+v", st.RegistrationsPerDay)
			}
			if st.JobsPosted != 1 || st.JobsOpen != 1 || st.PlacesOffered != 4 || st.PlacesFilled != 2 || st.FillRate != 0.5 {
				t.Errorf("gigs: posted %d open %d offered %d filled %d rate %v", st.JobsPosted, st.JobsOpen, st.PlacesOffered, st.PlacesFilled, st.FillRate)
			}
			if st.MedianHoursToFirstAccept != 2 {
				t.Errorf("median hours to first accept %v, want 2 (the first accept of the one gig)", st.MedianHoursToFirstAccept)
			}
			if st.ContractsSigned != 2 || st.EarnedFen != 30000 || st.PaidFen != 10000 || st.OutstandingFen != 20000 {
				t.Errorf("contracts %d earned %d paid %d outstanding %d", st.ContractsSigned, st.EarnedFen, st.PaidFen, st.OutstandingFen)
			}
			if len(st.ArrearsByEmployer) != 1 || st.ArrearsByEmployer[0].AmountFen != 20000 || st.ArrearsByEmployer[0].Alerts != 2 || st.ArrearsByEmployer[0].OldestDays != 3 {
				t.Errorf("arrears by employer %+v", st.ArrearsByEmployer)
			}
			if st.ArrearsByAge[0].Alerts != 2 || st.ArrearsByAge[0].AmountFen != 20000 {
				t.Errorf("arrears by age %+v", st.ArrearsByAge)
			}
			skills := map[string]domain.SkillSupplyDemand{}
			for _, sk := range st.BySkill {
				skills[sk.Skill] = sk
			}
			if skills["枸杞采摘"].Workers != 3 || skills["枸杞采摘"].OpenPlaces != 2 || skills["搬运"].OpenPlaces != 2 || skills["搬运"].Workers != 0 {
				t.Errorf("by skill %+v", st.BySkill)
			}
			var zn domain.DistrictFigures
			for _, d := range st.ByDistrict {
				if d.District == "中宁县" {
					zn = d
				}
			}
			if zn.Workers != 3 || zn.OpenPlaces != 2 || zn.PlacesFilled != 2 || zn.EarnedFen != 30000 || zn.PaidFen != 10000 {
				t.Errorf("中宁县 %+v", zn)
			}
			if len(st.ByStation) != 1 || st.ByStation[0].Registrations != 3 || st.ByStation[0].Contracts != 2 {
				t.Errorf("by station %+v", st.ByStation)
			}
			// Another station's view of the same days shows none of it.
			other, _ := s.StationByCode(ctx, "HY-M1")
			o, err := s.Stats(ctx, domain.StatsFilter{From: "2027-06-01", To: "2027-06-05", StationID: other.ID})
			if err != nil || o.Registrations != 0 || o.EarnedFen != 0 || len(o.ArrearsByEmployer) != 0 {
				t.Errorf("other station sees %+v %v", o, err)
			}
		})
	}
}

var _ = store.BalanceOf

package app

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
)

// storeCalls counts the store reads that printing contracts makes, one contract at a time or in a batch.
type storeCalls struct {
	Store
	mu    sync.Mutex
	calls map[string]int
}

func (s *storeCalls) count(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[name]++
}

func (s *storeCalls) ContractByID(ctx context.Context, id int64) (domain.Contract, []domain.SignatureEvent, error) {
	s.count("ContractByID")
	return s.Store.ContractByID(ctx, id)
}

func (s *storeCalls) ContractsFor(ctx context.Context, column string, id int64, day domain.Date) ([]domain.Contract, error) {
	s.count("ContractsFor")
	return s.Store.ContractsFor(ctx, column, id, day)
}

func (s *storeCalls) ContractsByIDs(ctx context.Context, ids []int64) ([]domain.Contract, map[int64][]domain.SignatureEvent, error) {
	s.count("ContractsByIDs")
	return s.Store.ContractsByIDs(ctx, ids)
}

func (s *storeCalls) EndingsOf(ctx context.Context, contractID int64) ([]domain.ContractEnding, error) {
	s.count("EndingsOf")
	return s.Store.EndingsOf(ctx, contractID)
}

func (s *storeCalls) JobCover(ctx context.Context, jobID int64) (domain.Cover, error) {
	s.count("JobCover")
	return s.Store.JobCover(ctx, jobID)
}

func (s *storeCalls) JobCovers(ctx context.Context, jobIDs []int64) (map[int64]domain.Cover, error) {
	s.count("JobCovers")
	return s.Store.JobCovers(ctx, jobIDs)
}

func (s *storeCalls) Ledger(ctx context.Context, contractID int64) ([]domain.LedgerLine, domain.Balance, error) {
	s.count("Ledger")
	return s.Store.Ledger(ctx, contractID)
}

func (s *storeCalls) Ledgers(ctx context.Context, ids []int64) (map[int64][]domain.LedgerLine, map[int64]domain.Balance, error) {
	s.count("Ledgers")
	return s.Store.Ledgers(ctx, ids)
}

func (s *storeCalls) StaffByID(ctx context.Context, id int64) (domain.Staff, error) {
	s.count("StaffByID")
	return s.Store.StaffByID(ctx, id)
}

func (s *storeCalls) StaffNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	s.count("StaffNames")
	return s.Store.StaffNames(ctx, ids)
}

// TestStationBatchReadsInFixedQueriesAndPrintsAsSingles: the station's morning batch (issue 24) reads its
// data with the same few store calls for 2 contracts as for 5 (the old way read each contract, its cover,
// ledger and witnesses one by one), and prints each contract exactly as printing it alone does:
// witnesses, ledger lines, balances and an early ending included.
func TestStationBatchReadsInFixedQueriesAndPrintsAsSingles(t *testing.T) {
	eachAttendanceEngine(t, func(t *testing.T, e *attEnv) {
		ctx := t.Context()
		emp := e.employer("ZN-M1")
		st, err := e.svc.StationByCode(ctx, "ZN-M1")
		if err != nil {
			t.Fatal(err)
		}
		phones := []string{"13812340061", "13812340062", "13812340063", "13812340064", "13812340065"}
		batch := func(n int) map[string]int {
			t.Helper()
			for len(phones) > 5-n {
				ct, _ := e.signedContract(emp, phones[0], "2026-05-12")
				phones = phones[1:]
				if _, err := e.svc.AppendLedger(ctx, e.staff, ct.ID, domain.LedgerInput{Kind: domain.LedgerWork,
					WorkDate: "2026-05-10", QuantityMilli: 1000, Note: "整天"}); err != nil {
					t.Fatal(err)
				}
				if len(phones) == 1 { // the fourth contract ends a day early
					if _, err := e.svc.EndContractEarly(ctx, e.staff, ct.ID, "2026-05-11", "园子提前摘完"); err != nil {
						t.Fatal(err)
					}
				}
			}
			calls := &storeCalls{Store: e.svc.store, calls: map[string]int{}}
			real := e.svc.store
			e.svc.store = calls
			defer func() { e.svc.store = real }()
			docs, err := e.svc.StationContractDocs(ctx, e.staff, st, e.today())
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != n {
				t.Fatalf("batch of %d docs, want %d", len(docs), n)
			}
			got := calls.calls
			e.svc.store = real
			ended := 0
			for _, d := range docs {
				if strings.Contains(d.Ending, "2026-05-11") && strings.Contains(d.Ending, "园子提前摘完") {
					ended++
				}
			}
			want := 0
			if n == 5 { // the second batch holds the contract ended early
				want = 1
			}
			if ended != want {
				t.Errorf("%d contracts in the batch print the early ending, want %d", ended, want)
			}
			list, err := e.svc.StationContracts(ctx, e.staff, st.ID, e.today())
			if err != nil {
				t.Fatal(err)
			}
			for i, ct := range list { // newest first; the batch is oldest first
				one, err := e.svc.ContractDoc(ctx, e.staff, ct.ID)
				if err != nil {
					t.Fatal(err)
				}
				if one.Ledger == nil || len(one.Signatures) != 2 || one.Signatures[0].Witness == "" {
					t.Errorf("contract %s prints no ledger or no witnessed signatures: %+v", ct.Number, one)
				}
				if diff := cmp.Diff(one, docs[len(list)-1-i]); diff != "" {
					t.Errorf("contract %s in the batch differs from its own print (-alone +batch):\n%s", ct.Number, diff)
				}
			}
			return got
		}
		two, five := batch(2), batch(5)
		if diff := cmp.Diff(two, five); diff != "" {
			t.Errorf("store calls grow with the batch (-2 contracts +5):\n%s", diff)
		}
		for _, one := range []string{"ContractByID", "JobCover", "Ledger", "StaffByID", "EndingsOf"} {
			if five[one] > 0 {
				t.Errorf("the batch called %s %d times: one query per contract", one, five[one])
			}
		}
	})
}

package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// monthRange returns the first day of month ("2026-05") and the first day of the next month.
func monthRange(month string) (from, to domain.Date, err error) {
	t, perr := time.ParseInLocation("2006-01", month, domain.Shanghai)
	if perr != nil || t.Format("2006-01") != month {
		return "", "", domain.Invalid("month", "月份格式不对，应为 年-月，例如 2026-05")
	}
	return domain.DateOf(t), domain.DateOf(t.AddDate(0, 1, 0)), nil
}

// Payroll returns a station's monthly 工资支付台账: one line per contract of the station with ledger
// entries dated in the month, ordered by contract number. Work counts in the month of its date, a
// payment in the month it was paid, a correction in the month of the line it corrects (it carries that
// line's date). Resident ID numbers are masked; see RevealIDNumbers.
func (s *Store) Payroll(ctx context.Context, stationID int64, month string) ([]domain.PayrollLine, error) {
	from, to, err := monthRange(month)
	if err != nil {
		return nil, err
	}
	db := s.conn(ctx)
	var entries []ledgerEntryRow
	if err := db.Raw(`SELECT e.* FROM ledger_entries e JOIN contracts c ON c.id = e.contract_id
		WHERE c.station_id = ? AND e.work_date >= ? AND e.work_date < ? ORDER BY e.contract_id, e.id`,
		stationID, string(from), string(to)).Scan(&entries).Error; err != nil {
		return nil, translate(err, "工资台账")
	}
	if len(entries) == 0 {
		return []domain.PayrollLine{}, nil
	}
	kindOf := map[int64]string{}
	var entryIDs, contractIDs []int64
	for _, e := range entries {
		kindOf[e.ID] = e.Kind
		entryIDs = append(entryIDs, e.ID)
		if len(contractIDs) == 0 || contractIDs[len(contractIDs)-1] != e.ContractID {
			contractIDs = append(contractIDs, e.ContractID)
		}
	}
	// A correction's target always shares its date, so it is in the set; look up any that is not, to
	// count it on the right side whatever happened.
	for _, e := range entries {
		if e.CorrectsID != nil && kindOf[*e.CorrectsID] == "" {
			var t ledgerEntryRow
			if err := db.Select("id, kind").Where("id = ?", *e.CorrectsID).Take(&t).Error; err != nil {
				return nil, translate(err, "工资台账")
			}
			kindOf[t.ID] = t.Kind
		}
	}
	responses := map[int64]ledgerResponseRow{}
	for _, chunk := range chunks(entryIDs, 500) {
		var rs []ledgerResponseRow
		if err := db.Where("entry_id IN ?", chunk).Find(&rs).Error; err != nil {
			return nil, translate(err, "工资台账")
		}
		for _, r := range rs {
			responses[r.EntryID] = r
		}
	}
	type party struct {
		ID             int64
		Number         string
		WageUnit       string
		PieceUnit      string
		WorkerID       int64
		WorkerName     string
		IDNumberMasked string
		EmployerName   string
	}
	parties := map[int64]party{}
	for _, chunk := range chunks(contractIDs, 500) {
		var ps []party
		if err := db.Raw(`SELECT c.id, c.number, c.wage_unit, c.piece_unit, c.worker_id, w.name AS worker_name, w.id_number_masked,
				e.name AS employer_name
			FROM contracts c JOIN workers w ON w.id = c.worker_id JOIN employers e ON e.id = c.employer_id
			WHERE c.id IN ?`, chunk).Scan(&ps).Error; err != nil {
			return nil, translate(err, "工资台账")
		}
		for _, p := range ps {
			parties[p.ID] = p
		}
	}

	lines := map[int64]*domain.PayrollLine{}
	workByDay := map[int64]map[string]int64{}
	payments := map[int64]struct{ total, confirmed int }{}
	disputed := map[int64]bool{}
	for _, e := range entries {
		l, ok := lines[e.ContractID]
		if !ok {
			p := parties[e.ContractID]
			l = &domain.PayrollLine{WorkerID: p.WorkerID, WorkerName: p.WorkerName, IDMasked: p.IDNumberMasked,
				EmployerName: p.EmployerName, ContractID: p.ID, ContractNumber: p.Number, Unit: domain.WageUnit(p.WageUnit),
				PieceUnit: p.PieceUnit, State: "pending"}
			lines[e.ContractID] = l
			workByDay[e.ContractID] = map[string]int64{}
		}
		kind := e.Kind
		if e.CorrectsID != nil {
			kind = kindOf[*e.CorrectsID]
		}
		switch kind {
		case string(domain.LedgerWork):
			l.GrossFen += e.AmountFen
			l.QuantityMilli += e.QuantityMilli
			workByDay[e.ContractID][e.WorkDate] += e.QuantityMilli
		case string(domain.LedgerCancellation):
			l.GrossFen += e.AmountFen
		case string(domain.LedgerPayment):
			l.PaidFen += e.AmountFen
		}
		if e.Kind == string(domain.LedgerPayment) {
			pc := payments[e.ContractID]
			pc.total++
			if r, ok := responses[e.ID]; ok && r.Response == "confirm" {
				pc.confirmed++
			}
			payments[e.ContractID] = pc
			if domain.Date(e.WorkDate) > l.PaidOn {
				l.PaidOn = domain.Date(e.WorkDate)
			}
			if !containsMethod(l.Methods, domain.PayMethod(e.Method)) {
				l.Methods = append(l.Methods, domain.PayMethod(e.Method))
			}
		}
		if r, ok := responses[e.ID]; ok && r.Response == "dispute" && r.ResolvedAt == nil {
			disputed[e.ContractID] = true
		}
	}
	out := make([]domain.PayrollLine, 0, len(lines))
	for id, l := range lines {
		for _, q := range workByDay[id] {
			if q > 0 {
				l.Days++
			}
		}
		switch pc := payments[id]; {
		case disputed[id]:
			l.State = "disputed"
		case pc.total > 0 && pc.confirmed == pc.total:
			l.State = "confirmed"
		}
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ContractNumber < out[j].ContractNumber })
	return out, nil
}

func containsMethod(ms []domain.PayMethod, m domain.PayMethod) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// RevealIDNumbers decrypts the resident ID numbers of the given workers for an admin's export of a
// station's monthly payroll (the one place a full number leaves the database), and writes one audit
// event for the export naming the station, the month and the workers (never the numbers). Anyone but
// an admin is forbidden. Workers without a number on file are absent from the map.
func (s *Store) RevealIDNumbers(ctx context.Context, stationID int64, month string, workerIDs []int64, actor domain.Principal, ip string) (map[int64]string, error) {
	if actor.Kind != domain.AsAdmin {
		return nil, domain.Forbidden("只有管理员可以导出完整身份证号")
	}
	out := map[int64]string{}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		for _, chunk := range chunks(workerIDs, 500) {
			var rows []workerRow
			if err := tx.Select("id, id_number_enc").Where("id IN ? AND id_number_enc IS NOT NULL", chunk).Find(&rows).Error; err != nil {
				return err
			}
			for _, r := range rows {
				plain, err := s.sealer.open(*r.IDNumberEnc)
				if err != nil {
					return domain.Internal(fmt.Errorf("worker %d id number: %w", r.ID, err))
				}
				out[r.ID] = plain
			}
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "payroll.export_id_numbers", EntityKind: "station", EntityID: stationID, IP: ip,
			Detail: map[string]any{"month": month, "workers": workerIDs, "revealed": len(out)}})
	})
	if err != nil {
		return nil, translate(err, "工资台账")
	}
	return out, nil
}

package store

import (
	"context"
	"fmt"

	"lingong/domain"
)

// ContractsByIDs is ContractByID for many contracts in a few queries (per 500: the rows, their anchors
// in the audit chain, the signatures): the contracts in the order of ids, and their signature events by
// contract id. As ContractByID, an id that does not exist is not_found and a contract whose record
// disagrees with its signed terms is a conflict (the first such contract in ids is named).
func (s *Store) ContractsByIDs(ctx context.Context, ids []int64) ([]domain.Contract, map[int64][]domain.SignatureEvent, error) {
	db := s.conn(ctx)
	byID := make(map[int64]contractRow, len(ids))
	for _, chunk := range chunks(ids, 500) {
		var rows []contractRow
		if err := db.Where("id IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, nil, translate(err, "合约")
		}
		for _, r := range rows {
			byID[r.ID] = r
		}
	}
	rows := make([]contractRow, 0, len(ids))
	for _, id := range ids {
		r, ok := byID[id]
		if !ok {
			return nil, nil, domain.NotFound("合约")
		}
		rows = append(rows, r)
	}
	broken, err := s.checkContractRows(db, rows)
	if err != nil {
		return nil, nil, translate(err, "合约")
	}
	for _, r := range rows {
		if err := unusable(broken[r.ID]); err != nil {
			return nil, nil, err
		}
	}
	sigs := make(map[int64][]domain.SignatureEvent, len(ids))
	for _, chunk := range chunks(ids, 500) {
		var srows []signatureRow
		if err := db.Where("contract_id IN ?", chunk).Order("id").Find(&srows).Error; err != nil {
			return nil, nil, translate(err, "合约")
		}
		for _, r := range srows {
			sigs[r.ContractID] = append(sigs[r.ContractID], signatureFromRow(r))
		}
	}
	out := make([]domain.Contract, len(rows))
	for i, r := range rows {
		out[i] = contractFromRow(r)
	}
	return out, sigs, nil
}

// StaffNames returns the display names of the staff accounts with those ids, in one query per 500
// (an id without an account is absent).
func (s *Store) StaffNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for _, chunk := range chunks(ids, 500) {
		var rows []staffRow
		if err := s.conn(ctx).Select("id, display_name").Where("id IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, translate(fmt.Errorf("staff names: %w", err), "工作人员")
		}
		for _, r := range rows {
			out[r.ID] = r.DisplayName
		}
	}
	return out, nil
}

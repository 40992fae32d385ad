package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// Incidents (出险登记, issue 22 item 4). A row per accident; each write (the record, every step of the
// claim) recomputes the row's keyed hash over all its fields and writes an audit event carrying it, so
// a row edited in the database no longer matches its hash, and a hash recomputed by someone with the
// key no longer matches the last audit event (the audit chain is itself keyed and chained).

type incidentRow struct {
	ID               int64 `gorm:"primaryKey"`
	CityCode         string
	ContractID       int64
	JobID            int64
	WorkerID         int64
	EmployerID       int64
	StationID        int64
	OccurredOn       string
	OccurredTime     string
	Place            string
	What             string
	Injuries         string
	Witnesses        string
	Status           string
	ReportedOn       string
	ClaimedOn        string
	PaidOn           string
	ClosedOn         string
	PaidFen          int64
	InsurerReference string
	Note             string
	RecordedByKind   string
	RecordedByID     int64
	RowHash          string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (incidentRow) TableName() string { return "incidents" }

func (s *Store) incidentMAC(r incidentRow) string {
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	return domain.ChainMAC(s.evidenceKey, "incident", r.CityCode, i(r.ID), i(r.ContractID), i(r.JobID), i(r.WorkerID), i(r.EmployerID),
		i(r.StationID), r.OccurredOn, r.OccurredTime, r.Place, r.What, r.Injuries, r.Witnesses, r.Status, r.ReportedOn, r.ClaimedOn,
		r.PaidOn, r.ClosedOn, i(r.PaidFen), r.InsurerReference, r.Note, r.RecordedByKind, i(r.RecordedByID), domain.Micros(r.CreatedAt))
}

func (r incidentRow) domain() domain.Incident {
	return domain.Incident{ID: r.ID, ContractID: r.ContractID, JobID: r.JobID, WorkerID: r.WorkerID, EmployerID: r.EmployerID,
		StationID: r.StationID, OccurredOn: domain.Date(r.OccurredOn), OccurredTime: r.OccurredTime, Place: r.Place, What: r.What,
		Injuries: r.Injuries, Witnesses: r.Witnesses, Status: domain.IncidentStatus(r.Status), StatusLabel: domain.IncidentStatus(r.Status).Label(),
		ReportedOn: domain.Date(r.ReportedOn), ClaimedOn: domain.Date(r.ClaimedOn), PaidOn: domain.Date(r.PaidOn), ClosedOn: domain.Date(r.ClosedOn),
		PaidFen: r.PaidFen, InsurerReference: r.InsurerReference, Note: r.Note, RecordedBy: fmt.Sprintf("%s:%d", r.RecordedByKind, r.RecordedByID),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// incidentAudit writes the audit event of an incident's write, carrying the row's hash.
func (s *Store) incidentAudit(tx *gorm.DB, action string, r incidentRow, actor domain.Principal, ip string, extra map[string]any) error {
	detail := map[string]any{"incident_id": r.ID, "contract_id": r.ContractID, "status": r.Status, "row_hash": r.RowHash}
	for k, v := range extra {
		detail[k] = v
	}
	return s.appendAudit(tx, Audit{Actor: actor, Action: action, EntityKind: "incident", EntityID: r.ID, IP: ip, Detail: detail})
}

// RecordIncident records an accident on a contract (already checked by the caller: the contract
// exists and the input is normalised), reported today, with its audit event.
func (s *Store) RecordIncident(ctx context.Context, ct domain.Contract, in domain.IncidentInput, today domain.Date, by domain.Principal, ip string) (domain.Incident, error) {
	now := s.now().UTC().Truncate(time.Microsecond)
	row := incidentRow{CityCode: domain.CityCode, ContractID: ct.ID, JobID: ct.JobID, WorkerID: ct.WorkerID, EmployerID: ct.EmployerID,
		StationID: ct.StationID, OccurredOn: string(in.OccurredOn), OccurredTime: in.OccurredTime, Place: in.Place, What: in.What,
		Injuries: in.Injuries, Witnesses: in.Witnesses, Status: string(domain.IncidentReported), ReportedOn: string(today),
		RecordedByKind: by.ActorKind(), RecordedByID: by.ID, RowHash: "-", CreatedAt: now, UpdatedAt: now}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		row.RowHash = s.incidentMAC(row)
		if err := tx.Model(&incidentRow{}).Where("id = ?", row.ID).Update("row_hash", row.RowHash).Error; err != nil {
			return err
		}
		return s.incidentAudit(tx, "incident.record", row, by, ip, map[string]any{"occurred_on": row.OccurredOn})
	})
	if err != nil {
		return domain.Incident{}, translate(fmt.Errorf("record incident on contract %d: %w", ct.ID, err), "出险记录")
	}
	return s.Incident(ctx, row.ID)
}

// MoveIncident moves an incident's claim one step. check validates the move against the incident as
// it stands inside the transaction (the row locked): an error from it changes nothing.
func (s *Store) MoveIncident(ctx context.Context, id int64, check func(domain.Incident) (domain.IncidentMove, error), by domain.Principal, ip string) (domain.Incident, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockRow(tx, "incidents", id); err != nil {
			return err
		}
		var row incidentRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		m, err := check(row.domain())
		if err != nil {
			return err
		}
		from := row.Status
		after := row.domain().Apply(m)
		row.Status, row.ClaimedOn, row.PaidOn, row.ClosedOn = string(after.Status), string(after.ClaimedOn), string(after.PaidOn), string(after.ClosedOn)
		row.PaidFen, row.InsurerReference, row.Note = after.PaidFen, after.InsurerReference, after.Note
		row.UpdatedAt = s.now().UTC().Truncate(time.Microsecond)
		row.RowHash = s.incidentMAC(row)
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		return s.incidentAudit(tx, "incident."+string(m.Status), row, by, ip, map[string]any{"from": from, "on": string(m.On),
			"paid_fen": m.PaidFen, "insurer_reference": m.InsurerReference})
	})
	if err != nil {
		return domain.Incident{}, translate(fmt.Errorf("move incident %d: %w", id, err), "出险记录")
	}
	return s.Incident(ctx, id)
}

// incidentsWithNames turns rows into incidents with the names the lists show (contract number, gig,
// worker, masked ID number, employer).
func (s *Store) incidentsWithNames(db *gorm.DB, rows []incidentRow) ([]domain.Incident, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ContractID
	}
	type names struct {
		ID           int64
		Number       string
		Title        string
		WorkerName   string
		IDMasked     *string
		EmployerName string
	}
	byContract := map[int64]names{}
	for _, chunk := range chunks(ids, 500) {
		var ns []names
		if err := db.Raw(`SELECT c.id, c.number, j.title, w.name AS worker_name, w.id_number_masked AS id_masked, e.name AS employer_name
			FROM contracts c JOIN jobs j ON j.id = c.job_id JOIN workers w ON w.id = c.worker_id JOIN employers e ON e.id = c.employer_id
			WHERE c.id IN ?`, chunk).Scan(&ns).Error; err != nil {
			return nil, err
		}
		for _, n := range ns {
			byContract[n.ID] = n
		}
	}
	out := make([]domain.Incident, len(rows))
	for i, r := range rows {
		inc, n := r.domain(), byContract[r.ContractID]
		inc.ContractNumber, inc.JobTitle, inc.WorkerName, inc.EmployerName = n.Number, n.Title, n.WorkerName, n.EmployerName
		if n.IDMasked != nil {
			inc.WorkerIDMasked = *n.IDMasked
		}
		out[i] = inc
	}
	return out, nil
}

// Incident returns one incident with its names (not_found when there is none).
func (s *Store) Incident(ctx context.Context, id int64) (domain.Incident, error) {
	var rows []incidentRow
	db := s.conn(ctx)
	if err := db.Where("id = ?", id).Find(&rows).Error; err != nil {
		return domain.Incident{}, translate(fmt.Errorf("incident %d: %w", id, err), "出险记录")
	}
	if len(rows) == 0 {
		return domain.Incident{}, domain.NotFound("出险记录")
	}
	list, err := s.incidentsWithNames(db, rows)
	if err != nil {
		return domain.Incident{}, translate(fmt.Errorf("incident %d: %w", id, err), "出险记录")
	}
	return list[0], nil
}

// Incidents lists incidents newest first, at most limit.
func (s *Store) Incidents(ctx context.Context, f domain.IncidentFilter, limit int) ([]domain.Incident, error) {
	db := s.conn(ctx)
	q := db.Model(&incidentRow{})
	if f.StationID != 0 {
		q = q.Where("station_id = ?", f.StationID)
	}
	if f.EmployerID != 0 {
		q = q.Where("employer_id = ?", f.EmployerID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	var rows []incidentRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(fmt.Errorf("incidents: %w", err), "出险记录")
	}
	list, err := s.incidentsWithNames(db, rows)
	return list, translate(err, "出险记录")
}

// AuditIncidentPack records a read of an incident's evidence pack (who, from where, which incident).
func (s *Store) AuditIncidentPack(ctx context.Context, inc domain.Incident, by domain.Principal, ip string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		return s.appendAudit(tx, Audit{Actor: by, Action: "incident.pack_read", EntityKind: "incident", EntityID: inc.ID, IP: ip,
			Detail: map[string]any{"incident_id": inc.ID, "contract_id": inc.ContractID}})
	})
	return translate(err, "出险记录")
}

// VerifyIncidents checks every incident row against its keyed hash and against the hash its latest
// intact audit event carries. It returns the findings (Chinese) and the number of incidents.
func (s *Store) VerifyIncidents(ctx context.Context) ([]string, int, error) {
	var rows []incidentRow
	if err := s.conn(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, 0, translate(err, "出险记录")
	}
	if len(rows) == 0 {
		return nil, 0, nil
	}
	var evs []auditRow
	if err := s.conn(ctx).Where("entity_kind = 'incident' AND action <> 'incident.pack_read'").Order("id").Find(&evs).Error; err != nil {
		return nil, 0, translate(err, "审计记录")
	}
	anchored := map[int64]string{}
	for _, e := range evs {
		var a struct {
			IncidentID int64  `json:"incident_id"`
			RowHash    string `json:"row_hash"`
		}
		if domain.MACEqual(s.auditMAC(e), e.Hash) && json.Unmarshal([]byte(e.Detail), &a) == nil {
			anchored[a.IncidentID] = a.RowHash
		}
	}
	var problems []string
	for _, r := range rows {
		if !domain.MACEqual(s.incidentMAC(r), r.RowHash) {
			problems = append(problems, fmt.Sprintf("出险记录 %d 的内容被改动", r.ID))
		} else if h, ok := anchored[r.ID]; !ok || h != r.RowHash {
			problems = append(problems, fmt.Sprintf("出险记录 %d 与审计记录不符", r.ID))
		}
	}
	return problems, len(rows), nil
}

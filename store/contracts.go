package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
)

// createContract freezes the terms of an accepted application as a new contract (draft) inside tx.
// amend, when given, changes the gig's terms for an amendment; previous is the version it amends.
func (s *Store) createContract(tx *gorm.DB, app applicationRow, version int, previous *contractRow, amend *domain.Amendment, build domain.TermsBuilder) (domain.Contract, error) {
	parties, err := s.loadParties(tx, app)
	if err != nil {
		return domain.Contract{}, err
	}
	now := s.now()
	seq, err := nextCounter(tx, "contract:"+now.In(domain.Shanghai).Format("200601"))
	if err != nil {
		return domain.Contract{}, err
	}
	parties.Number, parties.Version, parties.IssuedAt = contractNumber(now, seq), version, now.Truncate(time.Second)
	if previous != nil {
		parties.PreviousNumber = previous.Number
	}
	if amend != nil {
		applyAmendment(&parties.Job, *amend)
	}
	terms, hash, err := build(parties)
	if err != nil {
		return domain.Contract{}, fmt.Errorf("build terms: %w", err)
	}
	if hash != sha256Hex(terms) {
		return domain.Contract{}, fmt.Errorf("terms builder returned a hash that is not the SHA-256 of the terms")
	}
	row := contractRow{CityCode: domain.CityCode, Number: parties.Number, ApplicationID: app.ID, JobID: app.JobID,
		WorkerID: app.WorkerID, EmployerID: parties.Employer.ID, StationID: parties.Job.StationID, Version: version,
		TermsJSON: string(terms), TermsHash: hash, Status: string(domain.ContractDraft),
		WageFen: parties.Job.WageFen, WageUnit: string(parties.Job.WageUnit), PieceUnit: parties.Job.CountedPieceUnit(), Settlement: string(parties.Job.Settlement),
		StartDate: string(parties.Job.StartDate), EndDate: string(parties.Job.EndDate), CreatedAt: now, UpdatedAt: now}
	if previous != nil {
		row.PreviousID = &previous.ID
	}
	if err := tx.Create(&row).Error; err != nil {
		return domain.Contract{}, err
	}
	return contractFromRow(row), nil
}

func applyAmendment(j *domain.Job, a domain.Amendment) {
	if a.StartDate != "" {
		j.StartDate = a.StartDate
	}
	if a.EndDate != "" {
		j.EndDate = a.EndDate
	}
	if a.WageFen > 0 {
		j.WageFen = a.WageFen
	}
	if a.DailyHours > 0 {
		j.DailyHours = a.DailyHours
	}
	if len(a.Shifts) > 0 {
		j.Shifts = a.Shifts
	}
}

// loadParties reads everything the terms are made of, inside the accepting transaction.
func (s *Store) loadParties(tx *gorm.DB, app applicationRow) (domain.ContractParties, error) {
	var jr jobRow
	if err := tx.Where("id = ?", app.JobID).Take(&jr).Error; err != nil {
		return domain.ContractParties{}, err
	}
	jobs, err := loadJobs(tx, []jobRow{jr})
	if err != nil {
		return domain.ContractParties{}, err
	}
	var wr workerRow
	if err := tx.Where("id = ?", app.WorkerID).Take(&wr).Error; err != nil {
		return domain.ContractParties{}, err
	}
	workers, err := loadWorkers(tx, []workerRow{wr})
	if err != nil {
		return domain.ContractParties{}, err
	}
	var er employerRow
	if err := tx.Where("id = ?", jr.EmployerID).Take(&er).Error; err != nil {
		return domain.ContractParties{}, err
	}
	var sr stationRow
	if err := tx.Where("id = ?", jr.StationID).Take(&sr).Error; err != nil {
		return domain.ContractParties{}, err
	}
	return domain.ContractParties{Job: jobs[0], Worker: workers[0], WorkerIDMasked: wr.IDNumberMasked,
		Employer: employerFromRow(er, ""), EmployerIDMasked: er.IDNumberMasked, Station: stationFromRow(sr)}, nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func contractFromRow(r contractRow) domain.Contract {
	c := domain.Contract{ID: r.ID, Number: r.Number, ApplicationID: r.ApplicationID, JobID: r.JobID, WorkerID: r.WorkerID,
		EmployerID: r.EmployerID, StationID: r.StationID, Version: r.Version, TermsJSON: r.TermsJSON, TermsHash: r.TermsHash,
		Status: domain.ContractStatus(r.Status), WageFen: r.WageFen, WageUnit: domain.WageUnit(r.WageUnit), PieceUnit: r.PieceUnit,
		Settlement: domain.Settlement(r.Settlement), StartDate: domain.Date(r.StartDate), EndDate: domain.Date(r.EndDate),
		CityCode: r.CityCode, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.PreviousID != nil {
		c.PreviousID = *r.PreviousID
	}
	return c
}

func signatureFromRow(r signatureRow) domain.SignatureEvent {
	return domain.SignatureEvent{ID: r.ID, ContractID: r.ContractID, Role: domain.SignerRole(r.Role), Method: domain.SignMethod(r.Method),
		SignerID: r.SignerID, CredentialID: r.CredentialID, TermsHash: r.TermsHash, IP: r.IP, UserAgent: r.UserAgent, SignedAt: r.SignedAt}
}

// ContractByID returns a contract with its signature events, or not_found.
func (s *Store) ContractByID(ctx context.Context, id int64) (domain.Contract, []domain.SignatureEvent, error) {
	return s.contractWhere(ctx, "id = ?", id)
}

// ContractByNumber returns the contract with that number and its signature events, or not_found.
func (s *Store) ContractByNumber(ctx context.Context, number string) (domain.Contract, []domain.SignatureEvent, error) {
	return s.contractWhere(ctx, "number = ?", number)
}

func (s *Store) contractWhere(ctx context.Context, cond string, arg any) (domain.Contract, []domain.SignatureEvent, error) {
	db := s.conn(ctx)
	var row contractRow
	if err := db.Where(cond, arg).Take(&row).Error; err != nil {
		return domain.Contract{}, nil, translate(err, "合约")
	}
	// Whoever reads a contract is authorised by its worker_id, employer_id and station_id, and sees its
	// wage: all checked against the signed terms and the keyed anchor first.
	if err := s.usableContract(db, row); err != nil {
		return domain.Contract{}, nil, translate(err, "合约")
	}
	sigs, err := signaturesOf(db, row.ID)
	if err != nil {
		return domain.Contract{}, nil, translate(err, "合约")
	}
	return contractFromRow(row), sigs, nil
}

func signaturesOf(db *gorm.DB, contractID int64) ([]domain.SignatureEvent, error) {
	var rows []signatureRow
	if err := db.Where("contract_id = ?", contractID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.SignatureEvent, len(rows))
	for i, r := range rows {
		out[i] = signatureFromRow(r)
	}
	return out, nil
}

// ContractsFor lists contracts of one party (worker_id or employer_id) or station (station_id), newest
// first. day, when set, keeps only contracts created that day (Asia/Shanghai): the station's print batch.
func (s *Store) ContractsFor(ctx context.Context, column string, id int64, day domain.Date) ([]domain.Contract, error) {
	switch column {
	case "worker_id", "employer_id", "station_id":
	default:
		return nil, domain.Internal(fmt.Errorf("contracts for %q", column))
	}
	q := s.conn(ctx).Where(column+" = ?", id)
	if day != "" {
		q = q.Where("created_at >= ? AND created_at < ?", day.Start().UTC(), day.AddDays(1).Start().UTC())
	}
	var rows []contractRow
	if err := q.Order("id DESC").Limit(500).Find(&rows).Error; err != nil {
		return nil, translate(err, "合约")
	}
	// A party's list holds only contracts whose worker_id and employer_id are the signed ones: an edited
	// worker_id must not show another worker's contract in this worker's list. The station's list keeps
	// them, so staff see (and open, and are told about) a contract that was tampered with.
	var broken map[int64][]string
	if column != "station_id" {
		var err error
		if broken, err = s.checkContractRows(s.conn(ctx), rows); err != nil {
			return nil, translate(err, "合约")
		}
	}
	out := make([]domain.Contract, 0, len(rows))
	for _, r := range rows {
		if broken[r.ID] == nil {
			out = append(out, contractFromRow(r))
		}
	}
	return out, nil
}

// SignContract records one party's confirmation of the contract's current terms. ev carries who, how
// (SMS code id, API key id or witnessing staff id), IP and user agent; the store sets the time and
// checks that ev.TermsHash is the contract's hash (a party signs exactly what it saw). When both the
// worker and the employer have signed, the contract becomes active; an amendment that becomes active
// supersedes (terminates) the version it amends. Signing twice for one role is a conflict.
func (s *Store) SignContract(ctx context.Context, contractID int64, ev domain.SignatureEvent, actor domain.Principal, ip string) (domain.Contract, error) {
	var out domain.Contract
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockRow(tx, "contracts", contractID); err != nil {
			return err
		}
		var c contractRow
		if err := tx.Where("id = ?", contractID).Take(&c).Error; err != nil {
			return err
		}
		if err := s.usableContract(tx, c); err != nil {
			return err
		}
		if c.Status != string(domain.ContractDraft) {
			return domain.Conflict("合约不在待签署状态")
		}
		if ev.TermsHash != c.TermsHash {
			return domain.Conflict("合约条款已更新，请重新查看后再确认")
		}
		var n int64
		if err := tx.Model(&signatureRow{}).Where("contract_id = ? AND role = ?", c.ID, ev.Role).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return domain.Conflict("这一方已经确认过合约")
		}
		if ev.Method == domain.SignSMS {
			// The SMS code that proved the worker's consent is used up with the signature, never reused.
			if err := s.useOTP(tx, ev.CredentialID); err != nil {
				return err
			}
		}
		now := s.now().Truncate(time.Microsecond)
		row := signatureRow{ContractID: c.ID, Role: string(ev.Role), Method: string(ev.Method), SignerID: ev.SignerID,
			CredentialID: ev.CredentialID, TermsHash: c.TermsHash, IP: truncate(ev.IP, 64), UserAgent: truncate(ev.UserAgent, 300), SignedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if err := s.appendAudit(tx, Audit{Actor: actor, Action: "contract.sign", EntityKind: "contract", EntityID: c.ID, IP: ip,
			Detail: signatureAuditDetail(row)}); err != nil {
			return err
		}
		if err := tx.Model(&signatureRow{}).Where("contract_id = ?", c.ID).Count(&n).Error; err != nil {
			return err
		}
		if n == 2 {
			if err := tx.Model(&contractRow{}).Where("id = ?", c.ID).Updates(map[string]any{"status": domain.ContractActive, "updated_at": now}).Error; err != nil {
				return err
			}
			c.Status = string(domain.ContractActive)
			if err := s.appendAudit(tx, Audit{Actor: actor, Action: "contract.activate", EntityKind: "contract", EntityID: c.ID, IP: ip,
				Detail: map[string]any{"terms_hash": c.TermsHash}}); err != nil {
				return err
			}
			if c.PreviousID != nil {
				if err := tx.Model(&contractRow{}).Where("id = ? AND status = ?", *c.PreviousID, domain.ContractActive).
					Updates(map[string]any{"status": domain.ContractTerminated, "updated_at": now}).Error; err != nil {
					return err
				}
				if err := s.appendAudit(tx, Audit{Actor: actor, Action: "contract.supersede", EntityKind: "contract", EntityID: *c.PreviousID, IP: ip,
					Detail: map[string]any{"by": c.Number}}); err != nil {
					return err
				}
			}
			for _, to := range []domain.Notification{
				{RecipientKind: domain.RecipientWorker, RecipientID: c.WorkerID},
				{RecipientKind: domain.RecipientEmployer, RecipientID: c.EmployerID},
			} {
				to.Kind, to.Title, to.JobID = "contract_active", "合约已生效："+c.Number, c.JobID
				to.Body = "双方都已确认，电子合约 " + c.Number + " 已生效。"
				if err := s.insertNotification(tx, to); err != nil {
					return err
				}
			}
		} else {
			other := domain.Notification{RecipientKind: domain.RecipientEmployer, RecipientID: c.EmployerID}
			if ev.Role == domain.SignerEmployer {
				other = domain.Notification{RecipientKind: domain.RecipientWorker, RecipientID: c.WorkerID}
			}
			other.Kind, other.Title, other.JobID = "contract_signed", "对方已确认合约："+c.Number, c.JobID
			other.Body = "对方已确认电子合约 " + c.Number + "，请您查看并确认。"
			if err := s.insertNotification(tx, other); err != nil {
				return err
			}
		}
		c.UpdatedAt = now
		out = contractFromRow(c)
		return nil
	})
	if err != nil {
		return domain.Contract{}, translate(fmt.Errorf("sign contract %d: %w", contractID, err), "合约")
	}
	return out, nil
}

// signatureAuditDetail is every column of a signature row, so the audit event (hash-chained) vouches
// for the row: editing any of it is detected by VerifyContract.
func signatureAuditDetail(r signatureRow) map[string]any {
	return map[string]any{
		"signature_id": r.ID, "role": r.Role, "method": r.Method, "signer_id": r.SignerID,
		"credential_id": r.CredentialID, "terms_hash": r.TermsHash, "ip": r.IP, "user_agent": r.UserAgent,
		"signed_at": r.SignedAt.UTC().Format(time.RFC3339Nano),
	}
}

// AmendContract proposes new terms for an active (or draft) contract: a new version with a new number
// that references the old one, in draft, needing both signatures again. The old version stays as it
// was signed until the new one is fully signed.
func (s *Store) AmendContract(ctx context.Context, contractID int64, a domain.Amendment, actor domain.Principal, ip string, build domain.TermsBuilder) (domain.Contract, error) {
	var out domain.Contract
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockRow(tx, "contracts", contractID); err != nil {
			return err
		}
		var c contractRow
		if err := tx.Where("id = ?", contractID).Take(&c).Error; err != nil {
			return err
		}
		if err := authorizeContractParty(actor, c, false); err != nil {
			return err
		}
		if err := s.usableContract(tx, c); err != nil {
			return err
		}
		if c.Status != string(domain.ContractActive) && c.Status != string(domain.ContractDraft) {
			return domain.Conflict("已结束的合约不能变更")
		}
		var newer int64
		if err := tx.Model(&contractRow{}).Where("previous_id = ? AND status = ?", c.ID, domain.ContractDraft).Count(&newer).Error; err != nil {
			return err
		}
		if newer > 0 {
			return domain.Conflict("已有一份待签署的变更，请先处理")
		}
		var app applicationRow
		if err := tx.Where("id = ?", c.ApplicationID).Take(&app).Error; err != nil {
			return err
		}
		var err error
		out, err = s.createContract(tx, app, c.Version+1, &c, &a, build)
		if err != nil {
			return err
		}
		if c.Status == string(domain.ContractDraft) {
			// An unsigned draft is simply replaced.
			if err := tx.Model(&contractRow{}).Where("id = ?", c.ID).Updates(map[string]any{"status": domain.ContractTerminated, "updated_at": s.now()}).Error; err != nil {
				return err
			}
		}
		detail := contractAnchor(out)
		detail["amends"], detail["reason"] = c.Number, a.Reason
		return s.appendAudit(tx, Audit{Actor: actor, Action: "contract.create", EntityKind: "contract", EntityID: out.ID, IP: ip,
			Detail: detail})
	})
	if err != nil {
		return domain.Contract{}, translate(fmt.Errorf("amend contract %d: %w", contractID, err), "合约")
	}
	return out, nil
}

// authorizeContractParty lets the contract's worker and employer, staff of its station and admins act
// on it; anyone else gets not_found (a contract's existence is private). workerOK says whether the
// worker may do this action.
func authorizeContractParty(actor domain.Principal, c contractRow, workerOK bool) error {
	switch actor.Kind {
	case domain.AsWorker:
		if workerOK && actor.ID == c.WorkerID {
			return nil
		}
	case domain.AsEmployer:
		if actor.ID == c.EmployerID {
			return nil
		}
	case domain.AsStaff, domain.AsAdmin:
		if actor.CanManageStation(c.StationID) {
			return nil
		}
		return domain.Forbidden("只能查看本站点的合约")
	}
	return gorm.ErrRecordNotFound
}

// VerifyContract checks that a contract is exactly as it was signed and recorded:
//   - its stored terms still hash to its stored hash, which is the hash its keyed audit anchor recorded;
//   - every column its money, parties and dates are computed from (wage, unit, settlement, period,
//     worker, employer, station, job) agrees with the signed terms and the anchor;
//   - every signature signed that hash and matches, field for field, its audit event, and every
//     audit event of a signature has its row (an edited or deleted signature is found);
//   - its status agrees with its signatures;
//   - its ledger lines form an unbroken keyed chain, each vouched for by its audit event;
//   - each of its audit events still matches its keyed hash and links to the event before it (an
//     edited or deleted audit row is found).
//
// It returns the findings; Intact is true only when there are none.
func (s *Store) VerifyContract(ctx context.Context, number string) (domain.ContractVerification, error) {
	db := s.conn(ctx)
	var c contractRow
	if err := db.Where("number = ?", number).Take(&c).Error; err != nil {
		return domain.ContractVerification{}, translate(err, "合约")
	}
	problems, _, err := s.verifyContractRow(db, c, true)
	if err != nil {
		return domain.ContractVerification{}, translate(err, "合约")
	}
	sigRows, err := signaturesOf(db, c.ID)
	if err != nil {
		return domain.ContractVerification{}, translate(err, "合约")
	}
	if problems == nil {
		problems = []string{}
	}
	return domain.ContractVerification{Contract: contractFromRow(c), TermsJSON: c.TermsJSON, Signatures: sigRows,
		Intact: len(problems) == 0, Problems: problems}, nil
}

// verifyContractRow is VerifyContract's work on one row; links says whether to check each of the
// contract's audit events against its neighbours in the chain (not needed when the whole chain is
// checked anyway). It also returns the number of ledger lines checked.
func (s *Store) verifyContractRow(db *gorm.DB, c contractRow, links bool) ([]string, int, error) {
	var sigRows []signatureRow
	if err := db.Where("contract_id = ?", c.ID).Order("id").Find(&sigRows).Error; err != nil {
		return nil, 0, err
	}
	var events []auditRow
	if err := db.Where("entity_kind = 'contract' AND entity_id = ?", c.ID).Order("id").Find(&events).Error; err != nil {
		return nil, 0, err
	}
	var problems []string
	add := func(p string) { problems = append(problems, p) }

	var anchors []auditRow
	signEvents := map[string]auditRow{}
	activated := false
	for i := range events {
		e := events[i]
		switch e.Action {
		case "contract.create", "contract.seal", endingAction:
			anchors = append(anchors, e)
		case "contract.sign":
			var d map[string]any
			if json.Unmarshal([]byte(e.Detail), &d) == nil {
				signEvents[fmt.Sprint(d["signature_id"])] = e
			}
		case "contract.activate":
			activated = true
		}
	}
	problems = append(problems, s.checkContractRow(c, anchors)...)
	roles := map[string]bool{}
	for _, r := range sigRows {
		roles[r.Role] = true
		if r.TermsHash != c.TermsHash {
			add(fmt.Sprintf("%s的签署记录与合约条款不符", roleLabel(r.Role)))
		}
		e, ok := signEvents[strconv.FormatInt(r.ID, 10)]
		if !ok {
			add(fmt.Sprintf("%s的签署记录没有对应的审计记录", roleLabel(r.Role)))
			continue
		}
		want, _ := json.Marshal(signatureAuditDetail(r))
		if !sameJSON(e.Detail, string(want)) {
			add(fmt.Sprintf("%s的签署记录被改动", roleLabel(r.Role)))
		}
		delete(signEvents, strconv.FormatInt(r.ID, 10))
	}
	for range signEvents {
		add("审计记录中的签署在签署表中不存在：签署记录被删除")
	}
	bothSigned := roles[string(domain.SignerWorker)] && roles[string(domain.SignerEmployer)]
	switch domain.ContractStatus(c.Status) {
	case domain.ContractDraft:
		if bothSigned {
			add("双方均已签署但合约仍显示为待签署")
		}
	case domain.ContractActive, domain.ContractCompleted:
		if !bothSigned {
			add("合约显示已生效，但缺少一方的签署")
		}
		if !activated {
			add("合约显示已生效，但没有生效的审计记录")
		}
	}
	ledgerProblems, lines, err := s.verifyLedger(db, c, events)
	if err != nil {
		return nil, 0, err
	}
	problems = append(problems, ledgerProblems...)
	attendanceProblems, err := s.verifyAttendance(db, c, events)
	if err != nil {
		return nil, 0, err
	}
	problems = append(problems, attendanceProblems...)
	for _, e := range events {
		if !domain.MACEqual(s.auditMAC(e), e.Hash) {
			add(fmt.Sprintf("审计记录 %d 被改动", e.ID))
		}
		if !links {
			continue
		}
		var prev auditRow
		err := db.Select("hash").Where("id < ?", e.ID).Order("id DESC").Limit(1).Take(&prev).Error
		switch {
		case err == nil && prev.Hash != e.PrevHash:
			add(fmt.Sprintf("审计记录 %d 之前的记录被删除或改动", e.ID))
		case err != nil && !isNotFound(err):
			return nil, 0, err
		case err != nil && e.PrevHash != genesisHash:
			add(fmt.Sprintf("审计记录 %d 之前的记录被删除", e.ID))
		}
		var next auditRow
		err = db.Select("prev_hash").Where("id > ?", e.ID).Order("id").Limit(1).Take(&next).Error
		if err == nil && next.PrevHash != e.Hash {
			add(fmt.Sprintf("审计记录 %d 之后的记录被删除或改动", e.ID))
		}
	}
	return dedupe(problems), lines, nil
}

func roleLabel(role string) string {
	if role == string(domain.SignerWorker) {
		return "零工"
	}
	return "用工方"
}

// sameJSON compares two JSON objects by value (key order and number spelling aside).
func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}

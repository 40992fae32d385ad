package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"lingong/domain"
)

// insertWorker writes a new worker with its skills and certificates inside tx, numbering it and sealing
// its ID number (when given). It fills w.ID, w.No and the timestamps.
func (s *Store) insertWorker(tx *gorm.DB, w *domain.Worker, idNumber string) error {
	n, err := s.nextWorkerNo(tx)
	if err != nil {
		return err
	}
	now := s.now()
	row := workerRow{
		CityCode: domain.CityCode, WorkerNo: workerNo(n), Phone: w.Phone, Name: w.Name, Gender: w.Gender,
		BirthYear: w.BirthYear, District: w.District, Town: w.Town, Village: w.Village, Lat: w.Lat, Lng: w.Lng, Located: located(w.Located),
		SelfDescription: w.SelfDescription, AvailableFrom: string(w.AvailableFrom), AvailableTo: string(w.AvailableTo),
		ExpectedWageFen: w.ExpectedWageFen, ExpectedWageUnit: string(w.ExpectedWageUnit), MaxCommuteKm: w.MaxCommuteKm,
		StationID: w.StationID, PushOptOut: w.PushOptOut, Status: domain.WorkerActive, CardVersion: 1,
		CreatedAt: now, UpdatedAt: now,
	}
	if row.ExpectedWageUnit == "" {
		row.ExpectedWageUnit = string(domain.PerDay)
	}
	if w.RegisteredBy != 0 {
		row.RegisteredByStaffID = &w.RegisteredBy
	}
	if idNumber != "" {
		if err := s.setIDNumber(&row.IDNumberEnc, &row.IDNumberIndex, &row.IDNumberMasked, idNumber); err != nil {
			return err
		}
	}
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	if err := insertWorkerTags(tx, row.ID, w.Skills, w.Certs); err != nil {
		return err
	}
	w.ID, w.No, w.CreatedAt, w.UpdatedAt = row.ID, row.WorkerNo, row.CreatedAt, row.UpdatedAt
	w.Status, w.CardVersion, w.CityCode, w.IDNumberMasked = row.Status, row.CardVersion, row.CityCode, row.IDNumberMasked
	return nil
}

// setIDNumber seals a normalised ID number into the three columns that hold it.
func (s *Store) setIDNumber(enc, index **string, masked *string, idNumber string) error {
	sealed, err := s.sealer.seal(idNumber)
	if err != nil {
		return err
	}
	idx, err := s.sealer.index(idNumber)
	if err != nil {
		return err
	}
	*enc, *index, *masked = &sealed, &idx, domain.MaskIDNumber(idNumber)
	return nil
}

// replaceWorkerTags sets a worker's skills and certificates to exactly the given sets.
func replaceWorkerTags(tx *gorm.DB, workerID int64, skills, certs []string) error {
	if err := tx.Where("worker_id = ?", workerID).Delete(&workerSkillRow{}).Error; err != nil {
		return err
	}
	if err := tx.Where("worker_id = ?", workerID).Delete(&workerCertRow{}).Error; err != nil {
		return err
	}
	return insertWorkerTags(tx, workerID, skills, certs)
}

// insertWorkerTags writes a worker's skills and certificates, each set in one statement (a registration
// waits for each round trip).
func insertWorkerTags(tx *gorm.DB, workerID int64, skills, certs []string) error {
	if len(skills) > 0 {
		rows := make([]workerSkillRow, len(skills))
		for i, sk := range skills {
			rows[i] = workerSkillRow{WorkerID: workerID, Skill: sk}
		}
		if err := tx.Create(&rows).Error; err != nil {
			return err
		}
	}
	if len(certs) > 0 {
		rows := make([]workerCertRow, len(certs))
		for i, c := range certs {
			rows[i] = workerCertRow{WorkerID: workerID, Cert: c}
		}
		if err := tx.Create(&rows).Error; err != nil {
			return err
		}
	}
	return nil
}

// loadWorkers converts rows to domain workers, loading their skills, certificates and station codes in
// three queries however many rows there are.
func loadWorkers(db *gorm.DB, rows []workerRow) ([]domain.Worker, error) {
	if len(rows) == 0 {
		return []domain.Worker{}, nil
	}
	if len(rows) == 1 {
		return loadOneWorker(db, rows[0])
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	skills := map[int64][]string{}
	certs := map[int64][]string{}
	for _, chunk := range chunks(ids, 500) {
		var sk []workerSkillRow
		if err := db.Where("worker_id IN ?", chunk).Order("worker_id, skill").Find(&sk).Error; err != nil {
			return nil, err
		}
		for _, r := range sk {
			skills[r.WorkerID] = append(skills[r.WorkerID], r.Skill)
		}
		var cs []workerCertRow
		if err := db.Where("worker_id IN ?", chunk).Order("worker_id, cert").Find(&cs).Error; err != nil {
			return nil, err
		}
		for _, r := range cs {
			certs[r.WorkerID] = append(certs[r.WorkerID], r.Cert)
		}
	}
	codes, err := stationCodes(db)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Worker, len(rows))
	for i, r := range rows {
		out[i] = workerFromRow(r, nonNil(skills[r.ID]), nonNil(certs[r.ID]), codes[r.StationID])
	}
	return out, nil
}

// loadOneWorker is loadWorkers for one row in one query instead of three: a worker's own reads (every
// GET /api/v1/workers/me/matches loads its caller) pay one round trip for the tags and the station code.
// The tags come in the order the three-query form gives (by name, the database's collation).
func loadOneWorker(db *gorm.DB, r workerRow) ([]domain.Worker, error) {
	var tags []struct {
		Kind  string
		Value string
	}
	err := db.Raw(`SELECT 's' AS kind, skill AS value FROM worker_skills WHERE worker_id = ?
		UNION ALL SELECT 'c', cert FROM worker_certs WHERE worker_id = ?
		UNION ALL SELECT 't', code FROM stations WHERE id = ?
		ORDER BY 1, 2`, r.ID, r.ID, r.StationID).Scan(&tags).Error
	if err != nil {
		return nil, err
	}
	skills, certs, code := []string{}, []string{}, ""
	for _, t := range tags {
		switch t.Kind {
		case "s":
			skills = append(skills, t.Value)
		case "c":
			certs = append(certs, t.Value)
		case "t":
			code = t.Value
		}
	}
	return []domain.Worker{workerFromRow(r, skills, certs, code)}, nil
}

func workerFromRow(r workerRow, skills, certs []string, stationCode string) domain.Worker {
	w := domain.Worker{
		ID: r.ID, No: r.WorkerNo, Phone: r.Phone, Name: r.Name, Gender: r.Gender, BirthYear: r.BirthYear,
		District: r.District, Town: r.Town, Village: r.Village, Lat: r.Lat, Lng: r.Lng, Located: located(r.Located), Skills: skills, Certs: certs,
		SelfDescription: r.SelfDescription, AvailableFrom: domain.Date(r.AvailableFrom), AvailableTo: domain.Date(r.AvailableTo),
		ExpectedWageFen: r.ExpectedWageFen, ExpectedWageUnit: domain.WageUnit(r.ExpectedWageUnit), MaxCommuteKm: r.MaxCommuteKm,
		StationID: r.StationID, StationCode: stationCode, IDNumberMasked: r.IDNumberMasked, Completed: r.Completed,
		NoShows: r.NoShows, PushOptOut: r.PushOptOut, Status: r.Status, CardVersion: r.CardVersion, CityCode: r.CityCode,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, IDVerified: r.IDVerifiedAt != nil,
	}
	if r.RegisteredByStaffID != nil {
		w.RegisteredBy = *r.RegisteredByStaffID
	}
	return w
}

// WorkerByID returns the worker, or not_found.
func (s *Store) WorkerByID(ctx context.Context, id int64) (domain.Worker, error) {
	return s.workerWhere(ctx, "id = ?", id)
}

// WorkerByPhone returns the worker registered with that (normalised) phone, or not_found.
func (s *Store) WorkerByPhone(ctx context.Context, phone string) (domain.Worker, error) {
	return s.workerWhere(ctx, "phone = ?", phone)
}

// WorkerByNo returns the worker with that printed number, or not_found.
func (s *Store) WorkerByNo(ctx context.Context, no string) (domain.Worker, error) {
	return s.workerWhere(ctx, "worker_no = ?", no)
}

func (s *Store) workerWhere(ctx context.Context, cond string, arg any) (domain.Worker, error) {
	var row workerRow
	db := s.conn(ctx)
	if err := db.Where(cond, arg).Take(&row).Error; err != nil {
		return domain.Worker{}, translate(err, "零工")
	}
	ws, err := loadWorkers(db, []workerRow{row})
	if err != nil {
		return domain.Worker{}, translate(fmt.Errorf("load worker %d: %w", row.ID, err), "零工")
	}
	return ws[0], nil
}

func chunks(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// RegisterWorker registers a worker, in one transaction: the SMS code is used up, the worker numbered
// and written with skills, certificates and sealed ID number, a session opened (not for 代登记) and a
// worker.register audit event appended. It returns created = false, with a session, when the phone is
// registered already: registering again is logging in, never a duplicate; the submitted profile is then
// ignored. The unique phone column is the backstop when two registrations of one phone race: the loser
// retries as a login.
//
// Errors: the code's problems (invalid or rate_limited on "code"); conflict on "phone" when staff
// register a phone that is registered already, or an ID number another worker holds (a worker
// registering themself is never told: the number becomes a claim, store/idclaims.go).
func (s *Store) RegisterWorker(ctx context.Context, reg domain.Registration) (domain.Worker, domain.Session, bool, error) {
	phone := reg.Worker.Phone
	byStaff := reg.Staff.IsStaff()
	switch {
	case reg.Code != "":
		if _, err := otpInput(reg.Code); err != nil {
			return domain.Worker{}, domain.Session{}, false, err // no transaction for what cannot be a code
		}
	case reg.PhoneVerified, byStaff:
	default:
		return domain.Worker{}, domain.Session{}, false, domain.Invalid("code", "请填写短信验证码")
	}
	var (
		w       domain.Worker
		sess    domain.Session
		created bool
		refused error // the code's refusal, answered after its spent try commits
	)
	attempt := func() error {
		refused = nil
		return s.tx(ctx, func(tx *gorm.DB) error {
			if reg.Code != "" {
				// The code is checked and used up in this transaction: a wrong one commits its spent
				// try and nothing else; a failure after a correct one rolls its try back with the rest.
				otpID, err := s.holdOTP(tx, phone, domain.OTPLogin, reg.Code)
				if otpRefusal(err) {
					refused = err
					return nil
				}
				if err != nil {
					return err
				}
				if err := s.useHeldOTP(tx, otpID); err != nil {
					return err
				}
			}
			var existing workerRow
			err := tx.Where("phone = ?", phone).Take(&existing).Error
			switch {
			case err == nil:
				if byStaff {
					// The number only to staff who may see the worker: another station's staff would
					// otherwise go from a phone to a worker number to a name.
					if !reg.Staff.CanManageStation(existing.StationID) {
						return &domain.Error{Code: domain.CodeConflict, Field: "phone",
							Message: "这个手机号已经在其他站点登记过了，请零工带零工卡来办理，或联系登记站点"}
					}
					return &domain.Error{Code: domain.CodeConflict, Field: "phone",
						Message: fmt.Sprintf("这个手机号已经登记过了（零工编号 %s），请扫零工卡或输入编号查看", existing.WorkerNo)}
				}
				w, sess, err = s.loginTx(tx, existing, reg.IP, reg.UserAgent)
				created = false
				return err
			case !isNotFound(err):
				return err
			}
			// A number another worker holds: staff are told (they hold the card); a worker registering
			// themself is not (no oracle), the number becomes a claim for the station to settle.
			idNumber, holder := reg.IDNumber, int64(0)
			if idNumber != "" {
				index, err := s.sealer.index(idNumber)
				if err != nil {
					return err
				}
				if holder, err = idNumberHolder(tx, index, 0); err != nil {
					return err
				}
				if holder != 0 && byStaff {
					return errIDNumberTaken(nil)
				}
				if holder != 0 {
					idNumber = ""
				}
			}
			w = reg.Worker
			w.BirthYear, w.Gender = domain.BirthYearOfID(reg.IDNumber), domain.GenderOfID(reg.IDNumber)
			actor, via := domain.Principal{Kind: domain.AsWorker}, "sms"
			if byStaff {
				w.RegisteredBy, actor, via = reg.Staff.ID, reg.Staff, "staff"
			}
			if err := s.insertWorker(tx, &w, idNumber); err != nil {
				return err
			}
			if holder != 0 {
				var row workerRow
				if err := tx.Where("id = ?", w.ID).Take(&row).Error; err != nil {
					return err
				}
				claim, _, err := s.recordIDClaim(tx, row, holder, reg.IDNumber, s.now())
				if err != nil {
					return err
				}
				if err := tx.Model(&workerRow{}).Where("id = ?", w.ID).Updates(claim).Error; err != nil {
					return err
				}
				w.IDNumberMasked = claim["id_number_masked"].(string)
			}
			if byStaff && idNumber != "" {
				// Staff typed the number from the card in front of them: verified.
				if err := tx.Model(&workerRow{}).Where("id = ?", w.ID).Update("id_verified_at", s.now()).Error; err != nil {
					return err
				}
				w.IDVerified = true
			}
			if !byStaff {
				actor.ID = w.ID
				if sess, err = s.createSession(tx, "worker", w.ID, reg.IP, reg.UserAgent); err != nil {
					return err
				}
			}
			created = true
			if err := s.appendAudit(tx, Audit{Actor: actor, Action: "worker.register", EntityKind: "worker", EntityID: w.ID,
				IP: reg.IP, Detail: map[string]any{"worker_no": w.No, "station": w.StationCode, "via": via,
					"phone": domain.MaskPhone(phone), "id_number": w.IDNumberMasked}}); err != nil {
				return err
			}
			if byStaff && reg.SignIn {
				_, err := s.signIn(tx, w.StationID, w.ID, reg.Staff, reg.IP)
				return err
			}
			return nil
		})
	}
	err := attempt()
	if err != nil && !byStaff && (isUniqueOn(err, "phone") || isUniqueOn(err, "id_number_index")) {
		err = attempt() // the race's loser logs in, or records a claim to the number
	}
	if err != nil {
		return domain.Worker{}, domain.Session{}, false, workerWriteError(fmt.Errorf("register %s: %w", domain.MaskPhone(phone), err))
	}
	if refused != nil {
		return domain.Worker{}, domain.Session{}, false, refused
	}
	return w, sess, created, nil
}

// workerWriteError names the field behind a unique violation of the workers table.
func workerWriteError(err error) error {
	switch {
	case isUniqueOn(err, "id_number_index"):
		return errIDNumberTaken(err)
	case isUniqueOn(err, "phone"):
		return &domain.Error{Code: domain.CodeConflict, Field: "phone", Message: "这个手机号已经登记过了", Err: err}
	}
	return translate(err, "零工")
}

func errIDNumberTaken(cause error) error {
	return &domain.Error{Code: domain.CodeConflict, Field: "id_number", Err: cause,
		Message: "这个身份证号已经登记过了，请用当初登记的手机号登录，或到零工驿站咨询"}
}

// isUniqueOn reports a unique violation on a column of workers (SQLite names "workers.phone",
// PostgreSQL the constraint "workers_phone_key").
func isUniqueOn(err error, column string) bool {
	if err == nil || !isUniqueViolation(err) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "workers."+column) || strings.Contains(msg, "workers_"+column+"_key")
}

// loginTx opens a session for a registered worker inside tx.
func (s *Store) loginTx(tx *gorm.DB, row workerRow, ip, ua string) (domain.Worker, domain.Session, error) {
	if row.Status != domain.WorkerActive {
		return domain.Worker{}, domain.Session{}, domain.Unauthorized("账号不可用，请联系零工驿站")
	}
	ws, err := loadWorkers(tx, []workerRow{row})
	if err != nil {
		return domain.Worker{}, domain.Session{}, err
	}
	sess, err := s.createSession(tx, "worker", row.ID, ip, ua)
	return ws[0], sess, err
}

// LoginWorker logs a registered worker in with an SMS code, using the code up. A phone that is not
// registered answers not_found and leaves the code unused, so the client can register with it.
func (s *Store) LoginWorker(ctx context.Context, phone, code, ip, ua string) (domain.Worker, domain.Session, error) {
	otpID, err := s.verifyOTP(ctx, phone, domain.OTPLogin, code)
	if err != nil {
		return domain.Worker{}, domain.Session{}, err
	}
	var (
		w    domain.Worker
		sess domain.Session
	)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var row workerRow
		if err := tx.Where("phone = ?", phone).Take(&row).Error; err != nil {
			if isNotFound(err) {
				return &domain.Error{Code: domain.CodeNotFound, Field: "phone", Message: "这个手机号还没有登记，请先登记"}
			}
			return err
		}
		if err := s.useOTP(tx, otpID); err != nil {
			return err
		}
		w, sess, err = s.loginTx(tx, row, ip, ua)
		return err
	})
	if err != nil {
		return domain.Worker{}, domain.Session{}, translate(fmt.Errorf("worker login %s: %w", domain.MaskPhone(phone), err), "零工")
	}
	return w, sess, nil
}

// ConfirmPhone checks an SMS code and uses it up. When the phone is a registered worker's it logs them in
// (registered = true, with a session); otherwise the caller may go on to register the phone, which is
// now proved (the registration page carries that proof in a signed cookie).
func (s *Store) ConfirmPhone(ctx context.Context, phone, code, ip, ua string) (w domain.Worker, sess domain.Session, registered bool, err error) {
	otpID, err := s.verifyOTP(ctx, phone, domain.OTPLogin, code)
	if err != nil {
		return domain.Worker{}, domain.Session{}, false, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.useOTP(tx, otpID); err != nil {
			return err
		}
		var row workerRow
		err := tx.Where("phone = ?", phone).Take(&row).Error
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		registered = true
		w, sess, err = s.loginTx(tx, row, ip, ua)
		return err
	})
	if err != nil {
		return domain.Worker{}, domain.Session{}, false, translate(fmt.Errorf("confirm phone %s: %w", domain.MaskPhone(phone), err), "零工")
	}
	return w, sess, registered, nil
}

// UpdateWorker replaces a worker's profile (normalised by the caller) and, when idNumber is not nil, their
// resident ID number ("" removes it), with a worker.update audit event naming the changed fields (never
// their values), all in one transaction. Nothing changed writes nothing. Errors: not_found; for staff,
// conflict on "id_number" when the number is another worker's. The worker's own change of the number
// is updateIDNumber's: never a conflict, limited, and refused once staff verified the number.
func (s *Store) UpdateWorker(ctx context.Context, actor domain.Principal, ip string, id int64, p domain.WorkerProfile, idNumber *string) (domain.Worker, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var row workerRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		ws, err := loadWorkers(tx, []workerRow{row})
		if err != nil {
			return err
		}
		before := ws[0]
		changed := changedProfileFields(before.Profile(), p)
		updates := map[string]any{
			"name": p.Name, "district": p.District, "town": p.Town, "village": p.Village, "lat": p.Lat, "lng": p.Lng, "located": located(p.Located),
			"self_description": p.SelfDescription, "available_from": string(p.AvailableFrom),
			"available_to": string(p.AvailableTo), "expected_wage_fen": p.ExpectedWageFen,
			"expected_wage_unit": string(p.ExpectedWageUnit), "max_commute_km": p.MaxCommuteKm,
			"push_opt_out": p.PushOptOut,
		}
		if idNumber != nil {
			idChanged, err := s.updateIDNumber(tx, actor, ip, row, *idNumber, updates)
			if err != nil {
				return err
			}
			if idChanged {
				changed = append(changed, "id_number")
			}
		}
		if len(changed) == 0 {
			return nil
		}
		updates["updated_at"] = s.now()
		if err := tx.Model(&workerRow{}).Where("id = ?", id).Updates(updates).Error; err != nil {
			return err
		}
		if err := replaceWorkerTags(tx, id, p.Skills, p.Certs); err != nil {
			return err
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "worker.update", EntityKind: "worker", EntityID: id,
			IP: ip, Detail: map[string]any{"fields": changed}})
	})
	if err != nil && actor.Kind == domain.AsWorker && isUniqueOn(err, "id_number_index") {
		// Another worker took the number between the check and the write: the second attempt finds
		// them and records a claim, so even a race answers nothing about the number.
		return s.UpdateWorker(ctx, actor, ip, id, p, idNumber)
	}
	if err != nil {
		return domain.Worker{}, workerWriteError(fmt.Errorf("update worker %d: %w", id, err))
	}
	return s.WorkerByID(ctx, id)
}

// located is where a worker's coordinates come from, "town" when not said.
func located(s string) string {
	if s == domain.LocatedGPS {
		return domain.LocatedGPS
	}
	return domain.LocatedTown
}

// changedProfileFields names (by JSON field) what differs between two profiles.
func changedProfileFields(a, b domain.WorkerProfile) []string {
	var out []string
	add := func(differs bool, field string) {
		if differs {
			out = append(out, field)
		}
	}
	add(a.Name != b.Name, "name")
	add(!slices.Equal(a.Skills, b.Skills), "skills")
	add(!slices.Equal(a.Certs, b.Certs), "certs")
	add(a.District != b.District || a.Town != b.Town || a.Village != b.Village, "town")
	add(located(a.Located) != located(b.Located) || (located(b.Located) == domain.LocatedGPS && (a.Lat != b.Lat || a.Lng != b.Lng)), "location")
	add(a.SelfDescription != b.SelfDescription, "self_description")
	add(a.AvailableFrom != b.AvailableFrom || a.AvailableTo != b.AvailableTo, "availability")
	add(a.ExpectedWageFen != b.ExpectedWageFen || a.ExpectedWageUnit != b.ExpectedWageUnit, "expected_wage")
	add(a.MaxCommuteKm != b.MaxCommuteKm, "max_commute_km")
	add(a.PushOptOut != b.PushOptOut, "push_opt_out")
	return out
}

// RevokeWorkerCard bumps the worker's card version: every card printed before stops working (a lost
// card), and a new one must be printed. It appends a worker.card_revoke audit event.
func (s *Store) RevokeWorkerCard(ctx context.Context, actor domain.Principal, ip string, id int64) (domain.Worker, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&workerRow{}).Where("id = ?", id).
			Updates(map[string]any{"card_version": gorm.Expr("card_version + 1"), "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.NotFound("零工")
		}
		return s.appendAudit(tx, Audit{Actor: actor, Action: "worker.card_revoke", EntityKind: "worker", EntityID: id, IP: ip})
	})
	if err != nil {
		return domain.Worker{}, translate(fmt.Errorf("revoke card of worker %d: %w", id, err), "零工")
	}
	return s.WorkerByID(ctx, id)
}

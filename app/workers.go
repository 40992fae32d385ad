package app

import (
	"context"
	"fmt"
	"strings"

	"lingong/contracts"
	"lingong/domain"
)

// Workers: registration (one use case for the API, the poster's pages and the station desk), the
// profile, the card, and finding a worker from a scan.

// Registration is a worker's registration as any surface collects it.
type Registration struct {
	Phone string // as typed; normalised here
	// How the phone was proved, one of: Code, an SMS code checked and used up with the registration (the
	// API); PhoneVerified, the caller checked a code already (the registration page's signed step);
	// neither, for station staff registering a worker in person (代登记).
	Code          string
	PhoneVerified bool
	// StationCode is the station the poster names; staff always register at their own station, and an
	// admin names one.
	StationCode string
	Profile     domain.WorkerProfile // as typed; normalised here
	IDNumber    string               // resident ID number as typed, or ""
	// SignIn (代登记 at the desk only) also signs the worker in for today's walk-in queue, in the same
	// transaction.
	SignIn bool
}

// Registered is the outcome of a registration: the worker, their session (none for 代登记), and whether
// the worker is new (false: the phone was registered already, and registering again logged them in).
type Registered struct {
	Worker  domain.Worker
	Session domain.Session
	Created bool
	// NameWarning, when not empty, says that characters of the name cannot be printed (NameWarning).
	NameWarning string
}

// NameWarning is the warning for a name with characters the documents' font lacks: they print as 〓,
// so the worker number printed beside the name on every contract, card and ledger is what identifies
// the worker on paper. "" when the whole name prints.
func NameWarning(w domain.Worker) string {
	missing := contracts.Unprintable(w.Name)
	if len(missing) == 0 {
		return ""
	}
	if len(missing) == len([]rune(strings.ReplaceAll(w.Name, " ", ""))) {
		return fmt.Sprintf("姓名“%s”的字都无法打印，在合约、零工卡和结算单上会显示为 〓。这些文件上同时印有零工编号 %s，请凭编号核对本人；"+
			"如果有常用写法，可以在资料里改用常用字。", w.Name, w.No)
	}
	return fmt.Sprintf("姓名里的“%s”无法打印，在合约、零工卡和结算单上会显示为 〓。这些文件上同时印有零工编号 %s，请凭编号核对本人。",
		string(missing), w.No)
}

// RegisterWorker registers a worker. Every problem of the input is reported at once (domain.Problems,
// in the order of the form) and nothing is saved. A worker registers with a proved phone; staff register
// a worker in person without a code, at their own station. Registering a phone that is registered
// already logs the worker in (Created false); for staff it is a conflict on "phone".
func (s *Service) RegisterWorker(ctx context.Context, p domain.Principal, r Registration) (Registered, error) {
	byStaff := p.IsStaff()
	var problems domain.Problems
	phone, err := domain.NormalizePhone("phone", r.Phone)
	if err != nil {
		problems = append(problems, domain.AsError(err))
	}
	if !byStaff && !r.PhoneVerified && r.Code == "" {
		problems = append(problems, domain.Invalid("code", "请填写短信验证码"))
	}
	station, err := s.registrationStation(ctx, p, r.StationCode)
	if err != nil {
		if !domain.IsCode(err, domain.CodeInvalid) {
			return Registered{}, err
		}
		problems = append(problems, domain.AsError(err))
	}
	today := s.clock.Today()
	profile, profileProblems := r.Profile.Normalize(today, nil)
	problems = append(problems, profileProblems...)
	var idNumber string
	if r.IDNumber != "" {
		if idNumber, _, _, err = domain.WorkerIDNumber("id_number", r.IDNumber, today); err != nil {
			problems = append(problems, domain.AsError(err))
		}
	}
	if err := problems.Err(); err != nil {
		return Registered{}, err
	}
	reg := domain.Registration{Worker: domain.Worker{Phone: phone, StationID: station.ID, StationCode: station.Code},
		IDNumber: idNumber, IP: p.IP, UserAgent: p.UserAgent}
	reg.Worker.SetProfile(profile)
	switch {
	case byStaff:
		reg.Staff, reg.SignIn = p, r.SignIn
	case r.PhoneVerified:
		reg.PhoneVerified = true
	default:
		reg.Code = r.Code
	}
	w, sess, created, err := s.store.RegisterWorker(ctx, reg)
	if err != nil {
		return Registered{}, err
	}
	s.workerChanged(ctx, w)
	return Registered{Worker: w, Session: sess, Created: created, NameWarning: NameWarning(w)}, nil
}

// registrationStation is the station a registration is attributed to: a staff member's own station
// (whatever the input says), else the station code given (the code on the poster that was scanned).
func (s *Service) registrationStation(ctx context.Context, p domain.Principal, code string) (domain.Station, error) {
	if p.Kind == domain.AsStaff && p.StationID != 0 {
		return s.StationByID(ctx, p.StationID)
	}
	if code == "" {
		return domain.Station{}, domain.Invalid("station_code", "请注明登记站点（站点二维码上的编号）")
	}
	st, err := s.StationByCode(ctx, code)
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.Station{}, domain.Invalidf("station_code", "没有编号为“%s”的零工站点", domain.TruncateRunes(code, 20))
	}
	return st, err
}

// ProfileUpdate is a change of a worker's profile: the whole new profile (as typed; normalised here)
// and, when IDNumber is not nil, the new resident ID number ("" removes it).
type ProfileUpdate struct {
	Profile  domain.WorkerProfile
	IDNumber *string
}

// UpdateProfile changes the calling worker's profile, validated as at registration except that dates
// left unchanged may lie in the past. Every problem is reported at once (domain.Problems).
func (s *Service) UpdateProfile(ctx context.Context, p domain.Principal, u ProfileUpdate) (domain.Worker, error) {
	if p.Kind != domain.AsWorker {
		return domain.Worker{}, domain.Forbidden("")
	}
	w, err := s.store.WorkerByID(ctx, p.ID)
	if err != nil {
		return domain.Worker{}, err
	}
	prev := w.Profile()
	today := s.clock.Today()
	profile, problems := u.Profile.Normalize(today, &prev)
	var idNumber *string
	if u.IDNumber != nil {
		id := ""
		if *u.IDNumber != "" {
			if id, _, _, err = domain.WorkerIDNumber("id_number", *u.IDNumber, today); err != nil {
				problems = append(problems, domain.AsError(err))
			}
		}
		idNumber = &id
	}
	if err := domain.Problems(problems).Err(); err != nil {
		return domain.Worker{}, err
	}
	if w, err = s.store.UpdateWorker(ctx, p, p.IP, w.ID, profile, idNumber); err != nil {
		return domain.Worker{}, err
	}
	s.workerChanged(ctx, w)
	return w, nil
}

// Worker returns a worker's profile to someone who may see it (domain.CanSeeWorker).
func (s *Service) Worker(ctx context.Context, p domain.Principal, id int64) (domain.Worker, error) {
	w, err := s.store.WorkerByID(ctx, id)
	if err != nil {
		return domain.Worker{}, err
	}
	if err := domain.CanSeeWorker(p, w); err != nil {
		return domain.Worker{}, err
	}
	return w, nil
}

// RevokeCard makes every printed copy of a worker's card stop working (a lost card): the worker
// themself, or the staff of their station. It returns the worker with the new card version.
func (s *Service) RevokeCard(ctx context.Context, p domain.Principal, workerID int64) (domain.Worker, error) {
	if _, err := s.Worker(ctx, p, workerID); err != nil {
		return domain.Worker{}, err
	}
	w, err := s.store.RevokeWorkerCard(ctx, p, p.IP, workerID)
	if err != nil {
		return domain.Worker{}, err
	}
	s.workerChanged(ctx, w)
	return w, nil
}

// CardURL is the content of a worker card's QR code: {PUBLIC_URL}/c/{signed token}.
func (s *Service) CardURL(w domain.Worker) string {
	return s.opts.PublicURL + "/c/" + domain.CardToken(s.keys.card, w.ID, w.CardVersion)
}

// WorkerByCard resolves a card token to its worker: the signature must verify and the card version must
// be the worker's current one (a revoked card answers like a forged one).
func (s *Service) WorkerByCard(ctx context.Context, token string) (domain.Worker, error) {
	id, version, err := domain.ParseCardToken(s.keys.card, token)
	if err != nil {
		return domain.Worker{}, err
	}
	w, err := s.store.WorkerByID(ctx, id)
	if domain.IsCode(err, domain.CodeNotFound) || (err == nil && w.CardVersion != version) {
		return domain.Worker{}, domain.ErrCardInvalid()
	}
	return w, err
}

// workerByScan finds the worker behind what a desk scanner or a recorder typed: a worker number
// (LG00000012), or a card's QR code (its URL or bare token).
func (s *Service) workerByScan(ctx context.Context, q string) (domain.Worker, error) {
	if no, ok := domain.NormalizeWorkerNo(q); ok {
		return s.store.WorkerByNo(ctx, no)
	}
	return s.WorkerByCard(ctx, domain.CardTokenFromScan(q))
}

// FindWorker is the staff's look-up of a worker by what they scanned (a card's QR code) or typed (the
// worker number, or the phone), for the staff of the worker's station (others forbidden).
func (s *Service) FindWorker(ctx context.Context, p domain.Principal, q string) (domain.Worker, error) {
	if !p.IsStaff() {
		return domain.Worker{}, domain.Forbidden("")
	}
	w, err := s.findWorker(ctx, q)
	if err != nil {
		return domain.Worker{}, err
	}
	if err := domain.CanSeeWorker(p, w); err != nil {
		return domain.Worker{}, err
	}
	return w, nil
}

// findWorker resolves what was scanned or typed at a desk: a worker number (LG00000012), a mainland
// mobile number, or a worker card (its URL or token; forged or revoked cards are not_found). It does not
// check the caller's station.
func (s *Service) findWorker(ctx context.Context, q string) (domain.Worker, error) {
	q = strings.TrimSpace(q)
	if q == "" || len(q) > 300 {
		return domain.Worker{}, domain.Invalid("q", "请扫描零工卡，或输入零工编号（如 LG00000012）或手机号")
	}
	if _, isNo := domain.NormalizeWorkerNo(q); !isNo {
		if phone, err := domain.NormalizePhone("q", q); err == nil {
			w, err := s.store.WorkerByPhone(ctx, phone)
			if domain.IsCode(err, domain.CodeNotFound) {
				return w, &domain.Error{Code: domain.CodeNotFound, Field: "phone", Message: "这个手机号还没有登记"}
			}
			return w, err
		}
	}
	return s.workerByScan(ctx, q)
}

// SignInWalkin signs a worker of the caller's station in at the desk for today's walk-in queue (once a
// day; a second sign-in keeps the first place, created false).
func (s *Service) SignInWalkin(ctx context.Context, p domain.Principal, workerID int64) (domain.WalkinSignin, bool, error) {
	w, err := s.Worker(ctx, p, workerID)
	if err != nil {
		return domain.WalkinSignin{}, false, err
	}
	return s.store.SignInWalkin(ctx, w.StationID, w.ID, p, p.IP)
}

package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"lingong/domain"
)

// Who is calling: sessions, SMS codes, logins and console accounts.

// Authenticate resolves a bearer token or session cookie to its principal; a wrong, expired or revoked
// token is unauthorized.
func (s *Service) Authenticate(ctx context.Context, token string) (domain.Principal, error) {
	return s.store.Authenticate(ctx, token)
}

// CSRFToken is the form token of the caller's session (console forms and the worker's pages carry it).
func (s *Service) CSRFToken(ctx context.Context, p domain.Principal) (string, error) {
	return s.store.StaffCSRFToken(ctx, p.SessionID)
}

// SentCode says where a code went (masked) and when another may be asked for.
type SentCode struct {
	SentTo             string `json:"sent_to"`
	ExpiresInSeconds   int    `json:"expires_in_seconds"`
	ResendAfterSeconds int    `json:"resend_after_seconds"`
}

func (s *Service) sentCode(phone string) SentCode {
	return SentCode{SentTo: domain.MaskPhone(phone), ExpiresInSeconds: int(domain.OTPTTL / time.Second),
		ResendAfterSeconds: int(s.opts.OTPLimits.PhoneInterval / time.Second)}
}

// SendLoginCode texts a 6-digit login (or registration) code to phone. It answers the same whether the
// phone is registered or not (no enumeration); rate_limited past the OTP limits (per phone and per
// caller IP). A code the sender refused is deleted, so it neither works nor counts against the limits.
func (s *Service) SendLoginCode(ctx context.Context, p domain.Principal, rawPhone string) (SentCode, error) {
	phone, err := domain.NormalizePhone("phone", rawPhone)
	if err != nil {
		return SentCode{}, err
	}
	if err := s.sendCode(ctx, phone, domain.OTPLogin, p.IP, domain.SMSLoginCode, 0); err != nil {
		return SentCode{}, err
	}
	return s.sentCode(phone), nil
}

// SendConfirmCode texts a confirmation code to the calling worker's own phone, for signing a contract
// or answering a ledger line. The same limits as login codes apply.
func (s *Service) SendConfirmCode(ctx context.Context, p domain.Principal) (SentCode, error) {
	if p.Kind != domain.AsWorker {
		return SentCode{}, domain.Forbidden("")
	}
	w, err := s.store.WorkerByID(ctx, p.ID)
	if err != nil {
		return SentCode{}, err
	}
	if err := s.sendCode(ctx, w.Phone, domain.OTPConfirm, p.IP, domain.SMSConfirmCode, w.ID); err != nil {
		return SentCode{}, err
	}
	return s.sentCode(w.Phone), nil
}

// sendCode issues a code and hands its text to the SMS sender; a code the sender refused is deleted.
func (s *Service) sendCode(ctx context.Context, phone, purpose, ip string, kind domain.SMSKind, workerID int64) error {
	// The code and its outbox row are written in one transaction (the row's code is masked, so it is
	// prepared before the code exists): one commit fewer per code than writing them one after the other.
	sms := func(code string) domain.SMS {
		return domain.SMS{Kind: kind, WorkerID: workerID, Params: map[string]string{"code": code}}
	}
	rec, _, err := s.prepareSMS(phone, sms(strings.Repeat("0", domain.OTPDigits)))
	if err != nil {
		return err
	}
	code, err := s.store.IssueOTP(ctx, phone, purpose, ip, s.opts.OTPLimits, &rec)
	if err != nil {
		return err
	}
	_, out, err := s.prepareSMS(phone, sms(code.Code))
	if err == nil {
		out.Ref = rec.Ref
		err = s.deliver(ctx, rec.Ref, out)
	}
	if err != nil {
		if cerr := s.store.CancelOTP(context.WithoutCancel(ctx), code.ID); cerr != nil {
			s.log.WarnContext(ctx, "could not delete an unsent code", "err", cerr)
		}
		return &domain.Error{Code: domain.CodeUnavailable, Message: "短信发送失败，请稍后再试", Err: err}
	}
	return nil
}

// LoginWorker logs a registered worker in with their phone and SMS code. A phone that is not registered
// is not_found and leaves the code usable for registration.
func (s *Service) LoginWorker(ctx context.Context, p domain.Principal, rawPhone, code string) (domain.Worker, domain.Session, error) {
	phone, err := domain.NormalizePhone("phone", rawPhone)
	if err != nil {
		return domain.Worker{}, domain.Session{}, err
	}
	if code == "" {
		return domain.Worker{}, domain.Session{}, domain.Invalid("code", "请填写短信验证码")
	}
	return s.store.LoginWorker(ctx, phone, code, p.IP, p.UserAgent)
}

// ConfirmPhone checks a login code for the registration pages: a registered phone is logged in
// (registered true, with a session); a new one is proved and may go on to the profile step.
func (s *Service) ConfirmPhone(ctx context.Context, p domain.Principal, phone, code string) (domain.Worker, domain.Session, bool, error) {
	return s.store.ConfirmPhone(ctx, phone, code, p.IP, p.UserAgent)
}

// LoginStaff checks a console user's username and password and opens a session.
func (s *Service) LoginStaff(ctx context.Context, p domain.Principal, rawUsername, password string) (domain.Staff, domain.Session, error) {
	username, err := domain.CleanText("username", rawUsername, 64)
	if err != nil {
		return domain.Staff{}, domain.Session{}, err
	}
	if username == "" || strings.ContainsAny(username, " \n\t") {
		return domain.Staff{}, domain.Session{}, domain.Invalid("username", "请填写用户名")
	}
	if password == "" || len(password) > 256 {
		return domain.Staff{}, domain.Session{}, domain.Invalid("password", "请填写密码")
	}
	return s.store.LoginStaff(ctx, username, password, p.IP, p.UserAgent)
}

// Logout ends the caller's session at once. An API key is not a session: it is revoked, not logged out.
func (s *Service) Logout(ctx context.Context, p domain.Principal) error {
	if p.SessionID == 0 {
		return domain.Invalid("authorization", "API 密钥不能注销，请在控制台撤销")
	}
	return s.store.RevokeSession(ctx, p.SessionID)
}

// StaffByID returns a console account.
func (s *Service) StaffByID(ctx context.Context, id int64) (domain.Staff, error) {
	return s.store.StaffByID(ctx, id)
}

// ChangePassword changes the calling staff member's own password; their other sessions end.
func (s *Service) ChangePassword(ctx context.Context, p domain.Principal, current, next, confirm string) error {
	if !p.IsStaff() {
		return domain.Forbidden("")
	}
	if next != confirm {
		return domain.Invalid("confirm_password", "两次输入的新密码不一致")
	}
	return s.store.ChangeStaffPassword(ctx, p.ID, current, next, p.SessionID, p.IP)
}

// StaffAccounts lists the console accounts (admins only).
func (s *Service) StaffAccounts(ctx context.Context, p domain.Principal) ([]domain.Staff, error) {
	if p.Kind != domain.AsAdmin {
		return nil, domain.Forbidden("只有管理员可以管理账号")
	}
	return s.store.ListStaff(ctx, 0)
}

// NewStaffAccount is an account an admin creates: staff of the station with StationCode, or an admin.
type NewStaffAccount struct {
	Username, DisplayName, Password string
	Role                            domain.StaffRole
	StationCode                     string
}

// CreateStaffAccount creates a console account (admins only; audited).
func (s *Service) CreateStaffAccount(ctx context.Context, p domain.Principal, a NewStaffAccount) (domain.Staff, error) {
	if p.Kind != domain.AsAdmin {
		return domain.Staff{}, domain.Forbidden("只有管理员可以管理账号")
	}
	n := domain.NewStaff{Username: a.Username, DisplayName: a.DisplayName, Password: a.Password, Role: a.Role}
	if a.StationCode != "" {
		st, err := s.StationByCode(ctx, a.StationCode)
		if err != nil {
			return domain.Staff{}, domain.Invalid("station_code", "请选择站点")
		}
		n.StationID = st.ID
	}
	return s.store.CreateStaffAccount(ctx, n, p, p.IP)
}

// SetStaffDisabled turns a console account off (its sessions end at once) or on again (admins only;
// audited). An admin cannot turn off their own account.
func (s *Service) SetStaffDisabled(ctx context.Context, p domain.Principal, staffID int64, disabled bool) error {
	if p.Kind != domain.AsAdmin {
		return domain.Forbidden("只有管理员可以管理账号")
	}
	return s.store.SetStaffDisabled(ctx, staffID, disabled, p, p.IP)
}

// ResetStaffPassword gives a console account a new random password, which the admin hands over in
// person; all its sessions end and its owner must change the password at the next login (admins only;
// audited). It returns the new password, shown once and stored nowhere in clear.
func (s *Service) ResetStaffPassword(ctx context.Context, p domain.Principal, staffID int64) (string, error) {
	if p.Kind != domain.AsAdmin {
		return "", domain.Forbidden("只有管理员可以管理账号")
	}
	password := temporaryPassword()
	if err := s.store.ResetStaffPassword(ctx, staffID, password, p, p.IP); err != nil {
		return "", err
	}
	return password, nil
}

// temporaryPassword is 15 characters from an alphabet without look-alikes (no 0/o, 1/l/i), in three
// groups easy to read out at a desk: about 74 bits.
func temporaryPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	out := make([]byte, 0, 17)
	for i, x := range b {
		if i > 0 && i%5 == 0 {
			out = append(out, '-')
		}
		out = append(out, alphabet[int(x)%len(alphabet)])
	}
	return string(out)
}

// SetStaffStation moves a station staff account to the station with code (admins only; audited).
func (s *Service) SetStaffStation(ctx context.Context, p domain.Principal, staffID int64, stationCode string) error {
	if p.Kind != domain.AsAdmin {
		return domain.Forbidden("只有管理员可以管理账号")
	}
	st, err := s.StationByCode(ctx, stationCode)
	if err != nil {
		return domain.Invalid("station_code", "请选择站点")
	}
	return s.store.SetStaffStation(ctx, staffID, st.ID, p, p.IP)
}

package api

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/app"
	"lingong/domain"
)

// The registration page /r/{code} (after scanning a station's poster) and the login page /login are
// plain HTML forms in three steps: phone, SMS code, profile. They work without JavaScript on a cheap
// phone with a weak signal, one round trip per step. Where the person is between steps lives in a
// signed cookie (lg_reg: the phone, whether its code was checked, an expiry), so a reload or a dropped
// connection resumes at the same step. What they typed in the profile survives a failed submit (the
// server renders it back, with each error next to its field) and a reload (static/register.js keeps a
// draft in localStorage; an enhancement only). The same template serves /me/edit.

const (
	regCookie  = "lg_reg"
	regStepTTL = 30 * time.Minute
	// sealedIDTTL bounds how long a form may carry a sealed ID number between submits.
	sealedIDTTL = time.Hour
)

// regState is the content of the step cookie.
type regState struct {
	Phone    string `json:"p"`
	Verified bool   `json:"v"` // its SMS code was checked: the phone is proved
	Exp      int64  `json:"e"` // unix seconds
}

func (s *Server) readRegState(c *gin.Context) (regState, bool) {
	raw, err := c.Cookie(regCookie)
	if err != nil || len(raw) > 512 {
		return regState{}, false
	}
	payload, mac, ok := strings.Cut(raw, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(s.signStep(payload))) {
		return regState{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	var st regState
	if err != nil || json.Unmarshal(b, &st) != nil || st.Phone == "" || time.Unix(st.Exp, 0).Before(s.clock.Now()) {
		return regState{}, false
	}
	return st, true
}

func (s *Server) writeRegState(c *gin.Context, st regState) {
	st.Exp = s.clock.Now().Add(regStepTTL).Unix()
	b, _ := json.Marshal(st)
	payload := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(c.Writer, &http.Cookie{Name: regCookie, Value: payload + "." + s.signStep(payload), Path: "/",
		MaxAge: int(regStepTTL / time.Second), HttpOnly: true, Secure: s.opts.Production, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearRegState(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: regCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.opts.Production, SameSite: http.SameSiteLaxMode})
}

func (s *Server) signStep(payload string) string {
	m := hmac.New(sha256.New, s.keys.regStep)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// regView is what templates/register.html shows.
type regView struct {
	Mode     string // register | login | edit
	Station  domain.Station
	Action   string // where the step forms post: /r/{code}, /login or /me/edit
	Step     string // phone | code | profile | unregistered
	Phone    string // the person's own phone, as typed
	Masked   string // the phone masked, for "sent to"
	Notice   string
	Errors   map[string]string // form field -> Chinese message
	Form     profileForm
	Fresh    bool   // the profile form holds nothing the person typed yet (register.js may restore a draft)
	CSRF     string // edit mode
	IDOnFile string // the ID number already given, masked
	IDSealed string // the ID number given in a failed submit, sealed (never sent back in clear)
	Today    string
	Choices  *formChoices
	Stations []domain.Station // unregistered step of the login page: where to register
}

// profileForm is the profile as the form holds it: text, as typed.
type profileForm struct {
	Name, SelfDescription, Place, AvailableFrom, AvailableTo, Wage, WageUnit, MaxCommuteKm string
	Skills, Certs                                                                          map[string]bool
	Push                                                                                   bool // receive recommended gigs (not push_opt_out)
}

// formChoices are the fixed options of the form, built once from the domain's taxonomy and gazetteer.
type formChoices struct {
	SkillGroups  []skillGroup
	Certificates []string
	Places       []placeGroup
	Commutes     []int
}

type skillGroup struct {
	Category string
	Skills   []string
}

type placeGroup struct {
	District string
	Towns    []string
}

var choices = func() *formChoices {
	fc := &formChoices{Commutes: []int{5, 10, 20, 30, 50, 100, 200}}
	for _, cat := range domain.SkillCategories {
		g := skillGroup{Category: cat}
		for _, sk := range domain.Skills {
			if sk.Category == cat {
				g.Skills = append(g.Skills, sk.Name)
			}
		}
		fc.SkillGroups = append(fc.SkillGroups, g)
	}
	for _, c := range domain.Certificates {
		fc.Certificates = append(fc.Certificates, c.Name)
	}
	for _, d := range domain.Districts {
		g := placeGroup{District: d}
		for _, t := range domain.Towns {
			if t.District == d {
				g.Towns = append(g.Towns, t.Name)
			}
		}
		fc.Places = append(fc.Places, g)
	}
	return fc
}()

// formFieldOf maps the JSON field of a domain error to the form field it is shown next to.
var formFieldOf = map[string]string{
	"expected_wage_fen": "wage", "expected_wage_unit": "wage", "district": "place", "town": "place",
}

func formField(jsonField string) string {
	if f, ok := formFieldOf[jsonField]; ok {
		return f
	}
	if jsonField == "" {
		return "form"
	}
	return jsonField
}

func (s *Server) newRegView(mode string, st domain.Station) *regView {
	action := "/login"
	switch mode {
	case "register":
		action = "/r/" + st.Code
	case "edit":
		action = "/me/edit"
	}
	return &regView{Mode: mode, Station: st, Action: action, Errors: map[string]string{},
		Today: string(s.clock.Today()), Choices: choices}
}

func (v *regView) fail(err error) {
	for _, e := range domain.ProblemsOf(err) {
		if _, taken := v.Errors[formField(e.Field)]; !taken {
			v.Errors[formField(e.Field)] = e.Message
		}
	}
}

func (s *Server) renderReg(c *gin.Context, status int, v *regView) {
	title := "登记领零工卡"
	switch {
	case v.Mode == "register":
		title = v.Station.Name + " · 扫码登记"
	case v.Mode == "login":
		title = "零工登录"
	case v.Mode == "edit":
		title = "更新我的资料"
	}
	s.render(c, status, "register", title, v)
}

// statusFor is the HTTP status of a page that re-renders a form after err.
func statusFor(err error) int {
	if st, ok := statusOf[domain.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// hasField reports whether any problem of err is about field.
func hasField(err error, field string) bool {
	for _, e := range domain.ProblemsOf(err) {
		if e.Field == field {
			return true
		}
	}
	return false
}

// pageStation loads the station of /r/{code}; an unknown code shows the standard 404 page.
func (s *Server) pageStation(c *gin.Context) (domain.Station, bool) {
	st, err := s.app.StationByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return domain.Station{}, false
	}
	return st, true
}

// registerPage is GET /r/{code}: the step the person is at. A logged-in worker goes to their card.
func (s *Server) registerPage(c *gin.Context) {
	st, ok := s.pageStation(c)
	if !ok {
		return
	}
	if principal(c).Kind == domain.AsWorker {
		c.Redirect(http.StatusSeeOther, "/me")
		return
	}
	s.showStep(c, s.newRegView("register", st))
}

// loginPage is GET /login: the same steps, for a worker who registered before.
func (s *Server) loginPage(c *gin.Context) {
	if principal(c).Kind == domain.AsWorker {
		c.Redirect(http.StatusSeeOther, "/me")
		return
	}
	s.showStep(c, s.newRegView("login", domain.Station{}))
}

// showStep renders the step the cookie says the person is at.
func (s *Server) showStep(c *gin.Context, v *regView) {
	st, ok := s.readRegState(c)
	switch {
	case !ok:
		v.Step = "phone"
	case !st.Verified:
		v.Step, v.Phone, v.Masked = "code", st.Phone, domain.MaskPhone(st.Phone)
	case v.Mode == "login":
		// The phone is proved but nobody registered it: offer the stations.
		stations, err := s.app.Stations(c.Request.Context())
		if err != nil {
			s.fail(c, err)
			return
		}
		v.Step, v.Phone, v.Masked, v.Stations = "unregistered", st.Phone, domain.MaskPhone(st.Phone), stations
	default:
		v.Step, v.Phone, v.Masked, v.Fresh = "profile", st.Phone, domain.MaskPhone(st.Phone), true
		v.Form = profileForm{AvailableFrom: v.Today, WageUnit: string(domain.PerDay),
			MaxCommuteKm: strconv.Itoa(domain.DefaultCommuteKm)}
	}
	s.renderReg(c, http.StatusOK, v)
}

func (s *Server) registerSendCode(c *gin.Context) {
	if st, ok := s.pageStation(c); ok {
		s.sendCodeStep(c, s.newRegView("register", st))
	}
}

func (s *Server) loginSendCode(c *gin.Context) {
	s.sendCodeStep(c, s.newRegView("login", domain.Station{}))
}

// sendCodeStep is POST …/otp: send a code to the typed phone and move to the code step. A second
// request too soon (a reload, an impatient tap) keeps the person on the code step with the wait shown:
// the code sent before still works.
func (s *Server) sendCodeStep(c *gin.Context, v *regView) {
	typed := c.PostForm("phone")
	phone, err := domain.NormalizePhone("phone", typed)
	if err != nil {
		v.Step, v.Phone = "phone", domain.TruncateRunes(typed, 20)
		v.fail(err)
		s.renderReg(c, statusFor(err), v)
		return
	}
	if _, err := s.app.SendLoginCode(c.Request.Context(), principal(c), phone); err != nil {
		if prev, ok := s.readRegState(c); ok && prev.Phone == phone && domain.IsCode(err, domain.CodeRateLimited) {
			v.Step, v.Phone, v.Masked = "code", phone, domain.MaskPhone(phone)
			v.Errors["resend"] = domain.AsError(err).Message
		} else {
			v.Step, v.Phone = "phone", phone
			v.Errors["phone"] = domain.AsError(err).Message
		}
		s.renderReg(c, statusFor(err), v)
		return
	}
	s.writeRegState(c, regState{Phone: phone})
	c.Redirect(http.StatusSeeOther, v.Action)
}

func (s *Server) registerVerify(c *gin.Context) {
	if st, ok := s.pageStation(c); ok {
		s.verifyStep(c, s.newRegView("register", st))
	}
}

func (s *Server) loginVerify(c *gin.Context) {
	s.verifyStep(c, s.newRegView("login", domain.Station{}))
}

// verifyStep is POST …/verify: check the code. A registered phone is logged in and goes to its card
// (registering again is logging in); a new one goes on to the profile step.
func (s *Server) verifyStep(c *gin.Context, v *regView) {
	st, ok := s.readRegState(c)
	if !ok {
		c.Redirect(http.StatusSeeOther, v.Action)
		return
	}
	_, sess, registered, err := s.app.ConfirmPhone(c.Request.Context(), principal(c), st.Phone, c.PostForm("code"))
	if err != nil {
		v.Step, v.Phone, v.Masked = "code", st.Phone, domain.MaskPhone(st.Phone)
		v.Errors["code"] = domain.AsError(err).Message
		s.renderReg(c, statusFor(err), v)
		return
	}
	if registered {
		s.clearRegState(c)
		s.setSessionCookie(c, sess)
		c.Redirect(http.StatusSeeOther, "/me?welcome=back")
		return
	}
	st.Verified = true
	s.writeRegState(c, st)
	c.Redirect(http.StatusSeeOther, v.Action)
}

func (s *Server) registerReset(c *gin.Context) {
	s.clearRegState(c)
	c.Redirect(http.StatusSeeOther, "/r/"+c.Param("code"))
}

func (s *Server) loginReset(c *gin.Context) {
	s.clearRegState(c)
	c.Redirect(http.StatusSeeOther, "/login")
}

// registerSubmit is POST /r/{code}: the profile of a proved phone. Every problem is shown next to its
// field with what was typed, and nothing is saved; success logs the worker in and shows the card.
func (s *Server) registerSubmit(c *gin.Context) {
	station, ok := s.pageStation(c)
	if !ok {
		return
	}
	v := s.newRegView("register", station)
	st, ok := s.readRegState(c)
	if !ok || !st.Verified {
		c.Redirect(http.StatusSeeOther, v.Action)
		return
	}
	v.Step, v.Phone, v.Masked = "profile", st.Phone, domain.MaskPhone(st.Phone)
	profile, idNumber, ok := s.readProfileForm(c, v, nil)
	if !ok {
		s.renderReg(c, http.StatusBadRequest, v)
		return
	}
	reg := app.Registration{Phone: st.Phone, PhoneVerified: true, StationCode: station.Code, Profile: profile}
	if idNumber != nil {
		reg.IDNumber = *idNumber
	}
	out, err := s.app.RegisterWorker(c.Request.Context(), principal(c), reg)
	if err != nil {
		if e := domain.AsError(err); e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			s.fail(c, err)
			return
		}
		v.fail(err)
		if idNumber != nil && !hasField(err, "id_number") {
			s.sealID(v, *idNumber)
		}
		s.renderReg(c, statusFor(err), v)
		return
	}
	s.clearRegState(c)
	s.setSessionCookie(c, out.Session)
	if out.Created {
		c.Redirect(http.StatusSeeOther, "/me?registered=1")
		return
	}
	c.Redirect(http.StatusSeeOther, "/me?welcome=back")
}

// readProfileForm reads the profile fields into v.Form (to render back) and validates them. It returns
// the normalised profile and the ID number (nil when none was given: at registration no number, when
// editing keep the one on file). Problems go into v.Errors; ok is false when there are any. A valid ID
// number is never rendered back in clear: when other fields fail it travels sealed (see sealID).
func (s *Server) readProfileForm(c *gin.Context, v *regView, prev *domain.WorkerProfile) (domain.WorkerProfile, *string, bool) {
	f := profileForm{
		Name: c.PostForm("name"), SelfDescription: c.PostForm("self_description"), Place: c.PostForm("place"),
		AvailableFrom: c.PostForm("available_from"), AvailableTo: c.PostForm("available_to"),
		Wage: c.PostForm("wage"), WageUnit: c.PostForm("wage_unit"), MaxCommuteKm: c.PostForm("max_commute_km"),
		Skills: map[string]bool{}, Certs: map[string]bool{}, Push: c.PostForm("push") != "",
	}
	skills, certs := c.PostFormArray("skills"), c.PostFormArray("certs")
	for _, sk := range skills {
		f.Skills[sk] = true
	}
	for _, ct := range certs {
		f.Certs[ct] = true
	}
	v.Form = f
	district, town, _ := strings.Cut(f.Place, "/")
	in := domain.WorkerProfile{Name: f.Name, Skills: skills, Certs: certs, District: district, Town: town,
		SelfDescription: f.SelfDescription, AvailableFrom: domain.Date(lenientDate(f.AvailableFrom)),
		AvailableTo: domain.Date(lenientDate(f.AvailableTo)), ExpectedWageUnit: domain.WageUnit(f.WageUnit)}
	switch {
	case c.PostForm("push_shown") != "":
		// The edit page's checkbox: an unticked box sends nothing, so the hidden field tells "unticked"
		// from "not on this form".
		in.PushOptOut = !f.Push
	case prev != nil:
		in.PushOptOut = prev.PushOptOut
	}
	if strings.TrimSpace(f.Wage) != "" {
		fen, err := domain.ParseYuan("expected_wage_fen", f.Wage)
		if err != nil {
			v.fail(err)
		}
		in.ExpectedWageFen = fen
	}
	if f.MaxCommuteKm != "" {
		km, err := strconv.Atoi(strings.TrimSpace(f.MaxCommuteKm))
		if err != nil {
			v.fail(domain.Invalid("max_commute_km", "请选择最远能去多少公里"))
		}
		in.MaxCommuteKm = km
	}
	today := s.clock.Today()
	profile, problems := in.Normalize(today, prev)
	for _, p := range problems {
		v.fail(p)
	}
	var idNumber *string
	if typed := strings.TrimSpace(c.PostForm("id_number")); typed != "" {
		id, _, _, err := domain.WorkerIDNumber("id_number", typed, today)
		if err != nil {
			v.fail(err)
		} else {
			idNumber = &id
		}
	} else if sealed := c.PostForm("id_sealed"); sealed != "" {
		if id, ok := s.unsealID(sealed); ok {
			idNumber = &id
		} else {
			v.fail(domain.Invalid("id_number", "请重新填写身份证号"))
		}
	}
	if len(v.Errors) > 0 {
		if idNumber != nil {
			s.sealID(v, *idNumber)
		}
		return domain.WorkerProfile{}, nil, false
	}
	return profile, idNumber, true
}

// sealID puts a valid ID number into the form sealed (AES-GCM with the api's form key, with an expiry),
// and shows it masked: the page never carries the number in clear, yet the person need not type it again.
func (s *Server) sealID(v *regView, id string) {
	aead := s.formAEAD()
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	plain := id + "|" + strconv.FormatInt(s.clock.Now().Add(sealedIDTTL).Unix(), 10)
	v.IDSealed = base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(plain), []byte("form-id")))
	v.IDOnFile = domain.MaskIDNumber(id)
}

func (s *Server) unsealID(sealed string) (string, bool) {
	aead := s.formAEAD()
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(raw) < aead.NonceSize() {
		return "", false
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte("form-id"))
	if err != nil {
		return "", false
	}
	id, exp, ok := strings.Cut(string(plain), "|")
	n, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || time.Unix(n, 0).Before(s.clock.Now()) {
		return "", false
	}
	return id, true
}

func (s *Server) formAEAD() cipher.AEAD {
	block, err := aes.NewCipher(s.keys.form)
	if err != nil {
		panic(err) // a 32-byte derived key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

// lenientDate accepts the dates people type where the browser has no date picker: 2026-5-1,
// 2026/05/01, 2026.5.1, 2026年5月1日. Anything else is passed on for domain.ParseDate to refuse.
func lenientDate(s string) string {
	s = strings.TrimSpace(domain.FoldWidth(s))
	if s == "" {
		return ""
	}
	r := strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "")
	parts := strings.Split(r.Replace(s), "-")
	if len(parts) != 3 || len(parts[0]) != 4 {
		return s
	}
	for i := 1; i < 3; i++ {
		if len(parts[i]) == 1 {
			parts[i] = "0" + parts[i]
		}
	}
	return strings.Join(parts, "-")
}

// formFromProfile fills the form from a saved profile (the edit page).
func formFromProfile(p domain.WorkerProfile) profileForm {
	f := profileForm{Name: p.Name, SelfDescription: p.SelfDescription, Place: p.District + "/" + p.Town,
		AvailableFrom: string(p.AvailableFrom), AvailableTo: string(p.AvailableTo),
		Wage: domain.FormatYuanInput(p.ExpectedWageFen), WageUnit: string(p.ExpectedWageUnit),
		MaxCommuteKm: strconv.Itoa(p.MaxCommuteKm), Skills: map[string]bool{}, Certs: map[string]bool{}, Push: !p.PushOptOut}
	for _, sk := range p.Skills {
		f.Skills[sk] = true
	}
	for _, ct := range p.Certs {
		f.Certs[ct] = true
	}
	return f
}

// csrfOK checks a worker page form's csrf field against the session's token.
func (s *Server) csrfOK(ctx context.Context, p domain.Principal, got string) bool {
	want, err := s.app.CSRFToken(ctx, p)
	return err == nil && want != "" && hmac.Equal([]byte(want), []byte(got))
}

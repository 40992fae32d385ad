package worker

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/api/web"
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
	StepCookie = "lg_reg"
	regStepTTL = 30 * time.Minute
	// sealedIDTTL bounds how long a form may carry a sealed ID number between submits.
	sealedIDTTL = time.Hour
)

// regState is the content of the step cookie.
type regState struct {
	Phone    string `json:"p"`
	Verified bool   `json:"v"`           // its SMS code was checked: the phone is proved
	Next     string `json:"n,omitempty"` // the worker page to return to at the end (SafeNext)
	Exp      int64  `json:"e"`           // unix seconds
}

// SafeNext returns next when it is a worker page of this site to return to after logging in (a gig,
// /me, the job list), else "". It refuses anything that could leave the site (a scheme, a host, //,
// a backslash), the login and registration steps themselves (a loop), and the other audiences' pages.
func SafeNext(next string) string {
	if len(next) > 400 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\x00\r\n\t") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	for _, p := range []string{"/jobs", "/me", "/verify/", "/c/", "/a/"} {
		if u.Path == p || strings.HasPrefix(u.Path, strings.TrimSuffix(p, "/")+"/") {
			return next
		}
	}
	return ""
}

// landing is where a worker goes once logged in: the page they came from, else def.
func landing(st regState, def string) string {
	if st.Next != "" {
		return st.Next
	}
	return def
}

func (s *Pages) readRegState(c *gin.Context) (regState, bool) {
	raw, err := c.Cookie(StepCookie)
	if err != nil || len(raw) > 512 {
		return regState{}, false
	}
	payload, mac, ok := strings.Cut(raw, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(s.signStep(payload))) {
		return regState{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	var st regState
	if err != nil || json.Unmarshal(b, &st) != nil || st.Phone == "" || time.Unix(st.Exp, 0).Before(s.Now()) {
		return regState{}, false
	}
	return st, true
}

func (s *Pages) writeRegState(c *gin.Context, st regState) {
	st.Exp = s.Now().Add(regStepTTL).Unix()
	b, _ := json.Marshal(st)
	payload := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(c.Writer, &http.Cookie{Name: StepCookie, Value: payload + "." + s.signStep(payload), Path: "/",
		MaxAge: int(regStepTTL / time.Second), HttpOnly: true, Secure: s.Production, SameSite: http.SameSiteLaxMode})
}

func (s *Pages) clearRegState(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: StepCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.Production, SameSite: http.SameSiteLaxMode})
}

func (s *Pages) signStep(payload string) string {
	m := hmac.New(sha256.New, s.stepKey)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// pageStation loads the station of /r/{code}; an unknown code shows the standard 404 page.
func (s *Pages) pageStation(c *gin.Context) (domain.Station, bool) {
	st, err := s.App.StationByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.Fail(c, err)
		return domain.Station{}, false
	}
	return st, true
}

// registerPage is GET /r/{code}: the step the person is at. A logged-in worker goes to their card.
func (s *Pages) registerPage(c *gin.Context) {
	st, ok := s.pageStation(c)
	if !ok {
		return
	}
	if kit.Principal(c).Kind == domain.AsWorker {
		c.Redirect(http.StatusSeeOther, orDefault(SafeNext(c.Query("next")), "/me"))
		return
	}
	s.showStep(c, s.NewRegView("register", st))
}

// loginPage is GET /login: the same steps, for a worker who registered before.
func (s *Pages) loginPage(c *gin.Context) {
	if kit.Principal(c).Kind == domain.AsWorker {
		c.Redirect(http.StatusSeeOther, orDefault(SafeNext(c.Query("next")), "/me"))
		return
	}
	s.showStep(c, s.NewRegView("login", domain.Station{}))
}

// showStep renders the step the cookie says the person is at. A ?next= (the page that sent them to
// log in) is kept: in the cookie when a step is under way, else in the phone form.
func (s *Pages) showStep(c *gin.Context, v *web.RegView) {
	st, ok := s.readRegState(c)
	if next := SafeNext(c.Query("next")); next != "" {
		if ok && st.Next != next {
			st.Next = next
			s.writeRegState(c, st)
		}
		v.Next = next
	} else if ok {
		v.Next = st.Next
	}
	switch {
	case !ok:
		v.Step = "phone"
	case !st.Verified:
		v.Step, v.Phone, v.Masked = "code", st.Phone, domain.MaskPhone(st.Phone)
	case v.Mode == "login":
		// The phone is proved but nobody registered it: offer the stations.
		stations, err := s.App.Stations(c.Request.Context())
		if err != nil {
			s.Fail(c, err)
			return
		}
		v.Step, v.Phone, v.Masked, v.Stations = "unregistered", st.Phone, domain.MaskPhone(st.Phone), stations
	default:
		v.Step, v.Phone, v.Masked, v.Fresh = "profile", st.Phone, domain.MaskPhone(st.Phone), true
		v.Form = web.ProfileForm{AvailableFrom: v.Today, WageUnit: string(domain.PerDay),
			MaxCommuteKm: strconv.Itoa(domain.DefaultCommuteKm)}
	}
	s.RenderReg(c, http.StatusOK, v)
}

func (s *Pages) registerSendCode(c *gin.Context) {
	if st, ok := s.pageStation(c); ok {
		s.sendCodeStep(c, s.NewRegView("register", st))
	}
}

func (s *Pages) loginSendCode(c *gin.Context) {
	s.sendCodeStep(c, s.NewRegView("login", domain.Station{}))
}

// sendCodeStep is POST …/otp: send a code to the typed phone and move to the code step. A second
// request too soon (a reload, an impatient tap) keeps the person on the code step with the wait shown:
// the code sent before still works.
func (s *Pages) sendCodeStep(c *gin.Context, v *web.RegView) {
	typed := c.PostForm("phone")
	v.Next = SafeNext(c.PostForm("next"))
	phone, err := domain.NormalizePhone("phone", typed)
	if err != nil {
		v.Step, v.Phone = "phone", domain.TruncateRunes(typed, 20)
		v.Fail(err)
		s.RenderReg(c, kit.Status(err), v)
		return
	}
	if _, err := s.App.SendLoginCode(c.Request.Context(), kit.Principal(c), phone); err != nil {
		if prev, ok := s.readRegState(c); ok && prev.Phone == phone && domain.IsCode(err, domain.CodeRateLimited) {
			v.Step, v.Phone, v.Masked = "code", phone, domain.MaskPhone(phone)
			v.Errors["resend"] = domain.AsError(err).Message
		} else {
			v.Step, v.Phone = "phone", phone
			v.Errors["phone"] = domain.AsError(err).Message
		}
		s.RenderReg(c, kit.Status(err), v)
		return
	}
	next := SafeNext(c.PostForm("next"))
	if prev, ok := s.readRegState(c); ok && next == "" {
		next = prev.Next
	}
	s.writeRegState(c, regState{Phone: phone, Next: next})
	c.Redirect(http.StatusSeeOther, v.Action)
}

func (s *Pages) registerVerify(c *gin.Context) {
	if st, ok := s.pageStation(c); ok {
		s.verifyStep(c, s.NewRegView("register", st))
	}
}

func (s *Pages) loginVerify(c *gin.Context) {
	s.verifyStep(c, s.NewRegView("login", domain.Station{}))
}

// verifyStep is POST …/verify: check the code. A registered phone is logged in and goes to its card
// (registering again is logging in); a new one goes on to the profile step.
func (s *Pages) verifyStep(c *gin.Context, v *web.RegView) {
	st, ok := s.readRegState(c)
	if !ok {
		c.Redirect(http.StatusSeeOther, v.Action)
		return
	}
	_, sess, registered, err := s.App.ConfirmPhone(c.Request.Context(), kit.Principal(c), st.Phone, c.PostForm("code"))
	if err != nil {
		v.Step, v.Phone, v.Masked = "code", st.Phone, domain.MaskPhone(st.Phone)
		v.Errors["code"] = domain.AsError(err).Message
		s.RenderReg(c, kit.Status(err), v)
		return
	}
	if registered {
		s.clearRegState(c)
		kit.SetSessionCookie(c, sess, s.Now(), s.Production)
		c.Redirect(http.StatusSeeOther, landing(st, "/me?welcome=back"))
		return
	}
	st.Verified = true
	s.writeRegState(c, st)
	c.Redirect(http.StatusSeeOther, v.Action)
}

func (s *Pages) registerReset(c *gin.Context) {
	s.clearRegState(c)
	c.Redirect(http.StatusSeeOther, "/r/"+c.Param("code"))
}

func (s *Pages) loginReset(c *gin.Context) {
	next := ""
	if st, ok := s.readRegState(c); ok {
		next = st.Next
	}
	s.clearRegState(c)
	if next != "" {
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
		return
	}
	c.Redirect(http.StatusSeeOther, "/login")
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// registerSubmit is POST /r/{code}: the profile of a proved phone. Every problem is shown next to its
// field with what was typed, and nothing is saved; success logs the worker in and shows the card.
func (s *Pages) registerSubmit(c *gin.Context) {
	station, ok := s.pageStation(c)
	if !ok {
		return
	}
	v := s.NewRegView("register", station)
	st, ok := s.readRegState(c)
	if !ok || !st.Verified {
		c.Redirect(http.StatusSeeOther, v.Action)
		return
	}
	v.Step, v.Phone, v.Masked = "profile", st.Phone, domain.MaskPhone(st.Phone)
	profile, idNumber, ok := s.ReadProfileForm(c, v, nil)
	if !ok {
		s.RenderReg(c, http.StatusBadRequest, v)
		return
	}
	reg := app.Registration{Phone: st.Phone, PhoneVerified: true, StationCode: station.Code, Profile: profile}
	if idNumber != nil {
		reg.IDNumber = *idNumber
	}
	out, err := s.App.RegisterWorker(c.Request.Context(), kit.Principal(c), reg)
	if err != nil {
		if e := domain.AsError(err); e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			s.Fail(c, err)
			return
		}
		v.Fail(err)
		if idNumber != nil && !web.HasField(err, "id_number") {
			s.SealID(v, *idNumber)
		}
		s.RenderReg(c, kit.Status(err), v)
		return
	}
	s.clearRegState(c)
	kit.SetSessionCookie(c, out.Session, s.Now(), s.Production)
	if out.Created {
		c.Redirect(http.StatusSeeOther, landing(st, "/me?registered=1"))
		return
	}
	c.Redirect(http.StatusSeeOther, landing(st, "/me?welcome=back"))
}

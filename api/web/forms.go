package web

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// The worker profile form: the registration page (/r/{code}), the worker's own edit page (/me/edit)
// and the station desk's 代登记 fill in the same fields, rendered by templates/register.html (and the
// desk's own template), read and checked here.

// sealedIDTTL bounds how long a form may carry a sealed ID number between submits.
const sealedIDTTL = time.Hour

// RegView is what templates/register.html shows.
type RegView struct {
	Mode     string // register | login | edit
	Station  domain.Station
	Action   string // where the step forms post: /r/{code}, /login or /me/edit
	Step     string // phone | code | profile | unregistered
	Phone    string // the person's own phone, as typed
	Masked   string // the phone masked, for "sent to"
	Notice   string
	Errors   map[string]string // form field -> Chinese message
	Form     ProfileForm
	Fresh    bool   // the profile form holds nothing the person typed yet (register.js may restore a draft)
	CSRF     string // edit mode
	IDOnFile string // the ID number already given, masked
	IDSealed string // the ID number given in a failed submit, sealed (never sent back in clear)
	Today    string
	Choices  *FormChoices
	Stations []domain.Station // unregistered step of the login page: where to register
	// Next is the worker page to return to after logging in or registering (a gig they were looking at),
	// already checked by SafeNext; carried through the steps in the step cookie.
	Next string
	// HomeStation is the worker's station when editing a profile (the registering station otherwise):
	// whose common trades the form offers first.
	HomeStation domain.Station
	// Common are the trades offered first, the most needed at the station; the rest (More) are folded
	// under 更多 by category.
	Common []string
	More   []SkillGroup
}

// MoreOpen reports whether the folded trades must show open: one of them is chosen.
func (v *RegView) MoreOpen() bool {
	for _, g := range v.More {
		for _, sk := range g.Skills {
			if v.Form.Skills[sk] {
				return true
			}
		}
	}
	return false
}

// CertsOpen reports whether the folded certificates must show open: one is chosen, or one is wrong.
func (v *RegView) CertsOpen() bool {
	for _, on := range v.Form.Certs {
		if on {
			return true
		}
	}
	return v.Errors["certs"] != ""
}

// splitSkills puts the common trades first and the rest, by category, behind 更多.
func (v *RegView) splitSkills(common []string) {
	v.Common, v.More = common, nil
	first := map[string]bool{}
	for _, sk := range common {
		first[sk] = true
	}
	for _, g := range v.Choices.SkillGroups {
		rest := SkillGroup{Category: g.Category}
		for _, sk := range g.Skills {
			if !first[sk] {
				rest.Skills = append(rest.Skills, sk)
			}
		}
		if len(rest.Skills) > 0 {
			v.More = append(v.More, rest)
		}
	}
}

// ProfileForm is the profile as the form holds it: text, as typed.
type ProfileForm struct {
	Name, SelfDescription, Place, Village, AvailableFrom, AvailableTo, Wage, WageUnit, MaxCommuteKm string
	Skills, Certs                                                                                   map[string]bool
	Push                                                                                            bool // receive recommended gigs (not push_opt_out)
	// The phone's position (filled by static/location.js once the worker ticks the consent box; empty
	// without script), whether the worker consents, whether the one on file is to be dropped, and
	// whether the profile on file uses one (the edit page says so).
	LocLat, LocLng                         string
	ShareLocation, ForgetLocation, Located bool
}

// VillageChoices are the villages and communities of the town the form has chosen, which the village
// field suggests (static/villages.js changes them when another town is chosen).
func (f ProfileForm) VillageChoices() []domain.Village {
	district, town, _ := strings.Cut(f.Place, "/")
	if t, ok := domain.FindTown(district, town); ok {
		return t.Villages()
	}
	return nil
}

// FormChoices are the fixed options of the form, built once from the domain's taxonomy and gazetteer.
type FormChoices struct {
	SkillGroups  []SkillGroup
	Certificates []string
	Places       []PlaceGroup
	Commutes     []int
}

type SkillGroup struct {
	Category string
	Skills   []string
}

type PlaceGroup struct {
	District string
	Towns    []string
}

// Choices are the form's fixed options.
var Choices = func() *FormChoices {
	fc := &FormChoices{Commutes: []int{5, 10, 20, 30, 50, 100, 200}}
	for _, cat := range domain.SkillCategories {
		g := SkillGroup{Category: cat}
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
		g := PlaceGroup{District: d}
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

// FormField is the form field a domain error about jsonField is shown next to.
func FormField(jsonField string) string {
	if f, ok := formFieldOf[jsonField]; ok {
		return f
	}
	if jsonField == "" {
		return "form"
	}
	return jsonField
}

// NewRegView is the profile form for mode register, login, edit or desk.
func (s *Site) NewRegView(mode string, st domain.Station) *RegView {
	action := "/login"
	switch mode {
	case "register":
		action = "/r/" + st.Code
	case "edit":
		action = "/me/edit"
	}
	return &RegView{Mode: mode, Station: st, Action: action, Errors: map[string]string{},
		Today: string(s.Today()), Choices: Choices}
}

// Fail shows every problem of err next to its field (the first per field).
func (v *RegView) Fail(err error) {
	for _, e := range domain.ProblemsOf(err) {
		if _, taken := v.Errors[FormField(e.Field)]; !taken {
			v.Errors[FormField(e.Field)] = e.Message
		}
	}
}

// RenderReg renders the registration/profile page.
func (s *Site) RenderReg(c *gin.Context, status int, v *RegView) {
	title := "登记领零工卡"
	switch {
	case v.Mode == "register":
		title = v.Station.Name + " · 扫码登记"
	case v.Mode == "login":
		title = "零工登录"
	case v.Mode == "edit":
		title = "更新我的资料"
	}
	if v.Step == "profile" {
		st := v.HomeStation
		if st.ID == 0 {
			st = v.Station
		}
		v.splitSkills(s.App.CommonSkills(c.Request.Context(), st))
	}
	s.Render(c, status, "register", title, v)
}

// HasField reports whether any problem of err is about field.
func HasField(err error, field string) bool {
	for _, e := range domain.ProblemsOf(err) {
		if e.Field == field {
			return true
		}
	}
	return false
}

// ReadProfileForm reads the profile fields into v.Form (to render back) and validates them. It returns
// the normalised profile and the ID number (nil when none was given: at registration no number, when
// editing keep the one on file). Problems go into v.Errors; ok is false when there are any. A valid ID
// number is never rendered back in clear: when other fields fail it travels sealed (see sealID).
func (s *Site) ReadProfileForm(c *gin.Context, v *RegView, prev *domain.WorkerProfile) (domain.WorkerProfile, *string, bool) {
	f := ProfileForm{
		Name: c.PostForm("name"), SelfDescription: c.PostForm("self_description"), Place: c.PostForm("place"),
		Village: c.PostForm("village"), AvailableFrom: c.PostForm("available_from"), AvailableTo: c.PostForm("available_to"),
		Wage: c.PostForm("wage"), WageUnit: c.PostForm("wage_unit"), MaxCommuteKm: c.PostForm("max_commute_km"),
		Skills: map[string]bool{}, Certs: map[string]bool{}, Push: c.PostForm("push") != "",
		LocLat: c.PostForm("loc_lat"), LocLng: c.PostForm("loc_lng"), ShareLocation: c.PostForm("share_location") != "",
		ForgetLocation: c.PostForm("forget_location") != "", Located: prev != nil && prev.Located == domain.LocatedGPS,
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
	in := domain.WorkerProfile{Name: f.Name, Skills: skills, Certs: certs, District: district, Town: town, Village: f.Village,
		SelfDescription: f.SelfDescription, AvailableFrom: domain.Date(LenientDate(f.AvailableFrom)),
		AvailableTo: domain.Date(LenientDate(f.AvailableTo)), ExpectedWageUnit: domain.WageUnit(f.WageUnit)}
	readLocation(v, &in, f)
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
			v.Fail(err)
		}
		in.ExpectedWageFen = fen
	}
	if f.MaxCommuteKm != "" {
		km, err := strconv.Atoi(strings.TrimSpace(f.MaxCommuteKm))
		if err != nil {
			v.Fail(domain.Invalid("max_commute_km", "请选择最远能去多少公里"))
		}
		in.MaxCommuteKm = km
	}
	today := s.Today()
	profile, problems := in.Normalize(today, prev)
	for _, p := range problems {
		v.Fail(p)
	}
	var idNumber *string
	if typed := strings.TrimSpace(c.PostForm("id_number")); typed != "" {
		id, _, _, err := domain.WorkerIDNumber("id_number", typed, today)
		if err != nil {
			v.Fail(err)
		} else {
			idNumber = &id
		}
	} else if sealed := c.PostForm("id_sealed"); sealed != "" {
		if id, ok := s.unsealID(sealed); ok {
			idNumber = &id
		} else {
			v.Fail(domain.Invalid("id_number", "请重新填写身份证号"))
		}
	}
	if len(v.Errors) > 0 {
		if idNumber != nil {
			s.SealID(v, *idNumber)
		}
		return domain.WorkerProfile{}, nil, false
	}
	return profile, idNumber, true
}

// readLocation takes the shared position when the worker consented and the phone gave one. Consent
// without a position (location refused, or no script) is said next to the box rather than ignored.
func readLocation(v *RegView, in *domain.WorkerProfile, f ProfileForm) {
	if f.ForgetLocation {
		in.Located = domain.LocatedTown
	}
	if !f.ShareLocation {
		return
	}
	lat, errLat := strconv.ParseFloat(strings.TrimSpace(f.LocLat), 64)
	lng, errLng := strconv.ParseFloat(strings.TrimSpace(f.LocLng), 64)
	if errLat != nil || errLng != nil {
		v.Fail(domain.Invalid("location", "没有取到手机的位置：请在手机上允许定位后再点“用手机定位”，或不勾选，只按乡镇算"))
		return
	}
	in.Location = &domain.GeoPoint{Lat: lat, Lng: lng}
}

// SealID puts a valid ID number into the form sealed (AES-GCM with the api's form key, with an expiry),
// and shows it masked: the page never carries the number in clear, yet the person need not type it again.
func (s *Site) SealID(v *RegView, id string) {
	aead := s.formAEAD()
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	plain := id + "|" + strconv.FormatInt(s.Now().Add(sealedIDTTL).Unix(), 10)
	v.IDSealed = base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(plain), []byte("form-id")))
	v.IDOnFile = domain.MaskIDNumber(id)
}

func (s *Site) unsealID(sealed string) (string, bool) {
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
	if !ok || err != nil || time.Unix(n, 0).Before(s.Now()) {
		return "", false
	}
	return id, true
}

func (s *Site) formAEAD() cipher.AEAD {
	block, err := aes.NewCipher(s.formKey)
	if err != nil {
		panic(err) // a 32-byte derived key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

// LenientDate accepts the dates people type where the browser has no date picker: 2026-5-1,
// 2026/05/01, 2026.5.1, 2026年5月1日. Anything else is passed on for domain.ParseDate to refuse.
func LenientDate(s string) string {
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

// FormFromProfile fills the form from a saved profile (the edit page).
func FormFromProfile(p domain.WorkerProfile) ProfileForm {
	f := ProfileForm{Name: p.Name, SelfDescription: p.SelfDescription, Place: p.District + "/" + p.Town, Village: p.Village,
		AvailableFrom: string(p.AvailableFrom), AvailableTo: string(p.AvailableTo),
		Wage: domain.FormatYuanInput(p.ExpectedWageFen), WageUnit: string(p.ExpectedWageUnit),
		MaxCommuteKm: strconv.Itoa(p.MaxCommuteKm), Skills: map[string]bool{}, Certs: map[string]bool{}, Push: !p.PushOptOut,
		Located: p.Located == domain.LocatedGPS}
	for _, sk := range p.Skills {
		f.Skills[sk] = true
	}
	for _, ct := range p.Certs {
		f.Certs[ct] = true
	}
	return f
}

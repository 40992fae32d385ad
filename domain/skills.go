package domain

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Skill is one trade of the skill taxonomy: a canonical name, its category, its code in the national
// occupational classification when it is one of its occupations, the words people use for it (synonyms,
// offered on the registration page, and slang, dialect and typos, only understood), the certificates the
// work customarily needs, and the trades a worker of this one can also do (directed: a mason can do a
// labourer's job, not the reverse).
type Skill struct {
	Name     string   `json:"name"`
	Category string   `json:"category"`
	Code     string   `json:"code,omitempty"` // 国家职业分类大典（2022年版）, "" when not given
	Synonyms []string `json:"synonyms"`
	Slang    []string `json:"slang"`
	Certs    []string `json:"certs"`
	Related  []string `json:"related"`
}

// Certificate is a licence a worker can hold and a gig can require. Implies lists the certificates a
// holder also counts as holding (a B2 licence permits what C1 permits).
type Certificate struct {
	Name     string   `json:"name"`
	Synonyms []string `json:"synonyms"`
	Implies  []string `json:"implies"`
}

// The taxonomy's data, with its sources, is in taxonomy/skills.tsv and taxonomy/certificates.tsv.
var (
	//go:embed taxonomy/skills.tsv
	skillsTSV string
	//go:embed taxonomy/certificates.tsv
	certificatesTSV string
)

// SkillCategories in the order the registration page shows them.
var SkillCategories = []string{"农业采摘", "畜牧养殖", "建筑装修", "搬运物流", "驾驶机械", "家政护理", "餐饮服务", "工厂加工",
	"文旅服务", "能源电力", "维修安装", "市政环卫", "教育培训", "活动会展", "综合服务"}

// Skills is the skill taxonomy, in the order of the registration page (see taxonomy/skills.tsv).
// Certificates are the licences gigs in Zhongwei commonly ask for.
var (
	Skills       []Skill
	Certificates []Certificate
)

var (
	skillByName = map[string]*Skill{}
	certByName  = map[string]*Certificate{}
	// skillWords and certWords map every name, synonym and slang word, folded (see TagKey), to the
	// canonical name, with how it was known.
	skillWords = map[string]wordOf{}
	certWords  = map[string]wordOf{}
)

type wordOf struct{ name, via string }

// How a tag was recognised.
const (
	ViaName      = "name"
	ViaSynonym   = "synonym"
	ViaSlang     = "slang"
	ViaHomophone = "homophone" // a homophone typo, found by pinyin (the matching engine's vocabulary)
	ViaPhrase    = "phrase"    // the tag contains a trade's name or synonym ("会开叉车")
)

func init() {
	var err error
	if Certificates, err = parseCertificates(certificatesTSV); err == nil {
		Skills, err = parseSkills(skillsTSV)
	}
	if err != nil {
		panic("domain: the embedded taxonomy is broken: " + err.Error())
	}
	for i := range Certificates {
		c := &Certificates[i]
		certByName[c.Name] = c
		certWords[TagKey(c.Name)] = wordOf{c.Name, ViaName}
		for _, s := range c.Synonyms {
			certWords[TagKey(s)] = wordOf{c.Name, ViaSynonym}
		}
	}
	for i := range Skills {
		skillByName[Skills[i].Name] = &Skills[i]
	}
	for i := range Skills {
		s := &Skills[i]
		skillWords[TagKey(s.Name)] = wordOf{s.Name, ViaName}
		for _, w := range s.Synonyms {
			skillWords[TagKey(w)] = wordOf{s.Name, ViaSynonym}
		}
		for _, w := range s.Slang {
			skillWords[TagKey(w)] = wordOf{s.Name, ViaSlang}
		}
	}
}

// tsvRows returns the rows of a taxonomy file, skipping comments and blank lines, each with cols fields.
func tsvRows(data string, cols int) ([][]string, error) {
	var rows [][]string
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != cols {
			return nil, fmt.Errorf("line %d: %d columns, want %d", n+1, len(f), cols)
		}
		rows = append(rows, f)
	}
	return rows, nil
}

// tsvList splits a list cell ("a、b", or "-" for none).
func tsvList(cell string) []string {
	if cell == "-" || cell == "" {
		return []string{}
	}
	return strings.Split(cell, "、")
}

func parseCertificates(data string) ([]Certificate, error) {
	rows, err := tsvRows(data, 3)
	if err != nil {
		return nil, fmt.Errorf("certificates.tsv: %w", err)
	}
	out := make([]Certificate, 0, len(rows))
	for _, r := range rows {
		out = append(out, Certificate{Name: r[0], Synonyms: tsvList(r[1]), Implies: tsvList(r[2])})
	}
	return out, checkWords("certificates.tsv", out, func(c Certificate) []string { return append([]string{c.Name}, c.Synonyms...) })
}

func parseSkills(data string) ([]Skill, error) {
	rows, err := tsvRows(data, 7)
	if err != nil {
		return nil, fmt.Errorf("skills.tsv: %w", err)
	}
	out := make([]Skill, 0, len(rows))
	for _, r := range rows {
		code := r[2]
		if code == "-" {
			code = ""
		}
		out = append(out, Skill{Name: r[1], Category: r[0], Code: code, Synonyms: tsvList(r[3]), Slang: tsvList(r[4]),
			Certs: tsvList(r[5]), Related: tsvList(r[6])})
	}
	return out, checkWords("skills.tsv", out, func(s Skill) []string {
		return append(append([]string{s.Name}, s.Synonyms...), s.Slang...)
	})
}

// checkWords refuses a word that names two entries: the vocabulary must be unambiguous.
func checkWords[T any](file string, entries []T, words func(T) []string) error {
	seen := map[string]int{}
	for i, e := range entries {
		for _, w := range words(e) {
			k := TagKey(w)
			if k == "" {
				return fmt.Errorf("%s: entry %d has an empty word", file, i+1)
			}
			if j, dup := seen[k]; dup && j != i {
				return fmt.Errorf("%s: %q names entries %d and %d", file, w, j+1, i+1)
			}
			seen[k] = i
		}
	}
	return nil
}

// SkillByName returns the taxonomy entry with that canonical name.
func SkillByName(name string) (Skill, bool) {
	s, ok := skillByName[name]
	if !ok {
		return Skill{}, false
	}
	return *s, true
}

// CertificateByName returns the certificate with that canonical name.
func CertificateByName(name string) (Certificate, bool) {
	c, ok := certByName[name]
	if !ok {
		return Certificate{}, false
	}
	return *c, true
}

// IsCertificate reports whether name is a canonical certificate name.
func IsCertificate(name string) bool { _, ok := certByName[name]; return ok }

// TagKey is the form tags are compared in: full width folded, Latin letters in upper case (c1 is C1),
// spaces and the punctuation people put around words dropped.
func TagKey(s string) string {
	s = foldWidth(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), unicode.IsPunct(r) && r != '+' && r != '#', unicode.IsControl(r):
		default:
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// Vocabulary resolves what people type as a tag to a name of the taxonomy. ok is false for a word the
// vocabulary does not know, which is then kept as a free tag. via says how it was known (ViaName ...).
type Vocabulary interface {
	ResolveSkill(tag string) (name, via string, ok bool)
	ResolveCert(tag string) (name, via string, ok bool)
}

// ExactVocabulary knows the taxonomy's names, synonyms and slang as written (compared by TagKey). The
// matching engine's vocabulary (matching.Vocabulary) also knows homophone typos and tags that contain a
// trade's words; the HTTP side passes it where it validates input.
var ExactVocabulary Vocabulary = exactVocabulary{}

type exactVocabulary struct{}

func (exactVocabulary) ResolveSkill(tag string) (string, string, bool) {
	w, ok := skillWords[TagKey(tag)]
	return w.name, w.via, ok
}

func (exactVocabulary) ResolveCert(tag string) (string, string, bool) {
	w, ok := certWords[TagKey(tag)]
	return w.name, w.via, ok
}

// Bounds of the open vocabulary.
const (
	MaxTagRunes = 20 // a skill or certificate as typed
	MaxCerts    = 15 // certificates of a worker or required by a gig
)

// TagResolution says what one tag became: a taxonomy name (Known), or the cleaned text of a free tag.
type TagResolution struct {
	Input  string `json:"input"`
	Tag    string `json:"tag"`
	Known  bool   `json:"known"`
	Via    string `json:"via,omitempty"` // for a known tag: name, synonym, slang, homophone or phrase
	Change bool   `json:"changed"`       // Tag differs from Input
}

// NormalizeSkills is NormalizeSkillsWith(ExactVocabulary, ...), without the resolutions.
func NormalizeSkills(field string, names []string, max int) ([]string, error) {
	out, _, err := NormalizeSkillsWith(ExactVocabulary, field, names, max)
	return out, err
}

// NormalizeCerts is NormalizeCertsWith(ExactVocabulary, ...), without the resolutions.
func NormalizeCerts(field string, names []string) ([]string, error) {
	out, _, err := NormalizeCertsWith(ExactVocabulary, field, names, MaxCerts)
	return out, err
}

// NormalizeSkillsWith cleans a list of skills as typed: every entry is trimmed and resolved by v to a
// trade of the taxonomy when it is one (瓦工 becomes 砌筑工), and otherwise kept as a free tag, which the
// matching engine compares by its text. An entry is refused only when it is empty, longer than
// MaxTagRunes, or absurd (no letter at all, a phone number, a web address, control characters); the error
// names every refused entry, not just the first. Duplicates (after resolution) are dropped, the result is
// sorted, and at most max entries are allowed. It returns the resolution of every accepted entry, in
// input order, so a form can say "泥挖工 → 砌筑工".
func NormalizeSkillsWith(v Vocabulary, field string, names []string, max int) ([]string, []TagResolution, error) {
	return normalizeTags(field, names, max, "技能", v.ResolveSkill)
}

// NormalizeCertsWith is NormalizeSkillsWith for certificates: 电焊证 becomes 焊工证, and a licence the
// taxonomy does not list is kept as written.
func NormalizeCertsWith(v Vocabulary, field string, names []string, max int) ([]string, []TagResolution, error) {
	return normalizeTags(field, names, max, "证书", v.ResolveCert)
}

func normalizeTags(field string, names []string, max int, what string, resolve func(string) (string, string, bool)) ([]string, []TagResolution, error) {
	seen := map[string]bool{}
	out := []string{}
	var res []TagResolution
	var refused []string
	for i, n := range names {
		tag, problem := cleanTag(n)
		if problem != "" {
			refused = append(refused, fmt.Sprintf("第 %d 项%s", i+1, problem))
			continue
		}
		r := TagResolution{Input: n, Tag: tag}
		if name, via, ok := resolve(tag); ok {
			r.Tag, r.Known, r.Via = name, true, via
		}
		r.Change = r.Tag != n
		res = append(res, r)
		if !seen[r.Tag] {
			seen[r.Tag] = true
			out = append(out, r.Tag)
		}
	}
	if len(refused) > 0 {
		return nil, nil, Invalidf(field, "以下%s无法接受：%s", what, strings.Join(refused, "；"))
	}
	if len(out) > max {
		return nil, nil, Invalidf(field, "%s最多选 %d 项（现有 %d 项）", what, max, len(out))
	}
	sort.Strings(out)
	return out, res, nil
}

// cleanTag trims a tag and the separators people type around it, folds full-width letters and digits,
// collapses inner spaces, and says what is wrong with it, if anything.
func cleanTag(s string) (string, string) {
	if !utf8.ValidString(s) {
		return "", "包含无效字符"
	}
	shown := TruncateRunes(strings.TrimSpace(s), 10)
	s = foldWidth(s)
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '+' && r != '#' && r != '）' && r != ')'
	})
	s = strings.Join(strings.Fields(s), " ")
	letters := 0
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", "“" + shown + "”包含无效字符"
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	switch {
	case s == "":
		return "", "是空的"
	case utf8.RuneCountInString(s) > MaxTagRunes:
		return "", fmt.Sprintf("“%s”太长（最多 %d 个字）", shown, MaxTagRunes)
	case ContainsPhone(s):
		return "", "“" + shown + "”里有手机号"
	case letters == 0:
		return "", "“" + shown + "”不是技能或证书的名称"
	case strings.Contains(strings.ToLower(s), "http") || strings.Contains(strings.ToLower(s), "www."):
		return "", "“" + shown + "”像是网址"
	}
	return s, ""
}

// TruncateRunes cuts s to n characters (not bytes), marking a cut with an ellipsis.
func TruncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// TaxonomyListing is the skill taxonomy as GET /api/v1/skills serves it: the categories with their
// trades' names in page order, every trade with its synonyms, slang, customary certificates and related
// trades, and every certificate with its synonyms and what it implies.
type TaxonomyListing struct {
	Categories   []CategoryListing `json:"categories"`
	Skills       []Skill           `json:"skills"`
	Certificates []Certificate     `json:"certificates"`
	// Sources names where the taxonomy comes from (the header of taxonomy/skills.tsv, in short).
	Sources string `json:"sources"`
}

// CategoryListing is one category of the listing.
type CategoryListing struct {
	Name   string   `json:"name"`
	Skills []string `json:"skills"`
}

// Taxonomy returns the listing. The slices are the caller's to keep; the taxonomy does not change while
// the process runs.
func Taxonomy() TaxonomyListing {
	out := TaxonomyListing{Skills: append([]Skill(nil), Skills...), Certificates: append([]Certificate(nil), Certificates...),
		Sources: "中华人民共和国职业分类大典（2022年版）职业编码与名称；特种作业与特种设备作业人员证、机动车驾驶证准驾车型的规定；中卫市各驿站登记与招工的日常用语"}
	for _, c := range SkillCategories {
		cl := CategoryListing{Name: c, Skills: []string{}}
		for _, s := range Skills {
			if s.Category == c {
				cl.Skills = append(cl.Skills, s.Name)
			}
		}
		out.Categories = append(out.Categories, cl)
	}
	return out
}

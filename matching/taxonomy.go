package matching

import (
	"fmt"
	"math/bits"
	"sort"
	"strings"
	"unicode/utf8"

	"lingong/domain"
)

// The taxonomy layer reads the skills and certificates that free text names. A worker who wrote "会砌墙"
// is understood as a 砌筑工 and a gig titled "急招摘果工" as 枸杞采摘, even with no tags, because the
// names and synonyms of domain.Skills and domain.Certificates are looked for in the text. Skills, certs and
// categories are numbered in domain order and kept as bitsets, so comparing two sets is a few AND
// instructions in the scoring loop.

// localSynonyms extends domain.Skills with words heard at the stations' desks: dialect, colloquial forms
// and the misspellings that pinyin input makes common. They live here, not in domain, because they only
// serve text understanding; the registration page must not offer them as tags.
var localSynonyms = map[string][]string{
	"枸杞采摘":    {"摘杞子", "采杞子", "摘红果", "采果", "苟杞", "狗杞", "枸杞子"},
	"硒砂瓜采收":   {"压砂瓜", "砂瓜", "西瓜采摘"},
	"砌筑工":     {"垒墙", "砌块", "彻墙", "切墙", "砌筑"},
	"搬运":      {"装卸货", "下货", "扛货", "装货", "搬东西", "搬运货物"},
	"保洁":      {"搞卫生", "做卫生", "保洁员"},
	"养老护理":    {"护理老人", "伺候老人", "照看老人", "护理"},
	"电焊工":     {"烧电焊", "烧焊"},
	"叉车司机":    {"叉车工", "插车"},
	"快递分拣":    {"分快递"},
	"农机驾驶":    {"农机"},
	"滩羊养殖":    {"羊倌", "放牧"},
	"面点师":     {"面点"},
	"普工":      {"进厂", "工厂"},
	"住家保姆":    {"住家"},
	"货车司机":    {"货车"},
	"环卫清扫":    {"环卫工"},
	"农产品分拣包装": {"分拣包装"},
}

// Some words say different things from a worker and from a gig, so they are synonyms with a gigUse.
// siteWords name where a trade's work is done: a worker who wrote "干过十年工地" did 建筑小工 work, but
// "给工地工人做饭" is a cook's job, so in a gig they name the skill only when its title and description name
// no other work. oddJobWords say that a worker takes odd jobs of a trade, but "烧烤店打杂" names no trade at
// all, so a gig ignores them.
var (
	siteWords   = map[string][]string{"建筑小工": {"工地", "上工地", "干工地"}}
	oddJobWords = map[string][]string{"建筑小工": {"打杂"}}
)

// generalWords say that a worker will take any labouring job ("能吃苦 啥活都干"). Such a worker is offered
// the gigs that need no trade (generalSkills) at a level below a real skill match.
var generalWords = []string{"啥活", "什么活", "啥都干", "什么都干", "都能干", "力气活", "体力活", "杂活", "零活", "打零工", "出力气"}

// generalSkills are the trades anyone fit can do on the day with no training or licence.
var generalSkills = []string{"枸杞采摘", "枸杞晾晒分拣", "硒砂瓜采收", "葡萄采摘", "苹果采摘", "红枣采摘", "蔬菜采收", "田间除草",
	"农产品分拣包装", "建筑小工", "拆除工", "搬运", "搬家", "快递分拣", "普工", "包装工", "保洁", "绿化养护", "环卫清扫", "洗车工", "促销导购"}

// negationCues, found right before a phrase, cancel it: "不会电焊" names no skill, "无需电工证" asks for
// no certificate.
var negationCues = []string{"不会", "不能", "不懂", "没有", "没", "无需", "无", "未", "不需要", "不需", "不用", "不要求", "不要", "不干", "不做", "不想", "不"}

// skillSet is a set of skills by their position in domain.Skills.
type skillSet [2]uint64

func (s *skillSet) add(i int)              { s[i>>6] |= 1 << (uint(i) & 63) }
func (s skillSet) has(i int) bool          { return s[i>>6]&(1<<(uint(i)&63)) != 0 }
func (s skillSet) and(o skillSet) skillSet { return skillSet{s[0] & o[0], s[1] & o[1]} }
func (s skillSet) or(o skillSet) skillSet  { return skillSet{s[0] | o[0], s[1] | o[1]} }
func (s skillSet) andNot(o skillSet) skillSet {
	return skillSet{s[0] &^ o[0], s[1] &^ o[1]}
}
func (s skillSet) empty() bool { return s[0]|s[1] == 0 }

// each calls f for every skill in the set, in taxonomy order.
func (s skillSet) each(f func(i int)) {
	for w := 0; w < 2; w++ {
		for b := s[w]; b != 0; b &= b - 1 {
			f(w<<6 + trailingZeros(b))
		}
	}
}

// names returns the canonical names of the set, in taxonomy order.
func (s skillSet) names() []string {
	out := []string{}
	s.each(func(i int) { out = append(out, domain.Skills[i].Name) })
	return out
}

// certSet is a set of certificates by their position in domain.Certificates.
type certSet uint64

func (c certSet) names() []string {
	out := []string{}
	for b := uint64(c); b != 0; b &= b - 1 {
		out = append(out, domain.Certificates[trailingZeros(b)].Name)
	}
	return out
}

// catSet is a set of categories by their position in domain.SkillCategories.
type catSet uint16

func trailingZeros(b uint64) int { return bits.TrailingZeros64(b) }

type phraseKind uint8

const (
	phraseSkill phraseKind = iota
	phraseCert
	phraseGeneral
)

// gigUse says what a skill phrase means in a gig's text (a worker's text always counts it).
type gigUse uint8

const (
	gigNames   gigUse = iota // the gig names the skill
	gigIfAlone               // only when the gig names no other skill (siteWords)
	gigIgnores               // nothing (oddJobWords)
)

// phrase is one taxonomy word as it appears in normalized text.
type phrase struct {
	text  string
	kind  phraseKind
	index int // skill or certificate position
	inGig gigUse
}

// taxonomy is the compiled form of domain.Skills and domain.Certificates.
type taxonomy struct {
	skillIndex map[string]int
	certIndex  map[string]int
	skillCat   []catSet  // category bit of each skill
	skillCerts []certSet // certificates each skill customarily needs
	general    skillSet
	byFirst    map[rune][]phrase // phrases by their first rune, longest first
	// starters marks the runes of the Basic Multilingual Plane that begin a phrase: reading asks it
	// first, since nearly no character of a text does, and a bit costs less than a map lookup.
	starters [1 << 16 / 64]uint64
}

var tax = compileTaxonomy()

func compileTaxonomy() *taxonomy {
	if len(domain.Skills) > 128 || len(domain.Certificates) > 32 || len(domain.SkillCategories) > 16 {
		panic("matching: the taxonomy outgrew its bitsets; widen skillSet, certSet or catSet")
	}
	t := &taxonomy{skillIndex: map[string]int{}, certIndex: map[string]int{}, byFirst: map[rune][]phrase{}}
	catIndex := map[string]int{}
	for i, c := range domain.SkillCategories {
		catIndex[c] = i
	}
	seen := map[string]bool{}
	add := func(text string, kind phraseKind, index int, inGig gigUse) {
		text = normalize(text)
		key := fmt.Sprint(text, kind, index)
		if text == "" || seen[key] {
			return
		}
		seen[key] = true
		r, _ := decode(text)
		t.byFirst[r] = append(t.byFirst[r], phrase{text, kind, index, inGig})
		if r < 1<<16 {
			t.starters[r/64] |= 1 << (r % 64)
		}
	}
	for i, c := range domain.Certificates {
		t.certIndex[c.Name] = i
		add(c.Name, phraseCert, i, gigNames)
		for _, s := range c.Synonyms {
			add(s, phraseCert, i, gigNames)
		}
	}
	for i, s := range domain.Skills {
		t.skillIndex[s.Name] = i
		t.skillCat = append(t.skillCat, catSet(1)<<catIndex[s.Category])
		var cs certSet
		for _, c := range s.Certs {
			cs |= 1 << t.certIndex[c]
		}
		t.skillCerts = append(t.skillCerts, cs)
		add(s.Name, phraseSkill, i, gigNames)
		for _, syn := range s.Synonyms {
			add(syn, phraseSkill, i, gigNames)
		}
		for _, syn := range localSynonyms[s.Name] {
			add(syn, phraseSkill, i, gigNames)
		}
		for _, syn := range siteWords[s.Name] {
			add(syn, phraseSkill, i, gigIfAlone)
		}
		for _, syn := range oddJobWords[s.Name] {
			add(syn, phraseSkill, i, gigIgnores)
		}
	}
	for _, w := range generalWords {
		add(w, phraseGeneral, 0, gigNames)
	}
	for _, name := range generalSkills {
		t.general.add(t.skillIndex[name])
	}
	for r, ps := range t.byFirst {
		sort.SliceStable(ps, func(a, b int) bool { return len(ps[a].text) > len(ps[b].text) })
		t.byFirst[r] = ps
	}
	return t
}

// categories returns the categories of the skills in s.
func (t *taxonomy) categories(s skillSet) catSet {
	var c catSet
	s.each(func(i int) { c |= t.skillCat[i] })
	return c
}

// skillsOf maps canonical skill names to a set, ignoring names outside the taxonomy (the store validates
// tags; the engine must not fail on an old tag).
func (t *taxonomy) skillsOf(names []string) skillSet {
	var s skillSet
	for _, n := range names {
		if i, ok := t.skillIndex[n]; ok {
			s.add(i)
		}
	}
	return s
}

// certsOf maps certificate names (canonical or synonyms) to a set.
func (t *taxonomy) certsOf(names []string) certSet {
	var c certSet
	for _, n := range names {
		if i, ok := t.certIndex[n]; ok {
			c |= 1 << i
			continue
		}
		c |= t.read(normalize(n), false).certs
	}
	return c
}

// reading is what the taxonomy found in one text.
type reading struct {
	skills   skillSet
	evidence []evidence // the first phrase that named each skill, in order of appearance
	// sites and siteEvidence are the skills a gig's siteWords name, which count only when the gig names
	// no other skill (a worker's site words are in skills).
	sites        skillSet
	siteEvidence []evidence
	certs        certSet // certificates named, minus negated ones (and, for gigs, merely preferred ones)
	general      bool    // the writer will take any labouring job
}

// evidence remembers which words named a skill, for the reasons shown to people ("砌墙").
type evidence struct {
	skill  int
	phrase string
}

// read finds the taxonomy's phrases in normalized text, leftmost-longest and without overlaps, so
// "货车司机" names 货车司机 and not also 小车司机 (whose synonym 司机 it contains). A phrase right after a
// negation cue is dropped. For a gig (forGig), a certificate followed by 优先 ("有电工证者优先") is a
// preference, not a requirement, and is dropped too; skill phrases count as their inGig says.
func (t *taxonomy) read(s string, forGig bool) reading {
	var out reading
	for i := 0; i < len(s); {
		r, size := decode(s[i:])
		if r < 1<<16 && t.starters[r/64]&(1<<(r%64)) == 0 {
			i += size
			continue
		}
		var hit *phrase
		for k := range t.byFirst[r] {
			p := &t.byFirst[r][k]
			if strings.HasPrefix(s[i:], p.text) && asciiBounded(s, i, len(p.text)) {
				hit = p
				break
			}
		}
		if hit == nil {
			i += size
			continue
		}
		end := i + len(hit.text)
		if !negated(s[:i]) {
			switch hit.kind {
			case phraseSkill:
				use := gigNames
				if forGig {
					use = hit.inGig
				}
				switch {
				case use == gigNames && !out.skills.has(hit.index):
					out.skills.add(hit.index)
					out.evidence = append(out.evidence, evidence{hit.index, hit.text})
				case use == gigIfAlone && !out.sites.has(hit.index):
					out.sites.add(hit.index)
					out.siteEvidence = append(out.siteEvidence, evidence{hit.index, hit.text})
				}
			case phraseCert:
				if !forGig || !preferredOnly(s[end:]) {
					out.certs |= 1 << hit.index
				}
			case phraseGeneral:
				out.general = true
			}
		}
		i = end
	}
	return out
}

// asciiBounded keeps a phrase that starts or ends with a letter or digit from matching inside a longer
// word: "c1" is a licence in "有c1驾照" but not in "abc123".
func asciiBounded(s string, start, n int) bool {
	if start > 0 && s[start] < utf8.RuneSelf && isWordRune(rune(s[start])) {
		prev, _ := utf8.DecodeLastRuneInString(s[:start])
		if isWordRune(prev) {
			return false
		}
	}
	end := start + n
	if end < len(s) && s[end-1] < utf8.RuneSelf && isWordRune(rune(s[end-1])) {
		next, _ := decode(s[end:])
		if isWordRune(next) {
			return false
		}
	}
	return true
}

// negated reports whether the text before a phrase ends in a negation cue, allowing one verb between
// them ("没有持电工证", "不会干电焊").
func negated(before string) bool {
	for pass := 0; pass < 2; pass++ {
		for _, c := range negationCues {
			if strings.HasSuffix(before, c) {
				return true
			}
		}
		r, size := utf8.DecodeLastRuneInString(before)
		if !strings.ContainsRune("持有会干做考", r) || size == 0 {
			return false
		}
		before = before[:len(before)-size]
	}
	return false
}

// preferredOnly reports whether "优先" follows within two characters ("电工证优先", "电工证者优先").
func preferredOnly(after string) bool {
	for skip := 0; skip <= 2; skip++ {
		if strings.HasPrefix(after, "优先") {
			return true
		}
		_, size := decode(after)
		if size == 0 {
			return false
		}
		after = after[size:]
	}
	return false
}

// DetectSkills returns the canonical skills that text names by their names or synonyms (摘枸杞 gives
// 枸杞采摘, 力工 gives 建筑小工, 装车 gives 搬运), in taxonomy order, without the negated ones ("不会电焊").
// The registration page can use it to suggest tags from what a worker typed.
func DetectSkills(text string) []string {
	return tax.read(normalize(text), false).skills.names()
}

// DetectCerts returns the canonical certificates that text names (电焊证 gives 焊工证), in the order of
// domain.Certificates, without negated ones ("没有电工证").
func DetectCerts(text string) []string {
	return tax.read(normalize(text), false).certs.names()
}

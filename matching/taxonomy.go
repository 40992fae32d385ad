package matching

import (
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"lingong/domain"
)

// The taxonomy layer compiles domain.Skills and domain.Certificates (names, synonyms, slang) into the
// phrases that reading.go looks for in text, and keeps the sets the scoring loop compares: trades,
// certificates and categories are numbered in domain order and held as bitsets, so comparing two sets is
// a few AND instructions.

// Some words say different things from a worker and from a gig, so they are synonyms with a jobUse.
// siteWords name where a trade's work is done: a worker who wrote "干过十年工地" did 建筑小工 work, but
// "给工地工人做饭" is a cook's job, so in a gig they name the skill only when its title and description name
// no other work. oddJobWords say that a worker takes odd jobs of a trade, but "烧烤店打杂" names no trade at
// all, so a gig ignores them.
// cropWords are a trade's synonyms that name only its crop: "枸杞 日结 要10人" is a picking job, but
// "枸杞电商公司招助播" and "招枸杞剪枝工" are not, nor is a worker who "做过枸杞直播带货": so on either side
// they name the trade only when nothing else (no other trade, no free tag) names the work.
var (
	siteWords   = map[string][]string{"建筑小工": {"工地", "上工地", "干工地"}}
	oddJobWords = map[string][]string{"建筑小工": {"打杂"}}
	cropWords   = map[string][]string{
		"枸杞采摘": {"枸杞", "枸杞子", "苟杞", "狗杞"}, "硒砂瓜采收": {"硒砂瓜", "压砂瓜", "砂瓜", "硒沙瓜"},
		"红枣采摘": {"红枣"}, "葡萄采摘": {"酿酒葡萄"},
		// 大工 is a skilled hand: alone the desks hear a mason, but 钢筋大工 and 木工大工 are of their trade.
		"砌筑工": {"大工"},
		// 装修 alone is a fitter-out's work, but 装修水电 is a plumber's and 门店装修刷墙 a painter's.
		"装修工": {"装修", "翻新", "家装"},
		// 司机 and 驾驶员 alone are a car's driver; 收割机司机 drives a harvester, 勾机司机 a digger.
		"小车司机": {"司机", "驾驶员"},
	}
)

// plainWords contain a trade's word but name no work ("屋面卫生间都做" is a waterproofer's, not a
// cleaner's): being longer, they win over the trade's word and are read as nothing.
var plainWords = []string{"卫生间", "卫生纸", "卫生院", "卫生所", "卫生室", "卫生巾"}

// A helper's word (杂工, 小工, 帮工...) says whose helper by the workplace before it: 果园杂工 is a farm hand,
// 饭店杂工 a kitchen hand, 工地杂工 a labourer. Each workplace and helper word together make a phrase of the
// workplace's trade, which, being longer, wins over the helper word alone (杂工 alone stays a labourer,
// as the desks hear it most).
var (
	workplaces = []struct {
		trade  string
		places []string
	}{
		{"农活帮工", []string{"农场", "果园", "枸杞园", "葡萄园", "大棚", "地里", "庄稼地", "菜地", "农村", "基地"}},
		{"滩羊养殖", []string{"羊场", "羊圈"}},
		{"肉牛养殖", []string{"牛场", "牛棚"}},
		{"畜禽饲养", []string{"养殖场", "鸡场", "猪场"}},
		{"帮厨", []string{"饭店", "餐厅", "饭馆", "食堂", "后厨", "酒楼", "烧烤店", "面馆"}},
		{"普工", []string{"工厂", "车间", "厂里", "厂区"}},
		{"建筑小工", []string{"工地"}},
		{"超市理货", []string{"超市", "商场"}},
		{"客房服务员", []string{"酒店", "宾馆"}},
		{"搬运", []string{"仓库", "物流园", "货场"}},
		{"景区游乐服务", []string{"景区"}},
	}
	helperWords = []string{"杂工", "小工", "帮工", "打杂", "零工", "临时工", "力工", "杂活", "帮忙"}
)

// verbs are the first characters of the two-character trades that are a verb and its object (放羊, 砌墙).
var verbs = map[rune]bool{'放': true, '养': true, '喂': true, '砌': true, '搬': true, '扛': true, '开': true, '修': true, '摘': true,
	'采': true, '剪': true, '打': true, '装': true, '卸': true, '送': true, '洗': true, '做': true, '种': true, '拔': true, '除': true,
	'浇': true, '挖': true, '收': true, '铺': true, '贴': true, '刷': true, '抹': true, '扎': true, '绑': true, '拉': true, '看': true,
	'带': true, '炒': true, '烤': true, '拆': true, '焊': true, '掰': true, '插': true, '割': true, '挤': true, '植': true, '栽': true}

// generalWords say that a worker will take any labouring job ("能吃苦 啥活都干"). Such a worker is offered
// the gigs that need no trade (generalSkills) at a level below a real skill match.
var generalWords = []string{"啥活", "什么活", "啥都干", "什么都干", "都能干", "力气活", "体力活", "杂活", "零活", "打零工", "出力气"}

// generalSkills are the trades anyone fit can do on the day with no training or licence.
var generalSkills = []string{"枸杞采摘", "枸杞晾晒分拣", "硒砂瓜采收", "葡萄采摘", "苹果采摘", "红枣采摘", "蔬菜采收", "马铃薯收获",
	"玉米收获", "田间除草", "农产品分拣包装", "农活帮工", "防沙治沙", "植树造林", "建筑小工", "拆除工", "搬运", "搬家", "快递分拣",
	"普工", "包装工", "保洁", "光伏清洗", "绿化养护", "环卫清扫", "洗车工", "促销导购", "超市理货", "活动执行"}

// anyCertWords say that the work needs "the certificate" without naming it ("持证上岗"): the certificates
// the gig's trades customarily need (domain.Skill.Certs), when it names a trade that has any. From a
// worker they claim those of the worker's trades.
var anyCertWords = []string{"持证上岗", "持证", "有证", "证件齐全", "证书齐全", "有相关证书", "有相关证件", "持有效证件", "要有证"}

// negationCues, found right before a phrase, cancel it: "不会电焊" names no skill, "无需电工证" asks for
// no certificate.
var negationCues = []string{"不会", "不能", "不懂", "没有", "没", "无需", "无", "未", "不需要", "不需", "不用", "不要求", "不要", "不干", "不做", "不想", "不"}

// skillSet is a set of trades by their position in domain.Skills: room for 192.
type skillSet [3]uint64

func (s *skillSet) add(i int)     { s[i>>6] |= 1 << (uint(i) & 63) }
func (s skillSet) has(i int) bool { return s[i>>6]&(1<<(uint(i)&63)) != 0 }
func (s skillSet) and(o skillSet) skillSet {
	return skillSet{s[0] & o[0], s[1] & o[1], s[2] & o[2]}
}
func (s skillSet) or(o skillSet) skillSet {
	return skillSet{s[0] | o[0], s[1] | o[1], s[2] | o[2]}
}
func (s skillSet) andNot(o skillSet) skillSet {
	return skillSet{s[0] &^ o[0], s[1] &^ o[1], s[2] &^ o[2]}
}
func (s skillSet) empty() bool           { return s[0]|s[1]|s[2] == 0 }
func (s skillSet) meets(o skillSet) bool { return s[0]&o[0]|s[1]&o[1]|s[2]&o[2] != 0 }
func trailingZeros(b uint64) int         { return bits.TrailingZeros64(b) }

// each calls f for every trade in the set, in taxonomy order.
func (s skillSet) each(f func(i int)) {
	for w := range s {
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

// certSet is a set of certificates by their position in domain.Certificates (bits 0..30), and certFree:
// some certificate outside the list, whose text then decides (see outside). It fits the 32 bits of a
// list entry.
type certSet uint64

const (
	maxCerts         = 31
	certFree certSet = 1 << maxCerts
)

func (c certSet) names() []string {
	out := []string{}
	for b := uint64(c &^ certFree); b != 0; b &= b - 1 {
		out = append(out, domain.Certificates[trailingZeros(b)].Name)
	}
	return out
}

// catSet is a set of categories by their position in domain.SkillCategories.
type catSet uint16

type phraseKind uint8

const (
	phraseSkill phraseKind = iota
	phraseCert
	phraseGeneral
	phraseAnyCert
	phrasePlain // plainWords: names nothing
)

// jobUse says what a skill phrase means in a gig's text (a worker's text always counts it).
type jobUse uint8

const (
	jobNames   jobUse = iota // the gig names the skill
	jobIfAlone               // only when the gig names no other skill (siteWords)
	jobIgnores               // nothing (oddJobWords)
	cropAlone                // on either side only when it names no other work (cropWords)
)

// phrase is one taxonomy word as it appears in normalized text.
type phrase struct {
	text  string
	runes int
	kind  phraseKind
	index int // skill or certificate position
	inJob jobUse
	han   bool // only Han characters: may be met by sound (see homophones.go)
}

// taxonomy is the compiled form of domain.Skills and domain.Certificates.
type taxonomy struct {
	skillIndex map[string]int
	certIndex  map[string]int
	skillCat   []catSet  // category bit of each skill
	skillCerts []certSet // certificates each skill customarily needs
	related    []skillSet
	relatedBy  []skillSet // by trade: the trades whose workers can also do it
	certHeld   []certSet  // by certificate: itself and what it implies
	general    skillSet
	byFirst    map[rune][]phrase // phrases by their first rune, longest first
	bySecond   map[rune][]phrase // phrases of three runes or more by their second, for a first one misheard
	// firstOf and secondOf are byFirst and bySecond for the runes of the Basic Multilingual Plane, as
	// positions in lists (+1; 0 for none): reading asks them for every character of a text, and an
	// array costs less than a map lookup.
	firstOf, secondOf []uint16
	longOf            []uint16 // by first rune: its phrases of three Han characters or more
	lists             [][]phrase
	// workplaceWords are the workplaces as phrases of their trades (see helperAt), longest first.
	workplaceWords []phrase
	sounds         soundIndex // the all-Han phrases by their text with one character masked (soundAlike)
}

var tax = compileTaxonomy()

func compileTaxonomy() *taxonomy {
	if len(domain.Skills) > len(skillSet{})*64 || len(domain.Certificates) > maxCerts || len(domain.SkillCategories) > 16 {
		panic("matching: the taxonomy outgrew its bitsets; widen skillSet, certSet or catSet")
	}
	t := &taxonomy{skillIndex: map[string]int{}, certIndex: map[string]int{}, byFirst: map[rune][]phrase{}, bySecond: map[rune][]phrase{}}
	catIndex := map[string]int{}
	for i, c := range domain.SkillCategories {
		catIndex[c] = i
	}
	seen := map[string]bool{}
	add := func(text string, kind phraseKind, index int, inJob jobUse) {
		text = normalize(text)
		key := fmt.Sprint(text, kind, index)
		if text == "" || seen[key] {
			return
		}
		seen[key] = true
		p := phrase{text: text, kind: kind, index: index, inJob: inJob, han: true}
		for _, r := range text {
			p.runes++
			p.han = p.han && isHan(r)
		}
		r, size := decode(text)
		t.byFirst[r] = append(t.byFirst[r], p)
		if p.han && p.runes >= 3 {
			r2, _ := decode(text[size:])
			t.bySecond[r2] = append(t.bySecond[r2], p)
		}
	}
	for i, c := range domain.Certificates {
		t.certIndex[c.Name] = i
	}
	for i, c := range domain.Certificates {
		add(c.Name, phraseCert, i, jobNames)
		for _, s := range c.Synonyms {
			add(s, phraseCert, i, jobNames)
		}
		held := certSet(1) << i
		for _, o := range c.Implies {
			held |= 1 << t.certIndex[o]
		}
		t.certHeld = append(t.certHeld, held)
	}
	for i, s := range domain.Skills {
		t.skillIndex[s.Name] = i
	}
	t.related = make([]skillSet, len(domain.Skills))
	t.relatedBy = make([]skillSet, len(domain.Skills))
	for i, s := range domain.Skills {
		t.skillCat = append(t.skillCat, catSet(1)<<catIndex[s.Category])
		var cs certSet
		for _, c := range s.Certs {
			cs |= 1 << t.certIndex[c]
		}
		t.skillCerts = append(t.skillCerts, cs)
		for _, r := range s.Related {
			j := t.skillIndex[r]
			t.related[i].add(j)
			t.relatedBy[j].add(i)
		}
		for _, w := range append(append([]string{s.Name}, s.Synonyms...), s.Slang...) {
			use := jobNames
			if slices.Contains(cropWords[s.Name], w) {
				use = cropAlone
			}
			add(w, phraseSkill, i, use)
			// A verb and its object of one character each take an aspect particle between them when a
			// worker tells what he did: 放羊, 放过羊; 砌墙, 砌过墙.
			if r := []rune(w); len(r) == 2 && isHan(r[0]) && isHan(r[1]) && verbs[r[0]] {
				add(string(r[0])+"过"+string(r[1]), phraseSkill, i, jobNames)
				add(string(r[0])+"了"+string(r[1]), phraseSkill, i, jobNames)
			}
		}
		for _, syn := range siteWords[s.Name] {
			add(syn, phraseSkill, i, jobIfAlone)
		}
		for _, syn := range oddJobWords[s.Name] {
			add(syn, phraseSkill, i, jobIgnores)
		}
	}
	for _, wp := range workplaces {
		i, ok := t.skillIndex[wp.trade]
		if !ok {
			panic("matching: workplace of an unknown trade " + wp.trade)
		}
		for _, place := range wp.places {
			for _, h := range helperWords {
				add(place+h, phraseSkill, i, jobNames)
			}
			t.workplaceWords = append(t.workplaceWords, phrase{text: place, kind: phraseSkill, index: i, inJob: jobNames, han: true})
		}
	}
	for _, w := range generalWords {
		add(w, phraseGeneral, 0, jobNames)
	}
	for _, w := range plainWords {
		add(w, phrasePlain, 0, jobNames)
	}
	for _, w := range anyCertWords {
		add(w, phraseAnyCert, 0, jobNames)
	}
	for _, name := range generalSkills {
		i, ok := t.skillIndex[name]
		if !ok {
			panic("matching: general work of an unknown trade " + name)
		}
		t.general.add(i)
	}
	sort.SliceStable(t.workplaceWords, func(a, b int) bool { return len(t.workplaceWords[a].text) > len(t.workplaceWords[b].text) })
	t.firstOf, t.secondOf, t.longOf = make([]uint16, 1<<16), make([]uint16, 1<<16), make([]uint16, 1<<16)
	long := map[rune][]phrase{}
	for r, ps := range t.byFirst {
		for _, p := range ps {
			if p.han && p.runes >= 3 {
				long[r] = append(long[r], p)
			}
		}
	}
	for m, of := range map[*map[rune][]phrase][]uint16{&t.byFirst: t.firstOf, &t.bySecond: t.secondOf, &long: t.longOf} {
		for r, ps := range *m {
			sort.SliceStable(ps, func(a, b int) bool { return len(ps[a].text) > len(ps[b].text) })
			(*m)[r] = ps
			if r < 1<<16 {
				t.lists = append(t.lists, ps)
				of[r] = uint16(len(t.lists))
			}
		}
	}
	if len(t.lists) >= 1<<16 {
		panic("matching: too many phrase lists")
	}
	t.sounds = buildSoundIndex(t.byFirst)
	return t
}

// startingWith returns the phrases that start with r, longest first.
func (t *taxonomy) startingWith(r rune) []phrase {
	if r >= 1<<16 {
		return t.byFirst[r]
	}
	if i := t.firstOf[r]; i > 0 {
		return t.lists[i-1]
	}
	return nil
}

// longStartingWith returns the phrases of three Han characters or more that start with r, longest first.
func (t *taxonomy) longStartingWith(r rune) []phrase {
	if r >= 1<<16 {
		return nil
	}
	if i := t.longOf[r]; i > 0 {
		return t.lists[i-1]
	}
	return nil
}

// secondBeing returns the phrases of three runes or more whose second rune is r, longest first.
func (t *taxonomy) secondBeing(r rune) []phrase {
	if r >= 1<<16 {
		return t.bySecond[r]
	}
	if i := t.secondOf[r]; i > 0 {
		return t.lists[i-1]
	}
	return nil
}

// categories returns the categories of the skills in s.
func (t *taxonomy) categories(s skillSet) catSet {
	var c catSet
	s.each(func(i int) { c |= t.skillCat[i] })
	return c
}

// relatedTo returns the trades that workers of the trades in s can also do.
func (t *taxonomy) relatedTo(s skillSet) skillSet {
	var out skillSet
	s.each(func(i int) { out = out.or(t.related[i]) })
	return out.andNot(s)
}

// customaryCerts returns the certificates the trades in s customarily need.
func (t *taxonomy) customaryCerts(s skillSet) certSet {
	var c certSet
	s.each(func(i int) { c |= t.skillCerts[i] })
	return c
}

// held closes a set of certificates under what each implies (a B2 licence holds C1 too).
func (t *taxonomy) held(c certSet) certSet {
	out := c
	for b := uint64(c &^ certFree); b != 0; b &= b - 1 {
		out |= t.certHeld[trailingZeros(b)]
	}
	return out
}

// tags are a side's skill or certificate tags as the engine keeps them: those of the taxonomy as a set,
// the others (free tags) as their text, in TagKey form, plus what the free tags' words name.
type tags struct {
	known skillSet
	free  []string
	read  reading // the taxonomy's phrases in the free tags
}

// skillsOf maps skill tags to the taxonomy through Vocabulary (names, synonyms, slang, homophone typos
// and tags that name one trade) and keeps the others as free tags: the engine must not fail on a tag it
// does not know, it compares it by its text.
func (t *taxonomy) skillsOf(names []string) tags {
	var out tags
	for _, n := range names {
		if i, ok := t.skillIndex[n]; ok { // the canonical name, as the store keeps it
			out.known.add(i)
			continue
		}
		if name, _, ok := resolveSkill(n); ok {
			out.known.add(t.skillIndex[name])
			continue
		}
		if k := strings.TrimSpace(n); k != "" {
			out.free = append(out.free, k)
		}
	}
	if len(out.free) > 0 {
		out.read = t.read(normalize(strings.Join(out.free, " ")), false)
	}
	return out
}

// certsOf maps certificate tags to a set, closed under what each implies when held (a worker's; a gig
// requires what it states); a certificate outside the list sets certFree and is returned in TagKey form.
func (t *taxonomy) certsOf(names []string, held bool) (certSet, []string) {
	var c certSet
	var free []string
	for _, n := range names {
		if i, ok := t.certIndex[n]; ok {
			c |= 1 << i
			continue
		}
		if name, _, ok := resolveCert(n); ok {
			c |= 1 << t.certIndex[name]
			continue
		}
		if k := domain.TagKey(n); k != "" {
			c |= certFree
			free = append(free, k)
		}
	}
	if held {
		c = t.held(c)
	}
	return c, free
}

package matching

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"lingong/domain"
)

// Reading finds the taxonomy's phrases in free text. A worker who wrote "会砌墙" is understood as a
// 砌筑工 and a gig titled "急招摘果工" as 枸杞采摘, even with no tags; "泥挖工" reads as 泥瓦工 by its sound.

// reading is what the taxonomy found in one text.
type reading struct {
	skills   skillSet
	evidence []evidence // the first phrase that named each skill, in order of appearance
	// sites and siteEvidence are the skills a gig's siteWords name, which count only when the gig names
	// no other skill (a worker's site words are in skills).
	sites        skillSet
	siteEvidence []evidence
	crops        skillSet  // the skills of sites named by cropWords (a search keyword's trade)
	certs        certSet   // certificates named, minus negated ones (and, for gigs, merely preferred ones)
	alts         []certSet // a gig's "A或B": either will do (each set holds the alternatives)
	anyCert      bool      // "持证上岗": the certificates of the trades named (see anyCertWords)
	general      bool      // the writer will take any labouring job
}

// evidence remembers which words named a skill, for the reasons shown to people ("砌墙").
type evidence struct {
	skill  int
	phrase string
}

// read finds the taxonomy's phrases in normalized text, leftmost-longest and without overlaps, so
// "货车司机" names 货车司机 and not also 小车司机 (whose synonym 司机 it contains). Where no phrase starts
// as written, a phrase of three characters or more that the text says with one character replaced by a
// homophone counts too (see homophones.go). A phrase right after a negation cue is dropped. For a gig
// (forJob), a certificate followed by 优先 ("有电工证者优先") is a preference, not a requirement, and is
// dropped too; skill phrases count as their inJob says.
func (t *taxonomy) read(s string, forJob bool) reading {
	var out reading
	lastCert, lastCertEnd := -1, 0 // the previous certificate a gig requires, for "A或B"
	for i := 0; i < len(s); {
		r, size := decode(s[i:])
		hit, n := t.phraseAt(s, i, r, size)
		if hit == nil {
			hit, n = t.boundedPairAt(s, i)
		}
		if hit == nil {
			i += size
			continue
		}
		end := i + n
		if hit.kind == phraseSkill && helperWord[hit.text] {
			hit = t.helperAt(s, i, hit)
		}
		if !negated(s[:i]) {
			switch hit.kind {
			case phraseSkill:
				use := jobNames
				if forJob || hit.inJob == cropAlone {
					use = hit.inJob
				}
				switch {
				case use == jobNames && !out.skills.has(hit.index):
					out.skills.add(hit.index)
					out.evidence = append(out.evidence, evidence{hit.index, s[i:end]})
				case (use == jobIfAlone || use == cropAlone) && !out.sites.has(hit.index):
					if use == cropAlone {
						out.crops.add(hit.index)
					}
					out.sites.add(hit.index)
					out.siteEvidence = append(out.siteEvidence, evidence{hit.index, s[i:end]})
				}
			case phraseCert:
				switch {
				case !forJob && deniedAfter(s[end:]):
					// "电工证没考": told as not held
				case !forJob:
					out.certs |= 1 << hit.index
				case preferredOnly(s[end:]) || preferredBefore(s[:i]):
				case lastCert >= 0 && alternative(s[lastCertEnd:i]):
					// "育婴师证或者母婴护理证": either will do. The set requires all it holds, so keep
					// the lesser when one implies the other (B2 或 A2: B2), else the pair is a
					// requirement of its own that either certificate meets.
					a, b := certSet(1)<<lastCert, certSet(1)<<hit.index
					out.certs &^= a
					switch {
					case t.held(a)&b != 0:
						out.certs |= b
					case t.held(b)&a != 0:
						out.certs |= a
					default:
						out.alts = append(out.alts, a|b)
					}
					lastCert = -1
				default:
					out.certs |= 1 << hit.index
					lastCert, lastCertEnd = hit.index, end
				}
			case phraseAnyCert:
				out.anyCert = out.anyCert || !forJob || !preferredOnly(s[end:])
			case phraseGeneral:
				out.general = true
			}
		}
		i = end
	}
	return out
}

// phraseAt returns the phrase that starts at byte i of s (whose rune r takes size bytes) and its length
// in s: the longest written as it is, else the longest said with one homophone.
func (t *taxonomy) phraseAt(s string, i int, r rune, size int) (*phrase, int) {
	first := t.startingWith(r)
	for k := range first {
		p := &first[k]
		if strings.HasPrefix(s[i:], p.text) && asciiBounded(s, i, len(p.text)) {
			return p, len(p.text)
		}
	}
	if !isHan(r) {
		return nil, 0
	}
	// By sound: a phrase whose first character is this one (another differs), or whose second
	// character follows this one (this one differs, and the rest is as written).
	var best *phrase
	bestLen := 0
	long := t.longStartingWith(r)
	for k := range long {
		p := &long[k]
		if len(p.text) > bestLen {
			if n, ok := soundsLike(s[i:], p.text); ok {
				best, bestLen = p, n
			}
		}
	}
	if i+size < len(s) {
		r2, _ := decode(s[i+size:])
		second := t.secondBeing(r2)
		for k := range second {
			p := &second[k]
			p0, n0 := decode(p.text)
			if rest := p.text[n0:]; len(p.text) > bestLen && strings.HasPrefix(s[i+size:], rest) && homophones(r, p0) {
				best, bestLen = p, size+len(rest)
			}
		}
	}
	return best, bestLen
}

// boundedPairAt reads the last two Han characters of a run (before the end of the text, a character
// that is not Han, or a phrase of the taxonomy: "小区报安", "招报安3个", "勾机司机") as the skill they name with one homophone (报安: 保安): a
// posting's title and its clauses end with the trade. Inside a run two characters are too easily met by
// chance (蔬菜果品 holds 菜果; see homophones.go).
func (t *taxonomy) boundedPairAt(s string, i int) (*phrase, int) {
	n := 0
	var pair [2]rune
	for k := 0; k < 2; k++ {
		r, size := decode(s[i+n:])
		if size == 0 || !isHan(r) {
			return nil, 0
		}
		pair[k] = r
		n += size
	}
	if !skillPairSounds.mayBe(pair[0], pair[1]) {
		return nil, 0
	}
	if next, size := decode(s[i+n:]); size > 0 && isHan(next) && !t.exactPhraseAt(s[i+n:], next) {
		return nil, 0
	}
	idx, ok := t.soundAlike(s[i:i+n], phraseSkill)
	if !ok {
		return nil, 0
	}
	return &phrase{text: s[i : i+n], runes: 2, kind: phraseSkill, index: idx, inJob: jobNames, han: true}, n
}

// exactPhraseAt reports whether s (starting with rune r) starts with a phrase as written: a word ends
// where another begins ("勾机司机").
func (t *taxonomy) exactPhraseAt(s string, r rune) bool {
	for _, p := range t.startingWith(r) {
		if strings.HasPrefix(s, p.text) {
			return true
		}
	}
	return false
}

// helperWord marks the helper's words that are phrases on their own (杂工, 小工, 力工: a labourer).
var helperWord = func() map[string]bool {
	m := map[string]bool{}
	for _, h := range helperWords {
		m[normalize(h)] = true
	}
	return m
}()

// helperAt returns the phrase a helper's word at byte i stands for: the trade of a workplace named
// shortly before it in the same clause ("在果园干过小工": a farm hand), or the word's own (a labourer).
func (t *taxonomy) helperAt(s string, i int, hit *phrase) *phrase {
	from := i
	for k := 0; k < 8 && from > 0; k++ {
		r, size := utf8.DecodeLastRuneInString(s[:from])
		if !isHan(r) {
			break
		}
		from -= size
	}
	before := s[from:i]
	for k := range t.workplaceWords {
		if strings.Contains(before, t.workplaceWords[k].text) {
			return &t.workplaceWords[k]
		}
	}
	return hit
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
	if r, _ := utf8.DecodeLastRuneInString(before); !strings.ContainsRune(negationEnds, r) {
		return false // most phrases follow no cue: no cue ends with the character before them
	}
	for pass := 0; pass < 2; pass++ {
		for _, q := range questionForms {
			if strings.HasSuffix(before, q) {
				return false // "有没有开铲车的活" asks, it does not deny
			}
		}
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

// questionForms end in a negation cue but ask a question.
var questionForms = []string{"有没有", "会不会", "能不能", "要不要", "是不是", "用不用", "需不需要"}

// negationEnds holds the last character of every question form and negation cue, and the verbs negated
// allows between a cue and a phrase: text before a phrase that ends otherwise negates nothing.
var negationEnds = func() string {
	ends := "持有会干做考"
	for _, c := range append(slices.Clone(questionForms), negationCues...) {
		if r, _ := utf8.DecodeLastRuneInString(c); !strings.ContainsRune(ends, r) {
			ends += string(r)
		}
	}
	return ends
}()

// preferredOnly reports whether "优先" (or 更好, 最好, 加分, 有的话...) follows within two characters
// ("电工证优先", "电工证者优先", "有健康证更好", "叉车证有的话工资高点").
func preferredOnly(after string) bool {
	for skip := 0; skip <= 2; skip++ {
		for _, cue := range [...]string{"优先", "更好", "最好", "加分", "有的话", "有更好", "有最好", "没有也行", "没有也可以"} {
			if strings.HasPrefix(after, cue) {
				return true
			}
		}
		r, size := decode(after)
		if size == 0 || r == '没' || r == '不' || r == '无' {
			return false // "没有的话别来" demands it
		}
		after = after[size:]
	}
	return false
}

// deniedAfter reports whether a certificate a worker names is denied right after it ("电工证没考",
// "养老护理证没有").
func deniedAfter(after string) bool {
	for _, cue := range [...]string{"没", "未考", "未拿", "还没", "也没"} {
		if strings.HasPrefix(after, cue) {
			return true
		}
	}
	return false
}

// certDemand finds a licence a gig's text demands by a verb before it ("要有农机驾驶操作证", "必须持叉车证").
var certDemand = regexp.MustCompile(`(要有|必须有|需要有|须有|需持|须持|必须持|要求有|要持)([\p{Han}A-Za-z0-9]{1,10}?证)`)

// demandedCerts returns the licences a gig's text demands that the taxonomy does not list, in TagKey form
// (a worker must hold one written the same way), and those it does list as a set.
func demandedCerts(text string) (known certSet, free []string) {
	if !mayDemandCert(text) {
		return 0, nil
	}
	for _, m := range certDemand.FindAllStringSubmatchIndex(text, -1) {
		if negated(text[:m[0]]) || preferredOnly(text[m[1]:]) || preferredBefore(text[:m[0]]) {
			continue
		}
		name := text[m[4]:m[5]]
		if c, _, ok := resolveCert(name); ok {
			known |= 1 << tax.certIndex[c]
			continue
		}
		if k := domain.TagKey(name); k != "" && !slices.Contains(free, k) {
			free = append(free, k)
		}
	}
	return known, free
}

// mayDemandCert reports whether text holds one of certDemand's verbs (each contains one of these pairs),
// so that the regular expression, an eighth of the index build's time when it ran on every gig, runs
// only where it can match.
func mayDemandCert(text string) bool {
	for _, v := range [...]string{"要有", "须有", "求有", "需持", "须持", "要持"} {
		if strings.Contains(text, v) {
			return true
		}
	}
	return false
}

// preferredBefore reports whether a wish precedes a certificate within two characters ("最好有教师资格证",
// "优先考虑持叉车证").
func preferredBefore(before string) bool {
	for skip := 0; skip <= 2; skip++ {
		for _, cue := range [...]string{"最好", "优先", "有的话", "如有"} {
			if strings.HasSuffix(before, cue) {
				return true
			}
		}
		r, size := utf8.DecodeLastRuneInString(before)
		if size == 0 || !isHan(r) {
			return false
		}
		before = before[:len(before)-size]
	}
	return false
}

// alternative reports whether the text between two certificates makes them alternatives ("或者", "或",
// "/"): at most a connector and a verb.
func alternative(between string) bool {
	between = strings.TrimSpace(between)
	for _, c := range [...]string{"或者", "或是", "或", "/", "、或"} {
		if rest, ok := strings.CutPrefix(between, c); ok && utf8.RuneCountInString(rest) <= 1 {
			return true
		}
	}
	return false
}

// DetectSkills returns the canonical skills that text names by their names, synonyms, slang or a
// homophone typo (摘枸杞 gives 枸杞采摘, 力工 gives 建筑小工, 装车 gives 搬运, 泥挖工 gives 砌筑工), in
// taxonomy order, without the negated ones ("不会电焊"). The registration page can use it to suggest tags
// from what a worker typed.
func DetectSkills(text string) []string {
	return tax.read(normalize(text), false).workerSkills(false).names()
}

// workerSkills is what a worker's text says he does: the skills named, and the trades of the crops he
// names ("种地的，枸杞 大棚 都行") unless he names work of another category or has free tags (someone who
// "做过两年枸杞直播带货" sells goji; someone who "在枸杞园干过杂工" may well pick it).
func (r reading) workerSkills(freeTags bool) skillSet {
	if r.crops.empty() || freeTags || tax.categories(r.skills)&^tax.categories(r.crops) != 0 {
		return r.skills
	}
	return r.skills.or(r.crops)
}

// DetectCerts returns the canonical certificates that text names (电焊证 gives 焊工证), in the order of
// domain.Certificates, without negated ones ("没有电工证").
func DetectCerts(text string) []string {
	return tax.read(normalize(text), false).certs.names()
}

// Vocabulary is the engine's domain.Vocabulary: besides the taxonomy's names, synonyms and slang it
// knows homophone typos of a whole tag (泥挖工 and 插车 are 砌筑工 and 叉车司机) and tags that name one
// trade or licence among other words (会开叉车, 持电工证). Pass it to domain.JobRules and
// WorkerProfile.NormalizeWith where input is validated.
type Vocabulary struct{}

// ResolveSkill implements domain.Vocabulary.
func (Vocabulary) ResolveSkill(tag string) (string, string, bool) { return resolveSkill(tag) }

// ResolveCert implements domain.Vocabulary.
func (Vocabulary) ResolveCert(tag string) (string, string, bool) { return resolveCert(tag) }

var _ domain.Vocabulary = Vocabulary{}

func resolveSkill(tag string) (string, string, bool) {
	if name, via, ok := domain.ExactVocabulary.ResolveSkill(tag); ok {
		return name, via, true
	}
	key := normalize(domain.TagKey(tag))
	if i, ok := tax.soundAlike(key, phraseSkill); ok {
		return domain.Skills[i].Name, domain.ViaHomophone, true
	}
	if r := tax.read(key, false); !r.skills.empty() && !r.general {
		var only []int
		r.skills.each(func(i int) { only = append(only, i) })
		if len(only) == 1 {
			return domain.Skills[only[0]].Name, domain.ViaPhrase, true
		}
	}
	return "", "", false
}

func resolveCert(tag string) (string, string, bool) {
	if name, via, ok := domain.ExactVocabulary.ResolveCert(tag); ok {
		return name, via, true
	}
	key := normalize(domain.TagKey(tag))
	if i, ok := tax.soundAlike(key, phraseCert); ok {
		return domain.Certificates[i].Name, domain.ViaHomophone, true
	}
	if c := tax.read(key, false).certs; c != 0 && c&(c-1) == 0 {
		return domain.Certificates[trailingZeros(uint64(c))].Name, domain.ViaPhrase, true
	}
	// A licence's longer official name ("低压电工作业证", "叉车司机证") contains the trade its listed name
	// starts with: the longest such stem of two characters or more, when only one certificate has it.
	best, bestLen, tie := -1, 0, false
	for i, c := range domain.Certificates {
		stem := normalize(strings.TrimSuffix(c.Name, "证"))
		n := utf8.RuneCountInString(stem)
		if n < 2 || !strings.HasSuffix(key, "证") || !strings.Contains(key, stem) {
			continue
		}
		switch {
		case n > bestLen:
			best, bestLen, tie = i, n, false
		case n == bestLen:
			tie = true
		}
	}
	if best >= 0 && !tie {
		return domain.Certificates[best].Name, domain.ViaPhrase, true
	}
	return "", "", false
}

// soundAlike returns the skill or certificate whose phrase the whole of word says with one character
// replaced by a homophone (two characters or more), the first in taxonomy order when several do.
func (t *taxonomy) soundAlike(word string, kind phraseKind) (int, bool) {
	return t.sounds.find(word, kind)
}

// soundAlikeByScan is soundAlike by trying every phrase: the definition the index must agree with
// (TestSoundIndexAgreesWithTheScan).
func (t *taxonomy) soundAlikeByScan(word string, kind phraseKind) (int, bool) {
	n := utf8.RuneCountInString(word)
	if n < 2 {
		return 0, false
	}
	best := -1
	for _, ps := range t.byFirst {
		for k := range ps {
			p := &ps[k]
			if p.kind != kind || !p.han || p.runes != n || (best >= 0 && p.index >= best) {
				continue
			}
			if l, ok := soundsLike(word, p.text); ok && l == len(word) {
				best = p.index
			}
		}
	}
	return best, best >= 0
}

// isQueryWordBySound is soundAlike for a keyword of a search, which stands alone like a tag.
func (t *taxonomy) wordBySound(word string) (int, bool) { return t.soundAlike(word, phraseSkill) }

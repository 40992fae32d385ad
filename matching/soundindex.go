package matching

import "unicode/utf8"

// soundIndex finds the phrases a word may read as with one character replaced by a homophone without
// trying every phrase of the taxonomy: each all-Han phrase is filed under its kind and its text with one
// character masked, once per position, so a word of n characters looks up n keys. The gig analyser asks
// it for every pair of characters of every gig (see boundedPairAt), so building the index at start-up
// and each search's keywords pay a few map lookups instead of a walk over the whole taxonomy.
type soundIndex map[string][]soundEntry

type soundEntry struct {
	index int  // the phrase's skill or certificate position (its taxonomy order)
	r     rune // the phrase's character at the masked position
}

// soundMask stands for the masked character in a key; no normalized text contains it.
const soundMask = '\uFFFF'

func soundKey(buf []byte, kind phraseKind, text string, at int) []byte {
	buf = append(buf[:0], byte(kind))
	i := 0
	for _, r := range text {
		if i == at {
			r = soundMask
		}
		buf = utf8.AppendRune(buf, r)
		i++
	}
	return buf
}

func buildSoundIndex(byFirst map[rune][]phrase) soundIndex {
	ix := soundIndex{}
	var buf []byte
	for _, ps := range byFirst {
		for _, p := range ps {
			if !p.han || p.runes < 2 {
				continue
			}
			for at, r := range []rune(p.text) {
				buf = soundKey(buf, p.kind, p.text, at)
				ix[string(buf)] = append(ix[string(buf)], soundEntry{index: p.index, r: r})
			}
		}
	}
	return ix
}

// find is soundAlike's answer: the first phrase (taxonomy order) of kind that the whole of word reads as
// with exactly one character, a Han one, replaced by a homophone.
func (ix soundIndex) find(word string, kind phraseKind) (int, bool) {
	if utf8.RuneCountInString(word) < 2 {
		return 0, false
	}
	best := -1
	var buf [64]byte
	at := -1
	for _, wr := range word {
		if at++; !isHan(wr) {
			continue
		}
		key := soundKey(buf[:0], kind, word, at)
		for _, e := range ix[string(key)] {
			if e.r != wr && (best < 0 || e.index < best) && homophones(wr, e.r) {
				best = e.index
			}
		}
	}
	return best, best >= 0
}

// pairSounds tells which pairs of characters may read as a skill of two characters with one of them
// replaced by a homophone (boundedPairAt asks for nearly every pair of every gig): the pair must keep
// the skill's first character or its second, so a pair whose first is no such skill's first and whose
// second is no such skill's second reads as none, and the index need not be asked.
type pairSounds struct{ first, second [1 << 16 / 64]uint64 }

var skillPairSounds = newPairSounds(tax.byFirst)

func newPairSounds(byFirst map[rune][]phrase) *pairSounds {
	ps := new(pairSounds)
	set := func(bits *[1 << 16 / 64]uint64, r rune) {
		if r < 1<<16 {
			bits[r/64] |= 1 << (r % 64)
		}
	}
	for _, l := range byFirst {
		for _, p := range l {
			if p.kind != phraseSkill || !p.han || p.runes != 2 {
				continue
			}
			r1, n := decode(p.text)
			r2, _ := decode(p.text[n:])
			set(&ps.first, r1)
			set(&ps.second, r2)
		}
	}
	return ps
}

// mayBe reports whether the pair r1 r2 may read as a skill of two characters (see pairSounds); runes past
// the Basic Multilingual Plane are not filed, so they always may.
func (ps *pairSounds) mayBe(r1, r2 rune) bool {
	has := func(bits *[1 << 16 / 64]uint64, r rune) bool { return r >= 1<<16 || bits[r/64]&(1<<(r%64)) != 0 }
	return has(&ps.first, r1) || has(&ps.second, r2)
}

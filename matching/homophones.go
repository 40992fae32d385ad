package matching

import (
	"sync"

	"github.com/mozillazg/go-pinyin"
)

// Homophone typos are the common kind in Chinese text: a pinyin input method offers every character of
// a syllable, and a hurried thumb picks 泥挖工 for 泥瓦工, 插车 for 叉车. The taxonomy lists the usual ones as
// slang; the rest are found by pinyin, from the readings of github.com/mozillazg/go-pinyin (toneless,
// every reading of a character with several), not from a table of our own.
//
// A word of the text is read as a taxonomy phrase of three characters or more when it differs from it
// in exactly one character and that character sounds the same (any reading of each, tones ignored).
// Two-character phrases are too easily met by chance across word boundaries (蔬菜果品 holds 菜果, which
// sounds like 采果), so they are matched by sound only where the whole input is the word: a tag, or a
// keyword of a search.

// readings are the toneless pinyin syllables of a character, as numbers from 1 (0: none). Three cover
// all but a handful of characters.
type readings [3]uint16

var hanSounds struct {
	once  sync.Once
	table []readings // by rune - uniFirst
}

// soundsOf returns the readings of r (none for a character outside the common CJK block).
func soundsOf(r rune) readings {
	hanSounds.once.Do(loadSounds)
	if r < uniFirst || r > uniLast {
		return readings{}
	}
	return hanSounds.table[r-uniFirst]
}

// loadSounds numbers every toneless syllable and records each character's readings: some 30 ms, once,
// the first time a text is read.
func loadSounds() {
	args := pinyin.NewArgs()
	args.Heteronym = true
	ids := map[string]uint16{}
	table := make([]readings, uniLast-uniFirst+1)
	for r := rune(uniFirst); r <= uniLast; r++ {
		var rd readings
		k := 0
		for _, s := range pinyin.SinglePinyin(r, args) {
			if k == len(rd) {
				break
			}
			id, ok := ids[s]
			if !ok {
				id = uint16(len(ids) + 1)
				ids[s] = id
			}
			dup := false
			for _, x := range rd[:k] {
				dup = dup || x == id
			}
			if !dup {
				rd[k] = id
				k++
			}
		}
		table[r-uniFirst] = rd
	}
	hanSounds.table = table
}

// homophones reports whether a and b share a reading (a character is its own homophone only if it has a
// reading; callers compare equal characters first).
func homophones(a, b rune) bool {
	ra, rb := soundsOf(a), soundsOf(b)
	for _, x := range ra {
		if x == 0 {
			break
		}
		for _, y := range rb {
			if x == y {
				return true
			}
		}
	}
	return false
}

// soundsLike reports whether the text s starts with a word that reads as the phrase p (both normalized,
// p of Han characters only) with exactly one character replaced by a homophone, and returns the word's
// length in bytes.
func soundsLike(s, p string) (int, bool) {
	i, diff := 0, 0
	var tr, pr0 rune // the differing pair
	for _, pr := range p {
		if i >= len(s) {
			return 0, false
		}
		r, size := decode(s[i:])
		if r != pr {
			if diff++; diff > 1 || !isHan(r) {
				return 0, false
			}
			tr, pr0 = r, pr
		}
		i += size
	}
	// The readings are looked up last, for the one pair that differs: most candidates fail before.
	return i, diff == 1 && homophones(tr, pr0)
}

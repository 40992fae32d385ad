package matching

import (
	"testing"

	"lingong/domain"
)

// The sound index answers exactly what trying every phrase answers, for every kind of phrase: on each
// phrase with one character replaced by homophones of it (the words it is there to find), with two
// replaced, unchanged, and on every 2-4 character stretch of generated gig texts (what the analyser asks).
func TestSoundIndexAgreesWithTheScan(t *testing.T) {
	var words []string
	seen := map[string]bool{}
	addWord := func(w string) {
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	for _, ps := range tax.byFirst {
		for _, p := range ps {
			rs := []rune(p.text)
			addWord(p.text)
			for at, r := range rs {
				found := 0
				for h := rune(uniFirst); h <= uniLast && found < 4; h++ {
					if h != r && homophones(h, r) {
						w := append([]rune{}, rs...)
						w[at] = h
						addWord(string(w))
						if at+1 < len(rs) {
							w[at+1] = h
							addWord(string(w))
						}
						found++
					}
				}
			}
		}
	}
	for _, j := range GenerateJobs(300, 7, domain.Date("2026-06-01")) {
		rs := []rune(normalize(j.Title + j.Description))
		for i := range rs {
			for n := 2; n <= 4 && i+n <= len(rs); n++ {
				addWord(string(rs[i : i+n]))
			}
		}
	}
	matched := 0
	for _, w := range words {
		for _, kind := range []phraseKind{phraseSkill, phraseCert, phraseGeneral, phraseAnyCert} {
			gi, gok := tax.soundAlike(w, kind)
			wi, wok := tax.soundAlikeByScan(w, kind)
			if gi != wi || gok != wok {
				t.Fatalf("%q kind %d: index says (%d, %v), the scan (%d, %v)", w, kind, gi, gok, wi, wok)
			}
			if gok {
				matched++
			}
		}
	}
	if matched < 100 {
		t.Fatalf("only %d of %d words read as a phrase by sound: the test does not exercise the index", matched, len(words))
	}
	t.Logf("%d words, %d read as a phrase by sound", len(words), matched)
}

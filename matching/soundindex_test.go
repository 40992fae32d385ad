package matching

import (
	"slices"
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

// The quick check boundedPairAt makes before asking the sound index lets through every pair that reads as
// a skill of two characters: every such skill with either character replaced by each of its homophones.
func TestPairSoundsLetsThroughEveryPairThatReadsAsASkill(t *testing.T) {
	checked := 0
	for _, ps := range tax.byFirst {
		for _, p := range ps {
			rs := []rune(p.text)
			if len(rs) != 2 || !p.han {
				continue
			}
			for at, r := range rs {
				for h := rune(uniFirst); h <= uniLast; h++ {
					if h == r || !homophones(h, r) {
						continue
					}
					w := []rune{rs[0], rs[1]}
					w[at] = h
					if _, ok := tax.soundAlike(string(w), phraseSkill); ok {
						checked++
						if !skillPairSounds.mayBe(w[0], w[1]) {
							t.Fatalf("%s reads as a skill by its sound, but the quick check turns it away", string(w))
						}
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d pairs read as a skill by their sound", checked)
	}
}

// A worker's terms read straight from the runes are the ids of the query tokens of his text, in their
// order, whether or not the dictionary knows them all.
func TestKnownQueryTermsAreTheQueryTokens(t *testing.T) {
	jobs := GenerateJobs(300, 7, "2026-06-01")
	workers := GenerateWorkers(300, 7, "2026-06-01")
	ix := Build(jobs, nil)
	var texts []string
	for i := range workers {
		texts = append(texts, normalize(workerQueryText(&workers[i])))
	}
	texts = append(texts, "", "瓦", "a", "会砌墙 瓦工 c1 1.5元 砌墙砌墙", "𠀀𠀁 叉车", "ｃ１驾照")
	var a analyzer
	known := 0
	for _, s := range texts {
		want, _ := ix.dict.lookupAll(queryTokens(s), nil, nil)
		got, ok := a.knownQueryTerms(&ix.dict, s, false)
		if !ok || !slices.Equal(got, want) {
			t.Fatalf("%q: terms %v (%v), want %v", s, got, ok, want)
		}
		all, ok := a.knownQueryTerms(&ix.dict, s, true)
		if ok != (len(want) == len(queryTokens(s))) || ok && !slices.Equal(all, want) {
			t.Fatalf("%q interning: terms %v (%v), want %v of %d tokens", s, all, ok, want, len(queryTokens(s)))
		}
		if ok {
			known++
		}
	}
	if known == 0 || known == len(texts) {
		t.Fatalf("%d of %d texts had every term known: the test needs both kinds", known, len(texts))
	}
}

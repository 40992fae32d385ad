package matching

import (
	"math"
	"slices"
	"strings"

	"lingong/domain"
)

// A gig or a worker enters the index as an immutable document: analysed once on the way in, never changed
// afterwards (an update replaces it), so a reader may keep a pointer to it after leaving its shard.

// jobDoc is an open gig as the engine sees it. The fields matching reads for every gig it loads come
// first, within two cache lines; the summary, read only for the results, comes last.
type jobDoc struct {
	concepts  skillSet // tags plus skills read from the text
	tagged    skillSet // the tags of the taxonomy
	cats      catSet
	general   bool // work anyone fit can do on the day: a general trade and no certificate
	hasPlace  bool
	dailyOK   bool
	paysDaily bool  // settled daily, or says so (日结, 当天结)
	lenCode   uint8 // the length as BM25 uses it (encodeLength)
	district  int8  // position in domain.Districts, -1 when elsewhere
	start     int32 // day numbers (see dayNumber)
	end       int32
	certs     certSet   // required: tags plus certificates the text requires; certFree: see outside
	alts      []certSet // required too, one certificate of each ("育婴师证或者母婴护理证"), nil mostly
	gender    gender    // the only gender the gig takes ("只要女工"), anyGender mostly
	bornFrom  int32     // the earliest birth year it takes ("55岁以下"), 0 for any
	pt        point
	dayMilli  int64 // the working day, in milli-hours
	daily     int64 // a day's pay in fen, when known
	created   int64 // CreatedAt in Unix nanoseconds, for newest-first order

	terms    []uint32   // term id<<8 | term frequency, sorted by id
	length   int32      // term occurrences, for the collection's mean length
	evidence []evidence // the words that named the read skills
	outside  *outside   // tags and certificates outside the taxonomy; nil for most gigs
	sum      JobSummary // without its lists, which summary makes from the sets above
	memo     Memo       // for SearchResult.Memos: a document is never changed, only replaced
}

// workerDoc is an active worker as the engine sees it.
type workerDoc struct {
	sum        WorkerSummary
	terms      []uint32 // the ids of the query terms of the self description and skills, in canonical order
	tagged     skillSet
	concepts   skillSet
	related    skillSet // trades the worker's trades can also do (domain.Skill.Related), less concepts
	evidence   []evidence
	cats       catSet
	general    bool    // will take any labouring job (said so, or named no skill at all)
	certs      certSet // held: the tags plus certificates named in the self description, with what they imply
	from       int32   // availability, as day numbers; open ends are minDay and maxDay
	to         int32
	pt         point
	hasPlace   bool
	limit      float64  // commute limit in km
	rel        float64  // reliability in (0,1), see reliability
	outside    *outside // tags and certificates outside the taxonomy; nil for most workers
	gender     gender   // from the ID number, else from his words (statedGender); anyGender when not known
	born       int32    // birth year, 0 when not known
	wantsDaily bool     // says he wants his pay by the day ("日结最好")
	piece      string   // what his piece-rate wish counts (斤, 箱…; see pieceUnitIn), "" unless he asks a piece rate
}

// outside holds a document's tags and certificates outside the taxonomy, apart from the document, which
// most records need no room for.
type outside struct {
	tags  []string  // as typed (their words are among the document's terms)
	certs []string  // in domain.TagKey form: required by a gig, held by a worker
	free  []freeTag // a worker's tags, analysed for covers
	index []int     // by free: its tag's position in tags
}

// free returns a worker's analysed free tags.
func (w *workerDoc) free() []freeTag {
	if w.outside == nil {
		return nil
	}
	return w.outside.free
}

// outsideTags returns the tags outside the taxonomy.
func (o *outside) outsideTags() []string {
	if o == nil {
		return nil
	}
	return o.tags
}

// outsideCerts returns the certificates outside the list.
func (o *outside) outsideCerts() []string {
	if o == nil {
		return nil
	}
	return o.certs
}

// newOutside returns the outside part of a document, or nil when it has none.
func newOutside(tags, certs []string) *outside {
	if len(tags) == 0 && len(certs) == 0 {
		return nil
	}
	return &outside{tags: tags, certs: certs}
}

// freeTag is a worker's skill tag outside the taxonomy (羊毛剪毛), which a gig satisfies by its words:
// see covers.
type freeTag struct {
	chars   []uint32 // the ids of its distinct characters (and words of letters or digits)
	bigrams []uint32 // the ids of its bigrams
}

// covers reports whether the gig says what the free tag says: every character of the tag is among the
// gig's terms, and so is one of its bigrams at least (羊毛剪毛 is covered by "剪羊毛": 剪, 羊, 毛 and 羊毛).
func (f *freeTag) covers(g *jobDoc) bool {
	for _, id := range f.chars {
		if g.tf(id) == 0 {
			return false
		}
	}
	if len(f.bigrams) == 0 {
		return true
	}
	for _, id := range f.bigrams {
		if g.tf(id) > 0 {
			return true
		}
	}
	return false
}

// keys are the terms whose lists hold every gig the tag covers: its bigrams, or its characters when it
// has none.
func (f *freeTag) keys() []uint32 {
	if len(f.bigrams) > 0 {
		return f.bigrams
	}
	return f.chars
}

// freeKeys returns the distinct key terms of the worker's free tags.
func (w *workerDoc) freeKeys() []uint32 {
	var out []uint32
	free := w.free()
	for i := range free {
		for _, id := range free[i].keys() {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// freeTagOf analyses a free tag; intern numbers its new terms, otherwise a tag with a term no gig has
// gives nothing (no gig can cover it). Tags of one character say too little and give nothing.
func freeTagOf(d *dictionary, tag string, intern bool) (freeTag, bool) {
	s := normalize(tag)
	var chars, bigrams []string
	scanTokens(s, indexMode, func(tok string) {
		if r, n := decode(tok); n < len(tok) && isHan(r) {
			bigrams = append(bigrams, tok)
		} else if !slices.Contains(chars, tok) {
			chars = append(chars, tok)
		}
	})
	if len(chars)+len(bigrams) < 2 {
		return freeTag{}, false
	}
	var f freeTag
	var pos []int
	if intern {
		f.chars, _ = d.internAll(chars, nil, pos)
		f.bigrams, _ = d.internAll(bigrams, nil, pos)
	} else {
		f.chars, _ = d.lookupAll(chars, nil, pos)
		f.bigrams, _ = d.lookupAll(bigrams, nil, pos)
		if len(f.chars) < len(chars) {
			return freeTag{}, false
		}
	}
	return f, true
}

const (
	minDay = math.MinInt32
	maxDay = math.MaxInt32
)

// dayNumber turns a Date into days since 1970-01-01, or ok=false when it is empty or malformed.
func dayNumber(d domain.Date) (int32, bool) {
	s := string(d)
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	num := func(t string) int {
		n := 0
		for i := 0; i < len(t); i++ {
			if !isDigit(t[i]) {
				return -1
			}
			n = n*10 + int(t[i]-'0')
		}
		return n
	}
	y, m, day := num(s[:4]), num(s[5:7]), num(s[8:])
	if y < 0 || m < 1 || m > 12 || day < 1 || day > 31 {
		return 0, false
	}
	// Days from civil, after Howard Hinnant's algorithm.
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468), true
}

func districtIndex(name string) int8 {
	for i, d := range domain.Districts {
		if d == name {
			return int8(i)
		}
	}
	return -1
}

// jobText lists the pieces of a gig that are searched, normalized, the title first. Title terms count
// twice (see jobTerms): a word in the title says more about the gig than the same word in the small print.
func jobText(j *domain.Job, title, desc string) []string {
	parts := []string{title, desc, normalize(j.EmployerName), j.District, j.Town, normalize(j.Address), j.Settlement.Label()}
	return append(parts, j.Skills...)
}

// maxTF caps a term's frequency in a gig: four bits of a posting hold it, and BM25 saturates long before.
const maxTF = 15

// analyzer holds the scratch space of one analysing goroutine.
type analyzer struct {
	toks   []string
	tokIDs []uint32 // the id of every token, while interning
	pos    []int
	ids    []uint32  // the distinct term ids of the document being analysed
	counts []uint16  // by term id: occurrences in the document being analysed
	bulk   bool      // Build is analysing: cut term lists from arena (see termSpace)
	memo   *readMemo // Build is analysing: the texts read so far
	arena  []uint32
}

// termArenaChunk is the size, in packed terms, of the chunks Build cuts gigs' term lists from: 256 KB,
// a few hundred gigs.
const termArenaChunk = 1 << 16

// termSpace returns room for a document's n packed terms: an array of its own, or while Build analyses,
// the next piece of a chunk the analysing goroutine fills gig after gig. A chunk holds nothing but term
// lists that live as long as the index, so Build need not copy them into one place afterwards to keep
// the heap free of pages half garbage, and the collector has a hundred thousand fewer arrays to free.
func (a *analyzer) termSpace(n int) []uint32 {
	if !a.bulk {
		return make([]uint32, n)
	}
	if cap(a.arena)-len(a.arena) < n {
		a.arena = make([]uint32, 0, max(n, termArenaChunk))
	}
	a.arena = a.arena[:len(a.arena)+n]
	return a.arena[len(a.arena)-n : len(a.arena) : len(a.arena)]
}

// jobTerms returns a gig's packed, sorted term list and its length. New terms are numbered when intern
// is set (the gig enters the index); otherwise unknown terms are dropped, which changes no score since no
// indexed gig contains them. Title terms count twice. The length counts every token, known or not, so
// it never depends on what the dictionary holds.
func (a *analyzer) jobTerms(d *dictionary, parts []string, intern bool) ([]uint32, int32) {
	unique, length, ok := a.countKnown(d, parts, intern)
	if !ok {
		unique, length = a.countInterning(d, parts)
	}
	slices.Sort(unique)
	packed := a.termSpace(len(unique))
	for i, id := range unique {
		packed[i] = id<<8 | uint32(min(a.counts[id], maxTF))
		a.counts[id] = 0
	}
	return packed, int32(length)
}

// count adds n occurrences of term id to the document being analysed, noting the id the first time.
func (a *analyzer) count(id uint32, n uint16) {
	if int(id) >= len(a.counts) {
		a.counts = append(a.counts, make([]uint16, int(id)+1-len(a.counts)+1024)...)
	}
	if a.counts[id] == 0 {
		a.ids = append(a.ids, id)
	}
	a.counts[id] += n
}

// countKnown counts the terms of parts (see jobTerms) straight from the runes: the tokens scanTokens
// would emit in indexMode, each Han character decoded once and looked up by its code (a pair by the two
// codes packed as hanKey packs them), without cutting a string per token. It is the analysis of almost
// every gig, whose terms are all known. When intern is set and a term is new it gives up, having counted
// nothing, and countInterning numbers the new terms.
func (a *analyzer) countKnown(d *dictionary, parts []string, intern bool) (unique []uint32, length int, ok bool) {
	a.ids = a.ids[:0]
	d.mu.RLock()
	defer d.mu.RUnlock()
	term := func(id uint32, known bool, n uint16) bool {
		length += int(n)
		if known {
			a.count(id, n)
		}
		return known || !intern
	}
	for p, s := range parts {
		n := uint16(1)
		if p == 0 {
			n = 2
		}
		for i := 0; i < len(s); {
			r, size := decode(s[i:])
			switch {
			case isHan(r):
				prev := rune(-1)
				for i < len(s) {
					if r, size = decode(s[i:]); !isHan(r) {
						break
					}
					if prev >= 0 {
						id, known := d.pairTerm(prev, r)
						if !term(id, known, n) {
							return a.uncount(), 0, false
						}
					}
					id, known := d.hanTerm(r)
					if !term(id, known, n) {
						return a.uncount(), 0, false
					}
					prev = r
					i += size
				}
			case isWordRune(r):
				start := i
				i = wordEnd(s, i)
				id, known := d.words[s[start:i]]
				if !term(id, known, n) {
					return a.uncount(), 0, false
				}
			default:
				i += size
			}
		}
	}
	return a.ids, length, true
}

// uncount forgets what countKnown counted.
func (a *analyzer) uncount() []uint32 {
	for _, id := range a.ids {
		a.counts[id] = 0
	}
	a.ids = a.ids[:0]
	return nil
}

// countInterning counts the terms of parts, numbering the new ones in the order of the tokens.
func (a *analyzer) countInterning(d *dictionary, parts []string) (unique []uint32, length int) {
	a.toks = a.toks[:0]
	titleEnd := 0
	for i, part := range parts {
		scanTokens(part, indexMode, func(t string) { a.toks = append(a.toks, t) })
		if i == 0 {
			titleEnd = len(a.toks)
		}
	}
	a.tokIDs, a.pos = d.internAll(a.toks, a.tokIDs[:0], a.pos[:0])
	a.ids = a.ids[:0]
	for i, id := range a.tokIDs {
		n := uint16(1)
		if a.pos[i] < titleEnd {
			n = 2
		}
		a.count(id, n)
	}
	return a.ids, len(a.toks) + titleEnd
}

// newJobDoc analyses a gig.
func (a *analyzer) newJobDoc(d *dictionary, j *domain.Job, intern bool) *jobDoc {
	g := new(jobDoc)
	a.analyseJob(g, d, j, intern)
	return g
}

// analyseJob analyses a gig into g, which must be zero.
func (a *analyzer) analyseJob(g *jobDoc, d *dictionary, j *domain.Job, intern bool) {
	g.district, g.created = districtIndex(j.District), j.CreatedAt.UnixNano()
	nt, nd := normalize(j.Title), normalize(j.Description)
	g.terms, g.length = a.jobTerms(d, jobText(j, nt, nd), intern)
	g.lenCode = encodeLength(int(g.length))
	tagged := tax.skillsOf(j.Skills)
	g.tagged = tagged.known
	title := tax.read(nt, true)
	desc := tax.read(nd, true)
	// The small print of a tagged gig mentions other work in passing ("注意卫生", "管装车"), and its
	// title names places and goods ("枸杞交易市场装卸工" is no picking job): a tagged gig takes from its title
	// only skills of its tags' categories ("招小工和瓦工" tagged 建筑小工 adds 砌筑工). An untagged gig is
	// read from its title and description; its site and crop words ("工地", "枸杞") count only when nothing
	// else is named, not even by a free tag ("直播" on "直播带货助播 枸杞").
	// What its free tags name counts as read from the title.
	if g.tagged.empty() {
		g.concepts = title.skills.or(desc.skills).or(tagged.read.skills)
		g.evidence = append(append(title.evidence, desc.evidence...), tagged.read.evidence...)
		if g.concepts.empty() && len(tagged.free) == 0 {
			g.concepts = title.sites.or(desc.sites)
			g.evidence = append(title.siteEvidence, desc.siteEvidence...)
		}
	} else {
		cats := tax.categories(g.tagged)
		g.concepts = g.tagged.or(tagged.read.skills)
		g.evidence = append(g.evidence, tagged.read.evidence...)
		for _, ev := range title.evidence {
			if tax.skillCat[ev.skill]&cats != 0 {
				g.concepts.add(ev.skill)
				g.evidence = append(g.evidence, ev)
			}
		}
	}
	farmHandsLabourer(g, nt+"，"+nd)
	g.evidence = slices.DeleteFunc(g.evidence, func(e evidence) bool { return g.tagged.has(e.skill) })
	g.cats = tax.categories(g.concepts)
	var stated certSet
	stated, freeCerts := tax.certsOf(j.RequiredCerts, false)
	joined := nt + "，" + nd
	demandText := joined // normalize(j.Title + "，" + j.Description) when both were normal already
	if nt != j.Title || nd != j.Description {
		demandText = normalize(j.Title + "，" + j.Description)
	}
	demanded, freeDemanded := demandedCerts(demandText)
	for _, c := range freeDemanded {
		if !slices.Contains(freeCerts, c) {
			freeCerts = append(freeCerts, c)
			stated |= certFree
		}
	}
	g.outside = newOutside(tagged.free, freeCerts)
	g.certs = demanded | title.certs | desc.certs | tagged.read.certs
	if title.anyCert || desc.anyCert {
		// "持证上岗": the certificates of the trade the title names ("焊工", not the 钢结构 its small
		// print mentions), or of all the trades named when the title names none.
		trades := title.skills.and(g.concepts)
		if trades.empty() {
			trades = g.concepts
		}
		g.certs |= tax.customaryCerts(trades)
	}
	// Where the text offers alternatives, neither is required alone: not as the first of the pair
	// ("要有育婴师证或月嫂证" demands the first), nor as the trade's certificate ("持证上岗").
	var either certSet
	for _, a := range append(title.alts, desc.alts...) {
		if a&stated == 0 && !slices.Contains(g.alts, a) {
			g.alts = append(g.alts, a)
			either |= a
		}
	}
	g.certs = stated | g.certs&^either
	g.gender, g.bornFrom = employerLimits(joined, j.StartDate)
	g.paysDaily = j.Settlement == domain.SettleDaily || containsAny(joined, dailyPayWords)
	g.general = g.certs == 0 && (g.concepts.empty() || !g.concepts.and(tax.general).empty())

	var ok bool
	if g.start, ok = dayNumber(j.StartDate); !ok {
		g.start = minDay
	}
	if g.end, ok = dayNumber(j.EndDate); !ok {
		g.end = maxDay
	}
	lat, lng, ok := placeOf(j.Lat, j.Lng, j.District, j.Town)
	g.pt, g.hasPlace = pointOf(lat, lng), ok
	g.dayMilli = dayMilliOf(j.DailyHours)
	g.daily, g.dailyOK = dailyFen(j.WageFen, j.WageUnit, g.dayMilli, milliHours(j.ExpectedHours))

	g.sum = JobSummary{
		ID: j.ID, Title: j.Title, EmployerName: j.EmployerName, EmployerVerified: j.EmployerVerified,
		StationCode: j.StationCode, District: j.District, Town: j.Town, Lat: lat, Lng: lng,
		WageFen: j.WageFen, WageUnit: j.WageUnit, PieceUnit: j.PieceUnit, Settlement: j.Settlement, StartDate: j.StartDate, EndDate: j.EndDate,
		Headcount: j.Headcount, Remaining: j.Remaining(), CreatedAt: j.CreatedAt, BelowMinimumWage: j.WageFloor != nil,
	}
}

// workerQueryText is what a worker's text relevance is computed from: the self description and the
// names of the skills, so a tag alone still finds gigs that describe the work in words.
func workerQueryText(w *domain.Worker) string {
	return w.SelfDescription + " " + strings.Join(w.Skills, " ")
}

// newWorkerDoc analyses a worker. Like jobTerms, intern numbers new terms; otherwise they are dropped.
func (a *analyzer) newWorkerDoc(d *dictionary, w *domain.Worker, intern bool) *workerDoc {
	wd := &workerDoc{limit: commuteKm(w), rel: reliability(w.Completed, w.NoShows), gender: genderOf(w.Gender), born: int32(w.BirthYear)}
	wd.terms = a.workerTerms(d, workerQueryText(w), intern)
	tagged := tax.skillsOf(w.Skills)
	wd.tagged = tagged.known
	desc := normalize(w.SelfDescription)
	if wd.born == 0 {
		wd.born = statedBirthYear(w, desc)
	}
	if wd.gender == anyGender {
		wd.gender = statedGender(desc)
	}
	wd.wantsDaily = containsAny(desc, dailyPayWords)
	if w.ExpectedWageUnit == domain.PerPiece {
		wd.piece = pieceUnitIn(desc)
	}
	r := a.readWorker(desc)
	r.skills = r.skills.or(wd.tagged).or(tagged.read.skills) // their categories decide on the crop words
	wd.concepts = r.workerSkills(len(tagged.free) > 0)
	evs := append(r.evidence, tagged.read.evidence...)
	if wd.concepts.meets(r.crops) {
		evs = append(evs, r.siteEvidence...)
	}
	wd.evidence = slices.DeleteFunc(evs, func(e evidence) bool { return wd.tagged.has(e.skill) })
	wd.related = tax.relatedTo(wd.concepts)
	wd.cats = tax.categories(wd.concepts)
	// A worker who named no trade takes general labour; one who named a trade outside the taxonomy
	// ("新娘跟妆", "司炉") asked for that work, not for any, unless he also says "啥活都干".
	wd.general = r.general || wd.concepts.empty() && len(tagged.free) == 0
	var held certSet
	held, freeCerts := tax.certsOf(w.Certs, true)
	wd.outside = newOutside(tagged.free, freeCerts)
	wd.certs = held | tax.held(r.certs|tagged.read.certs)
	if r.anyCert {
		wd.certs |= tax.held(tax.customaryCerts(wd.concepts)) // "持证上岗": his trades' certificates
	}
	for i, t := range tagged.free {
		if f, ok := freeTagOf(d, t, intern); ok {
			wd.outside.free = append(wd.outside.free, f)
			wd.outside.index = append(wd.outside.index, i)
		}
	}

	var ok bool
	if wd.from, ok = dayNumber(w.AvailableFrom); !ok {
		wd.from = minDay
	}
	if wd.to, ok = dayNumber(w.AvailableTo); !ok {
		wd.to = maxDay
	}
	lat, lng, ok := placeOf(w.Lat, w.Lng, w.District, w.Town)
	wd.pt, wd.hasPlace = pointOf(lat, lng), ok
	wd.sum = WorkerSummary{
		ID: w.ID, No: w.No, Name: w.Name, Phone: w.Phone, District: w.District, Town: w.Town, ExpectedWageFen: w.ExpectedWageFen,
		ExpectedWageUnit: w.ExpectedWageUnit, Completed: w.Completed, NoShows: w.NoShows, StationID: w.StationID,
	}
	return wd
}

// reliability is a worker's record as a number in (0,1): completed gigs count for, no-shows three times
// against, and both are smoothed so a newcomer sits at 0.5 rather than at an extreme.
func reliability(completed, noShows int) float64 {
	completed, noShows = max(completed, 0), max(noShows, 0)
	return float64(completed+1) / float64(completed+3*noShows+2)
}

// inLibrary reports whether a gig belongs in the library: open with places left.
func inLibrary(j *domain.Job) bool { return j.Status == domain.JobOpen && j.Remaining() > 0 }

// isActive reports whether a worker takes part in matching. An empty status counts as active, so callers
// that build workers by hand need not set it.
func isActive(w *domain.Worker) bool { return w.Status == domain.WorkerActive || w.Status == "" }

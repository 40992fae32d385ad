package matching

import (
	"math"
	"slices"
	"strings"

	"lingong/domain"
)

// The soft score of a worker–gig pair, in points out of 100. These are the only weights of the engine.
//
// Skill dominates on purpose: a gig in the worker's own trade beats one that merely pays more or is a
// little closer, which is what the station staff do by hand. Its levels are exact (the same tag on both
// sides), synonym (the same trade, read from the text on at least one side: "会砌墙" and a 砌筑工 gig), free
// (a tag outside the taxonomy that the gig's words say: 羊毛剪毛 and "剪羊毛"), related (a trade the
// worker's trade can also do: a mason on a labourer's gig, not the reverse), category (another trade of
// the same category: 砌筑工 and 钢筋工; a little more when the worker takes any labouring job and this
// one needs no trade) and general (the worker takes any labouring job and the gig needs no trade).
//
// The first four are the worker's own band and the others a lower one: a pair of the lower band never
// outranks one of the worker's own or a related trade, however close or well paid (the ranking adds
// bandGap to the own band's pairs; the Score shown is without it and says Fit). The other parts separate
// gigs of the same level: text relevance (BM25 of the worker's description and skills against the gig,
// squashed into 0..1), distance (1 at the door, ½ at 10 km), wage (½ when it meets the expectation, 1 at
// 40 % above, 0 at 40 % below; ½ when either side cannot be turned into a day's pay) and, as a
// tie-breaker, the worker's reliability.
const (
	WeightSkill       = 50.0
	WeightText        = 15.0
	WeightDistance    = 15.0
	WeightWage        = 15.0
	WeightReliability = 5.0
)

// bandGap lifts the pairs of the worker's own band above every pair of the lower one: it exceeds all
// the points a lower pair can earn.
const bandGap = 100.0

// relation is how a worker's skills relate to a gig's.
type relation uint8

const (
	relNone relation = iota
	relGeneral
	relCategory
	relCategoryGeneral // same category, and unskilled work for a worker who takes any: 小工 for "啥活都干, 会钢筋"
	relRelated         // the first of the worker's own band
	relFreeWeak        // a free tag the gig says, though it names a trade of the taxonomy the worker lacks
	relFree
	relSynonym
	relExact
)

// level is the share of WeightSkill each relation earns.
func (r relation) level() float64 {
	switch r {
	case relExact:
		return 1
	case relSynonym:
		return 0.85
	case relFree:
		return 0.75
	case relFreeWeak:
		return 0.55
	case relRelated:
		return 0.65
	case relCategoryGeneral:
		return 0.45
	case relCategory:
		return 0.35
	case relGeneral:
		return 0.25
	}
	return 0
}

// offset is what the ranking adds to the pair's score for its band.
func (r relation) offset() float64 {
	if r >= relRelated {
		return bandGap
	}
	return 0
}

// points is what the relation earns in the ranking: its share of WeightSkill and its band.
func (r relation) points() float64 { return WeightSkill*r.level() + r.offset() }

// Fit says in a word how a pair relates, for the lists to mark: the worker's own trade, a related one,
// another trade of the same category, or any work for a worker who takes any.
const (
	FitOwn      = "own"
	FitRelated  = "related"
	FitCategory = "category"
	FitGeneral  = "general"
)

func (r relation) fit() string {
	switch {
	case r >= relFreeWeak:
		return FitOwn
	case r == relRelated:
		return FitRelated
	case r >= relCategory:
		return FitCategory
	}
	return FitGeneral
}

func relate(w *workerDoc, g *jobDoc) relation {
	switch {
	case w.tagged.meets(g.tagged):
		return relExact
	case w.concepts.meets(g.concepts):
		return relSynonym
	case w.coversFree(g):
		switch {
		case g.concepts.empty() || w.sharesFreeTag(g):
			return relFree
		case w.related.meets(g.concepts):
			return relRelated
		}
		// "焊大棚骨架" says the 大棚 of a worker's free tag but names 电焊工, which the worker lacks: the
		// words are there in passing, so the pair ranks below a related trade, still in the own band.
		return relFreeWeak
	case w.related.meets(g.concepts):
		return relRelated
	case w.cats&g.cats != 0 && w.general && g.general:
		return relCategoryGeneral
	case w.cats&g.cats != 0 && !(w.general && !g.general):
		// A worker who takes any labouring job is offered the work anyone can do, not another skilled
		// trade of his category: it ranked above the unskilled work he can do (装载机 for 开过叉车, 啥活都干).
		return relCategory
	case w.general && g.general:
		return relGeneral
	}
	return relNone
}

// sharesFreeTag reports whether the gig is tagged with one of the worker's free tags as written.
func (w *workerDoc) sharesFreeTag(g *jobDoc) bool {
	if w.outside == nil || g.outside == nil {
		return false
	}
	for _, i := range w.outside.index {
		if slices.Contains(g.outside.tags, w.outside.tags[i]) {
			return true
		}
	}
	return false
}

// coversFree reports whether the gig says one of the worker's free tags.
func (w *workerDoc) coversFree(g *jobDoc) bool {
	free := w.free()
	for i := range free {
		if free[i].covers(g) {
			return true
		}
	}
	return false
}

// textHalf is the raw BM25 score that earns half of WeightText. Two distinctive words in common score
// about 6 to 8, a whole sentence in common 15 or more.
const textHalf = 4.0

func squashText(raw float64) float64 { return raw / (raw + textHalf) }

// distanceScore is 1 at the door, ½ at 10 km, ⅓ at 20 km.
func distanceScore(km float64) float64 { return 1 / (1 + km/10) }

// wageScore compares a gig's day's pay with the worker's expectation as a day's pay on that gig. A
// worker who asks a piece rate ("一斤不低于2块") is compared with the piece rates that count the same
// thing, rate with rate; any other gig is ½ for him, as its pay cannot be put beside his wish.
func wageScore(w *workerDoc, g *jobDoc) float64 {
	if w.piece != "" {
		if g.sum.WageUnit != domain.PerPiece || g.sum.WageFen <= 0 || w.sum.ExpectedWageFen <= 0 || !samePieceUnit(w.piece, g.sum.PieceUnit) {
			return 0.5
		}
		return wageRatioScore(float64(g.sum.WageFen) / float64(w.sum.ExpectedWageFen))
	}
	exp, ok := expectedDailyFen(w.sum.ExpectedWageFen, w.sum.ExpectedWageUnit, g.dayMilli)
	if !ok || !g.dailyOK {
		return 0.5
	}
	return wageRatioScore(float64(g.daily) / float64(exp))
}

// wageRatioScore is the wage score of a pay r times the expectation: ½ at 1, 1 at 1.4, 0 at 0.6.
func wageRatioScore(r float64) float64 { return math.Max(0, math.Min(1, 0.5+(r-1)*1.25)) }

// partialScore is the pair's score without the text part. Both directions of matching compute the score
// as partialScore + WeightText·squashText(raw) with the same inputs, so a pair scores the same either way.
func partialScore(rel relation, km, wage, reliability float64) float64 {
	return rel.points() + WeightDistance*distanceScore(km) + WeightWage*wage + WeightReliability*reliability
}

// Hard filters.

// defaultCommuteKm is used for a worker who set no commute limit (0 or less).
const defaultCommuteKm = 30

// commuteKm is the worker's effective commute limit.
func commuteKm(w *domain.Worker) float64 {
	if w.MaxCommuteKm <= 0 {
		return defaultCommuteKm
	}
	return float64(w.MaxCommuteKm)
}

// nearLimitKm is how far a gig may be and still be shown as a near miss: half as far again as the
// limit, and at least 5 km more.
func nearLimitKm(limit float64) float64 { return math.Max(limit*1.5, limit+5) }

// datesFit reports whether the gig runs on a day from today on that the worker is available.
func datesFit(w *workerDoc, g *jobDoc, today int32) bool {
	if g.end < today {
		return false
	}
	from := max(g.start, today, w.from)
	return from <= min(g.end, w.to)
}

// altName writes alternative certificates as a requirement: "育婴员证或母婴护理证".
func altName(a certSet) string { return strings.Join(a.names(), "或") }

// altNames are the gig's alternative requirements, written so.
func (g *jobDoc) altNames() []string {
	var out []string
	for _, a := range g.alts {
		out = append(out, altName(a))
	}
	return out
}

// pairCheck is the outcome of the hard filters for one pair.
type pairCheck struct {
	ok          bool     // passes every hard filter
	near        bool     // fails only by missing certificates or by a little distance
	missing     certSet  // required certificates the worker lacks (certFree: see missingFree)
	missingFree []string // required certificates outside the list, or alternatives ("A或B"), that the worker lacks
	far         bool     // beyond the worker's commute limit
	km          float64
	roadShort   float64 // within the limit in a straight line but probably not by road: see roadPenalty
	canDays     int32   // a long gig the worker can work less than half of (see partOfLongJob): the days he can, else 0
	jobDays     int32   // and the gig's days from today on
	demote      float64 // what the ranking takes from the pair's score: roadShort, and see dailyPenalty
}

// roadFactor is how much longer a trip by road is than the straight line between two places (the
// detour index of rural roads is commonly put at 1.2 to 1.4). Distances here run between town seats, or
// from a shared location to a seat, so a gig just inside the worker's limit in a straight line is
// likely beyond it by road, and where the worker or the gig really is in a large town can move it
// either way.
const roadFactor = 1.3

// roadPenalty is what a pair within the commute limit in a straight line loses in the ranking when its
// road distance (roadFactor × straight) may exceed the limit: nothing up to limit/roadFactor, then
// rising to all of WeightDistance at the limit. The pair stays a result (the limit is the worker's own
// round figure and the seats are approximate), but ranks after the gigs of its band surely in reach.
func roadPenalty(km, limit float64) float64 {
	over := km*roadFactor/limit - 1
	if over <= 0 || km > limit {
		return 0
	}
	return WeightDistance * min(1, over/(roadFactor-1))
}

// dailyPayWords say that a gig pays by the day, or that a worker wants it so.
var dailyPayWords = []string{"日结", "当天结", "天天结", "日清", "当日结", "现结", "结一天"}

// dailyPenalty is what a gig that does not pay by the day loses in the ranking for a worker who says he
// wants his pay daily ("日结最好"): half of WeightWage, as much as a wage 40 % short of his expectation
// loses against one meeting it.
const dailyPenalty = WeightWage / 2

// A gig of a week or more of which the worker can work less than half the days (from today on: a student
// free only in the winter break, a gig running into the spring) loses partPenalty in the ranking: the
// employer wants the whole stretch, and the worker would leave half way. It stays a result.
const (
	longJobDays = 7
	partPenalty = WeightWage / 2
)

// partOfLongJob returns the days of a long gig the worker can work and the gig's days, when he can work
// less than half of them; 0, 0 otherwise (a short or open-ended gig, or half of it or more).
func partOfLongJob(w *workerDoc, g *jobDoc, today int32) (can, days int32) {
	if g.end == maxDay {
		return 0, 0
	}
	from := max(g.start, today)
	days = g.end - from + 1
	if days < longJobDays {
		return 0, 0
	}
	can = min(g.end, w.to) - max(from, w.from) + 1
	if can <= 0 || 2*can >= days {
		return 0, 0
	}
	return can, days
}

// untoldPenalty is what a gig loses in the ranking for each of its limits (a gender, an age cap) that
// the worker's record does not tell whether he meets: he still sees it, but after the gigs of his band
// surely open to him, as a gig probably beyond his commute by road does.
const untoldPenalty = WeightDistance / 2

func untoldLimitsPenalty(w *workerDoc, g *jobDoc) float64 {
	p := 0.0
	if g.gender != anyGender && w.gender == anyGender {
		p += untoldPenalty
	}
	if g.bornFrom != 0 && w.born == 0 {
		p += untoldPenalty
	}
	return p
}

// check applies the hard filters other than dates and headcount, which the loops test first (and which
// have rejected most pairs on their approximate distance before this trigonometry). A pair that fails the
// employer's limits on gender or age (fitsLimits) is not even a near miss.
func check(w *workerDoc, g *jobDoc, rel relation, today int32) (pc pairCheck) {
	if !w.hasPlace || !g.hasPlace || !fitsLimits(w, g) {
		return pc
	}
	pc.missing = (g.certs &^ w.certs) &^ certFree
	if g.certs&certFree != 0 {
		for _, c := range g.outside.outsideCerts() {
			if !slices.Contains(w.outside.outsideCerts(), c) {
				pc.missingFree = append(pc.missingFree, c)
			}
		}
		if len(pc.missingFree) > 0 {
			pc.missing |= certFree
		}
	}
	for _, a := range g.alts {
		if a&w.certs == 0 {
			pc.missingFree = append(pc.missingFree, altName(a))
			pc.missing |= certFree
		}
	}
	pc.km = domain.DistanceKm(w.pt.lat, w.pt.lng, g.pt.lat, g.pt.lng)
	pc.far = pc.km > w.limit
	pc.roadShort = roadPenalty(pc.km, w.limit)
	pc.demote = pc.roadShort
	if w.wantsDaily && !g.paysDaily {
		pc.demote += dailyPenalty
	}
	pc.demote += untoldLimitsPenalty(w, g)
	if pc.canDays, pc.jobDays = partOfLongJob(w, g, today); pc.canDays > 0 {
		pc.demote += partPenalty
	}
	switch {
	case !pc.far && pc.missing == 0:
		pc.ok = true
	case pc.far && pc.missing != 0, rel < relCategory, pc.km > nearLimitKm(w.limit):
	default:
		pc.near = true
	}
	return pc
}

package matching

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
)

// The worker of issue 5: 58, lives in 海原县海城镇, wrote a few words and chose no tags.
func oldMason() domain.Worker {
	return worker(100, "海原县", "海城镇", says("能吃苦 啥活都干, 会砌墙"), func(w *domain.Worker) { w.BirthYear = 1968 })
}

func masonJobs() []domain.Job {
	return []domain.Job{
		job(1, "三河镇自建房招小工 和灰搬砖", inTown("海原县", "三河镇"), withSkills("建筑小工")),
		job(2, "海城镇商铺接电布线", inTown("海原县", "海城镇"), withSkills("电工"), withCerts("电工证")),
		job(3, "中宁枸杞园急招摘果工20名 日结", inTown("沙坡头区", "镇罗镇"), withSkills("枸杞采摘"), daily()),
		job(4, "海城镇养殖场喂羊", inTown("海原县", "海城镇"), withSkills("滩羊养殖")),
		job(5, "饭店招厨师", inTown("海原县", "海城镇"), withSkills("厨师"), withCerts("健康证")),
	}
}

func TestOldMasonSeesTheBuildingSiteFirst(t *testing.T) {
	ix := Build(masonJobs(), nil)
	got := ix.MatchJobsForWorker(oldMason(), testToday, 10)
	if len(got.Items) == 0 || got.Items[0].ID != 1 {
		t.Fatalf("first match = %v, want the building-site gig 1; all: %+v", ids(got.Items), got.Items)
	}
	if slices.Contains(ids(got.Items), 2) || slices.Contains(ids(got.Items), 3) {
		t.Errorf("items %v include the 电工 gig without a certificate or the 枸杞 gig far away", ids(got.Items))
	}
	first := got.Items[0]
	t.Logf("score %.1f, reasons %q", first.Score, first.Reasons)
	if first.DistanceKm < 15 || first.DistanceKm > 30 {
		t.Errorf("distance = %.1f km, want about 20", first.DistanceKm)
	}
	// A mason can do a labourer's job: a related trade of his own band, not padding of the same
	// category (it used to say "同类工作：建筑装修", the padding of issue 19).
	if !strings.HasPrefix(first.Reasons[0], "相关工种：建筑小工") || first.Fit != FitRelated {
		t.Errorf("first reason = %q, fit %q, want the related trade", first.Reasons[0], first.Fit)
	}
	// He takes any labouring job: the gigs anyone can do, besides his own trade's and those it can also
	// do, not another skilled trade of his category, not even as a near miss (the 电工 gig once was one,
	// "需要电工证").
	if len(got.NearMisses) != 0 {
		t.Errorf("near misses %v, want none", ids(got.NearMisses))
	}
}

func TestHardFilters(t *testing.T) {
	picker := func(opts ...func(*domain.Worker)) domain.Worker {
		return worker(1, "中宁县", "宁安镇", append([]func(*domain.Worker){skilled("枸杞采摘")}, opts...)...)
	}
	picking := func(opts ...func(*domain.Job)) domain.Job {
		return job(10, "枸杞园招摘果工", append([]func(*domain.Job){withSkills("枸杞采摘")}, opts...)...)
	}
	tests := []struct {
		name        string
		w           domain.Worker
		j           domain.Job
		wantItem    bool
		wantMissing []string // for a near miss; nil when neither item nor near miss
	}{
		{"everything fits", picker(), picking(), true, nil},
		{"certificate missing is a near miss", picker(), picking(withCerts("健康证")), false, []string{"需要健康证"}},
		{"certificate named in the text counts", picker(), picking(withDesc("需持健康证上岗")), false, []string{"需要健康证"}},
		{"certificate held", picker(holding("健康证")), picking(withCerts("健康证")), true, nil},
		{"certificate held by synonym", picker(holding("食品健康证")), picking(withCerts("健康证")), true, nil},
		{"certificate written in the self description", picker(says("有健康证")), picking(withCerts("健康证")), true, nil},
		{"picking ended before today", picker(), picking(dates(testToday.AddDays(-5), testToday.AddDays(-1))), false, nil},
		{"picking after the availability", picker(available(testToday, testToday.AddDays(3))), picking(dates(testToday.AddDays(4), testToday.AddDays(9))), false, nil},
		{"picking before the availability", picker(available(testToday.AddDays(10), testToday.AddDays(20))), picking(), false, nil},
		{"one day of overlap is enough", picker(available(testToday.AddDays(6), testToday.AddDays(20))), picking(), true, nil},
		{"too far but close to the limit is a near miss", picker(commute(15)), picking(inTown("中宁县", "鸣沙镇")), false, []string{"距离 19 公里，超出您设定的 15 公里"}},
		{"far beyond the limit is nothing", picker(commute(10)), picking(inTown("海原县", "海城镇")), false, nil},
		{"far and a certificate missing is nothing", picker(commute(15)), picking(inTown("中宁县", "鸣沙镇"), withCerts("健康证")), false, nil},
		{"no skill relation is nothing", picker(), picking(withSkills("电工"), func(j *domain.Job) { j.Title = "招电工" }), false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := Build([]domain.Job{tt.j}, []domain.Worker{tt.w})
			forWorker := ix.MatchJobsForWorker(tt.w, testToday, 10)
			forJob := ix.MatchWorkersForJob(tt.j, testToday, 10)
			if got := len(forWorker.Items) == 1; got != tt.wantItem {
				t.Errorf("worker sees picking as item = %v, want %v (%+v)", got, tt.wantItem, forWorker)
			}
			if got := len(forJob.Items) == 1; got != tt.wantItem {
				t.Errorf("picking sees worker as item = %v, want %v", got, tt.wantItem)
			}
			var missing []string
			if len(forWorker.NearMisses) == 1 {
				missing = forWorker.NearMisses[0].Missing
			}
			if diff := cmp.Diff(tt.wantMissing, missing); diff != "" {
				t.Errorf("near miss (-want +got):\n%s", diff)
			}
			if (len(forJob.NearMisses) == 1) != (tt.wantMissing != nil) {
				t.Errorf("employer near misses = %+v, want one: %v", forJob.NearMisses, tt.wantMissing != nil)
			}
		})
	}
}

func TestFullJobLeavesTheIndexAndGetsNoOne(t *testing.T) {
	w := worker(1, "中宁县", "宁安镇", skilled("枸杞采摘"))
	j := job(10, "枸杞园招摘果工", withSkills("枸杞采摘"))
	ix := Build([]domain.Job{j}, []domain.Worker{w})
	j.Filled = j.Headcount
	ix.UpsertJob(j)
	if got := ix.MatchJobsForWorker(w, testToday, 10).Items; len(got) != 0 {
		t.Errorf("a full gig is still offered: %v", ids(got))
	}
	if got := ix.MatchWorkersForJob(j, testToday, 10).Items; len(got) != 0 {
		t.Errorf("a full gig still gets workers: %v", ids(got))
	}
	if _, ok := ix.Job(10); ok {
		t.Error("a full gig is still in the library")
	}
}

func TestReasons(t *testing.T) {
	w := worker(1, "中宁县", "宁安镇", skilled("枸杞采摘"), says("摘过多年枸杞"), func(w *domain.Worker) { w.Completed, w.NoShows = 12, 0 })
	tests := []struct {
		name string
		j    domain.Job
		want []string
	}{
		{"exact skill, day wage above expectation", job(1, "枸杞园招摘果工", withSkills("枸杞采摘"), inTown("中宁县", "舟塔乡")),
			[]string{"技能相符：枸杞采摘", "距离约 6 公里", "日薪 150 元，高于期望 130 元"}},
		{"untagged gig read from its title, lower pay", job(2, "急招摘枸杞的", wage(12000, domain.PerDay)),
			[]string{"技能相近：枸杞采摘（“摘枸杞”）", "距离不到 1 公里", "日薪 120 元，低于期望 130 元"}},
		{"piece rate turned into a day", job(3, "摘果工", withSkills("枸杞采摘"), wage(150, domain.PerPiece), func(j *domain.Job) { j.ExpectedHours, j.DailyHours, j.PieceUnit = 0.06, 10, "斤" }),
			[]string{"技能相符：枸杞采摘", "距离不到 1 公里", "工钱 1.50 元/斤（每天约 250 元），高于期望 130 元"}},
		{"hourly, equal", job(4, "摘果工", withSkills("枸杞采摘"), wage(1625, domain.PerHour)),
			[]string{"技能相符：枸杞采摘", "距离不到 1 公里", "时薪 16.25 元（每天约 130 元），与期望相同"}},
		{"same category", job(5, "大棚摘菜", withSkills("蔬菜采收")),
			[]string{"同类工作：农业采摘（蔬菜采收）", "距离不到 1 公里", "日薪 150 元，高于期望 130 元"}},
		{"same category, words in common", job(6, "大棚摘菜", withSkills("蔬菜采收"), withDesc("多年的老基地")),
			[]string{"同类工作：农业采摘（蔬菜采收）", "距离不到 1 公里", "日薪 150 元，高于期望 130 元", "描述相关：多年"}},
		{"exact skill: words in common go unsaid", job(7, "枸杞园招摘果工", withSkills("枸杞采摘"), withDesc("多年的老基地")),
			[]string{"技能相符：枸杞采摘", "距离不到 1 公里", "日薪 150 元，高于期望 130 元"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := Build([]domain.Job{tt.j}, []domain.Worker{w})
			got := ix.MatchJobsForWorker(w, testToday, 5)
			if len(got.Items) != 1 {
				t.Fatalf("items = %+v", got)
			}
			if diff := cmp.Diff(tt.want, got.Items[0].Reasons); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			emp := ix.MatchWorkersForJob(tt.j, testToday, 5)
			if len(emp.Items) != 1 || !slices.Contains(emp.Items[0].Reasons, "已完成 12 次零工，从未爽约") {
				t.Errorf("employer reasons = %+v", emp.Items)
			}
			// The employer reads the same reasons about the pair, and the worker's record.
			if diff := cmp.Diff(append(slices.Clone(tt.want), "已完成 12 次零工，从未爽约"), emp.Items[0].Reasons); diff != "" {
				t.Errorf("employer reasons (-want +got):\n%s", diff)
			}
			if emp.Items[0].Score != got.Items[0].Score {
				t.Errorf("pair scores %v for the worker, %v for the employer", got.Items[0].Score, emp.Items[0].Score)
			}
		})
	}
}

// The walks skip whole cells and fine cells on cellsByDistance's and fineDistances' figures: they must
// never exceed the true distance.
func TestFineDistanceIsALowerBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	var fine fineDistances
	for q := 0; q < 200; q++ {
		p := point{cellLat0 + rng.Float64()*cellRows*cellDLat, cellLng0 + rng.Float64()*cellCols*cellDLng}
		if q%50 == 49 {
			p = point{39.9, 116.4} // outside the grid: no bound at all
		}
		fine.reset(p)
		cellKm := map[int]float64{}
		for _, cd := range cellsByDistance(p) {
			cellKm[cd.cell] = cd.minKm
		}
		for range 200 {
			// Gigs near the query point, where the bound decides, and anywhere in the grid.
			g := point{p.lat + (rng.Float64()-0.5)*0.2, p.lng + (rng.Float64()-0.5)*0.2}
			if rng.IntN(2) == 0 {
				g = point{cellLat0 + rng.Float64()*cellRows*cellDLat, cellLng0 + rng.Float64()*cellCols*cellDLng}
			}
			// The cell as the entry holds it: from its float32 place.
			if c, d := cellOf(float64(float32(g.lat)), float64(float32(g.lng))), domain.DistanceKm(p.lat, p.lng, g.lat, g.lng); cellKm[c] > d {
				t.Fatalf("from %v: cell %d of %v is at least %.4f km away, but the place is %.4f km away", p, c, g, cellKm[c], d)
			}
			f := fineCell(g.lat, g.lng)
			for range 2 { // computed, then remembered
				if lb, d := fine.km(f), domain.DistanceKm(p.lat, p.lng, g.lat, g.lng); lb > d {
					t.Fatalf("from %v: fine cell %d of %v is at least %.4f km away, but the place is %.4f km away", p, f, g, lb, d)
				}
			}
		}
	}
}

// A query's shards are handed out once each, whichever part asks.
func TestShardQueueHandsOutEachShardOnce(t *testing.T) {
	ix := Build(GenerateJobs(500, 1, testToday), nil)
	q := ix.jobShardsNearFirst(point{37.5, 105.2})
	var mu sync.Mutex
	seen := map[int]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s, ok := q.take(); ok; s, ok = q.take() {
				mu.Lock()
				seen[s]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != numShards {
		t.Fatalf("%d shards handed out, want %d", len(seen), numShards)
	}
	for s, n := range seen {
		if n != 1 {
			t.Fatalf("shard %d handed out %d times", s, n)
		}
	}
}

// The matching loops reject candidates on approx's flat-earth distance through prefilterKm2, lowerKm and
// distanceCut, all resting on one claim: approx is never more than approxSlack times the true distance
// plus approxPad, with both places rounded to float32 as the entries hold them, up to 300 km.
func TestApproxBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	worst := 0.0
	for i := range 200_000 {
		p := point{35.5 + rng.Float64()*3.5, 103.5 + rng.Float64()*3.5}
		spread := []float64{1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 2.5}[i%7] // from a metre to 280 km
		g := point{p.lat + (rng.Float64()-0.5)*2*spread, p.lng + (rng.Float64()-0.5)*2*spread}
		d := domain.DistanceKm(p.lat, p.lng, g.lat, g.lng)
		if d > 300 {
			continue
		}
		a := math.Sqrt(float64(approxFrom(p).km2(float32(g.lat), float32(g.lng))))
		if a > d*approxSlack+approxPad {
			t.Fatalf("from %v to %v: approx %.6f km, true %.6f km: beyond the slack", p, g, a, d)
		}
		if lowerKm(float32(a*a)) > d {
			t.Fatalf("from %v to %v: lowerKm %.6f above the true %.6f km", p, g, lowerKm(float32(a*a)), d)
		}
		if d > 1 {
			worst = max(worst, a/d)
		}
	}
	t.Logf("largest approx/true ratio beyond 1 km: %.4f (slack %.2f)", worst, approxSlack)
}

// groupEnd finds the end of an entry's group (fine cell and certificates) from any entry of it, in
// groups of every size the walks meet, and so eachGroup leaves a group for exactly the next one.
func TestGroupEndFindsTheNextGroup(t *testing.T) {
	var l entryList[jobEntry]
	var ends []int // by position: where its group ends
	for g, size := range []int{1, 2, 3, 1, 100, 7, 1, 64, 65, 2} {
		for range size {
			l = append(l, jobEntry{entryBase{certs: uint32(g % 2)}, uint32(g / 2)}) // cells repeat, certs tell apart
		}
		for range size {
			ends = append(ends, len(l))
		}
	}
	for i := range l {
		if got := groupEnd(l, i); got != ends[i] {
			t.Fatalf("groupEnd(l, %d) = %d, want %d", i, got, ends[i])
		}
	}
	// Leaving every group at its first entry visits each group's first entry once.
	var firsts []int
	eachGroup(l, 0, &fineDistances{memo: make([]float64, numFine+1)}, nil, func(e *jobEntry, _ float64) bool {
		firsts = append(firsts, int(e.group)*2+int(e.certs))
		return true
	})
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(firsts, want) {
		t.Fatalf("groups visited %v, want %v", firsts, want)
	}
}

// The remembered cell orders are the computed ones, for a place asked about again and for places that
// share a slot of the memory (more places than slots are asked about here).
func TestCellsNearFirstRemembersTheRightOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	var pts []point
	for range 600 {
		pts = append(pts, point{36 + rng.Float64()*2, 104.5 + rng.Float64()*2})
	}
	for round := range 2 {
		for _, p := range pts {
			if got, want := cellsNearFirst(p), cellsByDistance(p); !slices.Equal(got, want) {
				t.Fatalf("round %d, place %v: remembered order differs from the computed one", round, p)
			}
		}
	}
}

// A free tag the gig only says in passing ("焊大棚骨架" and a worker tagged 大棚) does not outrank the
// gig's own trade, even from further away; the same free tag on both sides still matches as own trade.
func TestFreeTagSaidInPassingRanksBelowTheTrade(t *testing.T) {
	j := job(10, "大棚骨架焊接 要2个人", withDesc("焊大棚骨架，一小时40块"), inTown("中宁县", "宁安镇"))
	greenhouse := worker(1, "中宁县", "宁安镇", skilled("大棚"))
	welder := worker(2, "中宁县", "石空镇", skilled("电焊工"), commute(50))
	ix := Build([]domain.Job{j}, []domain.Worker{greenhouse, welder})
	got := ix.MatchWorkersForJob(j, testToday, 10).Items
	if len(got) == 0 || got[0].ID != welder.ID {
		t.Fatalf("candidates %v, want the welder first", ids(got))
	}
	tagged := job(11, "分拣 夜班", withSkills("快递"), inTown("中宁县", "宁安镇"), withDesc("快递分拣中心"))
	courier := worker(3, "中宁县", "宁安镇", skilled("快递"))
	ix.UpsertJob(tagged)
	ix.UpsertWorker(courier)
	for _, m := range ix.MatchJobsForWorker(courier, testToday, 10).Items {
		if m.ID == tagged.ID && m.Fit != FitOwn {
			t.Errorf("the same free tag on both sides fits %q, want own", m.Fit)
		}
	}
}

// A worker who takes any labouring job is offered the work anyone can do after his own trade's, not
// another skilled trade of his category (a 装载机 gig for a forklift driver who also says 啥活都干), which
// used to rank above the unskilled work; a worker who named only his trade still sees it as padding.
func TestAnyWorkWorkerIsNotPaddedWithOtherSkilledTrades(t *testing.T) {
	loader := job(1, "砂石场招铲车司机", withSkills("装载机司机"), wage(30000, domain.PerDay))
	loading := job(2, "物流园装卸工", withSkills("搬运"), wage(15000, domain.PerDay))
	anyWork := worker(1, "中宁县", "宁安镇", says("开过叉车，装卸搬运啥活都干"))
	forklift := worker(2, "中宁县", "宁安镇", skilled("叉车司机"))
	ix := Build([]domain.Job{loader, loading}, []domain.Worker{anyWork, forklift})
	got := ix.MatchJobsForWorker(anyWork, testToday, 10)
	if diff := cmp.Diff([]int64{2}, ids(got.Items)); diff != "" || len(got.NearMisses) != 0 {
		t.Errorf("any-work worker: items (-want +got):\n%s near misses %v", diff, ids(got.NearMisses))
	}
	if c := ids(ix.MatchWorkersForJob(loader, testToday, 10).Items); slices.Contains(c, 1) || !slices.Contains(c, 2) {
		t.Errorf("candidates for the loader gig: %v, want the forklift driver (2), not the any-work worker (1)", c)
	}
}

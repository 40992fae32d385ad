package matching

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"lingong/domain"
)

// The evaluation set in testdata/eval was written by hand: 200 gigs, 32 worker profiles, and graded
// judgements decided by reading them (see the header of each file). This test ranks the gigs for every
// worker and computes the mean nDCG@10 against the judgements.
//
// Measured: 0.924 on the first run, before any change made after reading the results; 0.932 after two
// changes the misses pointed to (a tagged gig reads from its title only skills of its own categories, so
// "枸杞交易市场装卸工" is no picking job; unskilled work in his own category ranks above skilled work for a
// worker who takes anything). The floor sits below, so a change that makes matching worse fails here;
// raise it when matching gets better. The judgements were never edited after seeing a ranking.
const ndcgFloor = 0.90

const evalToday domain.Date = "2026-06-01"

func evalDate(s, def string) domain.Date {
	if s == "-" {
		s = def
	}
	return domain.Date("2026-" + s)
}

func evalList(s string) []string {
	if s == "-" {
		return nil
	}
	return strings.Split(s, ",")
}

// readTSV returns the rows of a testdata file, skipping comments.
func readTSV(t *testing.T, name string, cols int) [][]string {
	t.Helper()
	f, err := os.Open("testdata/eval/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		row := strings.Split(line, "\t")
		if len(row) != cols {
			t.Fatalf("%s: %d columns, want %d: %q", name, len(row), cols, line)
		}
		rows = append(rows, row)
	}
	return rows
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func loadEval(t *testing.T) ([]domain.Job, []domain.Worker, map[int64]map[int64]int) {
	t.Helper()
	settle := map[string]domain.Settlement{"d": domain.SettleDaily, "w": domain.SettleWeekly, "c": domain.SettleOnCompletion}
	var jobs []domain.Job
	for _, r := range readTSV(t, "gigs.tsv", 14) {
		town, ok := domain.FindTown(r[1], r[2])
		if !ok {
			t.Fatalf("gig %s: no town %s %s", r[0], r[1], r[2])
		}
		id := atoi(t, r[0])
		jobs = append(jobs, domain.Job{
			ID: id, Title: r[3], Description: r[4], Skills: evalList(r[5]), RequiredCerts: evalList(r[6]),
			WageFen: atoi(t, r[7]), WageUnit: domain.WageUnit(r[8]), ExpectedHours: atof(t, r[9]), DailyHours: atof(t, r[10]),
			StartDate: evalDate(r[11], "06-01"), EndDate: evalDate(r[12], "06-20"), Settlement: settle[r[13]],
			District: town.District, Town: town.Name, Lat: town.Lat, Lng: town.Lng, Headcount: 5, Status: domain.JobOpen,
			EmployerName: "雇主", CreatedAt: time.Date(2026, 5, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(id) * time.Minute),
		})
	}
	var workers []domain.Worker
	for _, r := range readTSV(t, "workers.tsv", 11) {
		town, ok := domain.FindTown(r[1], r[2])
		if !ok {
			t.Fatalf("worker %s: no town", r[0])
		}
		workers = append(workers, domain.Worker{
			ID: atoi(t, r[0]), District: town.District, Town: town.Name, Lat: town.Lat, Lng: town.Lng,
			SelfDescription: r[3], Skills: evalList(r[4]), Certs: evalList(r[5]), MaxCommuteKm: int(atoi(t, r[6])),
			ExpectedWageFen: atoi(t, r[7]), ExpectedWageUnit: domain.WageUnit(r[8]),
			AvailableFrom: evalDate(r[9], "06-01"), AvailableTo: evalDate(r[10], "07-31"), Status: domain.WorkerActive,
		})
	}
	qrels := map[int64]map[int64]int{}
	for _, r := range readTSV(t, "qrels.tsv", 3) {
		w, g := atoi(t, r[0]), atoi(t, r[1])
		if qrels[w] == nil {
			qrels[w] = map[int64]int{}
		}
		qrels[w][g] = int(atoi(t, r[2]))
	}
	return jobs, workers, qrels
}

// ndcg is the normalised discounted cumulative gain of ranked at k, with gains 2^grade - 1.
func ndcg(ranked []int64, grades map[int64]int, k int) float64 {
	dcg := 0.0
	for i, id := range ranked {
		if i >= k {
			break
		}
		dcg += (math.Pow(2, float64(grades[id])) - 1) / math.Log2(float64(i+2))
	}
	var ideal []int
	for _, g := range grades {
		ideal = append(ideal, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
	idcg := 0.0
	for i, g := range ideal {
		if i >= k {
			break
		}
		idcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 1
	}
	return dcg / idcg
}

func TestEvalNDCG(t *testing.T) {
	jobs, workers, qrels := loadEval(t)
	if len(jobs) < 200 || len(workers) < 30 {
		t.Fatalf("the set has %d gigs and %d workers; it must keep at least 200 and 30", len(jobs), len(workers))
	}
	ix := Build(jobs, workers)
	sum := 0.0
	for _, w := range workers {
		got := ix.MatchJobsForWorker(w, evalToday, 10)
		score := ndcg(ids(got.Items), qrels[w.ID], 10)
		sum += score
		var line []string
		for _, m := range got.Items {
			line = append(line, fmt.Sprintf("%d(%d)", m.ID, qrels[w.ID][m.ID]))
		}
		t.Logf("worker %2d nDCG@10 %.3f: %s", w.ID, score, strings.Join(line, " "))
	}
	mean := sum / float64(len(workers))
	t.Logf("mean nDCG@10 = %.4f over %d workers (floor %.2f)", mean, len(workers), ndcgFloor)
	if mean < ndcgFloor {
		t.Errorf("mean nDCG@10 = %.4f, below the floor %.2f", mean, ndcgFloor)
	}
}

package domain

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const testToday Date = "2026-05-10"

func goodProfile() WorkerProfile {
	return WorkerProfile{Name: "马建国", Skills: []string{"搬运", "枸杞采摘"}, Certs: []string{"健康证"},
		District: "中宁县", Town: "宁安镇", SelfDescription: "会开三轮车", AvailableFrom: testToday,
		AvailableTo: "2026-09-30", ExpectedWageFen: 15000, ExpectedWageUnit: PerDay, MaxCommuteKm: 20}
}

func TestWorkerProfileNormalizeAcceptsAndCleans(t *testing.T) {
	in := goodProfile()
	in.Name = " 马  建国 "
	in.Skills = []string{"枸杞采摘", "搬运", "搬运"}
	in.AvailableFrom = ""
	in.MaxCommuteKm = 0
	got, problems := in.Normalize(testToday, nil)
	if len(problems) != 0 {
		t.Fatalf("problems: %v", problems)
	}
	want := goodProfile()
	want.Name = "马 建国"
	want.MaxCommuteKm = DefaultCommuteKm
	want.Lat, want.Lng, want.Located = 37.491, 105.685, LocatedTown
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("normalised profile (-want +got):\n%s", diff)
	}
}

func TestWorkerProfileProblemsNameTheField(t *testing.T) {
	cases := []struct {
		name      string
		change    func(p *WorkerProfile)
		wantField string
	}{
		{"empty name", func(p *WorkerProfile) { p.Name = "" }, "name"},
		{"name with digits", func(p *WorkerProfile) { p.Name = "张三3" }, "name"},
		{"name too long", func(p *WorkerProfile) { p.Name = "张三张三张三张三张三张三张三张三张三张三张" }, "name"},
		{"skill too long", func(p *WorkerProfile) {
			p.Skills = []string{"会砌墙会抹灰会贴瓷砖会刷漆还会开挖掘机和装载机"}
		}, "skills"},
		{"no skill and nothing written", func(p *WorkerProfile) { p.Skills, p.SelfDescription = []string{}, "" }, "skills"},
		{"certificate that is a phone number", func(p *WorkerProfile) { p.Certs = []string{"13812345678"} }, "certs"},
		{"no district", func(p *WorkerProfile) { p.District, p.Town = "", "" }, "district"},
		{"district elsewhere", func(p *WorkerProfile) { p.District = "银川市" }, "district"},
		{"town of another district", func(p *WorkerProfile) { p.Town = "海城镇" }, "town"},
		{"from in the past", func(p *WorkerProfile) { p.AvailableFrom = "2026-05-09" }, "available_from"},
		{"from not a date", func(p *WorkerProfile) { p.AvailableFrom = "2026-02-30" }, "available_from"},
		{"to before from", func(p *WorkerProfile) { p.AvailableFrom, p.AvailableTo = "2026-06-10", "2026-06-01" }, "available_to"},
		{"to in the past", func(p *WorkerProfile) { p.AvailableTo = "2026-01-01" }, "available_to"},
		{"to too far", func(p *WorkerProfile) { p.AvailableTo = "2031-01-01" }, "available_to"},
		{"zero wage", func(p *WorkerProfile) { p.ExpectedWageFen = 0 }, "expected_wage_fen"},
		{"negative wage", func(p *WorkerProfile) { p.ExpectedWageFen = -100 }, "expected_wage_fen"},
		{"daily wage with a slipped digit", func(p *WorkerProfile) { p.ExpectedWageFen = 1500000 }, "expected_wage_fen"},
		{"hourly wage too high", func(p *WorkerProfile) { p.ExpectedWageUnit, p.ExpectedWageFen = PerHour, 60000 }, "expected_wage_fen"},
		{"a whole-job rate is not for workers", func(p *WorkerProfile) { p.ExpectedWageUnit = PerJob }, "expected_wage_unit"},
		{"piece rate with a slipped digit", func(p *WorkerProfile) { p.ExpectedWageUnit, p.ExpectedWageFen = PerPiece, 1000_01 }, "expected_wage_fen"},
		{"commute negative", func(p *WorkerProfile) { p.MaxCommuteKm = -1 }, "max_commute_km"},
		{"commute too far", func(p *WorkerProfile) { p.MaxCommuteKm = 1000 }, "max_commute_km"},
		{"self description with NUL", func(p *WorkerProfile) { p.SelfDescription = "a\x00b" }, "self_description"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := goodProfile()
			tc.change(&p)
			_, problems := p.Normalize(testToday, nil)
			if len(problems) == 0 {
				t.Fatal("accepted")
			}
			if problems[0].Field != tc.wantField || problems[0].Code != CodeInvalid || problems[0].Message == "" {
				t.Errorf("first problem %+v, want invalid on %q", problems[0], tc.wantField)
			}
		})
	}
}

// A worker may ask for a piece rate ("一斤不低于2块"): 2 元 per piece is kept as it is.
func TestWorkerProfileTakesAPieceRateWish(t *testing.T) {
	p := goodProfile()
	p.ExpectedWageUnit, p.ExpectedWageFen = PerPiece, 200
	out, problems := p.Normalize(testToday, nil)
	if len(problems) != 0 || out.ExpectedWageUnit != PerPiece || out.ExpectedWageFen != 200 {
		t.Fatalf("piece rate 2 元: %+v %v", out, problems)
	}
}

// A form with several mistakes gets every one back, so the page can mark each field at once.
func TestWorkerProfileReportsEveryProblem(t *testing.T) {
	p := goodProfile()
	p.Name, p.District, p.ExpectedWageFen = "", "", 0
	_, problems := p.Normalize(testToday, nil)
	var fields []string
	for _, e := range problems {
		fields = append(fields, e.Field)
	}
	if diff := cmp.Diff([]string{"name", "district", "expected_wage_fen"}, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

// Editing a profile registered earlier does not fail on its own, unchanged, now-past start date.
func TestWorkerProfileUnchangedPastDateIsKept(t *testing.T) {
	prev := goodProfile()
	prev.AvailableFrom = "2026-03-01"
	p := prev
	p.Name = "马建军"
	if _, problems := p.Normalize(testToday, &prev); len(problems) != 0 {
		t.Errorf("problems: %v", problems)
	}
	p.AvailableFrom = "2026-04-01"
	if _, problems := p.Normalize(testToday, &prev); len(problems) == 0 || problems[0].Field != "available_from" {
		t.Errorf("a changed past date must be refused: %v", problems)
	}
}

func TestWorkerIDNumber(t *testing.T) {
	withCheck := func(first17 string) string { return first17 + string(IDCheck(first17)) }
	man := withCheck("64050219700101123")   // 17th digit 3: odd, male
	woman := withCheck("64052119851231002") // 17th digit 2: even, female
	withX := ""
	for seq := 100; withX == ""; seq++ { // find a number whose check character is X
		if f := "64050219700101" + strconv.Itoa(seq); IDCheck(f) == 'X' {
			withX = f + "X"
		}
	}
	cases := []struct {
		name, in, wantID, wantGender string
		wantYear                     int
		wantErr                      bool
	}{
		{"man", man, man, "male", 1970, false},
		{"woman", woman, woman, "female", 1985, false},
		{"lower-case x", strings.ToLower(withX), withX, "", 0, false},
		{"bad checksum", man[:17] + string("0123456789X"[(indexOf(man[17])+1)%11]), "", "", 0, true},
		{"impossible birth date", withCheck("64050219700231123"), "", "", 0, true},
		{"under 16", withCheck("64050220110101123"), "", "", 0, true},
		{"17 characters", man[:17], "", "", 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, year, gender, err := WorkerIDNumber("id_number", tc.in, testToday)
			if tc.wantErr {
				if !IsCode(err, CodeInvalid) || AsError(err).Field != "id_number" {
					t.Errorf("got %q, %v; want invalid id_number", id, err)
				}
				return
			}
			if tc.wantGender == "" {
				tc.wantGender, tc.wantYear = gender, year
			}
			if err != nil || id != tc.wantID || year != tc.wantYear || gender != tc.wantGender {
				t.Errorf("got %q %d %q %v", id, year, gender, err)
			}
		})
	}
}

func indexOf(c byte) int {
	for i, x := range []byte("0123456789X") {
		if x == c {
			return i
		}
	}
	return 0
}

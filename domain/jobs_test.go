package domain

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testToday (2026-05-10) is worker_test.go's.
var testRules = JobRules{Wage: DefaultWageStandard(), Today: testToday}

// validJob is the gig of the issue: 中宁枸杞园急招摘果工20名 日结, picked by the 斤, split shifts.
func validJob() Job {
	return Job{
		Title: " 中宁枸杞园急招摘果工20名 日结 ", Description: "摘枸杞，按斤计价，当天结。",
		Skills: []string{"枸杞采摘", "枸杞采摘"}, RequiredCerts: []string{}, Headcount: 20,
		WageFen: 180, WageUnit: PerPiece, PieceUnit: "斤", ExpectedHours: 0.06, Settlement: SettleDaily,
		District: "中宁县", Town: "宁安镇", Address: "枸杞大道 8 号",
		StartDate: "2026-05-12", EndDate: "2026-06-30",
		Shifts:  []Shift{{"15:00", "19:00"}, {"05:00", "11:00"}},
		Contact: "王经理 13812345678",
	}
}

func TestValidateJobNormalises(t *testing.T) {
	j := validJob()
	if err := testRules.ValidateJob(&j, nil); err != nil {
		t.Fatalf("valid gig refused: %v", err)
	}
	want := struct {
		Title    string
		Skills   []string
		Shifts   []Shift
		Hours    float64
		Lat, Lng float64
	}{"中宁枸杞园急招摘果工20名 日结", []string{"枸杞采摘"}, []Shift{{"05:00", "11:00"}, {"15:00", "19:00"}}, 10, 37.491, 105.685}
	got := want
	got.Title, got.Skills, got.Shifts, got.Hours, got.Lat, got.Lng = j.Title, j.Skills, j.Shifts, j.DailyHours, j.Lat, j.Lng
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("normalised gig (-want +got):\n%s", d)
	}
}

func TestValidateJobRefuses(t *testing.T) {
	cases := []struct {
		name        string
		change      func(j *Job)
		field, want string // want: a substring of the Chinese message
	}{
		{"empty title", func(j *Job) { j.Title = "  " }, "title", "标题"},
		{"title too long", func(j *Job) { j.Title = strings.Repeat("招", 51) }, "title", "最多 50"},
		{"title on two lines", func(j *Job) { j.Title = "招工\n日结" }, "title", "一行"},
		{"phone in description", func(j *Job) { j.Description = "有意者请打 138-1234-5678" }, "description", "手机号"},
		{"full-width phone in title", func(j *Job) { j.Title = "招工 １３８１２３４５６７８" }, "title", "手机号"},
		{"description too long", func(j *Job) { j.Description = strings.Repeat("活", 2001) }, "description", "2000"},
		{"control character", func(j *Job) { j.Description = "a\x00b" }, "description", "无效字符"},
		{"empty skill", func(j *Job) { j.Skills = []string{"砌墙", " ", "12345"} }, "skills", "第 2 项是空的；第 3 项“12345”不是"},
		{"eleven skills", func(j *Job) {
			j.Skills = nil
			for _, s := range Skills[:11] {
				j.Skills = append(j.Skills, s.Name)
			}
		}, "skills", "最多选 10 项"},
		{"absurd certificate", func(j *Job) { j.RequiredCerts = []string{"!!!"} }, "required_certs", "证书"},
		{"no headcount", func(j *Job) { j.Headcount = 0 }, "headcount", "1 到 500"},
		{"headcount 501", func(j *Job) { j.Headcount = 501 }, "headcount", "1 到 500"},
		{"no wage", func(j *Job) { j.WageFen = 0 }, "wage_fen", "工钱"},
		{"absurd wage", func(j *Job) { j.WageFen = 100_000_01 }, "wage_fen", "多写了零"},
		{"unknown unit", func(j *Job) { j.WageUnit = "month" }, "wage_unit", "计薪单位"},
		{"unknown settlement", func(j *Job) { j.Settlement = "yearly" }, "settlement", "结算方式"},
		{"unknown district", func(j *Job) { j.District = "银川市" }, "district", "区县"},
		{"town of another district", func(j *Job) { j.Town = "海城镇" }, "town", "海城镇"},
		{"latitude outside Zhongwei", func(j *Job) { j.Lat, j.Lng = 39.9, 105.6 }, "lat", "纬度"},
		{"longitude outside Zhongwei", func(j *Job) { j.Lat, j.Lng = 37.5, 116.4 }, "lng", "经度"},
		{"address on two lines", func(j *Job) { j.Address = "a\nb" }, "address", "一行"},
		{"bad start date", func(j *Job) { j.StartDate = "2026-02-30" }, "start_date", "日期格式"},
		{"start in the past", func(j *Job) { j.StartDate = "2026-05-09" }, "start_date", "2026-05-10"},
		{"start more than a year ahead", func(j *Job) { j.StartDate, j.EndDate = "2027-05-12", "2027-05-13" }, "start_date", "一年"},
		{"end before start", func(j *Job) { j.EndDate = "2026-05-11" }, "end_date", "早于开工"},
		{"longer than a year", func(j *Job) { j.EndDate = "2027-05-13" }, "end_date", "最长一年"},
		{"no hours at all", func(j *Job) { j.Shifts = nil }, "daily_hours", "每天工作几小时"},
		{"25 hours a day", func(j *Job) { j.Shifts, j.DailyHours = nil, 25 }, "daily_hours", "0–24"},
		{"13 hours a day", func(j *Job) {
			j.Shifts, j.DailyHours, j.WageUnit, j.WageFen, j.ExpectedHours, j.PieceUnit = nil, 13, PerDay, 30000, 0, ""
		}, "daily_hours", "12"},
		{"shifts over 12 hours", func(j *Job) { j.Shifts = []Shift{{"05:00", "12:00"}, {"13:00", "19:00"}} }, "daily_hours", "12"},
		{"bad shift time", func(j *Job) { j.Shifts = []Shift{{"5点", "11:00"}} }, "shifts", "格式"},
		{"hour 25", func(j *Job) { j.Shifts = []Shift{{"05:00", "25:00"}} }, "shifts", "格式"},
		{"shift ending before it starts", func(j *Job) { j.Shifts = []Shift{{"22:00", "06:00"}} }, "shifts", "跨夜"},
		{"overlapping shifts", func(j *Job) { j.Shifts = []Shift{{"05:00", "11:00"}, {"10:00", "12:00"}} }, "shifts", "重叠"},
		{"daily hours disagree with shifts", func(j *Job) { j.DailyHours = 8 }, "daily_hours", "10 小时"},
		{"piece rate without hours", func(j *Job) { j.ExpectedHours = 0 }, "expected_hours", "每斤预计"},
		{"unknown piece unit", func(j *Job) { j.PieceUnit = "吨吨" }, "piece_unit", "斤、公斤"},
		{"piece unit with a day rate", func(j *Job) { j.WageUnit, j.WageFen, j.ExpectedHours = PerDay, 20000, 0 }, "piece_unit", "只有计件"},
		{"expected hours with a day rate", func(j *Job) { j.WageUnit, j.WageFen, j.PieceUnit = PerDay, 20000, "" }, "expected_hours", "不需要"},
		{"contact on two lines", func(j *Job) { j.Contact = "王\n李" }, "contact", "一行"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := validJob()
			tc.change(&j)
			err := testRules.ValidateJob(&j, nil)
			e := AsError(err)
			if err == nil || e.Code != CodeInvalid || e.Field != tc.field || !strings.Contains(e.Message, tc.want) {
				t.Fatalf("got %v, want invalid %s containing %q", err, tc.field, tc.want)
			}
		})
	}
}

func TestValidateJobEdits(t *testing.T) {
	started := validJob()
	started.StartDate, started.Filled = "2026-05-01", 5
	t.Run("a gig under way keeps its past start", func(t *testing.T) {
		j := started
		if err := testRules.ValidateJob(&j, &started); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("but may not move it further back", func(t *testing.T) {
		j := started
		j.StartDate = "2026-04-30"
		if err := testRules.ValidateJob(&j, &started); AsError(err).Field != "start_date" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("headcount below the places taken", func(t *testing.T) {
		j := started
		j.Headcount = 4
		if err := testRules.ValidateJob(&j, &started); AsError(err).Field != "headcount" {
			t.Fatalf("got %v", err)
		}
	})
}

func TestPieceUnitDefaultsToJian(t *testing.T) {
	j := validJob()
	j.PieceUnit = " "
	if err := testRules.ValidateJob(&j, nil); err != nil || j.PieceUnit != "件" {
		t.Fatalf("piece unit %q, err %v; want 件", j.PieceUnit, err)
	}
	for unit, want := range map[WageUnit]string{PerPiece: "1.80 元/斤", PerDay: "1.80 元/天", PerHour: "1.80 元/小时", PerJob: "1.80 元/单"} {
		if got := FormatRate(180, unit, "斤"); got != want {
			t.Errorf("FormatRate(180, %s, 斤) = %q, want %q", unit, got, want)
		}
	}
	if got := FormatWage(180, PerPiece); got != "1.80 元/件" {
		t.Errorf("FormatWage of a piece rate without its unit = %q, want 1.80 元/件", got)
	}
}

func TestPhonesAreFoundAndMasked(t *testing.T) {
	cases := []struct{ in, masked string }{
		{"王经理 13812345678", "王经理 138****5678"},
		{"电话 138 1234 5678 或 15900001111", "电话 138****5678 或 159****1111"},
		{"１３８１２３４５６７８", "138****5678"},
		{"座机 0955-7012345", "座机 0955-7012345"},
		{"编号 12345678901", "编号 12345678901"}, // 123 is no mobile prefix
		{"138123456789", "138123456789"},     // 12 digits: not a phone number
	}
	for _, tc := range cases {
		if got := MaskPhonesIn(tc.in); got != tc.masked {
			t.Errorf("MaskPhonesIn(%q) = %q, want %q", tc.in, got, tc.masked)
		}
	}
}

func TestValidateEmployer(t *testing.T) {
	first := "91640500MA7000000"
	code := first + string(CreditCodeCheck(first))
	ok := []Employer{
		{Kind: EmployerCompany, Name: "中宁县杞源枸杞种植专业合作社", CreditCode: strings.ToLower(code), ContactName: "王建国", ContactPhone: "+86 138 1234 5678"},
		{Kind: EmployerIndividual, Name: "李秀兰（家庭）", ContactName: "李秀兰", ContactPhone: "13912345678"},
	}
	for _, e := range ok {
		if err := ValidateEmployer(&e); err != nil {
			t.Errorf("%s refused: %v", e.Name, err)
		}
		if e.ContactPhone != "13812345678" && e.ContactPhone != "13912345678" {
			t.Errorf("phone not normalised: %q", e.ContactPhone)
		}
	}
	bad := []struct {
		name  string
		e     Employer
		field string
	}{
		{"unknown kind", Employer{Kind: "firm"}, "kind"},
		{"company without code", Employer{Kind: EmployerCompany, Name: "某公司", ContactName: "王", ContactPhone: "13812345678"}, "credit_code"},
		{"company with a bad check character", Employer{Kind: EmployerCompany, Name: "某公司", CreditCode: first + "0", ContactName: "王", ContactPhone: "13812345678"}, "credit_code"},
		{"individual with a code", Employer{Kind: EmployerIndividual, Name: "王建国", CreditCode: code, ContactName: "王建国", ContactPhone: "13812345678"}, "credit_code"},
		{"no name", Employer{Kind: EmployerIndividual, Name: " ", ContactName: "王建国", ContactPhone: "13812345678"}, "name"},
		{"contact with digits", Employer{Kind: EmployerIndividual, Name: "王建国", ContactName: "王5", ContactPhone: "13812345678"}, "contact_name"},
		{"landline as phone", Employer{Kind: EmployerIndividual, Name: "王建国", ContactName: "王建国", ContactPhone: "0955-7012345"}, "contact_phone"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if err := ValidateEmployer(&tc.e); AsError(err).Field != tc.field {
				t.Errorf("got %v, want invalid %s", err, tc.field)
			}
		})
	}
	if CreditCodeCheck(first) == '0' {
		t.Skip("test code happens to check to 0")
	}
}

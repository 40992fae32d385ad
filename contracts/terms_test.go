package contracts

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"lingong/domain"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestTermsGolden pins the canonical JSON of the sample terms: a change to the template wording, a field
// name or the canonical rules shows up here as a diff to review (go test ./contracts -run Golden -update).
func TestTermsGolden(t *testing.T) {
	b, hash, err := sampleTerms(t).Freeze()
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "terms.golden.json")
	got := append(append([]byte(nil), b...), '\n')
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden+".sha256", []byte(hash+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("canonical terms changed (-want +got):\n%s", diff)
	}
	wantHash, _ := os.ReadFile(golden + ".sha256")
	if strings.TrimSpace(string(wantHash)) != hash {
		t.Errorf("terms hash = %s, golden %s", hash, wantHash)
	}
}

func TestTermsRoundTrip(t *testing.T) {
	for name, mod := range map[string]func(*TermsInput){
		"company employer": func(*TermsInput) {},
		"individual employer, no shifts, no skills": func(in *TermsInput) {
			in.Employer = domain.Employer{Kind: domain.EmployerIndividual, Name: "刘福贵", ContactName: "刘福贵", ContactPhone: "13995501234"}
			in.EmployerIDMasked = "640502********0017"
			in.Job.Shifts, in.Job.Skills, in.Job.RequiredCerts = nil, nil, nil
		},
		"amendment": func(in *TermsInput) {
			in.Number, in.Version, in.PreviousNumber = "ZW-202605-000140", 2, "ZW-202605-000123"
		},
		"name with 𠮷 and text with every escape": func(in *TermsInput) {
			in.Worker.Name = "𠮷祥云"
			in.Job.Description = "第一行\n第二行\t\"引号\" \\ <b>&</b> \u2028"
		},
	} {
		t.Run(name, func(t *testing.T) {
			in := sampleInput()
			mod(&in)
			terms, err := BuildTerms(in)
			if err != nil {
				t.Fatal(err)
			}
			b, hash, err := terms.Freeze()
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseTerms(b)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(terms, back); diff != "" {
				t.Errorf("terms changed through JSON (-built +parsed):\n%s", diff)
			}
			b2, hash2, _ := back.Freeze()
			if !bytes.Equal(b, b2) || hash != hash2 {
				t.Error("freezing the parsed terms gives other bytes")
			}
		})
	}
}

// TestTermsHashChanges: a change to any one term changes the hash.
func TestTermsHashChanges(t *testing.T) {
	_, base, _ := sampleTerms(t).Freeze()
	mods := map[string]func(*Terms){
		"wage by one fen":         func(x *Terms) { x.Wage.AmountFen++ },
		"wage unit":               func(x *Terms) { x.Wage.Unit = domain.PerHour },
		"end date":                func(x *Terms) { x.Period.End = "2026-05-12" },
		"worker name":             func(x *Terms) { x.Worker.Name = "马桂芝" },
		"employer credit code":    func(x *Terms) { x.Employer.CreditCode = "93640521MA76XYZ12L" },
		"one character of text":   func(x *Terms) { x.Work.Content = strings.Replace(x.Work.Content, "红", "黄", 1) },
		"a skill added":           func(x *Terms) { x.Work.Skills = append(x.Work.Skills, "装卸") },
		"shift end":               func(x *Terms) { x.Hours.Shifts[1].End = "18:30" },
		"daily minutes":           func(x *Terms) { x.Hours.DailyMinutes-- },
		"settlement":              func(x *Terms) { x.Settlement.Method = domain.SettleWeekly },
		"cancellation fee":        func(x *Terms) { x.Cancellation.EmployerFeeFen = 0 },
		"dispute wording":         func(x *Terms) { x.Dispute += "。" },
		"station phone":           func(x *Terms) { x.Station.Phone = "0955-5012346" },
		"version":                 func(x *Terms) { x.Version = 2 },
		"issued a second later":   func(x *Terms) { x.IssuedAt = strings.Replace(x.IssuedAt, ":15+", ":16+", 1) },
		"empty slice becomes nil": func(x *Terms) { x.Work.Skills = nil },
	}
	for name, mod := range mods {
		t.Run(name, func(t *testing.T) {
			terms := sampleTerms(t)
			mod(&terms)
			_, hash, err := terms.Freeze()
			if err != nil {
				t.Fatal(err)
			}
			if hash == base {
				t.Error("hash did not change")
			}
		})
	}
}

func TestBuildTerms(t *testing.T) {
	terms := sampleTerms(t)
	checks := []struct {
		what      string
		got, want any
	}{
		{"template", terms.Template, TermsTemplate},
		{"version defaults to 1", terms.Version, 1},
		{"issued at, +08:00 to the second", terms.IssuedAt, "2026-05-01T09:30:15+08:00"},
		{"days", terms.Period.Days, 10},
		{"daily minutes", terms.Hours.DailyMinutes, 480},
		{"half a day's pay", terms.Cancellation.EmployerFeeFen, int64(7500)},
		{"pay day", terms.Settlement.PayDay, "每个工作日结束时当日结清"},
		{"worker ID masked", terms.Worker.IDMasked, "640521********1028"},
		{"company has no ID", terms.Employer.IDMasked, ""},
		{"dispute names the station", strings.Contains(terms.Dispute, "中宁县宁安镇零工驿站申请调解"), true},
		{"dispute ends in arbitration", strings.Contains(terms.Dispute, "劳动争议仲裁"), true},
		{"fee in the clause", strings.Contains(terms.Cancellation.Employer, "半天工资 75 元"), true},
		{"no-show recorded", strings.Contains(terms.Cancellation.WorkerNoShow, "记录一次爽约"), true},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestBuildTermsNeverHoldsAFullID(t *testing.T) {
	in := sampleInput()
	in.WorkerIDMasked = "640521197305121028"
	in.Employer.Kind = domain.EmployerIndividual
	in.EmployerIDMasked = "640502198001010017"
	terms, err := BuildTerms(in)
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := terms.Freeze()
	for _, full := range []string{"640521197305121028", "640502198001010017"} {
		if bytes.Contains(b, []byte(full)) {
			t.Errorf("terms hold the full ID number %s", full)
		}
	}
	if terms.Worker.IDMasked != "640*************28" || terms.Employer.IDMasked != "640*************17" {
		t.Errorf("masked IDs: %q, %q", terms.Worker.IDMasked, terms.Employer.IDMasked)
	}
}

func TestBuildTermsInvalid(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(*TermsInput)
		field string
	}{
		{"bad number", func(in *TermsInput) { in.Number = "ZW-202613-000001" }, "number"},
		{"short number", func(in *TermsInput) { in.Number = "ZW-202605-123" }, "number"},
		{"amendment without previous number", func(in *TermsInput) { in.Version = 2 }, "previous_number"},
		{"no issue time", func(in *TermsInput) { in.IssuedAt = time.Time{} }, "issued_at"},
		{"no worker name", func(in *TermsInput) { in.Worker.Name = " " }, "parties"},
		{"zero wage", func(in *TermsInput) { in.Job.WageFen = 0 }, "wage_fen"},
		{"unknown unit", func(in *TermsInput) { in.Job.WageUnit = "month" }, "wage_fen"},
		{"unknown settlement", func(in *TermsInput) { in.Job.Settlement = "monthly" }, "settlement"},
		{"end before start", func(in *TermsInput) { in.Job.EndDate = "2026-05-01" }, "start_date"},
		{"bad date", func(in *TermsInput) { in.Job.StartDate = "2026-02-30" }, "start_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := sampleInput()
			tt.mod(&in)
			_, err := BuildTerms(in)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeInvalid || de.Field != tt.field {
				t.Errorf("err = %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func TestValidNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"ZW-202605-000123": true, "ZW-202612-999999": true, "ZW-202601-000001": true, "ZW-X02605-000123": false,
		"ZW-2026-5-000123": false,
		"ZW-202613-000123": false, "ZW-202600-000123": false, "ZW-202605-00012": false, "zw-202605-000123": false,
		"ZW-2026O5-000123": false, "ZW-202605_000123": false, "": false, "ZW-202605-0001234": false,
	} {
		if got := ValidNumber(s); got != want {
			t.Errorf("ValidNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestHalfDayFen(t *testing.T) {
	eight := []domain.Shift{{Start: "08:00", End: "12:00"}, {Start: "13:00", End: "17:00"}}
	tests := []struct {
		name string
		job  domain.Job
		days int
		want int64
	}{
		{"per day", domain.Job{WageFen: 15000, WageUnit: domain.PerDay}, 10, 7500},
		{"per day, odd fen: x.5 fen rounds up", domain.Job{WageFen: 15001, WageUnit: domain.PerDay}, 10, 7501},
		{"per hour, 8 hours of shifts", domain.Job{WageFen: 2000, WageUnit: domain.PerHour, Shifts: eight, DailyHours: 8}, 1, 8000},
		{"per hour, 7.5 hours: 8437.5 rounds up", domain.Job{WageFen: 2250, WageUnit: domain.PerHour, DailyHours: 7.5}, 1, 8438},
		{"per hour, 7:50 of shifts is 47/6 h", domain.Job{WageFen: 2100, WageUnit: domain.PerHour, DailyHours: 470.0 / 60,
			Shifts: []domain.Shift{{Start: "06:00", End: "13:50"}}}, 1, 8225},
		{"per hour without hours", domain.Job{WageFen: 2000, WageUnit: domain.PerHour}, 1, 0},
		{"whole job over 4 days", domain.Job{WageFen: 80000, WageUnit: domain.PerJob}, 4, 10000},
		{"whole job over 3 days: 13333.33 rounds down", domain.Job{WageFen: 80000, WageUnit: domain.PerJob}, 3, 13333},
		{"whole job, no days", domain.Job{WageFen: 80000, WageUnit: domain.PerJob}, 0, 0},
		{"README 枸杞: 1.80 元/斤, 0.06 h/斤, 10 h", domain.Job{WageFen: 180, WageUnit: domain.PerPiece, ExpectedHours: 0.06, DailyHours: 10}, 30, 15000},
		{"per piece, 0.1 h, 8 h", domain.Job{WageFen: 50, WageUnit: domain.PerPiece, ExpectedHours: 0.1, Shifts: eight, DailyHours: 8}, 1, 2000},
		{"per piece without expected hours", domain.Job{WageFen: 50, WageUnit: domain.PerPiece, DailyHours: 8}, 1, 0},
		{"per piece without daily hours", domain.Job{WageFen: 50, WageUnit: domain.PerPiece, ExpectedHours: 0.1}, 1, 0},
		{"unknown unit", domain.Job{WageFen: 50, WageUnit: "month", DailyHours: 8}, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HalfDayFen(&tt.job, tt.days); got != tt.want {
				t.Errorf("HalfDayFen = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestTermsOfTemplateOne: terms signed before piece_unit existed (lingong-terms/1) parse and freeze to
// the very bytes, and so the hash, they were signed with; a piece rate among them counts 斤, as every
// one of them was weighed.
func TestTermsOfTemplateOne(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "terms.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	old = bytes.TrimSpace(old)
	terms, err := ParseTerms(old)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := terms.Freeze()
	if err != nil || !bytes.Equal(again, old) {
		t.Fatalf("terms of template 1 freeze to other bytes (err %v)", err)
	}
	piece := bytes.Replace(old, []byte(`"wage":{"amount_fen":15000,"unit":"day"}`), []byte(`"wage":{"amount_fen":180,"unit":"piece"}`), 1)
	if terms, err = ParseTerms(piece); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := terms.Freeze(); !bytes.Equal(again, piece) {
		t.Fatal("a piece rate of template 1 freezes to other bytes")
	}
	if got := terms.Wage.Text(); got != "1.80 元/斤" {
		t.Errorf("a piece rate of template 1 reads %q, want 1.80 元/斤", got)
	}
}

// TestTermsOfTemplateTwo: terms signed before the attendance clause and the notice window were written
// into the terms (lingong-terms/2) parse and freeze to the very bytes, and so the hash, they were signed
// with; they have no attendance terms and no notice, so the configured rules apply to them.
func TestTermsOfTemplateTwo(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("testdata", "terms.v2.json"))
	if err != nil {
		t.Fatal(err)
	}
	old = bytes.TrimSpace(old)
	terms, err := ParseTerms(old)
	if err != nil {
		t.Fatal(err)
	}
	again, hash, err := terms.Freeze()
	if err != nil || !bytes.Equal(again, old) || hash != "cb75adf16b6bdf314d01ddd14b2a6943b944a43e84dbd009a33cbba734d611f9" {
		t.Fatalf("terms of template 2 freeze to other bytes or hash %s (err %v)", hash, err)
	}
	if terms.Template != "lingong-terms/2" || terms.Attendance != nil || terms.Cancellation.NoticeMinutes != 0 {
		t.Errorf("terms of template 2 read as %q with attendance %+v, notice %d", terms.Template, terms.Attendance, terms.Cancellation.NoticeMinutes)
	}
}

// TestTermsStateTheAttendanceRules: new terms say, so both sides sign it, how hourly time is rounded
// (whole quarter hours, down), when a day rate counts a day or half a day, when a worker is absent, and
// the notice window of cancellations, with the configured values.
func TestTermsStateTheAttendanceRules(t *testing.T) {
	in := sampleInput()
	in.CancelNotice, in.NoShowGrace = 12*time.Hour, 30*time.Minute
	day, err := BuildTerms(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Job.WageUnit, in.Job.WageFen = domain.PerHour, 2250
	hour, err := BuildTerms(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what, text, want string
	}{
		{"day-rate threshold", day.Attendance.Pay, "满 8 小时计 1 天，满一半（4 小时）计半天"},
		{"no-show grace", day.Attendance.Pay, "开工后 30 分钟仍未签到的记为缺勤"},
		{"hourly rounding", hour.Attendance.Pay, "按整刻钟（15 分钟）向下取整"},
		{"employer's notice", day.Cancellation.Employer, "前 12 小时内取消用工"},
		{"worker's notice", day.Cancellation.WorkerNoShow, "开工前 12 小时内退出"},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("%s: %q lacks %q", c.what, c.text, c.want)
		}
	}
	if day.Cancellation.NoticeMinutes != 720 || day.Attendance.StepMinutes != 15 || day.Attendance.NoShowGraceMinutes != 30 {
		t.Errorf("structured rules: notice %d, step %d, grace %d", day.Cancellation.NoticeMinutes, day.Attendance.StepMinutes, day.Attendance.NoShowGraceMinutes)
	}
}

func TestWageTermsText(t *testing.T) {
	for _, c := range []struct {
		w    WageTerms
		want string
	}{
		{WageTerms{AmountFen: 15000, Unit: domain.PerDay}, "150 元/天"},
		{WageTerms{AmountFen: 2250, Unit: domain.PerHour}, "22.50 元/小时"},
		{WageTerms{AmountFen: 80000, Unit: domain.PerJob}, "800 元/单"},
		{WageTerms{AmountFen: 180, Unit: domain.PerPiece, PieceUnit: "斤"}, "1.80 元/斤"},
		{WageTerms{AmountFen: 350, Unit: domain.PerPiece, PieceUnit: "箱"}, "3.50 元/箱"},
		{WageTerms{AmountFen: 180, Unit: domain.PerPiece}, "1.80 元/斤"},
	} {
		if got := c.w.Text(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.w, got, c.want)
		}
	}
	in := sampleInput()
	in.Job.WageUnit, in.Job.WageFen, in.Job.ExpectedHours = domain.PerPiece, 180, 0.06
	terms, _ := BuildTerms(in)
	if terms.Wage.PieceUnit != "件" {
		t.Errorf("a piece rate posted without a unit is signed as %q, want 件", terms.Wage.PieceUnit)
	}
	in.Job.PieceUnit = "斤"
	if terms, _ = BuildTerms(in); terms.Wage.PieceUnit != "斤" {
		t.Errorf("piece unit %q, want 斤", terms.Wage.PieceUnit)
	}
	in.Job.WageUnit = domain.PerDay
	if terms, _ = BuildTerms(in); terms.Wage.PieceUnit != "" {
		t.Errorf("a day rate carries the piece unit %q", terms.Wage.PieceUnit)
	}
}

func TestParseTermsStrict(t *testing.T) {
	b, _, _ := sampleTerms(t).Freeze()
	for name, in := range map[string][]byte{
		"unknown field": bytes.Replace(b, []byte(`,"cancellation"`), []byte(`,"bonus":1,"cancellation"`), 1),
		"trailing data": append(append([]byte(nil), b...), []byte(` {}`)...),
		"wrong type":    bytes.Replace(b, []byte(`"version":1`), []byte(`"version":"1"`), 1),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseTerms(in); err == nil {
				t.Error("parsed; want an error")
			}
		})
	}
}

// issued is the fixed instant the fixtures are issued at.
var issued = time.Date(2026, 5, 1, 9, 30, 15, 0, domain.Shanghai)

func sampleInput() TermsInput {
	return TermsInput{
		Number:   "ZW-202605-000123",
		IssuedAt: issued,
		Job: domain.Job{
			ID: 7, Title: "枸杞采摘", Description: "在宁安镇枸杞基地采摘红枸杞，按斤计件，基地提供采摘筐和饮用水。",
			Skills: []string{"摘枸杞"}, RequiredCerts: []string{"健康证"},
			WageFen: 15000, WageUnit: domain.PerDay, Settlement: domain.SettleDaily,
			District: "中宁县", Town: "宁安镇", Address: "枸杞产业园 3 号基地",
			StartDate: "2026-05-02", EndDate: "2026-05-11", DailyHours: 8,
			Shifts: []domain.Shift{{Start: "05:30", End: "11:00"}, {Start: "15:30", End: "18:00"}},
		},
		Worker: domain.Worker{
			Name: "马桂兰", No: "LG00000123", Phone: "13895512345", IDNumberMasked: "640521********1028",
		},
		Employer: domain.Employer{
			Kind: domain.EmployerCompany, Name: "中宁县杞香源枸杞种植专业合作社",
			CreditCode: "93640521MA76XYZ12K", ContactName: "王建军", ContactPhone: "13909551234",
		},
		Station: domain.Station{Code: "ZN-S03", Name: "中宁县宁安镇零工驿站", Address: "中宁县宁安镇政务服务中心一楼", Phone: "0955-5012345"},
	}
}

func sampleTerms(t testing.TB) Terms {
	t.Helper()
	terms, err := BuildTerms(sampleInput())
	if err != nil {
		t.Fatalf("BuildTerms: %v", err)
	}
	return terms
}

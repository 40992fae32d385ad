package console

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// statsStore is what the monitoring figures need.
type statsStore interface {
	Stats(ctx context.Context, f domain.StatsFilter) (domain.Stats, error)
}

// statsFilter reads from, to, station and district from the query. Staff always see their own
// station; only admins choose one (or all).
func (s *Console) statsFilter(c *gin.Context) (domain.StatsFilter, error) {
	p := kit.Principal(c)
	f := s.defaultStatsFilter(c)
	var err error
	if v := c.Query("from"); v != "" {
		if f.From, err = domain.ParseDate("from", v); err != nil {
			return f, err
		}
	}
	if v := c.Query("to"); v != "" {
		if f.To, err = domain.ParseDate("to", v); err != nil {
			return f, err
		}
	}
	if f.From > f.To {
		return f, domain.Invalid("from", "开始日期不能晚于结束日期")
	}
	if f.From.DaysUntil(f.To) > 731 {
		return f, domain.Invalid("from", "统计区间最长两年")
	}
	if d := c.Query("district"); d != "" {
		if !domain.IsDistrict(d) {
			return f, domain.Invalid("district", "区县应为沙坡头区、中宁县或海原县")
		}
		f.District = d
	}
	if p.Kind == domain.AsAdmin {
		if code := c.Query("station"); code != "" {
			st, err := s.App.StationByCode(c.Request.Context(), code)
			if err != nil {
				return f, domain.Invalid("station", "没有这个站点")
			}
			f.StationID = st.ID
		}
	} else {
		if code := c.Query("station"); code != "" {
			st, err := s.App.StationByCode(c.Request.Context(), code)
			if err != nil || st.ID != p.StationID {
				return f, domain.Forbidden("只能查看本站点的数据")
			}
		}
		f.StationID = p.StationID
	}
	return f, nil
}

// defaultStatsFilter is the last 30 days of the caller's station (all stations for an admin).
func (s *Console) defaultStatsFilter(c *gin.Context) domain.StatsFilter {
	today := s.Today()
	f := domain.StatsFilter{To: today, From: today.AddDays(-29)}
	if p := kit.Principal(c); p.Kind != domain.AsAdmin {
		f.StationID = p.StationID
	}
	return f
}

// getStats is GET /api/v1/stats: the dashboard's figures as JSON (money in fen).
func (s *Console) getStats(c *gin.Context) {
	f, err := kit.StatsFilter(c, s.App)
	if err != nil {
		s.Fail(c, err)
		return
	}
	st, err := s.App.Stats(c.Request.Context(), kit.Principal(c), f)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// dashboardData is the dashboard page: the figures, their charts, and the filter form.
type dashboardData struct {
	Stats    domain.Stats
	Stations []domain.Station
	Query    string // the filter as a query string, for the CSV links
	Station  string
	Charts   map[string]template.HTML
	Tables   map[string][][]string
	// TableTitles name the tables under a chart that has more than one.
	TableTitles map[string]string
	// Figures are the attendance and protection figures as the page shows them ("—" when there is
	// nothing to compute them from).
	Figures map[string]string
	Error   string
	// Incidents is the 出险 block (dashboard_incidents.go).
	Incidents *domain.IncidentFigures
}

// consoleDashboard is /console/dashboard (信息监测).
func (s *Console) consoleDashboard(c *gin.Context) {
	d := dashboardData{Station: c.Query("station")}
	f, err := kit.StatsFilter(c, s.App)
	if err != nil {
		if e := domain.AsError(err); e.Code == domain.CodeInvalid {
			d.Error = e.Message
			f = s.defaultStatsFilter(c)
		} else {
			s.Fail(c, err)
			return
		}
	}
	if d.Stats, err = s.App.Stats(c.Request.Context(), kit.Principal(c), f); err != nil {
		s.Fail(c, err)
		return
	}
	if kit.Principal(c).Kind == domain.AsAdmin {
		if d.Stations, err = s.App.Stations(c.Request.Context()); err != nil {
			s.Fail(c, err)
			return
		}
	}
	if d.Incidents, err = s.dashboardIncidents(c, f); err != nil {
		s.Fail(c, err)
		return
	}
	d.Query = c.Request.URL.RawQuery
	d.Charts = dashboardCharts(d.Stats)
	d.Tables = map[string][][]string{}
	d.TableTitles = map[string]string{"arrears_age": "按逾期天数", "arrears": "按用工方", "attendance": "考勤汇总",
		"attendance_stations": "各站点考勤", "attendance_districts": "各区县考勤", "check_ins": "每日签到", "protection": "保障汇总"}
	d.Figures = figureCells(d.Stats)
	for _, t := range statsTables {
		d.Tables[t], _ = statsTable(d.Stats, t)
	}
	s.renderConsole(c, http.StatusOK, "console_dashboard", "信息监测", "dashboard", d)
}

func dashboardCharts(st domain.Stats) map[string]template.HTML {
	var days []string
	var regs []float64
	for _, d := range st.RegistrationsPerDay {
		days = append(days, string(d.Day)[5:])
		regs = append(regs, float64(d.Count))
	}
	var skills []string
	var supply, demand []float64
	for i, k := range st.BySkill {
		if i == 15 {
			break
		}
		skills = append(skills, k.Skill)
		supply = append(supply, float64(k.Workers))
		demand = append(demand, float64(k.OpenPlaces))
	}
	var districts []string
	var dWorkers, dOpen, dEarned, dPaid []float64
	for _, d := range st.ByDistrict {
		districts = append(districts, d.District)
		dWorkers = append(dWorkers, float64(d.Workers))
		dOpen = append(dOpen, float64(d.OpenPlaces))
		dEarned = append(dEarned, float64(d.EarnedFen)/100)
		dPaid = append(dPaid, float64(d.PaidFen)/100)
	}
	var checkInDays []string
	var checkIns []float64
	for _, d := range st.Attendance.CheckInsPerDay {
		checkInDays = append(checkInDays, string(d.Day)[5:])
		checkIns = append(checkIns, float64(d.Count))
	}
	var buckets []string
	var arrears []float64
	for _, b := range st.ArrearsByAge {
		buckets = append(buckets, b.Bucket)
		arrears = append(arrears, float64(b.AmountFen)/100)
	}
	return map[string]template.HTML{
		"registrations": barChart("每日登记人数", days, []barSeries{{"登记", "#0b57d0", regs}}),
		"skills":        barChart("技能供需（缺口最大的 15 项）", skills, []barSeries{{"登记零工", "#0b57d0", supply}, {"空缺岗位", "#c8102e", demand}}),
		"districts":     barChart("各区县零工与空缺", districts, []barSeries{{"登记零工", "#0b57d0", dWorkers}, {"空缺岗位", "#c8102e", dOpen}}),
		"wages":         barChart("各区县工钱（元）", districts, []barSeries{{"应发", "#0b57d0", dEarned}, {"已付", "#188038", dPaid}}),
		"arrears":       barChart("欠薪金额按逾期天数（元）", buckets, []barSeries{{"欠薪", "#c8102e", arrears}}),
		"check_ins":     barChart("每日签到人次", checkInDays, []barSeries{{"签到", "#188038", checkIns}}),
	}
}

// dashboardCSV exports one table of the dashboard as CSV (UTF-8 with BOM so Excel opens it in
// Chinese): table = summary, registrations, skills, districts, stations, arrears (by employer) or
// arrears_age (by how long overdue).
func (s *Console) dashboardCSV(c *gin.Context) {
	f, err := kit.StatsFilter(c, s.App)
	if err != nil {
		s.Fail(c, err)
		return
	}
	st, err := s.App.Stats(c.Request.Context(), kit.Principal(c), f)
	if err != nil {
		s.Fail(c, err)
		return
	}
	table := c.Query("table")
	rows, ok := statsTable(st, table)
	if !ok {
		s.Fail(c, domain.Invalid("table", "没有这张表"))
		return
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	// Names in these tables are typed by employers and staff: neutralised as the payroll's are, so a
	// name like =HYPERLINK(…) opens as text, not as a formula.
	for _, row := range rows {
		w.Write(kit.CSVRow(row))
	}
	w.Flush()
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="lingong-%s-%s-%s.csv"`, table, f.From, f.To))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// statsTables are the dashboard's tables: each one a plain table of one header row and its lines (the
// arrears are two: by employer, and by how long overdue).
var statsTables = []string{"summary", "registrations", "skills", "districts", "stations", "arrears", "arrears_age",
	"attendance", "attendance_stations", "attendance_districts", "check_ins", "protection"}

func itoa(n int) string         { return strconv.Itoa(n) }
func yuanCell(fen int64) string { return domain.FormatYuan(fen) }
func pct(x float64) string      { return fmt.Sprintf("%.1f%%", x*100) }
func hours(x float64) string    { return fmt.Sprintf("%.1f", x) }

// statsTable is one dashboard table as rows of cells (the CSV export and the page share it).
func statsTable(st domain.Stats, table string) ([][]string, bool) {
	switch table {
	case "summary":
		return [][]string{
			{"指标", "数值"},
			{"统计区间", string(st.Filter.From) + " 至 " + string(st.Filter.To)},
			{"新登记零工", itoa(st.Registrations)},
			{"在册零工", itoa(st.ActiveWorkers)},
			{"新发布岗位", itoa(st.JobsPosted)},
			{"招工中岗位", itoa(st.JobsOpen)},
			{"已招满岗位", itoa(st.JobsFilled)},
			{"审核通过的名额", itoa(st.PlacesOffered)},
			{"已录用名额", itoa(st.PlacesFilled)},
			{"录用率", pct(st.FillRate)},
			{"审核通过到首位录用（中位数，小时）", hours(st.MedianHoursToFirstAccept)},
			{"签约合约", itoa(st.ContractsSigned)},
			{"应发工钱（元）", yuanCell(st.EarnedFen)},
			{"已付工钱（元）", yuanCell(st.PaidFen)},
			{"未付工钱（元）", yuanCell(st.OutstandingFen)},
		}, true
	case "registrations":
		rows := [][]string{{"日期", "登记人数"}}
		for _, d := range st.RegistrationsPerDay {
			rows = append(rows, []string{string(d.Day), itoa(d.Count)})
		}
		return rows, true
	case "skills":
		rows := [][]string{{"技能", "类别", "登记零工", "空缺名额", "缺口"}}
		for _, k := range st.BySkill {
			rows = append(rows, []string{k.Skill, k.Category, itoa(k.Workers), itoa(k.OpenPlaces), itoa(k.OpenPlaces - k.Workers)})
		}
		return rows, true
	case "districts":
		rows := [][]string{{"区县", "在册零工", "空缺名额", "已录用名额", "应发（元）", "已付（元）"}}
		for _, d := range st.ByDistrict {
			rows = append(rows, []string{d.District, itoa(d.Workers), itoa(d.OpenPlaces), itoa(d.PlacesFilled), yuanCell(d.EarnedFen), yuanCell(d.PaidFen)})
		}
		return rows, true
	case "stations":
		rows := [][]string{{"站点", "新登记", "新岗位", "新合约"}}
		for _, x := range st.ByStation {
			rows = append(rows, []string{x.Name, itoa(x.Registrations), itoa(x.JobsPosted), itoa(x.Contracts)})
		}
		return rows, true
	case "arrears":
		rows := [][]string{{"用工方", "预警数", "欠薪（元）", "最长逾期（天）"}}
		for _, a := range st.ArrearsByEmployer {
			rows = append(rows, []string{a.EmployerName, itoa(a.Alerts), yuanCell(a.AmountFen), itoa(a.OldestDays)})
		}
		return rows, true
	case "attendance", "attendance_stations", "attendance_districts", "check_ins", "protection":
		return protectionTable(st, table), true
	case "arrears_age":
		rows := [][]string{{"逾期", "预警数", "欠薪（元）"}}
		for _, b := range st.ArrearsByAge {
			rows = append(rows, []string{b.Bucket, itoa(b.Alerts), yuanCell(b.AmountFen)})
		}
		return rows, true
	}
	return nil, false
}

// consoleEvidence is GET /console/evidence: the latest verifications of the records with the audit
// chain's head at each, laid out to be printed and filed every day (the daily report of the evidence).
func (s *Console) consoleEvidence(c *gin.Context) {
	checks, err := s.App.EvidenceChecks(c.Request.Context(), kit.Principal(c), 31)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.renderConsole(c, http.StatusOK, "console_evidence", "数据核验", "dashboard", struct {
		Checks []domain.EvidenceReport
		Now    string
	}{checks, s.Now().In(domain.Shanghai).Format("2006-01-02 15:04")})
}

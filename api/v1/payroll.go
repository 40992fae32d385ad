package v1

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/contracts"
	"lingong/domain"
)

// The monthly 工资支付台账 of a station (《保障农民工工资支付条例》 Art. 15): what every worker earned and
// was paid under the station's contracts in one month, with the worker's confirmation, as CSV for Excel
// and as a printable PDF.

// payrollColumns are the CSV's columns, those Art. 15 names (name, ID number, working time, gross,
// deductions, net, payment, the worker's confirmation) plus what identifies the contract.
var payrollColumns = []string{"序号", "姓名", "身份证号", "用工单位", "合同编号", "计量单位", "工作天数", "工作量",
	"应发工资（元）", "扣除（元）", "实发工资（元）", "本期已付（元）", "未付（元）", "最近支付日期", "支付方式", "本人确认"}

// stationPayroll is GET /api/v1/stations/{code}/payroll?month=YYYY-MM&format=csv|pdf[&id=full] (staff of
// the station, admins). ID numbers are masked, except in the CSV of an admin who asks for id=full: that
// export is written to the audit log (Store.RevealIDNumbers). The PDF is always masked.
func (s *API) stationPayroll(c *gin.Context) {
	ctx := c.Request.Context()
	p := kit.Principal(c)
	st, err := s.app.StationByCode(ctx, c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if !p.CanManageStation(st.ID) {
		s.fail(c, domain.Forbidden("只能导出本站点的工资台账"))
		return
	}
	month := c.Query("month")
	if month == "" {
		month = s.today().Start().Format("2006-01")
	}
	format := c.DefaultQuery("format", "csv")
	if format != "csv" && format != "pdf" {
		s.fail(c, domain.Invalid("format", "format 应为 csv 或 pdf"))
		return
	}
	full := false
	switch c.Query("id") {
	case "", "masked":
	case "full":
		if p.Kind != domain.AsAdmin {
			s.fail(c, domain.Forbidden("只有管理员可以导出完整身份证号"))
			return
		}
		if format != "csv" {
			s.fail(c, domain.Invalid("id", "完整身份证号只在 CSV 中导出；PDF 一律脱敏"))
			return
		}
		full = true
	default:
		s.fail(c, domain.Invalid("id", "id 应为 masked（默认）或 full（仅管理员导出 CSV）"))
		return
	}
	lines, err := s.app.Payroll(ctx, p, st.ID, month)
	if err != nil {
		s.fail(c, err)
		return
	}
	name := fmt.Sprintf("%s-%s-payroll", st.Code, month)
	if format == "pdf" {
		doc := contracts.PayrollDoc{StationName: st.Name, StationCode: st.Code, Month: month, PreparedAt: s.now()}
		if me, err := s.app.StaffByID(ctx, p.ID); err == nil {
			doc.PreparedBy = me.DisplayName
		}
		for _, l := range lines {
			doc.Rows = append(doc.Rows, payrollRow(l))
		}
		pdf, err := s.pdf.Payroll(ctx, doc)
		if err != nil {
			s.fail(c, kit.PDFError(err))
			return
		}
		kit.SendPDF(c, pdf, name+".pdf", "private, no-store")
		return
	}
	ids := map[int64]string{}
	if full {
		workers := make([]int64, 0, len(lines))
		for _, l := range lines {
			workers = append(workers, l.WorkerID)
		}
		if ids, err = s.app.RevealIDNumbers(ctx, p, st.ID, month, workers); err != nil {
			s.fail(c, err)
			return
		}
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, name))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", payrollCSV(lines, ids))
}

// payrollRow is a payroll line as the PDF prints it. No deductions are recorded on the platform, so
// net equals gross; what was actually paid stands beside it.
func payrollRow(l domain.PayrollLine) contracts.PayrollRow {
	r := contracts.PayrollRow{WorkerName: l.WorkerName, IDMasked: l.IDMasked, EmployerName: l.EmployerName, ContractNumber: l.ContractNumber,
		Days: l.Days, GrossFen: l.GrossFen, NetFen: l.GrossFen, PaidFen: l.PaidFen, PaidOn: l.PaidOn, Methods: l.Methods,
		State: contracts.Confirmation(l.State)}
	switch l.Unit {
	case domain.PerHour:
		r.HoursMilli = l.QuantityMilli
	case domain.PerPiece:
		r.QuantityMilli, r.QuantityUnit = l.QuantityMilli, l.Unit.LabelFor(l.PieceUnit)
	case domain.PerJob:
		r.QuantityMilli, r.QuantityUnit = l.QuantityMilli, "单"
	}
	return r
}

// payrollCSV writes the payroll as CSV: UTF-8 with a BOM (so Excel opens the Chinese as such), money in
// yuan with two decimals. ids holds full ID numbers to print instead of the masked ones. Cells that
// could start a spreadsheet formula are neutralised, and an ID number is prefixed with a tab so Excel
// keeps its 18 digits as text.
func payrollCSV(lines []domain.PayrollLine, ids map[int64]string) []byte {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Write(payrollColumns)
	var gross, paid int64
	for i, l := range lines {
		id := l.IDMasked
		if full, ok := ids[l.WorkerID]; ok {
			id = "\t" + full
		}
		methods := make([]string, len(l.Methods))
		for k, m := range l.Methods {
			methods[k] = m.Label()
		}
		w.Write([]string{strconv.Itoa(i + 1), cell(l.WorkerName), id, cell(l.EmployerName), l.ContractNumber, l.Unit.LabelFor(l.PieceUnit), strconv.Itoa(l.Days),
			domain.Milli(l.QuantityMilli).String(), yuan2(l.GrossFen), "0.00", yuan2(l.GrossFen), yuan2(l.PaidFen),
			yuan2(l.GrossFen - l.PaidFen), string(l.PaidOn), strings.Join(methods, "、"), contracts.Confirmation(l.State).Label()})
		gross, paid = gross+l.GrossFen, paid+l.PaidFen
	}
	w.Write([]string{"", "合计", "", "", "", "", "", "", yuan2(gross), "0.00", yuan2(gross), yuan2(paid), yuan2(gross - paid), "", "", ""})
	w.Flush()
	return buf.Bytes()
}

// yuan2 writes fen as yuan with two decimals (1500.00), the way a spreadsheet column of money reads.
func yuan2(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// cell keeps free text from being read as a formula by a spreadsheet (CSV injection).
func cell(s string) string { return kit.CSVCell(s) }

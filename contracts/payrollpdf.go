package contracts

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"lingong/domain"
)

// PayrollDoc is a station's monthly 工资支付台账 (wage payment ledger), the record 《保障农民工工资支付条例》
// Art. 15 requires per pay period and that must be kept at least 3 years.
type PayrollDoc struct {
	StationName string
	StationCode string
	Month       string // "2026-05"
	Rows        []PayrollRow
	PreparedBy  string    // who printed it (a staff name)
	PreparedAt  time.Time // when it was taken; also the PDF's date
}

// PayrollRow is one worker's line for the month (one contract, or one worker across contracts: the caller
// decides). Money is int64 fen; hours and quantities are in thousandths.
type PayrollRow struct {
	WorkerName     string
	IDMasked       string // masked resident ID number; a full number passed here is masked before printing
	EmployerName   string
	ContractNumber string
	Days           int
	HoursMilli     int64
	QuantityMilli  int64 // pieces or 斤
	QuantityUnit   string
	GrossFen       int64 // 应发
	DeductionsFen  int64 // 扣除
	DeductionNote  string
	NetFen         int64 // 实发; must equal GrossFen - DeductionsFen
	PaidFen        int64 // actually paid in the period (本期已付): what is still owed shows as net minus paid
	PaidOn         domain.Date
	Methods        []domain.PayMethod
	State          Confirmation // the worker's confirmation; Pending leaves room for a handwritten signature
}

// PayrollPDF renders the monthly ledger on landscape A4 with the columns Art. 15 names: name, ID number
// (masked), working time, gross, deductions, net, the amount actually paid, payment date and method, and
// the worker's confirmation (its state, or an empty cell to sign in). It ends with the month's totals.
// Errors: a bad month, or a row whose net is not gross minus deductions.
func PayrollPDF(p PayrollDoc) ([]byte, error) {
	month, err := time.ParseInLocation("2006-01", p.Month, domain.Shanghai)
	if err != nil {
		return nil, errors.New("payroll: month must be YYYY-MM")
	}
	var gross, deductions, net, paid int64
	for i, r := range p.Rows {
		if r.NetFen != r.GrossFen-r.DeductionsFen {
			return nil, fmt.Errorf("payroll row %d (%s): net is not gross minus deductions", i+1, r.ContractNumber)
		}
		gross, deductions, net, paid = gross+r.GrossFen, deductions+r.DeductionsFen, net+r.NetFen, paid+r.PaidFen
	}
	period := strconv.Itoa(month.Year()) + "年" + strconv.Itoa(int(month.Month())) + "月"
	s := spec{
		title: "工资支付台账 " + p.StationName + " " + p.Month,
		pageW: a4W, pageH: a4H,
		landscape: true,
		margins:   geometry{left: 12, right: 12, top: 12, bottom: 16},
		date:      p.PreparedAt,
	}
	return render(s, func(d *doc) error {
		d.beginSection(func(page, total int) {
			x, w, y := d.g.left, d.contentW(), d.g.h-d.g.bottom+6
			d.setGray(80)
			d.put(x, y, w, 4, footSize, "工资支付台账 · "+p.StationName+" · "+period+" · 依据《保障农民工工资支付条例》第十五条编制，保存不少于三年", "L")
			d.put(x, y, w, 4, footSize, fmt.Sprintf("第 %d 页 共 %d 页", page, total), "R")
			d.setGray(0)
		})
		x, w := d.g.left, d.contentW()
		d.put(x, d.y, w, 10, 18, "工资支付台账", "C")
		d.y += 11
		head := "驿站：" + p.StationName
		if p.StationCode != "" {
			head += "（" + p.StationCode + "）"
		}
		head += "　　所属期：" + period + "　　人数：" + strconv.Itoa(len(p.Rows))
		if p.PreparedBy != "" {
			head += "　　制表人：" + p.PreparedBy
		}
		if !p.PreparedAt.IsZero() {
			head += "　　制表时间：" + cnTime(p.PreparedAt)
		}
		d.para(x, w, 9.5, 5.5, head)
		d.y += 2

		// The widths add up to the landscape page's content width (273 mm).
		cols := []column{
			{"序号", 9, "C"}, {"姓名", 19, "L"}, {"身份证号", 33, "L"}, {"用工单位", 27, "L"},
			{"合同编号", 29, "L"}, {"工作时间", 25, "L"}, {"应发工资（元）", 19, "R"}, {"扣除（元）", 20, "R"},
			{"实发工资（元）", 19, "R"}, {"本期已付（元）", 19, "R"}, {"支付日期", 17, "C"}, {"支付方式", 17, "C"},
			{"本人确认（签字）", 20, "C"},
		}
		rows := make([][]string, 0, len(p.Rows)+1)
		for i, r := range p.Rows {
			ded := domain.FormatYuan(r.DeductionsFen)
			if r.DeductionNote != "" {
				ded += "（" + r.DeductionNote + "）"
			}
			methods := make([]string, len(r.Methods))
			for k, m := range r.Methods {
				methods[k] = m.Label()
			}
			confirm := ""
			if r.State != Pending && r.State != "" {
				confirm = r.State.Label()
			}
			rows = append(rows, []string{
				strconv.Itoa(i + 1), r.WorkerName, orDash(maskID(r.IDMasked)), r.EmployerName, r.ContractNumber,
				workTime(r), domain.FormatYuan(r.GrossFen), ded, domain.FormatYuan(r.NetFen), domain.FormatYuan(r.PaidFen),
				paidOn(r.PaidOn, month), strings.Join(methods, "、"), confirm,
			})
		}
		rows = append(rows, []string{"", "合计", "", "", "", "", domain.FormatYuan(gross), domain.FormatYuan(deductions), domain.FormatYuan(net),
			domain.FormatYuan(paid), "", "", ""})
		d.table(cols, rows, tableStyle{size: 8.5, lineH: 4.4, padX: 1, padY: 1.3, minH: 9})
		d.gap(3)
		d.setGray(80)
		d.para(x, w, 8.5, 4.8, "说明：身份证号已作脱敏处理；“本人确认”栏为空的，由劳动者本人签字确认或附支付凭证。金额单位为人民币元。")
		d.setGray(0)
		return nil
	})
}

// workTime writes a row's working time: 3 天 / 24 小时 / 120 斤.
func workTime(r PayrollRow) string {
	var parts []string
	if r.Days != 0 {
		parts = append(parts, strconv.Itoa(r.Days)+" 天")
	}
	if r.HoursMilli != 0 {
		parts = append(parts, milli(r.HoursMilli)+" 小时")
	}
	if r.QuantityMilli != 0 {
		unit := r.QuantityUnit
		if unit == "" {
			unit = "件"
		}
		parts = append(parts, milli(r.QuantityMilli)+" "+unit)
	}
	return strings.Join(parts, " / ")
}

// paidOn writes a payment date as 05-31 when it falls in the ledger's year (the header names it), in full
// otherwise (January's pay for December).
func paidOn(d domain.Date, month time.Time) string {
	if strings.HasPrefix(string(d), strconv.Itoa(month.Year())+"-") {
		return shortDate(d)
	}
	return string(d)
}

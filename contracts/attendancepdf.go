package contracts

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"lingong/domain"
)

// AttendanceSheet is a gig's daily attendance sheet (考勤表, issue 21): who came, when they checked in and
// out, the hours, the flags and the day's pay written from attendance.
type AttendanceSheet struct {
	JobTitle     string
	EmployerName string
	StationName  string
	Day          string // "2026-05-10"
	Rows         []AttendanceSheetRow
	PreparedAt   time.Time // also the PDF's date
}

// AttendanceSheetRow is one worker's day.
type AttendanceSheetRow struct {
	WorkerName, WorkerNo, ContractNumber string
	In, Out                              string // "07:02", "" when missing
	Minutes                              int64
	Flags                                string // 离线补交, 离工地 820 米, 用工方考勤机…
	AmountFen                            int64
	Review                               string // where the line stands with the employer
}

// AttendanceSheetPDF renders the sheet on portrait A4: a table with a signature column, and the day's totals.
func AttendanceSheetPDF(r AttendanceSheet) ([]byte, error) {
	if r.JobTitle == "" || r.Day == "" {
		return nil, errors.New("roster: title and day are required")
	}
	s := spec{
		title: "考勤表 " + r.JobTitle + " " + r.Day,
		pageW: a4W, pageH: a4H,
		margins: geometry{left: 12, right: 12, top: 12, bottom: 16},
		date:    r.PreparedAt,
	}
	return render(s, func(d *doc) error {
		d.beginSection(func(page, total int) {
			x, w, y := d.g.left, d.contentW(), d.g.h-d.g.bottom+6
			d.setGray(80)
			d.put(x, y, w, 4, footSize, "考勤表 · "+r.JobTitle+" · "+r.Day, "L")
			d.put(x, y, w, 4, footSize, fmt.Sprintf("第 %d 页 共 %d 页", page, total), "R")
			d.setGray(0)
		})
		x, w := d.g.left, d.contentW()
		d.put(x, d.y, w, 10, 18, "考勤表", "C")
		d.y += 11
		head := "岗位：" + r.JobTitle + "　　日期：" + r.Day + "　　人数：" + strconv.Itoa(len(r.Rows))
		if r.EmployerName != "" {
			head += "　　用工方：" + r.EmployerName
		}
		if r.StationName != "" {
			head += "　　签发驿站：" + r.StationName
		}
		d.para(x, w, 9.5, 5.5, head)
		d.y += 2
		// The widths add up to the portrait page's content width (186 mm).
		cols := []column{
			{"序号", 9, "C"}, {"姓名", 18, "L"}, {"零工编号", 22, "L"}, {"合同编号", 29, "L"}, {"签到", 12, "C"},
			{"签退", 12, "C"}, {"工时", 15, "R"}, {"标记", 27, "L"}, {"当日工钱（元）", 18, "R"}, {"本人签字", 24, "C"},
		}
		var total int64
		rows := make([][]string, 0, len(r.Rows)+1)
		for i, row := range r.Rows {
			total += row.AmountFen
			hours := ""
			if row.Minutes > 0 {
				hours = fmt.Sprintf("%d:%02d", row.Minutes/60, row.Minutes%60)
			}
			amount := ""
			if row.AmountFen > 0 {
				amount = domain.FormatYuan(row.AmountFen)
				if row.Review != "" {
					amount += "（" + row.Review + "）"
				}
			}
			rows = append(rows, []string{strconv.Itoa(i + 1), row.WorkerName, row.WorkerNo, row.ContractNumber, orDash(row.In),
				orDash(row.Out), hours, row.Flags, amount, ""})
		}
		rows = append(rows, []string{"", "合计", "", "", "", "", "", "", domain.FormatYuan(total), ""})
		d.table(cols, rows, tableStyle{size: 8.5, lineH: 4.4, padX: 1, padY: 1.3, minH: 9})
		d.gap(3)
		d.setGray(80)
		d.para(x, w, 8.5, 4.8, "说明：时间为北京时间；“标记”中的离线补交、离工地较远由系统标出，位置只记距离。当日工钱为签退时按合约条款自动记入台账的金额。")
		d.setGray(0)
		return nil
	})
}

// AttendanceSheet is AttendanceSheetPDF within the bound.
func (r *Renderer) AttendanceSheet(ctx context.Context, doc AttendanceSheet) ([]byte, error) {
	return do(ctx, r, doc, AttendanceSheetPDF)
}

package contracts

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"

	"lingong/domain"
)

// RosterDoc is a date's insured roster (投保名单) as insurers take it.
type RosterDoc struct {
	Roster domain.Roster
	Title  string // e.g. 中卫市零工意外险投保名单
}

// RosterPDF renders the roster on landscape A4: number, name, full ID number, gig, place, hours and
// the policy, with the count at the top. The full ID numbers are printed: the caller has checked that
// the reader is the admin.
func RosterPDF(r RosterDoc) ([]byte, error) {
	title := r.Title
	if title == "" {
		title = "零工意外险投保名单"
	}
	s := spec{title: title + " " + string(r.Roster.Date), pageW: a4W, pageH: a4H, landscape: true,
		margins: geometry{left: 12, right: 12, top: 12, bottom: 16}, date: r.Roster.MadeAt}
	return render(s, func(d *doc) error {
		d.beginSection(func(page, total int) {
			x, w, y := d.g.left, d.contentW(), d.g.h-d.g.bottom+6
			d.setGray(80)
			d.put(x, y, w, 4, footSize, title+" · "+string(r.Roster.Date)+" · 含完整身份证号，仅供投保使用", "L")
			d.put(x, y, w, 4, footSize, "第 "+strconv.Itoa(page)+" 页 共 "+strconv.Itoa(total)+" 页", "R")
			d.setGray(0)
		})
		x, w := d.g.left, d.contentW()
		d.put(x, d.y, w, 10, 18, title, "C")
		d.y += 11
		d.para(x, w, 9.5, 5.5, "工作日期："+string(r.Roster.Date)+"　　人数："+strconv.Itoa(len(r.Roster.Lines))+"　　制表时间："+cnTime(r.Roster.MadeAt))
		d.y += 2
		cols := []column{{"序号", 10, "C"}, {"姓名", 22, "L"}, {"身份证号", 40, "L"}, {"岗位", 62, "L"}, {"地点", 55, "L"},
			{"工时（小时）", 20, "R"}, {"保险", 64, "L"}}
		rows := make([][]string, 0, len(r.Roster.Lines))
		for i, l := range r.Roster.Lines {
			rows = append(rows, []string{strconv.Itoa(i + 1), l.WorkerName, orDash(l.IDNumber), l.JobTitle, l.Place, milli(l.HoursMilli), l.Cover})
		}
		d.table(cols, rows, tableStyle{size: 8.5, lineH: 4.4, padX: 1, padY: 1.3, minH: 9})
		return nil
	})
}

// Roster is RosterPDF within the bound.
func (r *Renderer) Roster(ctx context.Context, doc RosterDoc) ([]byte, error) {
	return do(ctx, r, doc, RosterPDF)
}

// RosterCSV is the roster as insurers take it: UTF-8 with a BOM (Excel and WPS open it), one person a
// line, the full ID number kept as text, no cell that a spreadsheet would read as a formula.
func RosterCSV(r domain.Roster) []byte {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Write([]string{"序号", "工作日期", "姓名", "身份证号", "岗位", "地点", "工时（小时）", "合约编号", "保险"})
	for i, l := range r.Lines {
		id := l.IDNumber
		if id != "" {
			id = "\t" + id
		}
		row := []string{strconv.Itoa(i + 1), string(r.Date), l.WorkerName, id, l.JobTitle, l.Place, domain.Milli(l.HoursMilli).String(), l.ContractNumber, l.Cover}
		for k := 2; k < len(row); k++ {
			if k != 3 && row[k] != "" && strings.ContainsRune("=+-@\t\r", rune(row[k][0])) {
				row[k] = "'" + row[k]
			}
		}
		w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}

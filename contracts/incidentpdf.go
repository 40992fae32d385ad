package contracts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"lingong/domain"
)

// IncidentPack is the evidence pack (出险证据包) of an accident for the insurer and 人社 (issue 22 item 4):
// the incident as recorded, that day's attendance, the roster entry that shows the day's cover, then the
// whole contract (terms, terms hash, signatures, ledger). The worker's ID number is printed masked: the
// insurer matches the person on the roster it received for that day (its batch key and receipt are
// printed), which holds the full number.
type IncidentPack struct {
	Incident   domain.Incident
	Contract   ContractDoc
	Attendance IncidentAttendance
	Roster     IncidentRoster
	PreparedAt time.Time // also the PDF's date
	PreparedBy string    // the staff member who printed it
}

// IncidentAttendance is the contract's attendance on the day of the accident.
type IncidentAttendance struct {
	In, Out string // "07:02（本人扫码）", "" when missing
	Minutes int64
	Flags   string
}

// IncidentRoster is the roster entry of the day: whether the contract was on the day's insured roster,
// the line as the roster carries it (ID masked here), the cover and the submissions that carried it.
type IncidentRoster struct {
	OnRoster bool
	Name     string
	IDMasked string
	Job      string
	Place    string
	Hours    string
	Covered  bool
	Cover    string   // 保险公司 · 保单号, or why the day had none
	Batches  []string // "640500-roster-2026-05-10-1（已送达，回执 R-1）"
}

// IncidentPackPDF renders the pack on A4: the incident section, then the contract as its own section.
// Errors: the contract's terms do not match its hash (the pack is refused, never printed).
func IncidentPackPDF(p IncidentPack) ([]byte, error) {
	if p.Incident.ID == 0 {
		return nil, errors.New("incident pack: no incident")
	}
	hash, err := p.Contract.check()
	if err != nil {
		return nil, err
	}
	inc, t := p.Incident, p.Contract.Terms
	s := spec{title: fmt.Sprintf("出险证据包 %d %s", inc.ID, t.Number), pageW: a4W, pageH: a4H, margins: contractMargins(),
		date: latest(p.PreparedAt, p.Contract.date())}
	return render(s, func(d *doc) error {
		d.beginSection(d.footerFor(fmt.Sprintf("出险证据包 第 %d 号", inc.ID), t.Number, hash))
		x, w := d.g.left, d.contentW()
		d.put(x, d.y, w, 11, 20, "出险证据包", "C")
		d.y += 13
		item := func(label, value string) { d.labeledAgain(x, w, bodySize, bodyLine, label, value) }
		heading := func(s string) {
			d.gap(2)
			d.need(headLine + bodyLine)
			d.put(x, d.y, w, headLine, headSize, s, "L")
			d.y += headLine
		}
		item("出险编号：", fmt.Sprintf("第 %d 号　状态：%s", inc.ID, inc.Status.Label()))
		item("合同编号：", t.Number+"　条款 SHA-256："+hashPrefix(hash))
		item("用工方：", t.Employer.Name)
		item("劳动者：", t.Worker.Name+"　身份证号："+orDash(t.Worker.IDMasked))
		item("岗位：", t.Work.Title+"　"+cnDate(t.Period.Start)+" 至 "+cnDate(t.Period.End))
		item("签发驿站：", t.Station.Name+"　电话："+orDash(t.Station.Phone))

		heading("一、事故经过")
		item("出险时间：", cnDate(inc.OccurredOn)+" "+inc.OccurredTime+"（北京时间）")
		item("出险地点：", inc.Place)
		item("事故经过：", inc.What)
		item("受伤情况：", inc.Injuries)
		item("证人：", orDash(inc.Witnesses))

		heading("二、当天考勤")
		a := p.Attendance
		if a.In == "" && a.Out == "" {
			item("考勤：", "当天没有签到签退记录")
		} else {
			item("签到：", orDash(a.In))
			item("签退：", orDash(a.Out))
			if a.Minutes > 0 {
				item("在岗时长：", hoursText(int(a.Minutes)))
			}
			if a.Flags != "" {
				item("标记：", a.Flags)
			}
		}

		heading("三、当天投保名单")
		r := p.Roster
		if r.OnRoster {
			item("名单记录：", r.Name+"　"+orDash(r.IDMasked)+"　"+r.Job+"　"+r.Place+"　工时 "+orDash(r.Hours)+" 小时")
		} else {
			item("名单记录：", "这份合约不在当天的投保名单上")
		}
		cover := "有意外保险：" + r.Cover
		if !r.Covered {
			cover = "没有意外保险：" + r.Cover
		}
		item("当天保险：", cover)
		if len(r.Batches) == 0 {
			item("报送记录：", "当天名单没有报送保险公司的记录")
		}
		for _, b := range r.Batches {
			item("报送记录：", b)
		}

		heading("四、理赔进度")
		item("登记日期：", cnDate(inc.ReportedOn))
		if inc.ClaimedOn != "" {
			item("报案理赔：", cnDate(inc.ClaimedOn))
		}
		if inc.PaidOn != "" {
			item("赔付：", cnDate(inc.PaidOn)+"　"+yuan(inc.PaidFen)+"　赔付单号："+inc.InsurerReference)
		}
		if inc.ClosedOn != "" {
			item("结案：", cnDate(inc.ClosedOn))
		}
		d.gap(3)
		d.setGray(80)
		d.para(x, w, 8.5, 4.8, "说明：本证据包由零工一码通根据系统记录生成（"+cnTime(p.PreparedAt)+"，"+orDash(p.PreparedBy)+
			"）。身份证号按规定遮挡，完整号码见当天报送保险公司的投保名单。后附合约全文及结算记录，可扫码或凭合同编号和核验码核验。")
		d.setGray(0)
		d.contract(p.Contract, hash)
		return nil
	})
}

// IncidentPack is IncidentPackPDF within the bound.
func (r *Renderer) IncidentPack(ctx context.Context, doc IncidentPack) ([]byte, error) {
	return do(ctx, r, doc, IncidentPackPDF)
}

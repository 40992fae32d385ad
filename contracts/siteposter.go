package contracts

import (
	"context"
	"errors"
	"time"
)

// SitePosterDoc is a gig's site poster for one day (issue 21): what the employer pins up where the work
// is, for workers to check in and out. Its QR carries that day's signed site code, so the poster is
// printed afresh for each day (a photo of yesterday's does not check anyone in).
type SitePosterDoc struct {
	JobTitle     string
	EmployerName string
	Address      string
	// Day is the date the code is for ("2026-05-10"); Period is the gig's dates ("2026-05-10 至 2026-05-20").
	Day, Period string
	// CheckInURL is what the QR code carries: {LINGONG_PUBLIC_URL}/a/{site code}.
	CheckInURL  string
	StationName string
	Phone       string
	// Date is the PDF's creation date; zero means a fixed date.
	Date time.Time
}

// SitePosterPDF renders the site poster on one A4 page: the gig's title and employer, the day in large
// type, the QR of the check-in URL (12 cm, level High), the three steps, the address and the station
// to call. It returns an error for a missing title, day or URL.
func SitePosterPDF(p SitePosterDoc) ([]byte, error) {
	if p.JobTitle == "" || p.Day == "" || p.CheckInURL == "" {
		return nil, errors.New("site poster: title, day and check-in URL are required")
	}
	return render(posterSpec(p.JobTitle+" 签到码 "+p.Day, p.Date), func(d *doc) error {
		d.beginSection(nil)
		w, x := d.contentW(), d.g.left
		d.kicker(x, w, "零工一码通 · 工地签到")
		for _, line := range d.lines(p.JobTitle, w, 28) {
			d.put(x, d.y, w, 13, 28, line, "C")
			d.y += 13
		}
		if p.EmployerName != "" {
			d.put(x, d.y, w, 9, 18, "用工方："+p.EmployerName, "C")
			d.y += 10
		}
		d.put(x, d.y, w, 13, 30, p.Day+" 当日有效", "C")
		d.y += 14
		if p.Period != "" {
			d.setGray(110)
			d.put(x, d.y, w, 6, 12, "工期 "+p.Period, "C")
			d.setGray(0)
			d.y += 8
		}

		const qrSize = 110
		d.qr(x+(w-qrSize)/2, d.y, qrSize, p.CheckInURL)
		d.y += qrSize + 4

		d.centredSteps(x, w, []string{"① 扫码", "② 用手机号登录", "③ 点“签到”，收工点“签退”"}, 24, 12, nil)
		d.y += 4
		d.line(x, d.y, x+w, d.y, 0.3, 160)
		d.y += 4
		if p.Address != "" {
			d.labeled(x, w, 14, 8, "地点：", p.Address)
		}
		if p.StationName != "" {
			d.labeled(x, w, 14, 8, "签发驿站：", p.StationName+" "+p.Phone)
		}
		d.footnote(x, w, "没有智能手机？请记录员扫您的零工卡记考勤。这张签到码只在当天有效。")
		return nil
	})
}

// SitePoster is SitePosterPDF within the bound.
func (r *Renderer) SitePoster(ctx context.Context, p SitePosterDoc) ([]byte, error) {
	return do(ctx, r, p, SitePosterPDF)
}

package contracts

import (
	"errors"
	"time"
)

// PosterDoc is a station's registration poster: what hangs on the wall of a 零工驿站 or 零工市场.
type PosterDoc struct {
	StationName string
	StationCode string
	Address     string
	Phone       string
	// RegisterURL is what the QR code carries: {LINGONG_PUBLIC_URL}/r/{code}.
	RegisterURL string
	// Date is the PDF's creation date (e.g. the station record's update time); zero means a fixed date.
	Date time.Time
}

// PosterPDF renders the poster on one A4 page: the station's name, a QR code of the registration URL
// about 12 cm wide (readable from a step away, and level High so it survives dirt), the three steps in
// large type, and the address and phone. It returns an error for a missing name or URL.
func PosterPDF(p PosterDoc) ([]byte, error) {
	if p.StationName == "" || p.RegisterURL == "" {
		return nil, errors.New("poster: station name and registration URL are required")
	}
	return render(posterSpec(p.StationName+" 扫码登记", p.Date), func(d *doc) error {
		d.beginSection(nil)
		w, x := d.contentW(), d.g.left
		d.kicker(x, w, "零工一码通 · 中卫市零工服务")
		for _, line := range d.lines(p.StationName, w, 34) {
			d.put(x, d.y, w, 15, 34, line, "C")
			d.y += 15
		}
		d.y += 1
		d.put(x, d.y, w, 12, 28, "扫码登记 · 免费找活", "C")
		d.y += 15

		const qrSize = 120
		d.qr(x+(w-qrSize)/2, d.y, qrSize, p.RegisterURL)
		d.y += qrSize
		d.setGray(110)
		for _, line := range d.lines(p.RegisterURL, w, 10) {
			d.put(x, d.y, w, 5, 10, line, "C")
			d.y += 5
		}
		d.setGray(0)
		d.y += 5

		d.centredSteps(x, w, []string{"① 扫码", "② 填手机号和验证码", "③ 选会干的活"}, 26, 12, func(bx float64) {
			d.setGray(110)
			d.put(bx, d.y, d.textW("①", 26), 6, 14, "↓", "C")
			d.setGray(0)
			d.y += 6
		})
		d.y += 6
		d.line(x, d.y, x+w, d.y, 0.3, 160)
		d.y += 4
		if p.Address != "" {
			d.labeled(x, w, 15, 8, "地址：", p.Address)
		}
		if p.Phone != "" {
			d.labeled(x, w, 15, 8, "咨询电话：", p.Phone)
		}
		d.footnote(x, w, "没有智能手机？带上身份证到驿站，工作人员帮您登记。驿站编号 "+p.StationCode)
		return nil
	})
}

// posterSpec is the page of a poster to pin up (a station's, a gig's site poster): A4 with narrow margins.
func posterSpec(title string, date time.Time) spec {
	return spec{title: title, pageW: a4W, pageH: a4H, margins: geometry{left: 15, right: 15, top: 14, bottom: 14}, date: date}
}

// kicker writes the small grey line above a poster's title.
func (d *doc) kicker(x, w float64, text string) {
	d.setGray(110)
	d.put(x, d.y, w, 7, 13, text, "C")
	d.y += 9
	d.setGray(0)
}

// centredSteps writes a poster's numbered steps left-aligned in a block centred on the page, so the
// numbers line up; between, when not nil, draws what goes between two steps (given the block's left).
func (d *doc) centredSteps(x, w float64, steps []string, size, lineH float64, between func(bx float64)) {
	bw := 0.0
	for _, st := range steps {
		bw = max(bw, d.textW(st, size))
	}
	bx := x + (w-bw)/2
	for i, st := range steps {
		d.put(bx, d.y, bw, lineH, size, st, "L")
		d.y += lineH
		if between != nil && i < len(steps)-1 {
			between(bx)
		}
	}
}

// footnote writes a grey line at the foot of a poster.
func (d *doc) footnote(x, w float64, text string) {
	d.setGray(110)
	d.put(x, d.limit(), w, 6, 11, text, "C")
	d.setGray(0)
}

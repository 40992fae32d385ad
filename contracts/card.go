package contracts

import (
	"errors"
	"time"

	"lingong/domain"
)

// CardDoc is a worker's card.
type CardDoc struct {
	WorkerName  string
	WorkerNo    string // LG00000123
	StationName string // the station the worker registered at
	// QRPayload is what the card's QR code carries: the signed, revocable token URL the caller made.
	QRPayload string
	IssuedOn  domain.Date // printed as 发卡日期 when set
	// Date is the PDF's creation date; zero means a fixed date.
	Date time.Time
}

// CardPDF renders the worker card on one page of ID-1 size, 85.6 × 54 mm: the size of the resident ID
// card and the 社保卡, so it fits the card sleeve and wallet slot the worker already uses and the card
// printers of 政务服务 halls; on an office printer it prints at 100% and is cut along its thin frame.
// A6 would allow larger type but would not be carried every day. The QR code (level High, 33 mm) sits on
// the right, name and number in the largest type the width allows on the left.
func CardPDF(c CardDoc) ([]byte, error) {
	if c.WorkerName == "" || c.WorkerNo == "" || c.QRPayload == "" {
		return nil, errors.New("card: name, worker number and QR payload are required")
	}
	s := spec{
		title: "零工一码通 工作卡 " + c.WorkerNo,
		pageW: cardW, pageH: cardH,
		margins: geometry{left: 4, right: 4, top: 4, bottom: 3},
		date:    c.Date,
	}
	return render(s, func(d *doc) error {
		d.beginSection(nil)
		d.box(0.3, 0.3, d.g.w-0.6, d.g.h-0.6, 0.15, 170, -1) // cutting frame
		const qrSize = 33.0
		qx := d.g.w - d.g.right - qrSize + 1.5 // the quiet zone may reach into the margin
		d.qr(qx, 2.5, qrSize, c.QRPayload)
		x, w := d.g.left, qx-d.g.left

		d.box(0.3, 0.3, qx-0.3, 8.7, 0, 0, 215) // heading band inside the frame
		d.put(x, 2, w, 6, 9.5, "零工一码通 · 工作卡", "L")
		d.y = 11
		nameSize := 17.0
		for nameSize > 10 && d.textW(c.WorkerName, nameSize) > w {
			nameSize--
		}
		for _, line := range d.lines(c.WorkerName, w, nameSize) {
			d.put(x, d.y, w, 8, nameSize, line, "L")
			d.y += 8
		}
		d.y += 1
		d.put(x, d.y, w, 5, 10, "工号 "+c.WorkerNo, "L")
		d.y += 5.5
		for _, line := range d.lines("登记驿站 "+orDash(c.StationName), w, 7.5) {
			d.put(x, d.y, w, 4, 7.5, line, "L")
			d.y += 4
		}
		if c.IssuedOn != "" {
			d.put(x, d.y, w, 4, 7.5, "发卡日期 "+cnDate(c.IssuedOn), "L")
		}
		d.line(d.g.left, 43.5, d.g.w-d.g.right, 43.5, 0.2, 150)
		y := 44.5
		for _, line := range d.lines("凭此卡到任一零工驿站可代办报名、签约、结算", d.contentW(), 7.5) {
			d.put(d.g.left, y, d.contentW(), 4, 7.5, line, "C")
			y += 4
		}
		return nil
	})
}

package contracts

import (
	"errors"
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// maxQRPNGSize bounds the image QRPNG will make, so a size from a URL parameter cannot ask for jobabytes.
const maxQRPNGSize = 4096

// QRPNG returns a PNG of a QR code carrying content, at error-correction level High (about 30% of the
// symbol may be dirty or torn: station posters hang outdoors and get handled). The image is square, at
// most size pixels wide: the largest whole number of pixels per module that fits, so every module is the
// same size (at least one pixel per module, which may exceed size for a tiny size). The 4-module quiet
// zone is included. The same content and size give the same bytes.
//
// Content should be ASCII, as URLs are: go-qrcode writes the bytes without an ECI header naming UTF-8,
// and some readers (zbar among them) then take non-ASCII bytes for Shift-JIS.
func QRPNG(content string, size int) ([]byte, error) {
	if content == "" {
		return nil, errors.New("qr: empty content")
	}
	if size <= 0 || size > maxQRPNGSize {
		return nil, fmt.Errorf("qr: size %d outside 1..%d", size, maxQRPNGSize)
	}
	q, err := qrcode.New(content, qrcode.High)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	// The symbol is 17+4·version modules wide, plus a 4-module quiet zone on each side. (Computed rather
	// than read from q.Bitmap(), which would run the whole encoding a second time.)
	modules := 17 + 4*q.VersionNumber + 8
	px := size / modules
	if px < 1 {
		px = 1
	}
	// A negative size asks go-qrcode for that many pixels per module.
	b, err := q.PNG(-px)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return b, nil
}

// qrBitmap returns the modules of a level High QR code of content, quiet zone included; true is dark.
func qrBitmap(content string) ([][]bool, error) {
	if content == "" {
		return nil, errors.New("qr: empty content")
	}
	q, err := qrcode.New(content, qrcode.High)
	if err != nil {
		return nil, fmt.Errorf("qr %q: %w", content, err)
	}
	return q.Bitmap(), nil
}

package contracts

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
)

func TestQRPNGDecodes(t *testing.T) {
	tests := []struct {
		name    string
		content string
		size    int
	}{
		{"registration URL", "https://lingong.example.cn/r/SPT-M1", 512},
		{"token URL, small image", "https://lingong.example.cn/c/LG00000123.2.kJ8x2mQ9vR4tY7uW1zA3bC5dE6fG8hJ0", 300},
		// Payloads are ASCII URLs: go-qrcode writes bytes without an ECI header, and zbar reads
		// non-ASCII bytes as Shift-JIS, so Chinese must be percent-encoded (as URLs are anyway).
		{"URL with percent-encoded Chinese", "https://lingong.example.cn/jobs?q=%E6%91%98%E6%9E%B8%E6%9D%9E", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := QRPNG(tt.content, tt.size)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			w, h := img.Bounds().Dx(), img.Bounds().Dy()
			if w != h || w > tt.size || w < tt.size*2/3 {
				t.Errorf("image is %dx%d for size %d", w, h, tt.size)
			}
			got := zbar(t, writeTemp(t, "qr.png", b))
			if len(got) != 1 || got[0] != tt.content {
				t.Errorf("zbarimg read %q, want [%q]", got, tt.content)
			}
			again, _ := QRPNG(tt.content, tt.size)
			if !bytes.Equal(b, again) {
				t.Error("same input, different PNG")
			}
		})
	}
}

func TestQRPNGErrors(t *testing.T) {
	for name, in := range map[string]struct {
		content string
		size    int
	}{
		"empty content":                   {"", 256},
		"zero size":                       {"x", 0},
		"huge size":                       {"x", 100000},
		"content too long for level High": {strings.Repeat("a", 2000), 256},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := QRPNG(in.content, in.size); err == nil {
				t.Error("no error")
			}
		})
	}
}

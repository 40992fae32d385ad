package contracts

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
)

// notoSansSCGBK is Noto Sans SC Regular cut to the GBK repertoire (see font/README.md and font/build.sh).
//
//go:embed font/NotoSansSC-GBK.ttf
var notoSansSCGBK []byte

// loadFace parses the embedded font once per process. It and the embedded bytes are the package's only
// globals: the parsed face is read-only after loading and shared by all renders.
var loadFace = sync.OnceValues(func() (*face, error) { return parseFace(notoSansSCGBK) })

// face is a parsed TrueType font: what we need to measure text, to know which characters it has, and to
// cut per-document subsets from it (subset.go). All slices point into the font file and are never
// written.
type face struct {
	file       []byte
	tables     map[string][]byte
	unitsPerEm int
	numGlyphs  int
	gid        []uint16 // BMP rune -> glyph id; 0 means the font lacks the rune
	advance    []uint16 // glyph id -> advance width in font units
	lsb        []int16  // glyph id -> left side bearing in font units
	glyf       []byte
	loca       []uint32 // glyph id -> offset into glyf; numGlyphs+1 entries
}

// parseFace reads a TrueType (glyf) font. It refuses CFF-flavoured OpenType and collections, as gofpdf
// does, and needs a format 4 Unicode cmap.
func parseFace(b []byte) (*face, error) {
	if len(b) < 12 {
		return nil, errors.New("font: file too short")
	}
	switch binary.BigEndian.Uint32(b) {
	case 0x00010000, 0x74727565: // TrueType
	default:
		return nil, errors.New("font: not a TrueType (glyf) font")
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, errors.New("font: truncated table directory")
	}
	f := &face{file: b, tables: make(map[string][]byte, n)}
	for i := 0; i < n; i++ {
		rec := b[12+16*i:]
		off, size := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || size < 0 || off+size > len(b) {
			return nil, fmt.Errorf("font: table %q out of bounds", rec[:4])
		}
		f.tables[string(rec[:4])] = b[off : off+size]
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "OS/2", "name", "post"} {
		if f.tables[t] == nil {
			return nil, fmt.Errorf("font: missing %q table", t)
		}
	}
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, errors.New("font: short head, hhea or maxp table")
	}
	f.unitsPerEm = int(binary.BigEndian.Uint16(head[18:]))
	if f.unitsPerEm == 0 {
		return nil, errors.New("font: unitsPerEm is 0")
	}
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	f.glyf = f.tables["glyf"]

	// hmtx: numberOfHMetrics (advance, lsb) pairs, then lsb only; later glyphs repeat the last advance.
	nh := int(binary.BigEndian.Uint16(hhea[34:]))
	hmtx := f.tables["hmtx"]
	if nh == 0 || nh > f.numGlyphs || len(hmtx) < 4*nh+2*(f.numGlyphs-nh) {
		return nil, errors.New("font: bad hmtx")
	}
	f.advance = make([]uint16, f.numGlyphs)
	f.lsb = make([]int16, f.numGlyphs)
	for g := 0; g < f.numGlyphs; g++ {
		if g < nh {
			f.advance[g] = binary.BigEndian.Uint16(hmtx[4*g:])
			f.lsb[g] = int16(binary.BigEndian.Uint16(hmtx[4*g+2:]))
		} else {
			f.advance[g] = f.advance[nh-1]
			f.lsb[g] = int16(binary.BigEndian.Uint16(hmtx[4*nh+2*(g-nh):]))
		}
	}

	loca := f.tables["loca"]
	f.loca = make([]uint32, f.numGlyphs+1)
	long := binary.BigEndian.Uint16(head[50:]) == 1
	for g := 0; g <= f.numGlyphs; g++ {
		switch {
		case long && len(loca) >= 4*g+4:
			f.loca[g] = binary.BigEndian.Uint32(loca[4*g:])
		case !long && len(loca) >= 2*g+2:
			f.loca[g] = 2 * uint32(binary.BigEndian.Uint16(loca[2*g:]))
		default:
			return nil, errors.New("font: short loca")
		}
		if f.loca[g] > uint32(len(f.glyf)) || (g > 0 && f.loca[g] < f.loca[g-1]) {
			return nil, errors.New("font: bad loca")
		}
	}
	var err error
	if f.gid, err = parseCmap4(f.tables["cmap"], f.numGlyphs); err != nil {
		return nil, err
	}
	return f, nil
}

// parseCmap4 returns the BMP rune -> glyph map of the Windows Unicode BMP (3,1) or Unicode (0,x) format 4
// subtable: the one gofpdf reads too.
func parseCmap4(cmap []byte, numGlyphs int) ([]uint16, error) {
	if len(cmap) < 4 {
		return nil, errors.New("font: short cmap")
	}
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	for i := 0; i < n && len(cmap) >= 4+8*i+8; i++ {
		rec := cmap[4+8*i:]
		pid, eid := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if !(pid == 3 && eid == 1) && pid != 0 || off+14 > len(cmap) || binary.BigEndian.Uint16(cmap[off:]) != 4 {
			continue
		}
		sub := cmap[off:]
		length := int(binary.BigEndian.Uint16(sub[2:]))
		segX2 := int(binary.BigEndian.Uint16(sub[6:]))
		if length > len(sub) || 16+4*segX2 > length {
			return nil, errors.New("font: bad cmap format 4 subtable")
		}
		sub = sub[:length]
		ends, starts := sub[14:], sub[16+segX2:]
		deltas, rangeOffs := sub[16+2*segX2:], sub[16+3*segX2:]
		gid := make([]uint16, 0x10000)
		for s := 0; s < segX2/2; s++ {
			end := int(binary.BigEndian.Uint16(ends[2*s:]))
			start := int(binary.BigEndian.Uint16(starts[2*s:]))
			delta := binary.BigEndian.Uint16(deltas[2*s:])
			ro := int(binary.BigEndian.Uint16(rangeOffs[2*s:]))
			for c := start; c <= end && c < 0xFFFF; c++ {
				var g uint16
				if ro == 0 {
					g = uint16(c) + delta
				} else {
					p := 16 + 3*segX2 + 2*s + ro + 2*(c-start)
					if p+2 > len(sub) {
						return nil, errors.New("font: cmap glyph index out of bounds")
					}
					if g = binary.BigEndian.Uint16(sub[p:]); g != 0 {
						g += delta
					}
				}
				if int(g) < numGlyphs {
					gid[c] = g
				}
			}
		}
		return gid, nil
	}
	return nil, errors.New("font: no format 4 Unicode cmap")
}

// has reports whether the font can draw r with a non-zero advance. (gofpdf turns a zero advance into
// 65535, so zero-width glyphs would wreck its measurements; clean replaces them.)
func (f *face) has(r rune) bool {
	if r < 0 || r >= 0xFFFF {
		return false
	}
	g := f.gid[r]
	return g != 0 && f.advance[g] != 0
}

// units1000 is the advance of r in thousandths of an em, rounded as gofpdf rounds its character widths,
// so our measurements and gofpdf's centring agree to the unit.
func (f *face) units1000(r rune) int {
	if !f.has(r) {
		return 1000 // unreachable for clean text; an em is a safe guess
	}
	return int(math.Round(float64(f.advance[f.gid[r]]) * 1000 / float64(f.unitsPerEm)))
}

// width returns the width of s in mm at size points. s must already be clean.
func (f *face) width(s string, size float64) float64 {
	u := 0
	for _, r := range s {
		u += f.units1000(r)
	}
	return float64(u) * size / 1000 / ptPerMM
}

// ptPerMM is gofpdf's scale factor k for the unit "mm".
const ptPerMM = 72 / 25.4

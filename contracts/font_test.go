package contracts

import (
	"bytes"
	"slices"
	"testing"
)

func mustFace(t testing.TB) *face {
	t.Helper()
	f, err := loadFace()
	if err != nil {
		t.Fatalf("load embedded font: %v", err)
	}
	return f
}

func TestEmbeddedFont(t *testing.T) {
	f := mustFace(t)
	if f.unitsPerEm != 1000 {
		t.Errorf("unitsPerEm = %d; gofpdf and our widths assume the font's own scale, check units1000", f.unitsPerEm)
	}
	for _, r := range "零工用工协议甲乙方元角分０１２ABCxyz0123，。、；：？！（）【】《》“”①⑩〓→↓·—…" {
		if !f.has(r) {
			t.Errorf("font lacks %q (U+%04X)", r, r)
		}
	}
	for _, r := range []rune{'\U00020BB7', '\u200B', 0x7F, '\uFFFF'} {
		if f.has(r) {
			t.Errorf("has(U+%04X) = true, want false", r)
		}
	}
	if a, b := loadFace2(t), f; a != b {
		t.Error("loadFace parsed the font twice")
	}
}

func loadFace2(t *testing.T) *face { return mustFace(t) }

func TestParseFaceRejects(t *testing.T) {
	tests := map[string][]byte{
		"empty":           nil,
		"CFF OpenType":    append([]byte("OTTO"), make([]byte, 20)...),
		"font collection": append([]byte("ttcf"), make([]byte, 20)...),
		"truncated":       notoSansSCGBK[:100],
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := parseFace(b); err == nil {
				t.Error("parsed; want an error")
			}
		})
	}
}

// TestSubset checks a per-document font: parsed again by our own reader it maps each rune to a glyph
// with the same outline and advance as the full font, and holds nothing else.
func TestSubset(t *testing.T) {
	f := mustFace(t)
	runes := []rune("零工用工协议 ZW-202605-000123 150元/天。①吉")
	b, err := f.subset(runes)
	if err != nil {
		t.Fatal(err)
	}
	s, err := parseFace(b)
	if err != nil {
		t.Fatalf("subset does not parse: %v", err)
	}
	distinct := map[uint16]bool{0: true}
	for _, r := range runes {
		distinct[f.gid[r]] = true
		if !s.has(r) {
			t.Errorf("subset lacks %q", r)
			continue
		}
		g, sg := f.gid[r], s.gid[r]
		if !bytes.Equal(f.glyphData(g), s.glyphData(sg)[:len(f.glyphData(g))]) {
			t.Errorf("glyph of %q differs in the subset", r)
		}
		if f.advance[g] != s.advance[sg] || f.units1000(r) != s.units1000(r) {
			t.Errorf("advance of %q differs in the subset", r)
		}
	}
	if s.numGlyphs != len(distinct) {
		t.Errorf("subset has %d glyphs, want %d", s.numGlyphs, len(distinct))
	}
	if s.has('甲') {
		t.Error("subset maps a rune it was not asked for")
	}
	if checksum(b) != 0xB1B0AFBA {
		t.Errorf("file checksum %#x; head.checkSumAdjustment is wrong", checksum(b))
	}
	reversed := append([]rune(nil), runes...)
	slices.Reverse(reversed)
	again, _ := f.subset(reversed)
	if !bytes.Equal(b, again) {
		t.Error("the same set of runes in another order gives another font")
	}
}

func TestComponents(t *testing.T) {
	// A composite glyph header (numberOfContours = -1, bbox) and two components: the first with word
	// arguments and a scale, the second with byte arguments and the last one.
	g := []byte{0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00, 0x29, 0x00, 0x07, 0, 1, 0, 2, 0x40, 0x00, // ARG_1_AND_2_ARE_WORDS|MORE|SCALE, glyph 7
		0x00, 0x00, 0x01, 0x02, 3, 4, // last component, glyph 258
	}
	got, err := components(g)
	if err != nil {
		t.Fatal(err)
	}
	want := []component{{gid: 7, at: 12}, {gid: 258, at: 22}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("components = %v, want %v", got, want)
	}
	if _, err := components(g[:15]); err == nil {
		t.Error("truncated composite parsed")
	}
	if c, _ := components([]byte{0, 1, 0, 0, 0, 0, 0, 0, 0, 0}); c != nil {
		t.Error("simple glyph reported components")
	}
}

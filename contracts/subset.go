package contracts

import (
	"encoding/binary"
	"errors"
	"sort"
)

// subset returns a TrueType font holding .notdef and the glyphs of runes (plus the components of any
// composite glyph), renumbered from 1 in the order of the original glyph ids, with a format 4 cmap for
// exactly those runes. It is what each document hands to gofpdf: a few hundred glyphs parse in well under
// a millisecond, where the full GBK font costs gofpdf about 11 ms per parse, twice per document.
//
// Runes the font lacks are ignored (clean has already replaced them). The output depends only on the set
// of runes, so a document's bytes stay deterministic.
func (f *face) subset(runes []rune) ([]byte, error) {
	// Old glyph ids to keep, closed over composite components.
	// Slices indexed by glyph id rather than maps: a document keeps a few hundred of the font's 22,628
	// glyphs, and zeroing 67 KB is cheaper than a few thousand map operations (measured).
	keep := make([]bool, f.numGlyphs)
	keep[0] = true
	var queue []uint16
	for _, r := range runes {
		if f.has(r) && !keep[f.gid[r]] {
			keep[f.gid[r]] = true
			queue = append(queue, f.gid[r])
		}
	}
	for len(queue) > 0 {
		g := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		comps, err := components(f.glyphData(g))
		if err != nil {
			return nil, err
		}
		for _, c := range comps {
			if int(c.gid) >= f.numGlyphs {
				return nil, errors.New("font: composite glyph refers to a missing glyph")
			}
			if !keep[c.gid] {
				keep[c.gid] = true
				queue = append(queue, c.gid)
			}
		}
	}
	var old []uint16 // the kept glyphs in the order of their ids
	newID := make([]uint16, f.numGlyphs)
	for g, k := range keep {
		if k {
			newID[g] = uint16(len(old))
			old = append(old, uint16(g))
		}
	}

	// glyf, loca (long format), hmtx (a full metric for every glyph).
	size := 0
	for _, g := range old {
		size += (len(f.glyphData(g)) + 3) &^ 3
	}
	glyf := make([]byte, 0, size)
	loca := make([]byte, 0, 4*(len(old)+1))
	hmtx := make([]byte, 0, 4*len(old))
	for _, g := range old {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		at := len(glyf)
		glyf = append(glyf, f.glyphData(g)...)
		data := glyf[at:]
		comps, _ := components(data) // parsed without error above
		for _, c := range comps {
			binary.BigEndian.PutUint16(data[c.at:], newID[c.gid])
		}
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		hmtx = binary.BigEndian.AppendUint16(hmtx, f.advance[g])
		hmtx = binary.BigEndian.AppendUint16(hmtx, uint16(f.lsb[g]))
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))

	head := append([]byte(nil), f.tables["head"]...)
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1) // indexToLocFormat: long
	hhea := append([]byte(nil), f.tables["hhea"]...)
	binary.BigEndian.PutUint16(hhea[34:], uint16(len(old))) // numberOfHMetrics
	maxp := append([]byte(nil), f.tables["maxp"]...)
	binary.BigEndian.PutUint16(maxp[4:], uint16(len(old))) // numGlyphs
	// post format 3.0: the metrics of the original, no glyph names.
	post := make([]byte, 32)
	copy(post, f.tables["post"])
	binary.BigEndian.PutUint32(post, 0x00030000)

	tables := map[string][]byte{
		"OS/2": f.tables["OS/2"],
		"cmap": f.cmapFor(runes, newID),
		"glyf": glyf,
		"head": head,
		"hhea": hhea,
		"hmtx": hmtx,
		"loca": loca,
		"maxp": maxp,
		"name": f.tables["name"],
		"post": post,
	}
	return assembleFont(tables), nil
}

// glyphData is the glyf entry of glyph g (empty for blank glyphs such as the space).
func (f *face) glyphData(g uint16) []byte { return f.glyf[f.loca[g]:f.loca[g+1]] }

// component is one reference inside a composite glyph: the referenced glyph and where its id is stored.
type component struct {
	gid uint16
	at  int
}

// components lists the glyphs a composite glyph refers to; nil for a simple or empty glyph.
func components(data []byte) ([]component, error) {
	if len(data) < 10 || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return nil, nil
	}
	const (
		argWords      = 0x0001
		haveScale     = 0x0008
		moreComps     = 0x0020
		haveXYScale   = 0x0040
		haveTwoByTwo  = 0x0080
		maxComponents = 1024
	)
	var out []component
	for p := 10; len(out) < maxComponents; {
		if p+4 > len(data) {
			return nil, errors.New("font: truncated composite glyph")
		}
		flags := binary.BigEndian.Uint16(data[p:])
		out = append(out, component{gid: binary.BigEndian.Uint16(data[p+2:]), at: p + 2})
		p += 4
		if flags&argWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&haveTwoByTwo != 0:
			p += 8
		}
		if flags&moreComps == 0 {
			return out, nil
		}
	}
	return nil, errors.New("font: composite glyph with too many components")
}

// cmapFor builds a cmap table with one format 4 subtable (platform 3, encoding 1) mapping runes to the
// new glyph ids. Runs of consecutive runes with consecutive glyph ids share a segment.
func (f *face) cmapFor(runes []rune, newID []uint16) []byte {
	type seg struct{ start, end, delta uint16 }
	rs := make([]int, 0, len(runes))
	for _, r := range runes {
		if f.has(r) {
			rs = append(rs, int(r))
		}
	}
	sort.Ints(rs)
	var segs []seg
	for i, r := range rs {
		if i > 0 && r == rs[i-1] {
			continue
		}
		g := newID[f.gid[r]]
		delta := g - uint16(r) // modulo 65536, as the format defines idDelta
		if n := len(segs); n > 0 && int(segs[n-1].end)+1 == r && segs[n-1].delta == delta {
			segs[n-1].end = uint16(r)
			continue
		}
		segs = append(segs, seg{uint16(r), uint16(r), delta})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1}) // the required final segment, mapping to .notdef

	n := len(segs)
	searchRange, entrySelector := 2, 0
	for searchRange*2 <= 2*n {
		searchRange *= 2
		entrySelector++
	}
	length := 16 + 8*n
	sub := make([]byte, 0, length)
	for _, v := range []int{4, length, 0, 2 * n, searchRange, entrySelector, 2*n - searchRange} {
		sub = binary.BigEndian.AppendUint16(sub, uint16(v))
	}
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.end)
	}
	sub = binary.BigEndian.AppendUint16(sub, 0) // reservedPad
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.start)
	}
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.delta)
	}
	for range segs {
		sub = binary.BigEndian.AppendUint16(sub, 0) // idRangeOffset: deltas only
	}
	out := []byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12} // version 0, one subtable: (3,1) at offset 12
	return append(out, sub...)
}

// assembleFont writes an sfnt file with the tables in tag order and correct checksums, including the
// head table's checkSumAdjustment.
func assembleFont(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	searchRange, entrySelector := 16, 0
	for searchRange*2 <= 16*n {
		searchRange *= 2
		entrySelector++
	}
	size := 12 + 16*n
	for _, t := range tags {
		size += (len(tables[t]) + 3) &^ 3
	}
	out := make([]byte, 0, size)
	out = binary.BigEndian.AppendUint32(out, 0x00010000)
	for _, v := range []int{n, searchRange, entrySelector, 16*n - searchRange} {
		out = binary.BigEndian.AppendUint16(out, uint16(v))
	}
	offset := 12 + 16*n
	headAt := 0
	for _, t := range tags {
		data := tables[t]
		if t == "head" {
			headAt = offset
		}
		out = append(out, t...)
		out = binary.BigEndian.AppendUint32(out, checksum(data))
		out = binary.BigEndian.AppendUint32(out, uint32(offset))
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		offset += (len(data) + 3) &^ 3
	}
	for _, t := range tags {
		out = append(out, tables[t]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

// checksum is the sfnt table checksum: the sum of big-endian uint32 words, the tail zero-padded.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

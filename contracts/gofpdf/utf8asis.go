package gofpdf

import "sort"

// lingong patch: embedding a UTF-8 font that is already cut to the document's characters.
//
// Upstream parses the TrueType file when the font is added and, at output, parses it again and cuts a
// subset of the runes used (GenerateCutFont): a tenth of a contract's time. lingong/contracts hands
// gofpdf a file that already holds exactly the document's characters, so cutting it again gains nothing.

// AddUTF8FontSubsetFromBytes is AddUTF8FontFromBytes for a TrueType file that is already a subset made
// for this document: the file is embedded as it is, with the CID -> glyph map read from its own cmap,
// instead of being cut again at output. Characters the file lacks draw as its glyph 0, as upstream.
func (f *Fpdf) AddUTF8FontSubsetFromBytes(familyStr, styleStr string, utf8Bytes []byte) {
	f.AddUTF8FontFromBytes(familyStr, styleStr, utf8Bytes)
	if f.err != nil {
		return
	}
	if def, ok := f.fonts[getFontKey(fontFamilyEscape(familyStr), styleStr)]; ok && def.utf8File != nil {
		def.utf8File.embedAsIs = true
	}
}

// asIs returns the file to embed and sets what GenerateCutFont would set for the output: the map from
// the used runes to their glyphs and the highest used rune.
func (utf *utf8FontFile) asIs(usedRunes map[int]int) []byte {
	utf.CodeSymbolDictionary = make(map[int]int, len(usedRunes))
	utf.LastRune = 0
	for _, r := range usedRunes {
		if g, ok := utf.parsedCharSymbols[r]; ok {
			utf.CodeSymbolDictionary[r] = g
		}
		utf.LastRune = max(utf.LastRune, r)
	}
	return utf.fileReader.array
}

// putCIDWidths writes the /W array of a UTF-8 font: the widths of the CIDs below 256 the font has and
// of the runes used above, each run of consecutive CIDs as "c [w1 w2 ...]". lingong patch: upstream's
// generateCIDFontMap walked all 65,536 CIDs through a PHP-style array and wrote ranges in a more
// compact notation; the widths it states are the same (a zero-width glyph, stored as 65535, is 0).
func (f *Fpdf) putCIDWidths(font *fontDefType, lastRune int) {
	var cids []int
	for cid := 1; cid < 256 && cid <= lastRune && cid < len(font.Cw); cid++ {
		if font.Cw[cid] != 0 {
			cids = append(cids, cid)
		}
	}
	low := len(cids) // cids[:low] are in order
	for cid, v := range font.usedRunes {
		if cid > 255 && v != 0 && cid <= lastRune && cid < len(font.Cw) && font.Cw[cid] != 0 {
			cids = append(cids, cid)
		}
	}
	sort.Ints(cids[low:])
	var w fmtBuffer
	for i, cid := range cids {
		width := font.Cw[cid]
		if width == 65535 {
			width = 0
		}
		switch {
		case i == 0:
			w.printf(" %d [%d", cid, width)
		case cid == cids[i-1]+1:
			w.printf(" %d", width)
		default:
			w.printf("] %d [%d", cid, width)
		}
	}
	if len(cids) > 0 {
		w.WriteString("]")
	}
	f.out("/W [" + w.String() + " ]")
}

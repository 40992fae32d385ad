package gofpdf

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

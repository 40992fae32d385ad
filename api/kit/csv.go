package kit

import (
	"strconv"
	"strings"
)

// CSVCell keeps a cell from being read as a formula by a spreadsheet (CSV injection): text that starts
// with = + - @, a tab or a carriage return gets a leading apostrophe, which Excel and WPS show as plain
// text. A plain number (-12.5) is left as it is, so negative amounts stay numbers.
func CSVCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "\t\r") {
		return s
	}
	return "'" + s
}

// CSVRow applies CSVCell to every cell of a row.
func CSVRow(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = CSVCell(c)
	}
	return out
}

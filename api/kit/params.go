package kit

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// IDParam reads a positive integer path parameter. Anything else names no record: not_found, as if
// the id did not exist (a path is not a form field to correct).
func IDParam(c *gin.Context, name string) (int64, error) { return PathID(c, name, "记录") }

// IntParam reads an integer query parameter: def when absent, an invalid error naming it when it is not
// a whole number between min and max.
func IntParam(c *gin.Context, name string, def, min, max int) (int, error) {
	raw, ok := c.GetQuery(name)
	if !ok || raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(domain.FoldWidth(strings.TrimSpace(raw)))
	if err != nil || n < min || n > max {
		return 0, domain.Invalidf(name, "参数 %s 应为 %d 到 %d 之间的整数", name, min, max)
	}
	return n, nil
}

// TextParam reads a free-text query parameter: trimmed, valid UTF-8 without control characters, at most
// max characters.
func TextParam(c *gin.Context, name string, max int) (string, error) {
	raw := c.Query(name)
	if !utf8.ValidString(raw) {
		return "", domain.Invalidf(name, "参数 %s 含有无效字符", name)
	}
	return domain.CleanText(name, raw, max)
}

// PathID is IDParam with the record named in the not_found message ("找不到该零工岗位").
func PathID(c *gin.Context, name, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.NotFound(what)
	}
	return id, nil
}

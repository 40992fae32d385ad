package domain

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// foldWidth turns full-width ASCII (０-９, Ａ-Ｚ, ＋, the ideographic space) into its half-width form, so
// that input typed with a Chinese input method validates like the same input typed in ASCII.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uFF01' && r <= '\uFF5E':
			return r - 0xFEE0
		}
		return r
	}, s)
}

// FoldWidth is the exported form of the full-width fold, for other packages' normalisers.
func FoldWidth(s string) string { return foldWidth(s) }

// mobilePrefixes are the first three digits of mainland mobile numbers in use (MIIT numbering plan),
// including the virtual operators' 162/165/167/170/171 and the IoT-free 19x ranges.
var mobilePrefixes = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`130 131 132 133 134 135 136 137 138 139 145 146 147 148 149
		150 151 152 153 155 156 157 158 159 162 165 166 167 170 171 172 173 175 176 177 178
		180 181 182 183 184 185 186 187 188 189 190 191 192 193 195 196 197 198 199`) {
		mobilePrefixes[p] = true
	}
}

// NormalizePhone validates a mainland mobile number and returns its 11 digits. It accepts a +86, 0086 or
// 86 prefix, spaces, hyphens and full-width digits. field names the input for the error.
func NormalizePhone(field, s string) (string, error) {
	s = foldWidth(strings.TrimSpace(s))
	s = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(s)
	switch {
	case strings.HasPrefix(s, "+86"):
		s = s[3:]
	case strings.HasPrefix(s, "0086"):
		s = s[4:]
	case len(s) == 13 && strings.HasPrefix(s, "86"):
		s = s[2:]
	}
	if s == "" {
		return "", Invalid(field, "请填写手机号")
	}
	if len(s) != 11 || strings.Trim(s, "0123456789") != "" {
		return "", Invalid(field, "手机号应为 11 位数字")
	}
	if !mobilePrefixes[s[:3]] {
		return "", Invalid(field, "这不是有效的手机号码，请检查前三位")
	}
	return s, nil
}

// MaskPhone hides the middle of a phone number: 13812348000 -> 138****8000.
func MaskPhone(p string) string {
	if len(p) != 11 {
		if p == "" {
			return ""
		}
		return "***"
	}
	return p[:3] + "****" + p[7:]
}

// idWeights and idCheck are the GB 11643-1999 ISO 7064 MOD 11-2 weights and check characters.
var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheck   = "10X98765432"
)

// provinceCodes are the first two digits of valid resident ID numbers.
var provinceCodes = map[string]bool{}

func init() {
	for _, p := range strings.Fields("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82") {
		provinceCodes[p] = true
	}
}

// NormalizeIDNumber validates an 18-character resident ID number (GB 11643-1999: province, a real birth
// date not in the future, the MOD 11-2 check character) and returns it with an upper-case X. today is
// used to reject birth dates in the future.
func NormalizeIDNumber(field, s string, today Date) (string, error) {
	s = strings.ToUpper(strings.ReplaceAll(foldWidth(strings.TrimSpace(s)), " ", ""))
	if len(s) != 18 {
		return "", Invalid(field, "身份证号应为 18 位")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return "", Invalid(field, "身份证号前 17 位应为数字")
		}
		sum += int(c-'0') * idWeights[i]
	}
	if !provinceCodes[s[:2]] {
		return "", Invalid(field, "身份证号的地区码不正确")
	}
	birth, err := time.ParseInLocation("20060102", s[6:14], Shanghai)
	if err != nil || birth.Format("20060102") != s[6:14] || birth.Year() < 1900 {
		return "", Invalid(field, "身份证号中的出生日期不正确")
	}
	if today != "" && DateOf(birth) > today {
		return "", Invalid(field, "身份证号中的出生日期不正确")
	}
	if s[17] != idCheck[sum%11] {
		return "", Invalid(field, "身份证号校验位不对，请核对是否输错")
	}
	return s, nil
}

// BirthYearOfID returns the birth year encoded in a valid ID number.
func BirthYearOfID(id string) int {
	if len(id) != 18 {
		return 0
	}
	y, _ := strconv.Atoi(id[6:10])
	return y
}

// MaskIDNumber is the one masked form of a resident ID number, used everywhere it is shown: the first
// 3 and the last 2 characters, 13 stars between (640*************3X). The county, the birth date and
// the sequence stay hidden, so a masked number with a birth year beside it does not narrow the search
// to a few hundred candidates.
func MaskIDNumber(id string) string {
	if len(id) != 18 {
		if id == "" {
			return ""
		}
		return "******"
	}
	return id[:3] + strings.Repeat("*", 13) + id[16:]
}

// creditChars is the alphabet of the unified social credit code (GB 32100-2015): digits and the upper-case
// letters without I, O, Z, S, V.
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeCreditCode validates an 18-character unified social credit code, including its GB 32100-2015
// check character, and returns it upper-cased.
func NormalizeCreditCode(field, s string) (string, error) {
	s = strings.ToUpper(strings.ReplaceAll(foldWidth(strings.TrimSpace(s)), " ", ""))
	if s == "" {
		return "", Invalid(field, "企业须填写统一社会信用代码")
	}
	if len(s) != 18 {
		return "", Invalid(field, "统一社会信用代码应为 18 位")
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(creditChars, s[i])
		if v < 0 {
			return "", Invalid(field, "统一社会信用代码含有无效字符")
		}
		if i < 17 {
			sum += v * creditWeights[i]
		}
	}
	check := (31 - sum%31) % 31
	if s[17] != creditChars[check] {
		return "", Invalid(field, "统一社会信用代码校验位不对，请核对")
	}
	return s, nil
}

// CreditCodeCheck returns the check character for the first 17 characters of a credit code; tests and
// the demo data use it to make valid codes.
func CreditCodeCheck(first17 string) byte {
	sum := 0
	for i := 0; i < 17 && i < len(first17); i++ {
		sum += strings.IndexByte(creditChars, first17[i]) * creditWeights[i]
	}
	return creditChars[(31-sum%31)%31]
}

// IDCheck returns the check character for the first 17 digits of an ID number (for tests and demo data).
func IDCheck(first17 string) byte {
	sum := 0
	for i := 0; i < 17 && i < len(first17); i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheck[sum%11]
}

// NormalizeName validates a person's name: 1–20 characters, Chinese or Latin letters, with the middle dot
// of minority names (买买提·艾力) and single spaces between Latin words; no digits or symbols.
func NormalizeName(field, s string) (string, error) {
	if err := refuseInvisibleAs(field, "姓名", s); err != nil {
		return "", err
	}
	s = strings.Join(strings.Fields(foldWidth(s)), " ")
	s = strings.ReplaceAll(s, "•", "·")
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return "", Invalid(field, "请填写姓名")
	}
	if n > 20 || !utf8.ValidString(s) {
		return "", Invalid(field, "姓名最多 20 个字")
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r), unicode.IsLetter(r) && r < 0x250, r == '·', r == ' ':
		case unicode.IsDigit(r):
			return "", Invalid(field, "姓名里不能有数字")
		default:
			return "", Invalid(field, "姓名只能包含汉字或字母")
		}
	}
	return s, nil
}

// MaskName keeps the family name (first character) and hides the rest: 张三 -> 张*, 欧阳娜娜 -> 欧***.
func MaskName(name string) string {
	r := []rune(name)
	if len(r) <= 1 {
		return name
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}

// CleanText validates free text: valid UTF-8, no NUL or other control characters except newlines and
// tabs, at most max characters after trimming. Empty is allowed; callers check requiredness.
func CleanText(field, s string, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", Invalid(field, "文字包含无效字符")
	}
	s = strings.TrimSpace(s)
	if err := refuseInvisible(field, s); err != nil {
		return "", err
	}
	for _, r := range s {
		if r == 0 || (unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r') {
			return "", Invalid(field, "文字包含无效字符")
		}
	}
	if utf8.RuneCountInString(s) > max {
		return "", Invalidf(field, "最多 %d 个字", max)
	}
	return s, nil
}

// Invisible is whether r is a character that changes how text around it is shown without being seen
// itself: the bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069) and marks
// (U+200E, U+200F), which can make "工资 300 元" display as something else on a contract or a list,
// and the zero-width characters (U+200B–200D, U+2060, U+FEFF), which make two names that look the same
// differ. A lone UTF-16 surrogate cannot reach here: it is not valid UTF-8, and the JSON decoder's U+FFFD
// for it is refused before (api/kit).
func Invisible(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F:
		return true
	case r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF:
		return true
	}
	return false
}

// refuseInvisible refuses text holding an Invisible character, naming the field in Chinese.
func refuseInvisible(field, s string) error { return refuseInvisibleAs(field, FieldLabel(field), s) }

func refuseInvisibleAs(field, label, s string) error {
	if strings.ContainsFunc(s, Invisible) {
		return Invalidf(field, "“%s”里有看不见的控制字符（文字方向控制符或零宽字符），请删除后重新输入", label)
	}
	return nil
}

// fieldLabels are the Chinese names of the text fields people type, for messages that name a field.
var fieldLabels = map[string]string{
	"title": "岗位标题", "description": "岗位说明", "address": "地址", "contact": "联系方式", "name": "名称",
	"contact_name": "联系人", "display_name": "姓名", "self_description": "自我介绍", "note": "备注",
	"reason": "理由", "resolution": "处理结果", "reference": "凭证号", "q": "搜索词", "username": "用户名",
	"town": "乡镇", "district": "县区",
}

// FieldLabel is the Chinese name of a field for messages ("这一项" for one without a name here).
func FieldLabel(field string) string {
	if l, ok := fieldLabels[field]; ok {
		return l
	}
	return "这一项"
}

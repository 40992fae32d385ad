package domain

import (
	"fmt"
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	cases := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"plain", "13812348000", "13812348000", false},
		{"with +86 and spaces", "+86 138 1234 8000", "13812348000", false},
		{"with 0086", "008613812348000", "13812348000", false},
		{"with 86", "8613812348000", "13812348000", false},
		{"hyphens", "138-1234-8000", "13812348000", false},
		{"full-width digits", "１３８１２３４８０００", "13812348000", false},
		{"ideographic space", "138\u30001234\u30008000", "13812348000", false},
		{"virtual operator 170", "17012345678", "17012345678", false},
		{"19x range", "19912345678", "19912345678", false},
		{"ten digits", "1381234800", "", true},
		{"twelve digits", "138123480001", "", true},
		{"landline", "09557012345", "", true},
		{"bad prefix 120", "12012345678", "", true},
		{"letters", "1381234800a", "", true},
		{"empty", "", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizePhone("phone", tc.in)
			if tc.wantErr {
				if err == nil || ErrorCode(err) != CodeInvalid || AsError(err).Field != "phone" {
					t.Fatalf("NormalizePhone(%q) = %q, %v; want an invalid error on phone", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("NormalizePhone(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

// validID builds a valid ID number from 17 digits.
func validID(first17 string) string { return first17 + string(IDCheck(first17)) }

func TestNormalizeIDNumber(t *testing.T) {
	good := validID("64050219680315123")
	xID := ""
	// find a birth serial whose check character is X, to test the lower-case x path
	for i := 100; i < 1000 && xID == ""; i++ {
		id := validID(fmt.Sprintf("64050219680315%03d", i))
		if id[17] == 'X' {
			xID = id
		}
	}
	if xID == "" {
		t.Fatal("no X check digit found in range")
	}
	cases := []struct {
		name, in, want, wantMsg string
	}{
		{"valid", good, good, ""},
		{"lower-case x", strings.ToLower(xID), xID, ""},
		{"full-width", toFullWidth(good), good, ""},
		{"bad check digit", good[:17] + string(otherCheck(good[17])), "", "校验位"},
		{"impossible date", validID("64050219680230123"), "", "出生日期"},
		{"future birth date", validID("64050220991231123"), "", "出生日期"},
		{"bad province", validID("99050219680315123"), "", "地区码"},
		{"seventeen chars", good[:17], "", "18 位"},
		{"letters inside", "6405021968031512A" + "3", "", "数字"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeIDNumber("id_number", tc.in, "2026-11-28")
			if tc.wantMsg != "" {
				if err == nil || !strings.Contains(AsError(err).Message, tc.wantMsg) || AsError(err).Field != "id_number" {
					t.Fatalf("NormalizeIDNumber(%q) = %q, %v; want error mentioning %q", tc.in, got, err, tc.wantMsg)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("NormalizeIDNumber(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
	if BirthYearOfID(good) != 1968 {
		t.Errorf("birth year %d", BirthYearOfID(good))
	}
	// At most the first 3 and the last 2 characters; the length stays 18.
	if got := MaskIDNumber(good); got != good[:3]+"*************"+good[16:] || len(got) != 18 {
		t.Errorf("mask %q", got)
	}
}

func otherCheck(c byte) byte {
	if c == '1' {
		return '2'
	}
	return '1'
}

func toFullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '!' && r <= '~' {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestNormalizeCreditCode(t *testing.T) {
	// 91350100M000100Y43 is a published sample code with a valid GB 32100 check character.
	cases := []struct {
		name, in string
		ok       bool
	}{
		{"published sample", "91350100M000100Y43", true},
		{"generated", "91640500MA0000001" + string(CreditCodeCheck("91640500MA0000001")), true},
		{"lower case", strings.ToLower("91350100M000100Y43"), true},
		{"wrong check", "91350100M000100Y44", false},
		{"forbidden letter I", "91350100M000100I43", false},
		{"too short", "91350100M000100Y4", false},
		{"empty", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeCreditCode("credit_code", tc.in)
			if tc.ok != (err == nil) {
				t.Fatalf("NormalizeCreditCode(%q) = %q, %v; ok want %v", tc.in, got, err, tc.ok)
			}
			if tc.ok && got != strings.ToUpper(tc.in) {
				t.Errorf("normalised %q", got)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	cases := []struct {
		name, in, want string
		ok             bool
	}{
		{"chinese", "张三", "张三", true},
		{"minority name with dot", "买买提·艾力", "买买提·艾力", true},
		{"bullet becomes middle dot", "买买提•艾力", "买买提·艾力", true},
		{"latin", "Li  Wei", "Li Wei", true},
		{"digits refused", "张3", "", false},
		{"symbols refused", "张<b>", "", false},
		{"empty", "  ", "", false},
		{"21 characters", strings.Repeat("张", 21), "", false},
		{"20 characters", strings.Repeat("张", 20), strings.Repeat("张", 20), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeName("name", tc.in)
			if tc.ok != (err == nil) || got != tc.want {
				t.Fatalf("NormalizeName(%q) = %q, %v", tc.in, got, err)
			}
		})
	}
	if MaskName("欧阳娜娜") != "欧***" || MaskName("张") != "张" {
		t.Errorf("MaskName: %q %q", MaskName("欧阳娜娜"), MaskName("张"))
	}
	if MaskPhone("13812348000") != "138****8000" {
		t.Errorf("MaskPhone: %q", MaskPhone("13812348000"))
	}
}

func TestCleanText(t *testing.T) {
	if _, err := CleanText("note", "a\x00b", 10); err == nil {
		t.Error("NUL accepted")
	}
	if _, err := CleanText("note", "\xff", 10); err == nil {
		t.Error("invalid UTF-8 accepted")
	}
	if _, err := CleanText("note", strings.Repeat("字", 11), 10); err == nil {
		t.Error("over-long text accepted")
	}
	if got, err := CleanText("note", "  第一行\n第二行  ", 10); err != nil || got != "第一行\n第二行" {
		t.Errorf("got %q %v", got, err)
	}
}

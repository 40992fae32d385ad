package domain

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The validators are the first code outside input meets. Fuzzing them asserts what must hold for any
// input: no panic, and an accepted value is in canonical form (validating it again returns it as is).

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"13812348000", "+86 138 1234 8000", "１３８１２３４８０００", "0086138", "", "\xff\xfe", "138-1234-8000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := NormalizePhone("phone", s)
		if err != nil {
			if AsError(err).Field != "phone" || AsError(err).Message == "" {
				t.Fatalf("error without field or message: %v", err)
			}
			return
		}
		if len(p) != 11 || strings.Trim(p, "0123456789") != "" {
			t.Fatalf("accepted %q as %q", s, p)
		}
		if again, err := NormalizePhone("phone", p); err != nil || again != p {
			t.Fatalf("not canonical: %q -> %q (%v)", p, again, err)
		}
	})
}

func FuzzNormalizeIDNumber(f *testing.F) {
	for _, s := range []string{"640502196803151237", "64050219680315123x", "１", "", "99999999999999999X", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := NormalizeIDNumber("id_number", s, "2026-11-28")
		if err != nil {
			return
		}
		if len(id) != 18 || id[17] != IDCheck(id[:17]) {
			t.Fatalf("accepted %q as %q with a wrong check character", s, id)
		}
		if m := MaskIDNumber(id); strings.Contains(m, id[6:14]) {
			t.Fatalf("mask %q shows the birth date", m)
		}
	})
}

func FuzzNormalizeCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91350100m000100y43", "", "IOZSV", "９１３５０１００Ｍ０００１００Ｙ４３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := NormalizeCreditCode("credit_code", s)
		if err != nil {
			return
		}
		if len(c) != 18 || c[17] != CreditCodeCheck(c[:17]) {
			t.Fatalf("accepted %q as %q", s, c)
		}
	})
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{"张三", "买买提·艾力", "Li Wei", "", "张3", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeName("name", s)
		if err != nil {
			return
		}
		if !utf8.ValidString(n) || utf8.RuneCountInString(n) > 20 || n == "" || strings.ContainsAny(n, "<>&\"'0123456789") {
			t.Fatalf("accepted %q as %q", s, n)
		}
	})
}

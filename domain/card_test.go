package domain

import (
	"strings"
	"testing"
)

var testCardKey = DeriveKey([]byte("lingong-test-key-0123456789abcdef"), "worker-card")

func TestCardTokenRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name    string
		id      int64
		version int
	}{
		{"first worker", 1, 1},
		{"reissued card", 42, 7},
		{"large id", 123456789012, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := CardToken(testCardKey, tc.id, tc.version)
			if len(tok) > 40 || strings.ContainsAny(tok, "+/=") {
				t.Errorf("token %q is long or not URL-safe", tok)
			}
			id, ver, err := ParseCardToken(testCardKey, tok)
			if err != nil || id != tc.id || ver != tc.version {
				t.Fatalf("parse = %d, %d, %v; want %d, %d", id, ver, err, tc.id, tc.version)
			}
		})
	}
}

// Every change to a token, and every token signed with another key, is refused with the same error.
func TestCardTokenRefusesTampering(t *testing.T) {
	good := CardToken(testCardKey, 17, 2)
	flip := func(i int) string {
		b := []byte(good)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	cases := map[string]string{
		"empty":                  "",
		"garbage":                "not-a-token",
		"truncated":              good[:len(good)-2],
		"extended":               good + "AA",
		"first character":        flip(0),
		"last character":         flip(len(good) - 1),
		"other key":              CardToken(DeriveKey([]byte("another-master-secret-0123456789ab"), "worker-card"), 17, 2),
		"bare database id":       "17",
		"too long":               strings.Repeat("A", 200),
		"padding":                good + "==",
		"standard base64 symbol": strings.Replace(good, good[3:4], "+", 1),
	}
	for i := 1; i < len(good)-1; i++ {
		cases["character "+string(rune('0'+i%10))+"@"+strings.Repeat("x", i)] = flip(i)
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			if tok == good {
				t.Skip("mutation produced the original")
			}
			_, _, err := ParseCardToken(testCardKey, tok)
			if !IsCode(err, CodeNotFound) || AsError(err).Message != "这张零工卡无效或已作废" {
				t.Errorf("ParseCardToken(%q) = %v, want the invalid-card error", tok, err)
			}
		})
	}
}

func TestCardTokenFromScan(t *testing.T) {
	for in, want := range map[string]string{
		"http://localhost:8080/c/abcDEF_-1": "abcDEF_-1",
		"https://lg.zw.gov.cn/c/abc?x=1":    "abc",
		"https://lg.zw.gov.cn/c/abc/":       "abc",
		"  abc  ":                           "abc",
		"http://x/c/abc#frag":               "abc",
		"https://evil.example/c/c/abc":      "abc",
		"LG00000001":                        "LG00000001",
	} {
		if got := CardTokenFromScan(in); got != want {
			t.Errorf("CardTokenFromScan(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeWorkerNo(t *testing.T) {
	for in, want := range map[string]string{
		"LG00000012":    "LG00000012",
		"lg00000012":    "LG00000012",
		"ＬＧ００００００１２":    "LG00000012",
		" LG 0000 0012": "LG00000012",
		"LG0000012":     "",
		"LX00000012":    "",
		"LG0000001A":    "",
	} {
		got, ok := NormalizeWorkerNo(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeWorkerNo(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func FuzzParseCardToken(f *testing.F) {
	f.Add(CardToken(testCardKey, 1, 1))
	f.Add("")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, tok string) {
		id, ver, err := ParseCardToken(testCardKey, tok)
		if err == nil && CardToken(testCardKey, id, ver) != tok {
			t.Errorf("accepted %q, which is not the canonical token of (%d, %d)", tok, id, ver)
		}
	})
}

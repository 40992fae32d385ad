package domain

import (
	"strings"
	"testing"
)

func TestChainMACIsKeyedAndUnambiguous(t *testing.T) {
	k1, k2 := []byte("key one"), []byte("key two")
	base := ChainMAC(k1, "ab", "c")
	for name, other := range map[string]string{
		"another key":      ChainMAC(k2, "ab", "c"),
		"fields regrouped": ChainMAC(k1, "a", "bc"),
		"a field more":     ChainMAC(k1, "ab", "c", ""),
		"a field less":     ChainMAC(k1, "ab"),
		"one byte changed": ChainMAC(k1, "ab", "d"),
	} {
		if other == base {
			t.Errorf("%s gives the same MAC", name)
		}
	}
	if len(base) != 64 || ChainMAC(k1, "ab", "c") != base {
		t.Errorf("MAC %q is not a stable 64-character hex", base)
	}
	if !MACEqual(base, ChainMAC(k1, "ab", "c")) || MACEqual(base, ChainMAC(k2, "ab", "c")) {
		t.Error("MACEqual")
	}
}

func TestContractCheckCode(t *testing.T) {
	key := DeriveKey([]byte("lingong-test-key-0123456789abcdef"), CheckCodeKeyPurpose)
	code := ContractCheckCode(key, "ZW-202612-000001")
	if len(code) != CheckCodeLen || strings.Trim(code, checkCodeAlphabet) != "" {
		t.Fatalf("check code %q: want %d characters of %s", code, CheckCodeLen, checkCodeAlphabet)
	}
	seen := map[string]bool{code: true}
	for _, n := range []string{"ZW-202612-000002", "ZW-202612-000003", "ZW-202701-000001"} {
		c := ContractCheckCode(key, n)
		if seen[c] {
			t.Errorf("%s has a code already used", n)
		}
		seen[c] = true
	}
	if ContractCheckCode(DeriveKey([]byte("another key, also 32 bytes long.."), CheckCodeKeyPurpose), "ZW-202612-000001") == code {
		t.Error("the code does not depend on the key")
	}
	typed := strings.ToLower(code[:5]) + " - " + code[5:]
	typed = strings.NewReplacer("0", "o", "1", "l").Replace(typed)
	for _, tc := range []struct {
		in   string
		want bool
	}{{code, true}, {typed, true}, {code[:9], false}, {code + "0", false}, {"", false}, {ContractCheckCode(key, "ZW-202612-000002"), false}} {
		if got := CheckCodeMatches(key, "ZW-202612-000001", tc.in); got != tc.want {
			t.Errorf("CheckCodeMatches(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if got := NormalizeCheckCode("ab-cd　ef IO L"); got != "ABCDEF101" {
		t.Errorf("NormalizeCheckCode = %q", got)
	}
}

func TestPaymentLimits(t *testing.T) {
	for _, tc := range []struct {
		fen   int64
		field string // "" when accepted
		says  string
	}{{-1, "amount_fen", "应大于 0"}, {0, "amount_fen", "应大于 0"}, {1, "", ""}, {MaxPaymentFen, "", ""},
		{MaxPaymentFen + 1, "amount_fen", "单笔付款不能超过 1000000 元"}} {
		err := CheckPaymentAmount(tc.fen)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%d fen refused: %v", tc.fen, err)
			}
			continue
		}
		if e := AsError(err); err == nil || e.Field != tc.field || !strings.Contains(e.Message, tc.says) {
			t.Errorf("%d fen: %v; want %s saying %q", tc.fen, err, tc.field, tc.says)
		}
	}
	start := Date("2027-06-01")
	for _, tc := range []struct {
		paid Date
		ok   bool
	}{{"1970-01-01", false}, {"2027-05-01", false}, {"2027-05-02", true}, {"2027-06-01", true}, {"2027-07-01", true}} {
		err := CheckPaymentDate(tc.paid, start)
		if (err == nil) != tc.ok {
			t.Errorf("paid %s for a contract starting %s: %v", tc.paid, start, err)
		}
		if err != nil && !strings.Contains(AsError(err).Message, "付款日期不能早于 2027-05-02（合约开始前 30 天）") {
			t.Errorf("message %q", AsError(err).Message)
		}
	}
}

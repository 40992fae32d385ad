package domain

import (
	"strconv"
	"testing"
)

func TestParseYuanIsExact(t *testing.T) {
	cases := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"150", 15000, false},
		{"150.5", 15050, false},
		{"150.50", 15050, false},
		{"0.01", 1, false},
		{"0.1", 10, false},
		{".5", 50, false},
		{"150.", 15000, false},
		{"１５０", 15000, false},
		{"150元", 15000, false},
		{" 1,200 ", 120000, false},
		{"19.99", 1999, false}, // 19.99*100 is 1998.9999… as a float
		{"", 0, true},
		{"-5", 0, true},
		{"1e3", 0, true},
		{"12.345", 0, true},
		{"abc", 0, true},
		{"1.2.3", 0, true},
		{"9999999999", 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseYuan("wage", tc.in)
			if tc.wantErr {
				if !IsCode(err, CodeInvalid) || AsError(err).Field != "wage" {
					t.Errorf("ParseYuan(%q) = %d, %v; want an invalid error on wage", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ParseYuan(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			}
			if back, _ := ParseYuan("wage", FormatYuanInput(got)); back != got {
				t.Errorf("FormatYuanInput(%d) = %q does not read back", got, FormatYuanInput(got))
			}
		})
	}
}

// ParseYuan takes up to nine digits of whole yuan (999 999 999.99 元), leading zeros not counted.
func TestParseYuanAtTheNineDigitLimit(t *testing.T) {
	const most = int64(999999999)
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"999999999", most * 100, true},
		{"999999999.99", most*100 + 99, true},
		{"000999999999", most * 100, true},
		{"1000000000", 0, false},
		{"1000000000.00", 0, false},
	} {
		got, err := ParseYuan("wage", c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

// A form is refilled with whole yuan as "150", not "150.0"; fen keep their one or two decimals.
func TestFormatYuanInputReadsLikeTyped(t *testing.T) {
	for _, yuan := range []int64{0, 1, 150, 2050, 999999999, -3} {
		if got, want := FormatYuanInput(yuan*100), strconv.FormatInt(yuan, 10); got != want {
			t.Errorf("FormatYuanInput(%d) = %q, want %q", yuan*100, got, want)
		}
	}
	for _, c := range []struct {
		fen  int64
		want string
	}{{1250, "12.5"}, {1205, "12.05"}, {1, "0.01"}, {10, "0.1"}} {
		if got := FormatYuanInput(c.fen); got != c.want {
			t.Errorf("FormatYuanInput(%d) = %q, want %q", c.fen, got, c.want)
		}
	}
}

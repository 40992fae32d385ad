package domain

import "testing"

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

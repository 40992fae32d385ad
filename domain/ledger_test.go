package domain

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

func TestParseMilliIsExact(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		want    Milli
		wantErr bool
	}{
		{"whole", "12", 12000, false},
		{"one decimal", "12.5", 12500, false},
		{"three decimals", "0.125", 125, false},
		{"trailing zeros do not count", "12.5000", 12500, false},
		{"float trap", "37.53", 37530, false}, // 37.53*1000 is 37529.999… as a float
		{"negative for corrections", "-3.5", -3500, false},
		{"full-width digits", "１２.５", 12500, false},
		{"leading dot", ".5", 500, false},
		{"largest", "1000000", MaxMilli, false},
		{"four decimals", "1.2345", 0, true},
		{"exponent", "1e3", 0, true},
		{"empty", "", 0, true},
		{"sign only", "-", 0, true},
		{"letters", "abc", 0, true},
		{"two dots", "1.2.3", 0, true},
		{"too large", "1000000.001", 0, true},
		{"way too large", "99999999999999999999", 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMilli("quantity", tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseMilli(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
			if err != nil && AsError(err).Field != "quantity" {
				t.Errorf("error names %q", AsError(err).Field)
			}
		})
	}
}

// Every quantity in range survives String and ParseMilli unchanged, and its JSON is that same text.
func TestMilliRoundTrips(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		m := Milli(r.Int64N(2*MaxMilli+1) - MaxMilli)
		back, err := ParseMilli("q", m.String())
		if err != nil || back != m {
			t.Fatalf("%d -> %q -> %d, %v", m, m.String(), back, err)
		}
		b, _ := json.Marshal(struct{ Q Milli }{m})
		if want := `{"Q":` + m.String() + `}`; string(b) != want {
			t.Fatalf("JSON %s, want %s", b, want)
		}
	}
	for m, want := range map[Milli]string{12500: "12.5", -125: "-0.125", 3000: "3", 0: "0", 1: "0.001", 100010: "100.01"} {
		if m.String() != want {
			t.Errorf("%d.String() = %q, want %q", int64(m), m.String(), want)
		}
	}
}

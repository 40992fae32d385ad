package contracts

import (
	"encoding/json"
	"testing"
)

func TestCanonical(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"keys sorted at every level", json.RawMessage(`{"b":1,"a":{"z":[{"y":1,"x":2}],"m":null}}`),
			`{"a":{"m":null,"z":[{"x":2,"y":1}]},"b":1}`},
		{"insignificant whitespace removed", json.RawMessage(" {\n\t\"a\" : [ 1 , 2 ] ,\r\n \"b\":true } "), `{"a":[1,2],"b":true}`},
		{"struct fields sorted by JSON name", struct {
			Z string `json:"z"`
			A int64  `json:"a"`
		}{"x", 15000}, `{"a":15000,"z":"x"}`},
		{"map keys sorted", map[string]int{"wage": 1, "days": 2, "Zone": 3}, `{"Zone":3,"days":2,"wage":1}`},
		{"integers plain", json.RawMessage(`[0,-0,15000,-3,9007199254740993,9223372036854775807]`),
			`[0,0,15000,-3,9007199254740993,9223372036854775807]`},
		{"other numbers as float64 shortest", json.RawMessage(`[1.0,1e0,1.50,0.1,1e21,1E-7,-0.0,12345678901234567890]`),
			`[1,1,1.5,0.1,1e+21,1e-7,0,12345678901234567000]`},
		{"strings: HTML characters literal, controls escaped", "<a&b> \"q\" \\ \n\t\u0001 \u2028 中文",
			`"<a&b> \"q\" \\ \n\t\u0001 \u2028 中文"`},
		{"supplementary-plane characters literal", "𠮷", `"𠮷"`},
		{"empty containers", json.RawMessage(`{"a":[],"b":{}}`), `{"a":[],"b":{}}`},
		{"key order by bytes, not by case", json.RawMessage(`{"b":1,"B":2,"_":3,"a1":4,"a":5}`), `{"B":2,"_":3,"a":5,"a1":4,"b":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Canonical = %s\n          want %s", got, tt.want)
			}
			again, err := Canonical(json.RawMessage(got))
			if err != nil || string(again) != string(got) {
				t.Errorf("canonical form is not a fixed point: %s", again)
			}
		})
	}
}

func TestCanonicalErrors(t *testing.T) {
	for name, in := range map[string]string{
		"duplicate key":   `{"a":1,"a":2}`,
		"trailing data":   `{"a":1} {}`,
		"not JSON":        `{a:1}`,
		"number overflow": `1e400`,
		"unterminated":    `{"a":[1,2}`,
		"empty input":     ``,
	} {
		t.Run(name, func(t *testing.T) {
			if got, err := Canonical(json.RawMessage(in)); err == nil {
				t.Errorf("Canonical(%s) = %s; want an error", in, got)
			}
		})
	}
	if _, err := Canonical(func() {}); err == nil {
		t.Error("a func marshalled")
	}
}

// TestCanonicalStable: maps iterate in random order; the canonical bytes must not care.
func TestCanonicalStable(t *testing.T) {
	m := map[string]any{}
	for _, k := range []string{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p", "a", "s", "d", "f"} {
		m[k] = map[string]int{k + "2": 2, k + "1": 1}
	}
	first, err := Canonical(m)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		if got, _ := Canonical(m); string(got) != string(first) {
			t.Fatalf("run %d gave %s, first gave %s", i, got, first)
		}
	}
}

func TestHashHex(t *testing.T) {
	// FIPS 180-2 test vector.
	if got, want := HashHex([]byte("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("HashHex(abc) = %s, want %s", got, want)
	}
}

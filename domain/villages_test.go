package domain

import (
	"strings"
	"testing"
)

func TestEveryTownHasItsPublishedVillagesAndEachNameFindsItsVillage(t *testing.T) {
	total := 0
	for _, town := range Towns {
		vs := town.Villages()
		if len(vs) == 0 {
			t.Errorf("%s %s has no villages", town.District, town.Name)
		}
		total += len(vs)
		for _, v := range vs {
			if len(v.Code) != 12 || !strings.HasPrefix(v.Code, town.Code) {
				t.Errorf("%s: code %s is not a 12-digit code under %s", v.Name, v.Code, town.Code)
			}
			if strings.HasSuffix(v.Name, "村委会") {
				t.Errorf("%s is shown by its committee's name", v.Name)
			}
			// Whatever the worker types of a village's name finds that village, not a namesake.
			typings := []string{v.Name, " " + v.Name + " "}
			if len(villagesNamed(town, villageStem(v.Name))) == 1 {
				typings = append(typings, villageStem(v.Name))
			}
			for _, typed := range typings {
				got, ok := FindVillage(town, typed)
				if !ok || got != v {
					t.Errorf("%s %s: %q finds %+v (ok %v), want %+v", town.Name, v.Name, typed, got, ok, v)
				}
			}
		}
	}
	// 2023 edition: 516 village-level units under 640500, 14 of them under farms, parks and reserves
	// that are not towns (codes 6405xx4xx).
	if total != 502 {
		t.Errorf("%d villages, want the 502 of the towns of 640500", total)
	}
}

func TestAVillageIsCheckedAgainstItsTown(t *testing.T) {
	cases := []struct {
		district, town, typed, want, errField string
	}{
		{"沙坡头区", "宣和镇", "张洪村", "张洪村", ""},
		{"沙坡头区", "宣和镇", "张洪", "张洪村", ""},
		{"沙坡头区", "宣和镇", "张洪村委会", "张洪村", ""},
		{"中宁县", "宁安镇", "杞苑", "杞苑社区", ""},
		{"沙坡头区", "宣和镇", "", "", ""},
		{"沙坡头区", "宣和镇", "  ", "", ""},
		// A village of another town, a made-up one, and a village without a town are refused.
		{"中宁县", "宁安镇", "张洪村", "", "village"},
		{"沙坡头区", "宣和镇", "张洪村村", "", "village"},
		{"沙坡头区", "", "张洪村", "", "village"},
		// 常乐镇 has both 常乐村 and 常乐社区: the short name is asked about, the full ones are found.
		{"沙坡头区", "常乐镇", "常乐", "", "village"},
		{"沙坡头区", "常乐镇", "常乐村", "常乐村", ""},
		{"沙坡头区", "常乐镇", "常乐社区", "常乐社区", ""},
	}
	for _, c := range cases {
		got, err := ValidateVillage("village", c.district, c.town, c.typed)
		if c.errField == "" {
			if err != nil || got != c.want {
				t.Errorf("%s%s %q: got %q, %v; want %q", c.district, c.town, c.typed, got, err, c.want)
			}
			continue
		}
		e := AsError(err)
		if e == nil || e.Field != c.errField || !strings.Contains(e.Message, "村") {
			t.Errorf("%s%s %q: got %q, %v; want an error on %s", c.district, c.town, c.typed, got, err, c.errField)
		}
	}
}

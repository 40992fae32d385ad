package domain

import "math"

// Town is a 镇 or 乡 of Zhongwei with the coordinates of its seat. A worker's home and a gig's place are
// located by town when no exact coordinates are given.
type Town struct {
	District string  `json:"district"`
	Name     string  `json:"name"`
	Lat      float64 `json:"lat"`
	Lng      float64 `json:"lng"`
}

// Districts of 中卫市, in the order pickers show them.
var Districts = []string{"沙坡头区", "中宁县", "海原县"}

// Towns is the gazetteer of Zhongwei's towns (approximate seats, WGS-84).
var Towns = []Town{
	{"沙坡头区", "滨河镇", 37.515, 105.196},
	{"沙坡头区", "文昌镇", 37.500, 105.175},
	{"沙坡头区", "东园镇", 37.545, 105.245},
	{"沙坡头区", "柔远镇", 37.470, 105.120},
	{"沙坡头区", "镇罗镇", 37.556, 105.068},
	{"沙坡头区", "宣和镇", 37.430, 105.325},
	{"沙坡头区", "永康镇", 37.430, 105.245},
	{"沙坡头区", "常乐镇", 37.400, 105.010},
	{"沙坡头区", "迎水桥镇", 37.470, 104.980},
	{"沙坡头区", "兴仁镇", 36.910, 105.250},
	{"沙坡头区", "香山乡", 37.130, 105.070},
	{"中宁县", "宁安镇", 37.491, 105.685},
	{"中宁县", "鸣沙镇", 37.410, 105.870},
	{"中宁县", "石空镇", 37.560, 105.560},
	{"中宁县", "新堡镇", 37.455, 105.740},
	{"中宁县", "恩和镇", 37.420, 105.800},
	{"中宁县", "大战场镇", 37.390, 105.560},
	{"中宁县", "舟塔乡", 37.520, 105.630},
	{"中宁县", "白马乡", 37.370, 105.960},
	{"中宁县", "余丁乡", 37.530, 105.700},
	{"中宁县", "喊叫水乡", 37.050, 105.620},
	{"中宁县", "徐套乡", 36.980, 105.420},
	{"中宁县", "太阳梁乡", 37.660, 105.520},
	{"海原县", "海城镇", 36.566, 105.645},
	{"海原县", "三河镇", 36.760, 105.760},
	{"海原县", "七营镇", 36.510, 106.100},
	{"海原县", "李旺镇", 36.800, 106.000},
	{"海原县", "西安镇", 36.540, 105.450},
	{"海原县", "史店乡", 36.600, 105.720},
	{"海原县", "树台乡", 36.690, 105.420},
	{"海原县", "关桥乡", 36.780, 105.580},
	{"海原县", "贾塘乡", 36.800, 105.650},
	{"海原县", "郑旗乡", 36.610, 105.820},
	{"海原县", "九彩乡", 36.480, 105.760},
	{"海原县", "红羊乡", 36.420, 105.620},
	{"海原县", "李俊乡", 36.440, 105.750},
	{"海原县", "曹洼乡", 36.370, 105.550},
	{"海原县", "关庄乡", 36.400, 105.800},
	{"海原县", "甘城乡", 36.900, 105.360},
	{"海原县", "高崖乡", 36.700, 106.050},
}

// IsDistrict reports whether name is one of Zhongwei's districts.
func IsDistrict(name string) bool {
	for _, d := range Districts {
		if d == name {
			return true
		}
	}
	return false
}

// FindTown returns the town of that name in that district.
func FindTown(district, name string) (Town, bool) {
	for _, t := range Towns {
		if t.District == district && t.Name == name {
			return t, true
		}
	}
	return Town{}, false
}

// ValidatePlace checks a district and (optional) town. It returns the coordinates of the town, or of the
// district's first town (its seat) when town is empty.
func ValidatePlace(districtField, townField, district, town string) (lat, lng float64, err error) {
	if !IsDistrict(district) {
		return 0, 0, Invalid(districtField, "请选择所在区县：沙坡头区、中宁县或海原县")
	}
	if town == "" {
		for _, t := range Towns {
			if t.District == district {
				return t.Lat, t.Lng, nil
			}
		}
	}
	t, ok := FindTown(district, town)
	if !ok {
		return 0, 0, Invalidf(townField, "%s没有“%s”这个乡镇，请从列表中选择", district, TruncateRunes(town, 10))
	}
	return t.Lat, t.Lng, nil
}

// DistanceKm is the great-circle (haversine) distance between two points, in kilometres.
func DistanceKm(lat1, lng1, lat2, lng2 float64) float64 {
	const earthRadiusKm = 6371.0
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLng := (lng2 - lng1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(a))
}

package domain

import "math"

// Town is a 镇 or 乡 of Zhongwei with the coordinates of its seat. A worker's home and a gig's place are
// located by town when no exact coordinates are given.
type Town struct {
	District string  `json:"district"`
	Name     string  `json:"name"`
	Lat      float64 `json:"lat"`
	Lng      float64 `json:"lng"`
	// Code is the town's 统计用区划代码 (National Bureau of Statistics, 2023 edition).
	Code string `json:"code"`
}

// Districts of 中卫市, in the order pickers show them.
var Districts = []string{"沙坡头区", "中宁县", "海原县"}

// Towns is the gazetteer of Zhongwei's towns: every 镇 and 乡 of 640500 in the National Bureau of
// Statistics' 统计用区划代码和城乡划分代码 (2023 edition, as mirrored by github.com/modood/
// Administrative-divisions-of-China, dist/streets.csv), with approximate seats (WGS-84, about 1 km);
// docs/matching.md (地点) names the sources and what is not included; villages.go adds the villages.
var Towns = []Town{
	{"沙坡头区", "滨河镇", 37.515, 105.196, "640502100"},
	{"沙坡头区", "文昌镇", 37.500, 105.175, "640502101"},
	{"沙坡头区", "东园镇", 37.545, 105.245, "640502102"},
	{"沙坡头区", "柔远镇", 37.470, 105.120, "640502103"},
	{"沙坡头区", "镇罗镇", 37.556, 105.068, "640502104"},
	{"沙坡头区", "宣和镇", 37.430, 105.325, "640502105"},
	{"沙坡头区", "永康镇", 37.430, 105.245, "640502106"},
	{"沙坡头区", "常乐镇", 37.400, 105.010, "640502107"},
	{"沙坡头区", "迎水桥镇", 37.470, 104.980, "640502108"},
	{"沙坡头区", "兴仁镇", 36.910, 105.250, "640502109"},
	{"沙坡头区", "香山乡", 37.130, 105.070, "640502200"},
	{"中宁县", "宁安镇", 37.491, 105.685, "640521100"},
	{"中宁县", "鸣沙镇", 37.410, 105.870, "640521101"},
	{"中宁县", "石空镇", 37.560, 105.560, "640521102"},
	{"中宁县", "新堡镇", 37.455, 105.740, "640521103"},
	{"中宁县", "恩和镇", 37.420, 105.800, "640521104"},
	{"中宁县", "大战场镇", 37.390, 105.560, "640521105"},
	{"中宁县", "舟塔乡", 37.520, 105.630, "640521200"},
	{"中宁县", "白马乡", 37.370, 105.960, "640521201"},
	{"中宁县", "余丁乡", 37.530, 105.700, "640521202"},
	{"中宁县", "喊叫水乡", 37.050, 105.620, "640521204"},
	{"中宁县", "徐套乡", 36.980, 105.420, "640521205"},
	{"中宁县", "太阳梁乡", 37.660, 105.520, "640521206"},
	{"海原县", "海城镇", 36.566, 105.645, "640522100"},
	{"海原县", "三河镇", 36.760, 105.760, "640522104"},
	{"海原县", "七营镇", 36.510, 106.100, "640522105"},
	{"海原县", "李旺镇", 36.800, 106.000, "640522101"},
	{"海原县", "西安镇", 36.540, 105.450, "640522103"},
	{"海原县", "史店乡", 36.600, 105.720, "640522200"},
	{"海原县", "树台乡", 36.690, 105.420, "640522201"},
	{"海原县", "关桥乡", 36.780, 105.580, "640522202"},
	{"海原县", "贾塘乡", 36.800, 105.650, "640522208"},
	{"海原县", "郑旗乡", 36.610, 105.820, "640522207"},
	{"海原县", "九彩乡", 36.480, 105.760, "640522210"},
	{"海原县", "红羊乡", 36.420, 105.620, "640522212"},
	{"海原县", "李俊乡", 36.440, 105.750, "640522211"},
	{"海原县", "曹洼乡", 36.370, 105.550, "640522209"},
	{"海原县", "关庄乡", 36.400, 105.800, "640522213"},
	{"海原县", "甘城乡", 36.900, 105.360, "640522214"},
	{"海原县", "高崖乡", 36.700, 106.050, "640522206"},
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

// Where a worker's coordinates come from.
const (
	LocatedTown = "town" // the seat of the chosen town (or of the district)
	LocatedGPS  = "gps"  // the phone's position, shared with consent and coarsened by CoarsenPoint
)

// GeoPoint is a position (WGS-84 degrees) a phone reports.
type GeoPoint struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// LocationGridDeg is the grid a shared position is snapped to before it is stored: 0.001° is 111 m of
// latitude and about 88 m of longitude in Zhongwei, so what is kept is the ~100 m square the phone was
// in, never the phone's own reading.
const LocationGridDeg = 0.001

// zhongweiBox bounds 中卫市 (with a margin of a few kilometres): a shared position outside it is refused.
var zhongweiBox = struct{ minLat, maxLat, minLng, maxLng float64 }{35.95, 38.05, 104.15, 106.45}

// CoarsenPoint snaps a position to the LocationGridDeg grid.
func CoarsenPoint(p GeoPoint) GeoPoint {
	snap := func(v float64) float64 { return math.Round(v/LocationGridDeg) * LocationGridDeg }
	// Rounding the snapped value to 3 decimals keeps 37.515 from being stored as 37.515000000000001.
	r3 := func(v float64) float64 { return math.Round(v*1000) / 1000 }
	return GeoPoint{Lat: r3(snap(p.Lat)), Lng: r3(snap(p.Lng))}
}

// ValidateLocation checks a shared position (a real number inside 中卫市) and returns it coarsened.
func ValidateLocation(field string, p GeoPoint) (GeoPoint, error) {
	if math.IsNaN(p.Lat) || math.IsNaN(p.Lng) || math.IsInf(p.Lat, 0) || math.IsInf(p.Lng, 0) {
		return GeoPoint{}, Invalid(field, "手机位置读不出来，请重新定位，或只选乡镇")
	}
	b := zhongweiBox
	if p.Lat < b.minLat || p.Lat > b.maxLat || p.Lng < b.minLng || p.Lng > b.maxLng {
		return GeoPoint{}, Invalid(field, "手机位置不在中卫市内，请到家里再定位，或只选乡镇")
	}
	return CoarsenPoint(p), nil
}

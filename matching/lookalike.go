package matching

// A farm's 杂工 is a farm hand, not a building labourer: "农业园区杂工", "合作社招杂工 喂鸡、修渠" and a
// farm gig tagged 杂工 (which the tag vocabulary resolves to 建筑小工) name the general farm work
// (农活帮工) when their words name a farm and no building work.
var (
	farmWords     = []string{"农场", "农业", "果园", "合作社", "地里", "田间", "大棚", "温棚", "枸杞园", "葡萄园", "养殖场", "牛场", "羊场", "苗圃", "种植基地"}
	buildingWords = []string{"工地", "建筑", "搬砖", "和灰", "盖房", "楼", "装修", "水泥", "砌", "施工", "拆", "厂房"}
)

// farmHandsLabourer turns the 建筑小工 of a gig into 农活帮工 where its text (title and description,
// normalized) names a farm and no building work.
func farmHandsLabourer(g *jobDoc, text string) {
	labourer, farmHand := tax.skillIndex["建筑小工"], tax.skillIndex["农活帮工"]
	if !g.concepts.has(labourer) || !containsAny(text, farmWords) || containsAny(text, buildingWords) {
		return
	}
	swap := func(s *skillSet) {
		if s.has(labourer) {
			s[labourer>>6] &^= 1 << (uint(labourer) & 63)
			s.add(farmHand)
		}
	}
	swap(&g.concepts)
	swap(&g.tagged)
	for i := range g.evidence {
		if g.evidence[i].skill == labourer {
			g.evidence[i].skill = farmHand
		}
	}
}

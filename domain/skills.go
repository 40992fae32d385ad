package domain

import "sort"

// Skill is one entry of the skill taxonomy: a canonical name, its category, the words people use for it
// (synonyms, so 装卸 finds 搬运), and the certificates the work legally or customarily needs.
type Skill struct {
	Name     string   `json:"name"`
	Category string   `json:"category"`
	Synonyms []string `json:"synonyms"`
	Certs    []string `json:"certs"`
}

// Certificate is a licence a worker can hold and a gig can require.
type Certificate struct {
	Name     string   `json:"name"`
	Synonyms []string `json:"synonyms"`
}

// Certificates are the licences gigs in Zhongwei commonly ask for.
var Certificates = []Certificate{
	{"电工证", []string{"低压电工证", "特种作业操作证电工", "电工操作证"}},
	{"焊工证", []string{"电焊证", "焊接证", "特种作业操作证焊工"}},
	{"高处作业证", []string{"登高证", "高空作业证"}},
	{"叉车证", []string{"叉车操作证", "叉车驾驶证"}},
	{"起重机械操作证", []string{"塔吊证", "吊车证", "起重证"}},
	{"挖掘机操作证", []string{"挖机证", "挖掘机证"}},
	{"C1驾照", []string{"C1", "小车驾照", "C1驾驶证"}},
	{"B2驾照", []string{"B2", "B2驾驶证"}},
	{"A2驾照", []string{"A2", "A2驾驶证", "大货车驾照"}},
	{"农机驾驶证", []string{"拖拉机驾驶证", "农机证"}},
	{"无人机驾驶证", []string{"植保无人机证", "无人机证"}},
	{"健康证", []string{"食品健康证", "从业人员健康证"}},
	{"保安员证", []string{"保安证"}},
	{"育婴员证", []string{"育婴师证", "育婴证"}},
	{"养老护理员证", []string{"护理员证", "护工证"}},
	{"母婴护理证", []string{"月嫂证"}},
	{"中式烹调师证", []string{"厨师证"}},
}

// SkillCategories in the order the registration page shows them.
var SkillCategories = []string{"农业采摘", "建筑装修", "搬运物流", "驾驶机械", "家政护理", "餐饮服务", "工厂加工", "综合服务"}

// Skills is the skill taxonomy. Names are canonical; a worker's and a gig's skills are always names from
// this list. Synonyms are what people type; the matching engine maps them to the name.
var Skills = []Skill{
	// 农业采摘: Zhongwei's seasons (中宁枸杞, 沙坡头硒砂瓜, 酿酒葡萄, 苹果, 红枣) and its farms.
	{"枸杞采摘", "农业采摘", []string{"摘枸杞", "采枸杞", "枸杞", "摘果"}, nil},
	{"枸杞晾晒分拣", "农业采摘", []string{"枸杞晾晒", "枸杞分拣", "晒枸杞", "拣枸杞"}, nil},
	{"硒砂瓜采收", "农业采摘", []string{"摘西瓜", "硒砂瓜", "摘瓜", "搬瓜", "装瓜"}, nil},
	{"葡萄采摘", "农业采摘", []string{"摘葡萄", "酿酒葡萄", "剪葡萄"}, nil},
	{"苹果采摘", "农业采摘", []string{"摘苹果", "套袋", "苹果套袋"}, nil},
	{"红枣采摘", "农业采摘", []string{"打枣", "摘枣", "红枣"}, nil},
	{"蔬菜采收", "农业采摘", []string{"摘菜", "收菜", "大棚采摘"}, nil},
	{"果树修剪", "农业采摘", []string{"剪枝", "修枝", "枸杞修剪", "果树剪枝"}, nil},
	{"大棚种植", "农业采摘", []string{"温棚", "设施农业", "大棚管理", "种菜"}, nil},
	{"田间除草", "农业采摘", []string{"除草", "拔草", "锄草"}, nil},
	{"播种育苗", "农业采摘", []string{"育苗", "栽苗", "移栽", "种植"}, nil},
	{"农田灌溉", "农业采摘", []string{"浇水", "浇地", "滴灌", "灌溉"}, nil},
	{"植保打药", "农业采摘", []string{"打药", "喷药", "植保"}, nil},
	{"滩羊养殖", "农业采摘", []string{"放羊", "养羊", "喂羊", "牛羊养殖"}, nil},
	{"畜禽饲养", "农业采摘", []string{"喂牛", "养牛", "养鸡", "饲养员"}, nil},
	{"农产品分拣包装", "农业采摘", []string{"分拣", "包装水果", "装箱", "挑果"}, nil},
	// 建筑装修
	{"建筑小工", "建筑装修", []string{"力工", "杂工", "小工", "搬砖", "和灰", "工地小工", "壮工"}, nil},
	{"砌筑工", "建筑装修", []string{"砌墙", "瓦工", "砌砖", "泥瓦工", "大工"}, nil},
	{"抹灰工", "建筑装修", []string{"抹灰", "粉刷墙", "抹墙"}, nil},
	{"钢筋工", "建筑装修", []string{"绑钢筋", "扎钢筋", "钢筋"}, nil},
	{"木工", "建筑装修", []string{"模板工", "支模", "木匠"}, nil},
	{"混凝土工", "建筑装修", []string{"打灰", "浇筑", "振捣", "混凝土"}, nil},
	{"架子工", "建筑装修", []string{"搭架子", "脚手架"}, []string{"高处作业证"}},
	{"电焊工", "建筑装修", []string{"电焊", "焊工", "气焊", "焊接"}, []string{"焊工证"}},
	{"电工", "建筑装修", []string{"接电", "电路维修", "布线", "安装电路"}, []string{"电工证"}},
	{"水暖工", "建筑装修", []string{"水电工", "水管安装", "管道工", "暖气安装"}, nil},
	{"油漆工", "建筑装修", []string{"刷漆", "喷漆", "涂料工", "刷墙"}, nil},
	{"瓷砖铺贴", "建筑装修", []string{"贴砖", "铺砖", "贴瓷砖", "铺地砖"}, nil},
	{"防水工", "建筑装修", []string{"防水", "做防水"}, nil},
	{"拆除工", "建筑装修", []string{"拆墙", "拆除", "砸墙"}, nil},
	{"门窗安装", "建筑装修", []string{"装门窗", "安装门窗", "玻璃安装"}, nil},
	{"保温工", "建筑装修", []string{"外墙保温", "保温"}, []string{"高处作业证"}},
	// 搬运物流
	{"搬运", "搬运物流", []string{"装卸", "装车", "卸车", "卸货", "扛包", "搬货", "装卸工", "搬运工"}, nil},
	{"搬家", "搬运物流", []string{"搬家工", "家具搬运"}, nil},
	{"快递分拣", "搬运物流", []string{"分拣快递", "快递", "包裹分拣"}, nil},
	{"仓库理货", "搬运物流", []string{"理货", "仓管", "盘点", "库管"}, nil},
	{"送货配送", "搬运物流", []string{"送货", "配送", "跑腿", "外卖"}, nil},
	// 驾驶机械
	{"叉车司机", "驾驶机械", []string{"开叉车", "叉车"}, []string{"叉车证"}},
	{"小车司机", "驾驶机械", []string{"司机", "开车", "驾驶员", "代驾"}, []string{"C1驾照"}},
	{"货车司机", "驾驶机械", []string{"开货车", "拉货", "大车司机"}, []string{"B2驾照"}},
	{"挖掘机司机", "驾驶机械", []string{"开挖机", "挖机", "挖掘机"}, []string{"挖掘机操作证"}},
	{"塔吊司机", "驾驶机械", []string{"塔吊", "吊车司机", "起重工"}, []string{"起重机械操作证"}},
	{"农机驾驶", "驾驶机械", []string{"开拖拉机", "拖拉机", "收割机", "农机手"}, []string{"农机驾驶证"}},
	{"无人机植保", "驾驶机械", []string{"无人机打药", "飞防", "无人机"}, []string{"无人机驾驶证"}},
	// 家政护理
	{"保洁", "家政护理", []string{"清洁", "打扫", "打扫卫生", "擦玻璃", "清扫", "卫生"}, nil},
	{"开荒保洁", "家政护理", []string{"开荒", "新房打扫", "装修后保洁"}, nil},
	{"钟点工", "家政护理", []string{"小时工", "家务"}, nil},
	{"住家保姆", "家政护理", []string{"保姆", "做饭保姆", "家政"}, []string{"健康证"}},
	{"育儿嫂", "家政护理", []string{"带孩子", "看孩子", "育婴"}, []string{"健康证"}},
	{"月嫂", "家政护理", []string{"母婴护理", "产后护理"}, []string{"健康证", "母婴护理证"}},
	{"养老护理", "家政护理", []string{"护工", "陪护", "照顾老人", "护理员", "失能照护"}, nil},
	{"收纳整理", "家政护理", []string{"整理收纳", "收纳"}, nil},
	// 餐饮服务
	{"厨师", "餐饮服务", []string{"炒菜", "大厨", "掌勺", "做饭"}, []string{"健康证"}},
	{"帮厨", "餐饮服务", []string{"切配", "打荷", "配菜", "厨房杂工"}, []string{"健康证"}},
	{"洗碗工", "餐饮服务", []string{"洗碗", "刷碗"}, []string{"健康证"}},
	{"服务员", "餐饮服务", []string{"传菜", "点菜", "餐厅服务", "跑堂"}, []string{"健康证"}},
	{"面点师", "餐饮服务", []string{"做面点", "拉面", "蒸馒头", "面食"}, []string{"健康证"}},
	// 工厂加工
	{"普工", "工厂加工", []string{"流水线", "操作工", "车间工人", "厂里上班"}, nil},
	{"包装工", "工厂加工", []string{"打包", "包装", "封箱"}, nil},
	{"质检员", "工厂加工", []string{"质检", "检验", "品检"}, nil},
	{"缝纫工", "工厂加工", []string{"缝纫", "车工", "裁缝"}, nil},
	{"食品加工", "工厂加工", []string{"屠宰分割", "分割肉", "食品厂"}, []string{"健康证"}},
	{"机修工", "工厂加工", []string{"修机器", "设备维修", "机修"}, nil},
	// 综合服务
	{"保安", "综合服务", []string{"门卫", "值守", "看大门", "安保"}, []string{"保安员证"}},
	{"绿化养护", "综合服务", []string{"园林", "绿化", "浇花", "修剪草坪", "种树"}, nil},
	{"环卫清扫", "综合服务", []string{"扫马路", "环卫", "扫大街", "清运垃圾"}, nil},
	{"促销导购", "综合服务", []string{"促销", "导购", "推销", "发传单"}, nil},
	{"活动布置", "综合服务", []string{"会场布置", "舞台搭建", "婚庆布置"}, nil},
	{"洗车工", "综合服务", []string{"洗车", "汽车美容"}, nil},
	{"收银员", "综合服务", []string{"收银", "收款"}, nil},
}

var (
	skillByName = map[string]*Skill{}
	certByName  = map[string]*Certificate{}
)

func init() {
	for i := range Skills {
		skillByName[Skills[i].Name] = &Skills[i]
	}
	for i := range Certificates {
		certByName[Certificates[i].Name] = &Certificates[i]
	}
}

// SkillByName returns the taxonomy entry with that canonical name.
func SkillByName(name string) (Skill, bool) {
	s, ok := skillByName[name]
	if !ok {
		return Skill{}, false
	}
	return *s, true
}

// IsCertificate reports whether name is a canonical certificate name.
func IsCertificate(name string) bool { _, ok := certByName[name]; return ok }

// NormalizeSkills checks that every name is in the taxonomy, removes duplicates, sorts, and enforces max.
func NormalizeSkills(field string, names []string, max int) ([]string, error) {
	out, err := normalizeSet(field, names, max, func(n string) bool { _, ok := skillByName[n]; return ok }, "不在技能列表中")
	return out, err
}

// NormalizeCerts checks that every name is a known certificate, removes duplicates and sorts.
func NormalizeCerts(field string, names []string) ([]string, error) {
	return normalizeSet(field, names, len(Certificates), IsCertificate, "不是可选的证书")
}

func normalizeSet(field string, names []string, max int, known func(string) bool, unknownMsg string) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	for _, n := range names {
		if !known(n) {
			return nil, Invalidf(field, "“%s”%s", TruncateRunes(n, 20), unknownMsg)
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	if len(out) > max {
		return nil, Invalidf(field, "最多选 %d 项", max)
	}
	sort.Strings(out)
	return out, nil
}

// TruncateRunes cuts s to n characters (not bytes), marking a cut with an ellipsis.
func TruncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

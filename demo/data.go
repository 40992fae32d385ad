package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"lingong/app"
	"lingong/domain"
)

// employerSpec is one demo employer: who, where, which trades it hires for.
type employerSpec struct {
	kind     domain.EmployerKind
	name     string
	district string
	skills   []string
}

var employers = []employerSpec{
	{domain.EmployerCompany, "中宁县杞源枸杞种植专业合作社", "中宁县", []string{"枸杞采摘", "枸杞晾晒分拣", "果树修剪", "田间除草"}},
	{domain.EmployerCompany, "宁夏红宝枸杞产业有限公司", "中宁县", []string{"枸杞采摘", "枸杞晾晒分拣", "农产品分拣包装", "包装工"}},
	{domain.EmployerCompany, "中宁县舟塔枸杞合作社", "中宁县", []string{"枸杞采摘", "果树修剪", "农田灌溉"}},
	{domain.EmployerCompany, "中卫市香山硒砂瓜产销合作社", "沙坡头区", []string{"硒砂瓜采收", "搬运", "田间除草"}},
	{domain.EmployerCompany, "沙坡头区兴仁西瓜种植基地", "沙坡头区", []string{"硒砂瓜采收", "搬运", "播种育苗"}},
	{domain.EmployerCompany, "中卫市沙坡头酒庄", "沙坡头区", []string{"葡萄采摘", "果树修剪", "农产品分拣包装"}},
	{domain.EmployerCompany, "宁夏中卫建工集团有限公司", "沙坡头区", []string{"建筑小工", "砌筑工", "钢筋工", "木工", "混凝土工", "架子工", "电焊工"}},
	{domain.EmployerCompany, "中卫市鑫盛建筑劳务有限公司", "沙坡头区", []string{"建筑小工", "抹灰工", "瓷砖铺贴", "防水工", "拆除工"}},
	{domain.EmployerCompany, "中宁县宏达建筑安装工程有限公司", "中宁县", []string{"建筑小工", "砌筑工", "水暖工", "电工"}},
	{domain.EmployerCompany, "海原县兴海建筑工程有限公司", "海原县", []string{"建筑小工", "砌筑工", "钢筋工", "保温工"}},
	{domain.EmployerCompany, "海原县华润滩羊养殖场", "海原县", []string{"滩羊养殖", "畜禽饲养", "搬运"}},
	{domain.EmployerCompany, "海原县马铃薯淀粉加工厂", "海原县", []string{"普工", "包装工", "搬运", "叉车司机"}},
	{domain.EmployerCompany, "中卫市顺通物流有限公司", "沙坡头区", []string{"搬运", "快递分拣", "仓库理货", "叉车司机", "货车司机"}},
	{domain.EmployerCompany, "中宁县枸杞交易物流园", "中宁县", []string{"搬运", "仓库理货", "送货配送"}},
	{domain.EmployerCompany, "中卫市洁美家政服务有限公司", "沙坡头区", []string{"保洁", "开荒保洁", "钟点工", "收纳整理"}},
	{domain.EmployerCompany, "中卫市康乐养老服务中心", "沙坡头区", []string{"养老护理", "保洁", "厨师"}},
	{domain.EmployerCompany, "中卫市黄河宫大酒店", "沙坡头区", []string{"服务员", "帮厨", "洗碗工", "厨师", "面点师"}},
	{domain.EmployerCompany, "沙坡头旅游景区管理公司", "沙坡头区", []string{"保洁", "保安", "活动布置", "绿化养护", "收银员"}},
	{domain.EmployerCompany, "中卫工业园区硅材料有限公司", "沙坡头区", []string{"普工", "质检员", "机修工", "叉车司机"}},
	{domain.EmployerCompany, "中宁县绿源园林绿化有限公司", "中宁县", []string{"绿化养护", "田间除草", "农田灌溉"}},
	{domain.EmployerCompany, "海原县清风环卫服务公司", "海原县", []string{"环卫清扫", "保洁"}},
	{domain.EmployerCompany, "中卫市金穗农机服务合作社", "沙坡头区", []string{"农机驾驶", "无人机植保", "植保打药"}},
	{domain.EmployerCompany, "中宁县石空工业园食品有限公司", "中宁县", []string{"食品加工", "包装工", "普工"}},
	{domain.EmployerCompany, "中卫市鸿运装修工程部", "沙坡头区", []string{"油漆工", "瓷砖铺贴", "门窗安装", "水暖工"}},
	{domain.EmployerIndividual, "王建国（中宁县新堡镇枸杞种植户）", "中宁县", []string{"枸杞采摘", "田间除草"}},
	{domain.EmployerIndividual, "李秀兰（沙坡头区家庭）", "沙坡头区", []string{"保洁", "育儿嫂", "钟点工"}},
	{domain.EmployerIndividual, "马福海（海原县三河镇养殖户）", "海原县", []string{"滩羊养殖", "畜禽饲养"}},
	{domain.EmployerIndividual, "张玉梅（中卫市滨河镇家庭）", "沙坡头区", []string{"养老护理", "住家保姆"}},
	{domain.EmployerIndividual, "杨志强（永康镇硒砂瓜种植户）", "沙坡头区", []string{"硒砂瓜采收", "搬运"}},
	{domain.EmployerIndividual, "田桂花（中宁县鸣沙镇农户）", "中宁县", []string{"蔬菜采收", "大棚种植", "枸杞采摘"}},
	{domain.EmployerIndividual, "刘德明（海原县海城镇自建房）", "海原县", []string{"建筑小工", "砌筑工", "搬家"}},
	{domain.EmployerIndividual, "苏海军（中卫市东园镇苹果园）", "沙坡头区", []string{"苹果采摘", "果树修剪", "红枣采摘"}},
	{domain.EmployerCompany, "海原县关桥乡马铃薯种植合作社", "海原县", []string{"田间除草", "搬运", "农产品分拣包装"}},
	{domain.EmployerCompany, "中宁县恩和镇蔬菜产销合作社", "中宁县", []string{"蔬菜采收", "大棚种植", "搬运"}},
	{domain.EmployerCompany, "中卫市常乐镇果蔬合作社", "沙坡头区", []string{"蔬菜采收", "苹果采摘", "搬运"}},
	{domain.EmployerCompany, "海原县李旺镇牛羊交易市场", "海原县", []string{"畜禽饲养", "搬运", "保洁"}},
}

// slowPayer is the employer who stops paying in the last two weeks: the arrears alerts (欠薪预警) of the demo.
const slowPayer = "中卫市鑫盛建筑劳务有限公司"

var (
	surnames = []rune("王李张刘陈杨马田苏赵周吴孙郭何高罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪")
	given    = []string{"建国", "秀兰", "玉梅", "志强", "海军", "桂花", "德明", "福海", "永强", "红霞", "小军", "丽娟", "国庆", "春花",
		"金山", "淑芳", "天宝", "彩霞", "明亮", "秀英", "成林", "凤英", "学文", "慧敏", "宏伟", "晓燕", "俊杰", "兰英", "忠", "芳", "强", "静"}
	selfWords = []string{"能吃苦，啥活都干", "会砌墙，干过十年工地", "摘过多年枸杞，手快", "会开叉车，有证", "在家附近干活最好",
		"做过保洁和钟点工", "会做饭，能照顾老人", "身体好，能干力气活", "农忙有空，其他时间在家", "年纪大了，想干点轻活",
		"会电焊，持证上岗", "在餐馆干过帮厨", "熟悉硒砂瓜采收，能装车", "会修剪果树", "有驾照，能开车送货", ""}
)

func name(rng *rand.Rand) string {
	return string(surnames[rng.IntN(len(surnames))]) + given[rng.IntN(len(given))]
}

func phone(rng *rand.Rand) string {
	prefixes := []string{"138", "139", "150", "151", "152", "158", "159", "177", "180", "182", "187", "189", "191", "199"}
	return fmt.Sprintf("%s%08d", prefixes[rng.IntN(len(prefixes))], rng.IntN(100000000))
}

func townIn(rng *rand.Rand, district string) domain.Town {
	var towns []domain.Town
	for _, t := range domain.Towns {
		if t.District == district {
			towns = append(towns, t)
		}
	}
	return towns[rng.IntN(len(towns))]
}

// jobFor makes a plausible posting for one skill: the pay customs of the trade (picking by the 斤,
// building by the day, cleaning by the hour), split shifts for field work. start is its first day.
func jobFor(rng *rand.Rand, e employerSpec, contact, skill string, town domain.Town, start domain.Date) app.NewJob {
	sk, _ := domain.SkillByName(skill)
	n := 1 + rng.IntN(6)
	if sk.Category == "农业采摘" {
		n = 4 + rng.IntN(12)
	}
	days := 2 + rng.IntN(12)
	end := start.AddDays(days - 1)
	certs := append([]string{}, sk.Certs...)
	short := strings.TrimSuffix(strings.Split(e.name, "（")[0], "有限公司")
	var (
		title, desc       string
		wage              int64
		unit              = domain.PerDay
		settle            = domain.SettleDaily
		hours             = 8.0
		expected          *float64
		shifts            = []domain.Shift{{Start: "08:00", End: "12:00"}, {Start: "14:00", End: "18:00"}}
		address           = town.Name + []string{"村委会旁", "产业园", "基地", "工地", "小区", "市场"}[rng.IntN(6)]
		lat, lng          = town.Lat + (rng.Float64()-0.5)*0.02, town.Lng + (rng.Float64()-0.5)*0.02
		unitS, settleS    string
		startS, endS      = string(start), string(end)
		district, townS   = town.District, town.Name
		skills            = []string{skill}
		descPrefix        = ""
		onsite            = false
		contactS          = contact
		headcount         = n
		ptrTitle, ptrDesc = &title, &desc
		pieceUnit         *string
	)
	switch {
	case skill == "枸杞采摘":
		wage, unit = int64(150+rng.IntN(6)*10), domain.PerPiece
		jin := "斤"
		pieceUnit = &jin
		e := 0.06
		expected = &e
		shifts, hours = []domain.Shift{{Start: "05:00", End: "11:00"}, {Start: "15:00", End: "19:00"}}, 10
		title = fmt.Sprintf("%s枸杞园急招摘果工%d名 日结", town.Name, n)
		desc = "摘枸杞（采摘鲜果），按斤计价，每斤" + domain.FormatYuan(wage) + "元，当天过秤当天结。早上凉快时干，中午休息。"
		onsite = rng.IntN(2) == 0
	case skill == "硒砂瓜采收":
		wage = int64(180+rng.IntN(8)*10) * 100
		title = fmt.Sprintf("%s硒砂瓜采收装车%d人", town.Name, n)
		desc = "硒砂瓜地里摘瓜、搬瓜、装车，力气活，管午饭。"
	case sk.Category == "家政护理" && skill != "住家保姆":
		wage, unit = int64(25+rng.IntN(15))*100, domain.PerHour
		hours, shifts = 4, []domain.Shift{{Start: "09:00", End: "13:00"}}
		title = fmt.Sprintf("%s招%s %d名", short, skill, n)
		desc = skill + "，" + strings.Join(sk.Synonyms[:min(2, len(sk.Synonyms))], "、") + "，按小时计，干完当天结。"
	default:
		// 160–310 元 for 8 hours: at or above the 20 元/小时 minimum the gig rules enforce.
		wage = int64(160+rng.IntN(16)*10) * 100
		title = fmt.Sprintf("%s招%s%d名", short, skill, n)
		desc = fmt.Sprintf("%s，需要%s，%s。", skill, strings.Join(sk.Synonyms[:min(2, len(sk.Synonyms))], "、"),
			[]string{"管午饭", "包吃住", "有班车接送", "干满一周另有奖励"}[rng.IntN(4)])
		if rng.IntN(3) == 0 {
			settle = domain.SettleWeekly
		}
	}
	if len(certs) > 0 {
		desc += "需持" + strings.Join(certs, "、") + "上岗。"
	}
	desc = descPrefix + desc
	unitS, settleS = string(unit), string(settle)
	return app.NewJob{JobFields: app.JobFields{Title: ptrTitle, Description: ptrDesc, Skills: &skills, RequiredCerts: &certs,
		Headcount: &headcount, WageFen: &wage, WageUnit: &unitS, PieceUnit: pieceUnit, ExpectedHours: expected, Settlement: &settleS,
		District: &district, Town: &townS, Address: &address, Lat: &lat, Lng: &lng, StartDate: &startS, EndDate: &endS,
		DailyHours: &hours, Shifts: &shifts, Contact: &contactS, OnsiteFirst: &onsite}}
}

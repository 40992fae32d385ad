package matching

import "lingong/domain"

// corpusTrades are the trades the generated market is made of: the taxonomy as it stood before issue 19
// (73 trades in 8 categories), frozen, so the benchmarks measure the same gigs, workers and queries
// before and after a change of the taxonomy, and blevebench the same corpus as ever. The engine reads
// this corpus with the current taxonomy.
var corpusTrades = []domain.Skill{
	// 农业采摘: Zhongwei's seasons (中宁枸杞, 沙坡头硒砂瓜, 酿酒葡萄, 苹果, 红枣) and its farms.
	{Name: "枸杞采摘", Category: "农业采摘", Synonyms: []string{"摘枸杞", "采枸杞", "枸杞", "摘果"}},
	{Name: "枸杞晾晒分拣", Category: "农业采摘", Synonyms: []string{"枸杞晾晒", "枸杞分拣", "晒枸杞", "拣枸杞"}},
	{Name: "硒砂瓜采收", Category: "农业采摘", Synonyms: []string{"摘西瓜", "硒砂瓜", "摘瓜", "搬瓜", "装瓜"}},
	{Name: "葡萄采摘", Category: "农业采摘", Synonyms: []string{"摘葡萄", "酿酒葡萄", "剪葡萄"}},
	{Name: "苹果采摘", Category: "农业采摘", Synonyms: []string{"摘苹果", "套袋", "苹果套袋"}},
	{Name: "红枣采摘", Category: "农业采摘", Synonyms: []string{"打枣", "摘枣", "红枣"}},
	{Name: "蔬菜采收", Category: "农业采摘", Synonyms: []string{"摘菜", "收菜", "大棚采摘"}},
	{Name: "果树修剪", Category: "农业采摘", Synonyms: []string{"剪枝", "修枝", "枸杞修剪", "果树剪枝"}},
	{Name: "大棚种植", Category: "农业采摘", Synonyms: []string{"温棚", "设施农业", "大棚管理", "种菜"}},
	{Name: "田间除草", Category: "农业采摘", Synonyms: []string{"除草", "拔草", "锄草"}},
	{Name: "播种育苗", Category: "农业采摘", Synonyms: []string{"育苗", "栽苗", "移栽", "种植"}},
	{Name: "农田灌溉", Category: "农业采摘", Synonyms: []string{"浇水", "浇地", "滴灌", "灌溉"}},
	{Name: "植保打药", Category: "农业采摘", Synonyms: []string{"打药", "喷药", "植保"}},
	{Name: "滩羊养殖", Category: "农业采摘", Synonyms: []string{"放羊", "养羊", "喂羊", "牛羊养殖"}},
	{Name: "畜禽饲养", Category: "农业采摘", Synonyms: []string{"喂牛", "养牛", "养鸡", "饲养员"}},
	{Name: "农产品分拣包装", Category: "农业采摘", Synonyms: []string{"分拣", "包装水果", "装箱", "挑果"}},
	// 建筑装修
	{Name: "建筑小工", Category: "建筑装修", Synonyms: []string{"力工", "杂工", "小工", "搬砖", "和灰", "工地小工", "壮工"}},
	{Name: "砌筑工", Category: "建筑装修", Synonyms: []string{"砌墙", "瓦工", "砌砖", "泥瓦工", "大工"}},
	{Name: "抹灰工", Category: "建筑装修", Synonyms: []string{"抹灰", "粉刷墙", "抹墙"}},
	{Name: "钢筋工", Category: "建筑装修", Synonyms: []string{"绑钢筋", "扎钢筋", "钢筋"}},
	{Name: "木工", Category: "建筑装修", Synonyms: []string{"模板工", "支模", "木匠"}},
	{Name: "混凝土工", Category: "建筑装修", Synonyms: []string{"打灰", "浇筑", "振捣", "混凝土"}},
	{Name: "架子工", Category: "建筑装修", Synonyms: []string{"搭架子", "脚手架"}, Certs: []string{"高处作业证"}},
	{Name: "电焊工", Category: "建筑装修", Synonyms: []string{"电焊", "焊工", "气焊", "焊接"}, Certs: []string{"焊工证"}},
	{Name: "电工", Category: "建筑装修", Synonyms: []string{"接电", "电路维修", "布线", "安装电路"}, Certs: []string{"电工证"}},
	{Name: "水暖工", Category: "建筑装修", Synonyms: []string{"水电工", "水管安装", "管道工", "暖气安装"}},
	{Name: "油漆工", Category: "建筑装修", Synonyms: []string{"刷漆", "喷漆", "涂料工", "刷墙"}},
	{Name: "瓷砖铺贴", Category: "建筑装修", Synonyms: []string{"贴砖", "铺砖", "贴瓷砖", "铺地砖"}},
	{Name: "防水工", Category: "建筑装修", Synonyms: []string{"防水", "做防水"}},
	{Name: "拆除工", Category: "建筑装修", Synonyms: []string{"拆墙", "拆除", "砸墙"}},
	{Name: "门窗安装", Category: "建筑装修", Synonyms: []string{"装门窗", "安装门窗", "玻璃安装"}},
	{Name: "保温工", Category: "建筑装修", Synonyms: []string{"外墙保温", "保温"}, Certs: []string{"高处作业证"}},
	// 搬运物流
	{Name: "搬运", Category: "搬运物流", Synonyms: []string{"装卸", "装车", "卸车", "卸货", "扛包", "搬货", "装卸工", "搬运工"}},
	{Name: "搬家", Category: "搬运物流", Synonyms: []string{"搬家工", "家具搬运"}},
	{Name: "快递分拣", Category: "搬运物流", Synonyms: []string{"分拣快递", "快递", "包裹分拣"}},
	{Name: "仓库理货", Category: "搬运物流", Synonyms: []string{"理货", "仓管", "盘点", "库管"}},
	{Name: "送货配送", Category: "搬运物流", Synonyms: []string{"送货", "配送", "跑腿", "外卖"}},
	// 驾驶机械
	{Name: "叉车司机", Category: "驾驶机械", Synonyms: []string{"开叉车", "叉车"}, Certs: []string{"叉车证"}},
	{Name: "小车司机", Category: "驾驶机械", Synonyms: []string{"司机", "开车", "驾驶员", "代驾"}, Certs: []string{"C1驾照"}},
	{Name: "货车司机", Category: "驾驶机械", Synonyms: []string{"开货车", "拉货", "大车司机"}, Certs: []string{"B2驾照"}},
	{Name: "挖掘机司机", Category: "驾驶机械", Synonyms: []string{"开挖机", "挖机", "挖掘机"}, Certs: []string{"挖掘机操作证"}},
	{Name: "塔吊司机", Category: "驾驶机械", Synonyms: []string{"塔吊", "吊车司机", "起重工"}, Certs: []string{"起重机械操作证"}},
	{Name: "农机驾驶", Category: "驾驶机械", Synonyms: []string{"开拖拉机", "拖拉机", "收割机", "农机手"}, Certs: []string{"农机驾驶证"}},
	{Name: "无人机植保", Category: "驾驶机械", Synonyms: []string{"无人机打药", "飞防", "无人机"}, Certs: []string{"无人机驾驶证"}},
	// 家政护理
	{Name: "保洁", Category: "家政护理", Synonyms: []string{"清洁", "打扫", "打扫卫生", "擦玻璃", "清扫", "卫生"}},
	{Name: "开荒保洁", Category: "家政护理", Synonyms: []string{"开荒", "新房打扫", "装修后保洁"}},
	{Name: "钟点工", Category: "家政护理", Synonyms: []string{"小时工", "家务"}},
	{Name: "住家保姆", Category: "家政护理", Synonyms: []string{"保姆", "做饭保姆", "家政"}, Certs: []string{"健康证"}},
	{Name: "育儿嫂", Category: "家政护理", Synonyms: []string{"带孩子", "看孩子", "育婴"}, Certs: []string{"健康证"}},
	{Name: "月嫂", Category: "家政护理", Synonyms: []string{"母婴护理", "产后护理"}, Certs: []string{"健康证", "母婴护理证"}},
	{Name: "养老护理", Category: "家政护理", Synonyms: []string{"护工", "陪护", "照顾老人", "护理员", "失能照护"}},
	{Name: "收纳整理", Category: "家政护理", Synonyms: []string{"整理收纳", "收纳"}},
	// 餐饮服务
	{Name: "厨师", Category: "餐饮服务", Synonyms: []string{"炒菜", "大厨", "掌勺", "做饭"}, Certs: []string{"健康证"}},
	{Name: "帮厨", Category: "餐饮服务", Synonyms: []string{"切配", "打荷", "配菜", "厨房杂工"}, Certs: []string{"健康证"}},
	{Name: "洗碗工", Category: "餐饮服务", Synonyms: []string{"洗碗", "刷碗"}, Certs: []string{"健康证"}},
	{Name: "服务员", Category: "餐饮服务", Synonyms: []string{"传菜", "点菜", "餐厅服务", "跑堂"}, Certs: []string{"健康证"}},
	{Name: "面点师", Category: "餐饮服务", Synonyms: []string{"做面点", "拉面", "蒸馒头", "面食"}, Certs: []string{"健康证"}},
	// 工厂加工
	{Name: "普工", Category: "工厂加工", Synonyms: []string{"流水线", "操作工", "车间工人", "厂里上班"}},
	{Name: "包装工", Category: "工厂加工", Synonyms: []string{"打包", "包装", "封箱"}},
	{Name: "质检员", Category: "工厂加工", Synonyms: []string{"质检", "检验", "品检"}},
	{Name: "缝纫工", Category: "工厂加工", Synonyms: []string{"缝纫", "车工", "裁缝"}},
	{Name: "食品加工", Category: "工厂加工", Synonyms: []string{"屠宰分割", "分割肉", "食品厂"}, Certs: []string{"健康证"}},
	{Name: "机修工", Category: "工厂加工", Synonyms: []string{"修机器", "设备维修", "机修"}},
	// 综合服务
	{Name: "保安", Category: "综合服务", Synonyms: []string{"门卫", "值守", "看大门", "安保"}, Certs: []string{"保安员证"}},
	{Name: "绿化养护", Category: "综合服务", Synonyms: []string{"园林", "绿化", "浇花", "修剪草坪", "种树"}},
	{Name: "环卫清扫", Category: "综合服务", Synonyms: []string{"扫马路", "环卫", "扫大街", "清运垃圾"}},
	{Name: "促销导购", Category: "综合服务", Synonyms: []string{"促销", "导购", "推销", "发传单"}},
	{Name: "活动布置", Category: "综合服务", Synonyms: []string{"会场布置", "舞台搭建", "婚庆布置"}},
	{Name: "洗车工", Category: "综合服务", Synonyms: []string{"洗车", "汽车美容"}},
	{Name: "收银员", Category: "综合服务", Synonyms: []string{"收银", "收款"}},
}

// corpusCategories are the categories of corpusTrades, in the order pickCategory draws them.
var corpusCategories = []string{"农业采摘", "建筑装修", "搬运物流", "驾驶机械", "家政护理", "餐饮服务", "工厂加工", "综合服务"}

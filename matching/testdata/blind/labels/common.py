# -*- coding: utf-8 -*-
"""Shared hidden knowledge for the blind evaluation set.

Written from general knowledge of Zhongwei (中卫市) geography and gig work;
no product code or data was consulted.  Coordinates are the author's own
approximate estimates (±5 km) and only serve to judge commute distance.
"""
import math, datetime

TODAY = datetime.date(2027, 1, 5)
SPRING_FESTIVAL = datetime.date(2027, 2, 6)
WINTER_BREAK = (datetime.date(2027, 1, 16), datetime.date(2027, 2, 24))

DISTRICTS = {
    "沙坡头区": ["滨河镇", "文昌镇", "东园镇", "柔远镇", "镇罗镇", "宣和镇", "永康镇", "常乐镇", "迎水桥镇", "兴仁镇", "香山乡"],
    "中宁县": ["宁安镇", "鸣沙镇", "石空镇", "新堡镇", "恩和镇", "大战场镇", "舟塔乡", "白马乡", "余丁乡", "喊叫水乡", "徐套乡", "太阳梁乡"],
    "海原县": ["海城镇", "三河镇", "七营镇", "李旺镇", "西安镇", "史店乡", "树台乡", "关桥乡", "贾塘乡", "郑旗乡", "九彩乡", "红羊乡", "李俊乡", "曹洼乡", "关庄乡", "甘城乡", "高崖乡"],
}
TOWN_DISTRICT = {t: d for d, ts in DISTRICTS.items() for t in ts}

# (lat, lon) rough estimates of the town seats
TOWN_XY = {
    "滨河镇": (37.520, 105.190), "文昌镇": (37.500, 105.195), "东园镇": (37.525, 105.250),
    "柔远镇": (37.505, 105.120), "镇罗镇": (37.565, 105.285), "宣和镇": (37.435, 105.330),
    "永康镇": (37.450, 105.130), "常乐镇": (37.400, 105.030), "迎水桥镇": (37.470, 105.020),
    "兴仁镇": (36.930, 105.280), "香山乡": (37.180, 105.230),
    "宁安镇": (37.490, 105.680), "鸣沙镇": (37.440, 105.830), "石空镇": (37.570, 105.520),
    "新堡镇": (37.525, 105.600), "恩和镇": (37.455, 105.780), "大战场镇": (37.330, 105.630),
    "舟塔乡": (37.505, 105.720), "白马乡": (37.520, 105.800), "余丁乡": (37.590, 105.600),
    "喊叫水乡": (36.980, 105.580), "徐套乡": (37.020, 105.980), "太阳梁乡": (37.280, 105.550),
    "海城镇": (36.560, 105.645), "三河镇": (36.800, 105.900), "七营镇": (36.730, 106.050),
    "李旺镇": (36.880, 105.970), "西安镇": (36.620, 105.480), "史店乡": (36.550, 105.750),
    "树台乡": (36.730, 105.580), "关桥乡": (36.830, 105.750), "贾塘乡": (36.500, 105.500),
    "郑旗乡": (36.400, 105.750), "九彩乡": (36.530, 105.370), "红羊乡": (36.330, 105.600),
    "李俊乡": (36.380, 105.820), "曹洼乡": (36.400, 105.500), "关庄乡": (36.350, 105.950),
    "甘城乡": (36.500, 105.950), "高崖乡": (36.600, 105.950),
}
assert set(TOWN_XY) == set(TOWN_DISTRICT)

LANDMARK_TOWN = {
    "沙坡头景区": "迎水桥镇", "中卫工业园区": "柔远镇", "石空工业园": "石空镇", "中宁工业园": "石空镇",
    "中宁枸杞交易市场": "宁安镇", "高庙": "滨河镇", "鼓楼": "滨河镇", "应理南街": "文昌镇",
    "中卫南站": "文昌镇", "海原新区": "海城镇", "天都山": "西安镇",
}


def hav(a, b):
    (la1, lo1), (la2, lo2) = a, b
    R = 6371.0
    p1, p2 = math.radians(la1), math.radians(la2)
    dp, dl = p2 - p1, math.radians(lo2 - lo1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R * math.asin(math.sqrt(h))


def road_km(town_a, town_b):
    """Estimated road distance between two towns (same town: 4 km, village spread)."""
    if town_a == town_b:
        return 4.0
    return max(6.0, hav(TOWN_XY[town_a], TOWN_XY[town_b]) * 1.3)


# ---------------------------------------------------------------- certificates
CERT_NAMES = {
    "elec": "电工证(低压电工作业证)", "weld": "焊工证(熔化焊接与热切割作业证)",
    "height": "高处作业证(登高证)", "forklift": "叉车证(N1)", "excavator": "挖掘机操作证",
    "loader": "装载机操作证", "C1": "驾照C1", "B2": "驾照B2", "A2": "驾照A2",
    "health": "健康证", "yuying": "育婴师证", "muying": "母婴护理证(月嫂证)",
    "elder": "养老护理员证", "guard": "保安员证", "chef": "厨师证", "boiler": "司炉证(G1)",
    "teacher": "教师资格证", "farmmach": "拖拉机/联合收割机驾驶证", "drone": "无人机操控证",
}
IMPLIES = {"A2": {"B2", "C1"}, "B2": {"C1"}}


def expand_certs(certs):
    s = set(certs)
    for c in list(s):
        s |= IMPLIES.get(c, set())
    return s


def certs_ok(req, have):
    """req: list of alternative-lists (AND of ORs)."""
    have = expand_certs(have)
    return all(any(c in have for c in alt) for alt in req)


# ---------------------------------------------------------------- trades
# trade -> (field, chinese gloss, rare?)
TRADES = {
    # agriculture
    "gouqi_pick": ("agri", "摘枸杞", False), "gouqi_prune": ("agri", "枸杞修剪", False),
    "gouqi_dry": ("agri", "枸杞晾晒制干/分拣", False), "melon": ("agri", "硒砂瓜种植采收", False),
    "orchard": ("agri", "苹果红枣葡萄果园活", False), "greenhouse": ("agri", "大棚设施农业", False),
    "livestock": ("agri", "滩羊牛养殖饲喂", False), "forage": ("agri", "饲草收割打捆", False),
    "farm_general": ("agri", "农活杂工", False),
    "shearing": ("agri", "羊毛剪毛", True), "vet_aid": ("agri", "牛羊防疫/兽医助理", True),
    "drone_spray": ("agri", "无人机飞防打药", True), "beekeeping": ("agri", "养蜂", True),
    "sand_barrier": ("agri", "扎草方格治沙", True),
    # construction
    "labourer": ("constr", "建筑小工", False), "mason": ("constr", "瓦工泥瓦工砌墙贴砖", False),
    "rebar": ("constr", "钢筋工", False), "carpenter": ("constr", "木工支模", False),
    "scaffold": ("constr", "架子工", False), "welder": ("constr", "电焊工", False),
    "plumber_elec": ("constr", "水电工", False), "electrician": ("constr", "电工", False),
    "painter": ("constr", "油漆工刷墙", False), "decorator": ("constr", "装修师傅(综合)", False),
    "waterproof": ("constr", "防水", False),
    "steel_shed": ("constr", "彩钢房搭建", True), "window_install": ("constr", "门窗安装", True),
    "aircon": ("constr", "空调安装", True), "high_clean": ("constr", "高空外墙清洗", True),
    "well_drill": ("constr", "打井", True),
    # logistics
    "loading": ("logi", "装卸搬运", False), "sorting": ("logi", "快递分拣", False),
    "forklift": ("logi", "叉车司机", False), "truck_driver": ("logi", "货车司机", False),
    "ecom_pack": ("logi", "电商打包发货", True),
    # tourism / catering
    "scenic": ("tour", "景区服务", False), "camel": ("tour", "驼队牵骆驼", False),
    "rafting": ("tour", "漂流羊皮筏子", False), "security": ("tour", "保安门卫", False),
    "waiter": ("cater", "餐饮服务员", False), "kitchen_helper": ("cater", "后厨帮工切配", False),
    "dishwash": ("cater", "洗碗", False), "cook": ("cater", "厨师", False),
    "banquet_help": ("cater", "宴席帮厨传菜", False),
    "banquet_cook": ("cater", "红白喜事厨师", True), "noodle_maker": ("cater", "面点油香馓子", True),
    "desert_vehicle": ("tour", "沙漠越野车驾驶", True),
    # energy
    "pv_clean": ("energy", "光伏板清洗", False), "pv_om": ("energy", "光伏电站运维", False),
    "wind": ("energy", "风电运维", False),
    # manufacturing
    "factory": ("factory", "普工流水线包装", False), "brick": ("factory", "砖厂", True),
    "mine_aux": ("factory", "煤矿井下辅助", True), "carpet": ("factory", "地毯编织", True),
    "embroidery": ("factory", "手工刺绣", True),
    # household
    "cleaning": ("house", "保洁", False), "housekeeping": ("house", "家政钟点工", False),
    "nanny": ("house", "保姆", False), "yuesao": ("house", "月嫂育儿嫂", False),
    "carer": ("house", "护工陪护养老护理", False),
    # education
    "tutor": ("edu", "家教辅导作业", False), "childcare": ("edu", "托管看护", False),
    # events
    "stage": ("event", "舞台搭建", False), "host": ("event", "婚礼司仪", True),
    "photographer": ("event", "婚礼跟拍摄影", True), "makeup": ("event", "跟妆化妆", True),
    # municipal
    "sanitation": ("muni", "环卫扫马路", False), "greening": ("muni", "绿化园林", False),
    "snow": ("muni", "除雪", False),
    # repairs
    "appliance": ("repair", "家电维修", False), "car_repair": ("repair", "修车", False),
    "drain": ("repair", "管道疏通", False), "locksmith": ("repair", "开锁", True),
    "shoe_repair": ("repair", "修鞋", True), "ebike_repair": ("repair", "电动车维修", True),
    # machines
    "excavator": ("mach", "挖掘机钩机", False), "loader": ("mach", "装载机铲车", False),
    "harvester": ("mach", "收割机", False), "tractor": ("mach", "拖拉机", False),
    # misc services (rare)
    "slaughter": ("food", "屠宰分割", True), "designated_driver": ("drive", "代驾", True),
    "livestream": ("sales", "直播带货助播", True), "flyers": ("sales", "发传单地推", True),
    "cashier": ("sales", "收银理货", True), "car_wash": ("repair", "洗车", True),
    "barber": ("service", "理发", True), "calligraphy": ("service", "写春联", True),
    "boiler": ("factory", "锅炉工司炉", True), "pest": ("service", "消杀", True),
    "ranger": ("muni", "护林员", True),
    "bath": ("service", "搓澡", True), "musician": ("event", "红白事乐手唢呐", True),
    "recycling": ("service", "废品回收分拣", True),
}

# Directed relations: a worker whose own trade is KEY can clearly do REL2,
# and might accept REL1 as a fallback.  More skilled -> less skilled only.
REL2 = {
    "mason": {"labourer", "decorator", "waterproof"},
    "labourer": {"loading", "brick"},
    "rebar": {"labourer"},
    "carpenter": {"labourer", "decorator", "stage"},
    "scaffold": {"labourer", "stage"},
    "welder": {"labourer", "steel_shed"},
    "electrician": {"plumber_elec", "appliance", "aircon", "pv_om"},
    "plumber_elec": {"drain", "electrician"},
    "painter": {"decorator", "waterproof"},
    "decorator": {"painter", "labourer", "waterproof"},
    "waterproof": {"labourer"},
    "steel_shed": {"labourer"},
    "loading": {"sorting", "ecom_pack"},
    "sorting": {"ecom_pack", "loading"},
    "forklift": {"loading", "sorting"},
    "truck_driver": {"designated_driver"},
    "ecom_pack": {"sorting", "factory"},
    "gouqi_pick": {"gouqi_dry", "farm_general"},
    "gouqi_prune": {"gouqi_pick", "orchard", "gouqi_dry", "farm_general"},
    "gouqi_dry": {"farm_general"},
    "melon": {"farm_general"},
    "orchard": {"farm_general", "gouqi_pick"},
    "greenhouse": {"farm_general"},
    "livestock": {"forage", "farm_general"},
    "forage": {"farm_general"},
    "farm_general": {"gouqi_pick", "melon", "greenhouse", "orchard", "forage"},
    "shearing": {"livestock"},
    "excavator": {"loader"},
    "harvester": {"tractor"},
    "scenic": set(),
    "camel": {"scenic"},
    "rafting": {"scenic"},
    "waiter": {"banquet_help", "dishwash"},
    "kitchen_helper": {"dishwash", "banquet_help"},
    "cook": {"kitchen_helper", "banquet_cook", "noodle_maker", "banquet_help"},
    "banquet_cook": {"cook", "kitchen_helper", "banquet_help"},
    "noodle_maker": {"kitchen_helper"},
    "banquet_help": {"dishwash", "waiter"},
    "pv_om": {"pv_clean", "electrician"},
    "wind": {"pv_om"},
    "factory": {"ecom_pack", "sorting"},
    "brick": {"labourer"},
    "mine_aux": {"labourer"},
    "carpet": {"embroidery"},
    "cleaning": {"housekeeping"},
    "housekeeping": {"cleaning"},
    "nanny": {"housekeeping", "cleaning"},
    "yuesao": {"nanny", "housekeeping"},
    "carer": {"housekeeping"},
    "tutor": {"childcare"},
    "stage": {"loading"},
    "sanitation": {"snow"},
    "greening": {"snow"},
    "appliance": {"aircon"},
    "car_repair": {"ebike_repair"},
    "aircon": {"appliance"},
    "high_clean": {"cleaning"},
}
REL1 = {
    "mason": {"loading", "painter", "brick", "steel_shed"},
    "labourer": {"farm_general", "sanitation", "snow", "pv_clean", "sand_barrier", "forage", "melon", "stage", "mine_aux"},
    "rebar": {"loading", "steel_shed"},
    "carpenter": {"loading", "window_install", "steel_shed"},
    "scaffold": {"loading", "steel_shed"},
    "welder": {"rebar", "loading", "window_install"},
    "electrician": {"labourer", "pv_clean", "stage", "wind"},
    "plumber_elec": {"labourer", "appliance", "aircon"},
    "painter": {"labourer"},
    "decorator": {"mason", "window_install"},
    "waterproof": {"painter"},
    "loading": {"labourer", "factory", "brick", "farm_general", "stage"},
    "sorting": {"factory"},
    "forklift": {"factory"},
    "truck_driver": {"loading", "tractor"},
    "ecom_pack": {"loading"},
    "gouqi_pick": {"orchard", "greenhouse", "melon"},
    "gouqi_prune": {"greenhouse", "greening"},
    "gouqi_dry": {"gouqi_pick", "factory", "ecom_pack"},
    "melon": {"greenhouse", "orchard", "gouqi_pick", "loading"},
    "orchard": {"greenhouse", "gouqi_prune", "greening"},
    "greenhouse": {"gouqi_pick", "orchard", "melon"},
    "livestock": {"shearing", "camel"},
    "forage": {"livestock", "loading"},
    "farm_general": {"livestock", "labourer", "loading", "gouqi_dry", "sand_barrier"},
    "shearing": {"slaughter"},
    "slaughter": {"livestock"},
    "excavator": {"tractor", "harvester"},
    "loader": {"excavator", "tractor", "forklift"},
    "harvester": {"forage", "farm_general"},
    "tractor": {"harvester", "farm_general", "forage"},
    "scenic": {"waiter", "camel", "rafting", "security", "cleaning"},
    "camel": {"livestock"},
    "rafting": {"camel"},
    "security": {"scenic"},
    "waiter": {"scenic", "cashier", "cleaning", "kitchen_helper"},
    "kitchen_helper": {"waiter"},
    "dishwash": {"kitchen_helper", "cleaning"},
    "cook": {"dishwash"},
    "banquet_cook": {"noodle_maker"},
    "banquet_help": {"kitchen_helper"},
    "pv_clean": {"labourer", "sanitation"},
    "pv_om": {"wind"},
    "wind": {"electrician"},
    "factory": {"loading", "gouqi_dry"},
    "brick": {"loading"},
    "mine_aux": {"loading"},
    "carpet": {"factory"},
    "embroidery": {"carpet", "factory"},
    "cleaning": {"dishwash", "sanitation"},
    "housekeeping": {"carer", "nanny"},
    "nanny": {"carer", "childcare"},
    "yuesao": {"childcare"},
    "carer": {"cleaning", "nanny"},
    "childcare": {"tutor"},
    "stage": {"scaffold", "labourer"},
    "sanitation": {"cleaning", "labourer", "greening"},
    "greening": {"sanitation", "farm_general"},
    "snow": {"sanitation", "labourer"},
    "appliance": {"electrician"},
    "car_repair": {"car_wash"},
    "drain": {"plumber_elec"},
    "livestream": {"ecom_pack"},
    "cashier": {"waiter"},
    "car_wash": {"cleaning"},
    "aircon": {"electrician"},
    "steel_shed": {"welder"},
}


def day_equiv_fen(wage_fen, unit, expected_hours, daily_hours):
    """Rough pay for one working day, in fen."""
    if unit == "day":
        return wage_fen
    if unit == "hour":
        return wage_fen * daily_hours
    if unit in ("piece", "job"):
        if expected_hours and expected_hours > 0:
            return wage_fen * daily_hours / expected_hours
        return None
    return None


def d(s):
    return datetime.date.fromisoformat(s)

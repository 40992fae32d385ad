# -*- coding: utf-8 -*-
"""Search queries with hidden judging labels.

g3/g2/g1: gig trades graded 3/2/1 for the query.
g1_text: substrings; a gig whose title/description contains one gets at least grade 1 (look-alike postings
         that still name the thing searched for).
area: ("district", name) | ("towns", [..]) | ("near", town, km) ; alt_towns: graded at most 2.
cert_held: certificates the searcher says they hold -> gigs requiring another certificate break the condition.
wage_floor_day (fen, day-equivalent), hour_floor (fen/hour), window (start, end) must overlap.
soft: "daily" / "lodging": unmet -> grade minus 1.
special: name of a custom rule in grade.py (pure time / condition queries).
Hard-condition breach: grade 1 if the gig is the right trade (grade 3 by trade), else 0.
"""

def Q(q, note, g3=(), g2=(), g1=(), g1_text=(), area=None, alt_towns=(), cert_held=(), wage_floor_day=None,
      hour_floor=None, window=None, soft=(), special=None):
    return dict(q=q, note=note, g3=list(g3), g2=list(g2), g1=list(g1), g1_text=list(g1_text), area=area,
                alt_towns=list(alt_towns), cert_held=list(cert_held), wage_floor_day=wage_floor_day,
                hour_floor=hour_floor, window=window, soft=list(soft), special=special)

CONSTR = ["labourer", "mason", "rebar", "carpenter", "scaffold", "welder", "plumber_elec", "electrician", "painter",
          "decorator", "waterproof", "steel_shed"]

QUERIES = [
Q("泥挖工", "找泥瓦工活(错别字)", g3=["mason"], g2=["decorator"], g1=["labourer", "waterproof"]),
Q("保结", "找保洁活(错别字)", g3=["cleaning"], g2=["housekeeping"], g1=["sanitation", "high_clean"]),
Q("摘枸杞", "摘枸杞的活", g3=["gouqi_pick"], g1=["gouqi_prune", "gouqi_dry"]),
Q("中宁 摘枸杞", "中宁县的摘枸杞活(地区硬条件)", g3=["gouqi_pick"], g1=["gouqi_prune", "gouqi_dry"], area=("district", "中宁县")),
Q("工业园区 普工", "中卫工业园区的普工/流水线", g3=["factory"], g2=["ecom_pack"], g1=["sorting"],
  area=("near", "柔远镇", 12), alt_towns=["石空镇", "新堡镇"]),
Q("找活 电工证", "有电工证，找要电工证的活", g3=["electrician", "plumber_elec", "pv_om"], g2=["wind", "aircon", "appliance"],
  cert_held=["elec"]),
Q("一天200以上", "日收入200元以上的任何活", special="wage_only", wage_floor_day=20000),
Q("时薪25", "按小时算、每小时25元以上", special="hourly", hour_floor=2500),
Q("寒假", "学生寒假能干的活", special="winter_break"),
Q("明天", "明天就能上工的活", special="tomorrow"),
Q("周末", "只有周末能干的短活", special="weekend"),
Q("下周", "下周开始的活", special="next_week"),
Q("日结 包吃住", "日结且包吃住", special="daily_lodging"),
Q("钩机", "开挖掘机的活", g3=["excavator"], g2=["loader"]),
Q("勾机司机", "挖掘机司机(错别字)", g3=["excavator"], g2=["loader"]),
Q("叉车", "叉车司机", g3=["forklift"], g1=["loading"]),
Q("插车 有证", "有叉车证找叉车活(错别字)", g3=["forklift"], g1=["loading"], cert_held=["forklift"]),
Q("小工", "建筑小工", g3=["labourer"], g1=["kitchen_helper", "loading", "well_drill", "brick", "steel_shed"]),
Q("搬砖", "工地搬砖小工(俚语)", g3=["labourer"], g2=["brick"], g1=["loading", "mine_aux"]),
Q("力气活", "不挑活的体力活", g3=["labourer", "loading"],
  g2=["farm_general", "melon", "brick", "forage", "snow", "mine_aux", "sand_barrier", "pv_clean", "well_drill", "recycling"],
  g1=["sanitation", "sorting", "factory", "gouqi_pick", "greening", "stage", "slaughter"]),
Q("月嫂", "月嫂活", g3=["yuesao"], g2=["nanny"]),
Q("育儿嫂", "育儿嫂/带孩子", g3=["yuesao"], g2=["nanny"], g1=["childcare"]),
Q("户工", "护工(错别字)", g3=["carer"], g2=["nanny"], g1=["housekeeping"]),
Q("医院陪护", "医院陪护", g3=["carer"], g1=["nanny"]),
Q("家教", "家教", g3=["tutor"], g2=["childcare"]),
Q("辅导作业", "辅导孩子作业", g3=["tutor"], g2=["childcare"]),
Q("钟点工", "家政钟点工(不是点工)", g3=["housekeeping"], g2=["cleaning"], g1=["nanny"]),
Q("电工", "电工活", g3=["electrician"], g2=["plumber_elec", "pv_om"], g1=["wind", "appliance", "aircon"]),
Q("焊工", "电焊活", g3=["welder"], g2=["steel_shed"], g1=["window_install"]),
Q("电汗", "电焊(错别字)", g3=["welder"], g2=["steel_shed"], g1=["window_install"]),
Q("架子工", "搭脚手架", g3=["scaffold"], g1=["stage", "high_clean"]),
Q("货车司机", "开货车(不是收割机司机)", g3=["truck_driver"], g1=["designated_driver", "desert_vehicle"]),
Q("司机", "开车的活", g3=["truck_driver", "designated_driver"], g2=["desert_vehicle"],
  g1=["forklift", "excavator", "loader", "harvester", "tractor"]),
Q("骑骆驼", "沙坡头驼队", g3=["camel"], g1=["scenic"]),
Q("沙坡头 景区", "沙坡头景区里的活", g3=["scenic", "camel", "rafting", "desert_vehicle"],
  g2=["security", "waiter", "kitchen_helper", "dishwash", "cleaning"], area=("towns", ["迎水桥镇"])),
Q("保安", "保安门卫(不是安装)", g3=["security"], g1=["ranger"]),
Q("服务员", "餐饮服务员", g3=["waiter"], g2=["banquet_help"], g1=["scenic", "cashier"]),
Q("洗腕", "洗碗(错别字)", g3=["dishwash"], g1=["kitchen_helper", "banquet_help"]),
Q("光伏", "光伏清洗/运维", g3=["pv_clean", "pv_om"], g1=["wind"]),
Q("大棚", "大棚蔬菜活(不是焊大棚骨架)", g3=["greenhouse"], g1=["farm_general"]),
Q("西沙瓜", "硒砂瓜地里的活(错别字)", g3=["melon"], g1=["farm_general"], g1_text=["硒砂瓜", "压砂", "瓜地"]),
Q("放羊", "养羊放羊", g3=["livestock"], g1=["shearing", "vet_aid"]),
Q("剪羊毛", "剪羊毛", g3=["shearing"], g1=["livestock", "slaughter"]),
Q("装卸 日结", "装卸搬运, 想日结", g3=["loading"], g2=["sorting"], g1=["labourer", "stage"], soft=["daily"]),
Q("快递分拣", "快递分拣", g3=["sorting"], g2=["ecom_pack"], g1=["gouqi_dry", "recycling", "loading"]),
Q("海原 工地", "海原县的工地活", g3=CONSTR, g1=["well_drill"], area=("district", "海原县")),
Q("代驾", "代驾", g3=["designated_driver"]),
Q("刺绣", "手工刺绣", g3=["embroidery"], g1=["carpet"]),
Q("地毯编织", "织地毯", g3=["carpet"], g1=["embroidery"]),
Q("红白喜事 厨师", "宴席掌勺", g3=["banquet_cook"], g2=["cook"], g1=["banquet_help", "noodle_maker"]),
Q("有没有扫雪的活", "扫雪除雪", g3=["snow"], g1=["sanitation"], g1_text=["除雪", "扫雪", "出雪", "铲雪"]),
Q("急招 保姆", "保姆", g3=["nanny"], g2=["housekeeping", "yuesao"], g1=["carer"]),
Q("枸杞修剪 三月", "三月的枸杞修剪(时间硬条件)", g3=["gouqi_prune"], g1=["orchard"], window=("2027-03-01", "2027-03-31")),
Q("包吃住", "包吃住的活", special="lodging"),
Q("宣和 附近 零活", "宣和镇附近的零活", g3=["labourer", "loading", "farm_general", "greenhouse", "gouqi_pick", "gouqi_dry",
  "banquet_help", "sanitation", "snow", "cleaning", "pv_clean", "orchard", "melon"],
  g2=["kitchen_helper", "dishwash", "forage", "housekeeping", "greening", "recycling"], area=("near", "宣和镇", 15)),
Q("有电焊证 找活", "有焊工证找电焊活", g3=["welder"], g2=["steel_shed"], g1=["window_install"], cert_held=["weld"]),
Q("鼓楼附近 保洁", "中卫城区鼓楼附近保洁", g3=["cleaning"], g2=["housekeeping"], g1=["sanitation", "high_clean"],
  area=("near", "滨河镇", 8)),
Q("C1驾照 能干啥", "只有C1驾照, 找开车的活", g3=["designated_driver", "desert_vehicle", "truck_driver"],
  g1=["tractor"], cert_held=["C1"]),
Q("海原新区 服务员", "海原县城的服务员", g3=["waiter"], g2=["banquet_help"], g1=["cashier"], area=("towns", ["海城镇"])),
Q("小工 200以上", "小工, 一天200以上(工资硬条件)", g3=["labourer"], g1=["loading"], wage_floor_day=20000),
Q("养老护理员证", "持养老护理员证找护理活", g3=["carer"], g2=["nanny"], cert_held=["elder"]),
Q("下周 中卫 搬运", "沙坡头区下周的装卸搬运", g3=["loading"], g2=["sorting"], g1=["labourer"],
  area=("district", "沙坡头区"), window=("2027-01-11", "2027-01-17")),
Q("挖掘机 海原", "海原县开挖掘机", g3=["excavator"], g2=["loader"], area=("district", "海原县")),
Q("铲车司机", "装载机司机", g3=["loader"], g1=["excavator", "forklift"]),
]

# -*- coding: utf-8 -*-
"""Generate gigs.jsonl + labels/gig_labels.jsonl.  Seed 20270105."""
import json, random, re, datetime, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from common import *
from places import *
from gigspec import SPECS, OPTS
from raregigs import RARE, TARGETED

rng = random.Random(20270105)
OUT = os.path.join(os.path.dirname(__file__), "..")

TYPOS = {
    "泥瓦工": ["泥挖工"], "瓦工": ["哇工", "瓦公"], "保洁": ["保结", "保杰"], "枸杞": ["狗杞", "枸己", "苟杞"],
    "杞子": ["起子"], "硒砂瓜": ["西沙瓜", "硒沙瓜", "西砂瓜"], "钩机": ["勾机"], "挖掘机": ["挖觉机"],
    "叉车": ["插车"], "电焊": ["电汗", "点焊"], "焊工": ["汗工"], "砌墙": ["切墙", "砌强"], "架子工": ["驾子工"],
    "装卸": ["装泄"], "搬运": ["般运"], "分拣": ["分检"], "保姆": ["保母"], "护工": ["户工"], "月嫂": ["月扫"],
    "家政": ["家正"], "钟点工": ["钟点公"], "油漆": ["油七"], "防水": ["房水"], "小工": ["小公"], "修剪": ["修减"],
    "收割机": ["收个机"], "装载机": ["装在机"], "光伏": ["光服", "光福"], "清洗": ["清西"], "环卫": ["环为"],
    "服务员": ["服务圆", "服物员"], "洗碗": ["洗腕"], "厨师": ["橱师"], "家教": ["家交"], "辅导": ["付导"],
    "托管": ["拖管"], "大棚": ["大蓬", "打棚"], "滩羊": ["摊羊"], "日结": ["日节", "日接"], "钢筋": ["钢巾", "刚筋"],
    "木工": ["木公"], "腻子": ["泥子"], "刷墙": ["刷强"], "电工": ["点工"], "水电": ["水点"], "快递": ["快地"],
    "陪护": ["赔护"], "保安": ["报安"], "景区": ["景去"], "骆驼": ["洛驼"], "漂流": ["飘流"], "羊皮筏子": ["羊皮伐子"],
    "铲车": ["产车"], "拖拉机": ["拖啦机"], "除雪": ["出雪"], "绿化": ["绿花"], "疏通": ["书通"], "维修": ["维休"],
    "包吃住": ["包吃主"], "搬砖": ["班砖"], "摘": ["扎"],
}

CERT_TEXT = {
    "elec": ["电工证", "低压电工证", "电工操作证"], "weld": ["焊工证", "电焊证", "熔化焊接与热切割作业证"],
    "height": ["登高证", "高处作业证", "高空作业证"], "forklift": ["叉车证", "N1叉车证", "叉车操作证"],
    "excavator": ["挖掘机证", "挖机操作证", "钩机证"], "loader": ["装载机证", "铲车证", "装载机操作证"],
    "C1": ["C1驾照", "小车驾照"], "B2": ["B2驾照", "B本"], "A2": ["A2驾照", "A2本"], "health": ["健康证"],
    "yuying": ["育婴师证"], "muying": ["母婴护理证", "月嫂证"], "elder": ["养老护理员证", "护理证"],
    "guard": ["保安员证", "保安证"], "chef": ["厨师证"], "boiler": ["司炉证"], "teacher": ["教师资格证"],
    "farmmach": ["农机驾驶证", "农机驾驶操作证"], "drone": ["无人机操控证"],
}
STRUCT_NAME = {
    "elec": ["电工证", "低压电工作业证"], "weld": ["焊工证", "熔化焊接与热切割作业证"], "height": ["高处作业证", "登高证"],
    "forklift": ["叉车证", "N1叉车证"], "excavator": ["挖掘机操作证"], "loader": ["装载机操作证"], "C1": ["C1驾照"],
    "B2": ["B2驾照"], "A2": ["A2驾照"], "health": ["健康证"], "yuying": ["育婴师证"], "muying": ["母婴护理证"],
    "elder": ["养老护理员证"], "guard": ["保安员证"], "chef": ["厨师证"], "boiler": ["司炉证"], "teacher": ["教师资格证"],
    "farmmach": ["联合收割机驾驶证"], "drone": ["无人机操控证"],
}
WEEK = "一二三四五六日"


def yuan(fen):
    y = fen / 100
    return str(int(y)) if y == int(y) else ("%.2f" % y).rstrip("0").rstrip(".")


def wage_text(fen, unit, pu):
    y = yuan(fen)
    if unit == "day":
        return rng.choice(["%s元/天", "一天%s", "日工资%s元", "%s一天", "工资%s元每天", "每天%s块"]) % y
    if unit == "hour":
        return rng.choice(["%s元/小时", "一小时%s块", "时薪%s元", "按小时算%s元"]) % y
    if unit == "piece":
        if fen < 100 and rng.random() < 0.5:
            ytxt = "%d毛" % (fen // 10) if fen % 10 == 0 else y + "元"
        elif fen % 100 and fen > 100 and rng.random() < 0.5:
            ytxt = "%d块%d" % (fen // 100, (fen % 100) // 10)
        else:
            ytxt = y + "元"
        return rng.choice(["{y}/{u}", "{y}一{u}", "每{u}{y}", "按{u}算，{y}一{u}"]).format(y=ytxt, u=pu)
    if unit == "job":
        return rng.choice(["包干%s元", "干完给%s", "总共%s元", "一口价%s"]) % y


def md(x):
    return "%d月%d号" % (x.month, x.day)


def date_text(s, e):
    if s == TODAY:
        a = rng.choice(["今天就上工", "马上开工", "现在就要人"])
    elif s == TODAY + datetime.timedelta(1):
        a = rng.choice(["明天开工", "明天早上来", "明天上工"])
    elif (s - TODAY).days < 7:
        a = rng.choice(["%s开工" % md(s), "这周%s开始" % WEEK[s.weekday()], "%d.%d上工" % (s.month, s.day)])
    else:
        a = rng.choice(["%s开始" % md(s), "%s上工" % md(s), "预计%s开工" % md(s)])
        if s.month == 3 and rng.random() < 0.4:
            a = "年后开工，大概" + md(s)
    n = (e - s).days + 1
    if n == 1:
        b = rng.choice(["就干一天", "一天的活"])
    elif n <= 3:
        b = rng.choice(["干%d天" % n, "两三天的活"])
    elif n <= 20:
        b = rng.choice(["干%d天左右" % n, "干到%s" % md(e)])
    elif e == datetime.date(2027, 2, 4):
        b = "干到年前"
    elif n > 150:
        b = rng.choice(["长期", "长期干", "长期有活"])
    else:
        b = rng.choice(["干到%s" % md(e), "一直干到%d月%d号" % (e.month, e.day), "大概干%d天" % n])
    return a, b


def hours_text(h):
    if h >= 24:
        return rng.choice(["24小时在岗", "吃住在这里 24小时"])
    s = rng.choice([7, 8, 8, 9])
    if h >= 8:
        e = s + h + 1
        return rng.choice(["一天%d小时" % h, "早%d点到%s%d点" % (s, "晚" if e > 17 else "下午", e - 12 if e > 12 else e), "一天干%d个钟头" % h])
    return rng.choice(["一天%d小时" % h, "一天干%d个小时左右" % h])


def head_text(n):
    if n == 1:
        return rng.choice(["要1个人", "找一个", "招1人"])
    return rng.choice(["招%d人" % n, "要%d个人" % n, "%d名" % n, "缺%d个" % n])


def season_dates(season, dur):
    D = datetime.timedelta
    r = rng.randint
    if season == "now":
        s = TODAY + D(r(0, 4)); e = s + D(r(*dur) - 1)
    elif season == "near":
        s = TODAY + D(r(0, 40)); e = s + D(r(*dur) - 1)
    elif season == "prefest":
        s = TODAY + D(r(0, 18)); e = min(s + D(r(*dur) - 1), datetime.date(2027, 2, 4))
        if dur[1] > 5 and rng.random() < 0.5:
            e = datetime.date(2027, 2, 4)
    elif season == "fest":
        s = datetime.date(2027, 1, 28) + D(r(0, 12)); e = s + D(min(r(*dur), 20) - 1)
    elif season == "wb":
        s = datetime.date(2027, 1, 16) + D(r(0, 9)); e = min(s + D(r(*dur) - 1), datetime.date(2027, 2, 24))
    elif season == "march":
        s = datetime.date(2027, 2, 25) + D(r(0, 28)); e = s + D(r(*dur) - 1)
    elif season == "spring":
        s = datetime.date(2027, 3, 1) + D(r(0, 55)); e = s + D(r(*dur) - 1)
    elif season == "summer":
        s = datetime.date(2027, 5, 10) + D(r(0, 55)); e = s + D(r(*dur) - 1)
    elif season == "autumn":
        s = datetime.date(2027, 9, 1) + D(r(0, 25)); e = s + D(r(*dur) - 1)
    elif season == "gouqi_summer":
        s = datetime.date(2027, 6, 1) + D(r(0, 20)); e = datetime.date(2027, 8, 31) + D(r(0, 30))
    elif season == "melon_h":
        s = datetime.date(2027, 7, 1) + D(r(0, 20)); e = s + D(r(20, 45))
    elif season == "long":
        s = TODAY + D(r(0, 14)); e = datetime.date(2027, rng.choice([6, 9, 12]), 30 if rng.random() < 0.9 else 28)
    else:
        raise ValueError(season)
    return s, e


SPOT_TRADES = {  # spots that only suit some trades
    "枸杞交易市场": {"gouqi_dry", "loading", "sorting", "waiter", "kitchen_helper", "dishwash", "security", "cleaning", "ecom_pack", "appliance"},
    "小区": {"labourer", "mason", "carpenter", "rebar", "scaffold", "plumber_elec", "electrician", "painter", "decorator",
           "waterproof", "cleaning", "housekeeping", "nanny", "yuesao", "carer", "tutor", "childcare", "security", "drain",
           "appliance", "loading", "snow", "sanitation"},
    "沙坡头": {"scenic", "camel", "rafting", "security", "waiter", "kitchen_helper", "dishwash", "cleaning", "desert_vehicle"},
}


def place_text(district, town, urban, trade=None):
    sd = rng.choice(SHORT_DIST[district])
    spots = [p for p in URBAN.get(town, []) if all(k not in p or trade in ok for k, ok in SPOT_TRADES.items())]
    if urban and spots and rng.random() < 0.75:
        spot = rng.choice(spots)
        return spot, (spot if rng.random() < 0.5 else sd + " " + spot), ""
    v = rng.choice(VILLAGES[town])
    form = rng.random()
    if form < 0.35:
        addr = "%s%s%s" % (district, town, v)
    elif form < 0.6:
        addr = "%s%s%s%d组" % (sd, town, v, rng.randint(1, 8))
    elif form < 0.8:
        addr = "%s %s" % (town, v)
    else:
        addr = "%s%s" % (town, v)
    ptxt = rng.choice([town + v, sd + town, v, town, sd + " " + town + v])
    return addr, ptxt, v


def contact():
    sn = rng.choice(SURNAMES)
    suf = rng.choice(["先生", "女士", "老板", "经理", "师傅", "姐", "哥", "", "总"])
    ph = "1" + rng.choice(["39", "38", "37", "35", "50", "51", "52", "58", "59", "80", "86", "87", "88", "89", "77", "73", "99"]) + "".join(rng.choice("0123456789") for _ in range(8))
    ph = ph[:3] + "****" + ph[7:]  # masked like on public job boards; no real numbers
    c = "%s%s %s" % (sn, suf, ph)
    if rng.random() < 0.2:
        c += rng.choice([" 微信同号", "(微信同号)", " 打电话别发短信"])
    return c


def cert_phrase(code, hard):
    name = rng.choice(CERT_TEXT[code])
    if hard:
        return rng.choice(["要有%s", "持%s上岗", "必须有%s", "%s要有", "没有%s的别打电话"]) % name
    return rng.choice(["有%s的优先", "%s有的话工资高点", "最好有%s"]) % name


def cleanup(s):
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"[，,]\s*[，,。]", "，", s)
    s = re.sub(r"[，,]\s*[，,]", "，", s)
    s = re.sub(r"。\s*[，,]", "。", s)
    s = re.sub(r"。\s*。", "。", s)
    s = re.sub(r"^[，。\s]+", "", s)
    s = re.sub(r"[，\s]+$", "", s)
    s = s.replace("，。", "。").replace(" 。", "。").replace(" ，", "，").replace("， ", "，")
    return s


A_CHOICES = {"livestock": [80, 100, 150, 200, 300, 500], "gouqi_pick": [10, 20, 30, 50, 100, 200],
             "gouqi_prune": [30, 50, 80, 100, 200], "banquet_help": [8, 10, 15, 20, 30], "melon": [20, 30, 50, 100],
             "orchard": [10, 20, 30, 50, 80]}


def make_common(trade, spec):
    ti = rng.randrange(len(spec["descs"]))
    tpl = spec["descs"][ti]
    o = OPTS.get(trade, {}).get(ti, {})
    town = rng.choice(spec["towns"])
    district = TOWN_DISTRICT[town]
    addr, ptxt, village = place_text(district, town, spec.get("urban", False) and not o.get("rural"), trade)
    wopts = [spec["wage"][i] for i in o["wage"]] if "wage" in o else spec["wage"]
    unit, lo, hi, step, pu, eh = rng.choice(wopts)
    fen = lo + step * rng.randint(0, (hi - lo) // step) if hi > lo else lo
    hours = rng.choice(o.get("hours", spec["hours"]))
    settle = rng.choice(spec["settle"])
    s, e = season_dates(rng.choice(o.get("season", spec["season"])), o.get("dur", spec.get("dur", (5, 30))))
    if o.get("start0"):
        s = e = TODAY
    head = rng.randint(*spec["head"])
    ndays = (e - s).days + 1

    def fits(p):
        if "长期" in p and ndays <= 30:
            return False
        if "年前" in p and e > datetime.date(2027, 2, 5):
            return False
        if "瓜季" in p and s.month < 6:
            return False
        return True
    # certificates
    req, reqtxt, struct = [], [], []
    if "req" in o:
        req = [list(a) for a in o["req"]]
    else:
        for p, alts in spec.get("req", []):
            if rng.random() < p:
                for alt in alts:
                    req.append(list(alt))
    for alt in req:
        code = rng.choice(alt)
        mode = rng.random()
        if mode < 0.45 or (mode >= 0.45 and mode < 0.7):
            if len(alt) == 1:
                struct.append(rng.choice(STRUCT_NAME[code]))
            elif set(alt) == {"B2", "A2"}:
                struct.append(rng.choice(["B2驾照及以上", "B2或A2驾照"]))
            else:
                struct.append("或".join(STRUCT_NAME[c][0] for c in alt))
        if mode < 0.45 or mode >= 0.7:
            reqtxt.append(cert_phrase(code, True) if len(alt) == 1 else ("要有" + "或".join(rng.choice(CERT_TEXT[c]) for c in alt)))
        if mode >= 0.45 and mode < 0.7 and rng.random() < 0.5:
            reqtxt.append(rng.choice(["持证上岗", "证件齐全"]))
    pref = []
    if not req:
        for p, code in spec.get("pref", []):
            if rng.random() < p:
                pref.append(code)
                reqtxt.append(cert_phrase(code, False))
    # conditions
    x = []
    lodging = rng.random() < spec.get("lodging_p", 0)
    meals = lodging or rng.random() < spec.get("meals_p", 0)
    if lodging:
        if trade in ("carer", "nanny", "yuesao", "housekeeping"):
            x.append(rng.choice(["包吃住", "住家 管吃住"]))
        else:
            x.append(rng.choice(["包吃住", "管吃管住", "提供住宿", "有宿舍 管饭"]))
    elif meals:
        x.append(rng.choice(["管午饭", "管饭", "中午管一顿饭", "包吃"]))
    transport = rng.random() < spec.get("transport_p", 0)
    if transport:
        x.append(rng.choice(["车接车送", "有车接送", "县城有车拉"]))
    if settle == "daily" and rng.random() < 0.75:
        x.append(rng.choice(["日结", "当天结账", "干一天结一天", "日结不拖欠"]))
    elif settle == "weekly" and rng.random() < 0.5:
        x.append(rng.choice(["一周一结", "周结"]))
    elif settle == "on_completion" and rng.random() < 0.5:
        x.append(rng.choice(["干完结账", "完工结算", "活干完一次结清"]))
    gender = o.get("gender")
    r = rng.random()
    if gender:
        if rng.random() < 0.5:
            x.append(rng.choice(["只要女工", "限女性", "女的"]) if gender == "女" else "限男性")
    elif r < spec.get("male_p", 0):
        gender = "男"; x.append(rng.choice(["限男性", "只要男的", "男工"]))
    elif r < spec.get("male_p", 0) + spec.get("female_p", 0):
        gender = "女"; x.append(rng.choice(["只要女工", "限女性", "女的"]))
    elif rng.random() < 0.2:
        x.append("男女不限")
    max_age = None
    if rng.random() < spec.get("age_p", 0):
        max_age = rng.choice(spec["ages"])
        x.append(rng.choice(["%d岁以下", "年龄%d以内", "%d岁以下身体好", "超过%d岁的别打电话"]) % max_age)
    ex = [p for p in spec.get("extra", []) if fits(p)]
    if rng.random() < 0.5 and ex:
        x.append(rng.choice(ex))
    if rng.random() < 0.25:
        x.append(rng.choice([p for p in ["急招", "长期有活", "中介勿扰", "有意者电话联系", "干活踏实的", "人实在的"] if fits(p)]))
    rng.shuffle(x)
    sep = rng.choice(["，", " ", "，"])
    xtxt = sep.join(x)
    dt, du = date_text(s, e)
    wtxt = wage_text(fen, unit, pu)
    certtxt = "，".join(dict.fromkeys(reqtxt))
    # {n} glued to a word ("招电焊工{n}") takes a bare number; {x} glued to text gets a comma
    i = tpl.find("{n}")
    if i > 0 and tpl[i - 1] not in " ，。":
        ntxt = ("%d人" % head) if rng.random() < 0.6 else ("%d个" % head)
    else:
        ntxt = head_text(head)
    j = tpl.find("{x}")
    if xtxt and j >= 0 and j + 3 < len(tpl) and tpl[j + 3] not in " ，。":
        xtxt += "，"
    desc = tpl.format(place=ptxt, wage=wtxt, date=dt, dur=du, n=ntxt, hours=hours_text(hours),
                      x=xtxt, cert=certtxt, a=rng.choice(A_CHOICES.get(trade, [10, 20, 30, 50])))
    # make sure information that the template did not carry is still present
    if "{cert}" not in tpl and certtxt:
        desc += "，" + certtxt
    if "{date}" not in tpl and "{dur}" not in tpl and rng.random() < 0.7:
        desc += "，" + dt + "，" + du
    elif "{date}" not in tpl and rng.random() < 0.5:
        desc += "，" + dt
    if desc.count("长期有活") > 1:
        i = desc.rfind("长期有活")
        desc = desc[:i] + desc[i + 4:]
    if desc.count("年后开工") > 1:
        i = desc.find("年后开工", desc.find("年后开工") + 1)
        desc = desc[:i] + desc[i + 5:]
    desc = cleanup(desc)
    title = rng.choice(o.get("titles", spec["titles"]))
    if "日结" in title and settle != "daily":
        title = title.replace(" 日结", "").replace("日结", "")
    if "包吃住" in title and not lodging:
        title = title.replace(" 包吃住", "").replace("包吃住", "")
    if "持证" in title and not req:
        title = title.replace(" 持证", "").replace("持证", "")
    if " 按" in title and unit != "piece":
        title = title[:title.index(" 按")]
    elif unit == "piece" and " 按" not in title and rng.random() < 0.3:
        title += " 按%s算" % pu
    if "{n}" not in tpl and rng.random() < 0.3:
        title += " " + head_text(head)
    skills = list(rng.choice(o.get("skills", spec["skills"])))
    return dict(trade=trade, title=title, desc=desc, skills=skills, town=town, district=district, addr=addr,
                start=s.isoformat(), end=e.isoformat(), wage=fen, unit=unit, pu=pu if unit == "piece" else "",
                eh=(eh if unit in ("piece", "job") else 0), hours=hours, settle=settle, head=head, rc=struct,
                req=req, pref=pref, gender=gender, max_age=max_age, lodging=lodging, meals=meals, typo=False,
                transport=transport)


def apply_typo(g):
    text = g["title"] + "|" + g["desc"]
    cands = [k for k in TYPOS if k in text]
    if not cands:
        return False
    # prefer longer words
    cands.sort(key=lambda k: -len(k))
    k = rng.choice(cands[:3])
    v = rng.choice(TYPOS[k])
    where = rng.random()
    if where < 0.4:
        g["title"] = g["title"].replace(k, v); g["desc"] = g["desc"].replace(k, v)
    elif where < 0.7:
        g["desc"] = g["desc"].replace(k, v, 1)
    else:
        g["title"] = g["title"].replace(k, v)
        if k not in g["title"] and v not in g["title"]:
            g["desc"] = g["desc"].replace(k, v, 1)
    g["typo"] = g["title"] + g["desc"] != text.replace("|", "")
    g["typo_word"] = [k, v]
    return g["typo"]


def main():
    gigs = []
    for trade, spec in SPECS.items():
        for i in range(spec["n"]):
            gigs.append(make_common(trade, spec))
    for r in RARE + TARGETED:
        g = dict(r)
        g["hand"] = True
        g["district"] = TOWN_DISTRICT[g["town"]]
        g["transport"] = "车接车送" in g["desc"]
        g["desc"] = g["desc"]
        gigs.append(g)
    # typos on ~15 %: common gigs only (rare ones are already hand-typo'd)
    n_typo_target = int(0.15 * len(gigs)) - sum(1 for g in gigs if g["typo"])
    idx = [i for i, g in enumerate(gigs) if not g["typo"] and not g.get("hand")]
    rng.shuffle(idx)
    done = 0
    for i in idx:
        if done >= n_typo_target:
            break
        if apply_typo(gigs[i]):
            done += 1
    rng.shuffle(gigs)
    pub, lab = [], []
    for k, g in enumerate(gigs, 1):
        ref = "G%03d" % k
        pub.append(dict(ref=ref, title=g["title"], description=g["desc"], skills=g["skills"], required_certs=g["rc"],
                        headcount=g["head"], wage_fen=g["wage"], wage_unit=g["unit"], piece_unit=g["pu"],
                        expected_hours=g["eh"], settlement=g["settle"], district=g["district"], town=g["town"],
                        address=g["addr"], start_date=g["start"], end_date=g["end"], daily_hours=g["hours"],
                        contact=contact()))
        de = day_equiv_fen(g["wage"], g["unit"], g["eh"], g["hours"])
        lab.append(dict(ref=ref, trade=g["trade"], field=TRADES[g["trade"]][0], rare=TRADES[g["trade"]][2],
                        req_certs=g["req"], pref_certs=g["pref"], gender=g["gender"], max_age=g["max_age"],
                        lodging=g["lodging"], meals=g["meals"], transport=g.get("transport", False),
                        day_equiv_fen=round(de) if de else None, typo=g["typo"], typo_word=g.get("typo_word"),
                        certs_in_struct=bool(g["rc"]), weekend_gig=g.get("weekend", False),
                        source="hand" if g.get("hand") else "template"))
    with open(os.path.join(OUT, "gigs.jsonl"), "w", encoding="utf-8") as f:
        for p in pub:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    with open(os.path.join(os.path.dirname(__file__), "gig_labels.jsonl"), "w", encoding="utf-8") as f:
        for p in lab:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(len(pub), "gigs;", sum(l["typo"] for l in lab), "typo;", sum(l["rare"] for l in lab), "rare")


if __name__ == "__main__":
    main()

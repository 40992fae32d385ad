# -*- coding: utf-8 -*-
"""Build workers/queries files and all judgments from the hidden labels.

Run after gen_gigs.py.  Deterministic.  Manual overrides live in overrides.py and are
applied last (each with a reason)."""
import json, os, sys, random, statistics, datetime, collections
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import *
from workers_src import WORKERS
from queries_src import QUERIES
import overrides

ROOT = os.path.join(HERE, "..")
D1 = datetime.timedelta(days=1)


def rj(p):
    return [json.loads(l) for l in open(p, encoding="utf-8")]


def wj(p, rows):
    with open(p, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


GIGS = rj(os.path.join(ROOT, "gigs.jsonl"))
GL = {l["ref"]: l for l in rj(os.path.join(HERE, "gig_labels.jsonl"))}
GBY = {g["ref"]: g for g in GIGS}

# ---- text-derived flags (the posting text is the truth) -----------------------------------
LODGE = ["包吃住", "管吃管住", "提供住宿", "有宿舍", "有地方住", "吃住在场里", "宿舍", "包住", "管住", "管吃住", "包吃主"]
MEAL = ["管饭", "管午饭", "管一顿饭", "包吃", "两顿饭"]
for g in GIGS:
    l = GL[g["ref"]]
    t = g["title"] + " " + g["description"]
    l["lodging"] = any(k in t for k in LODGE)
    l["meals"] = l["lodging"] or any(k in t for k in MEAL)
    l["daily_pay"] = g["settlement"] == "daily"
    l["days"] = (d(g["end_date"]) - d(g["start_date"])).days + 1
wj(os.path.join(HERE, "gig_labels.jsonl"), [GL[g["ref"]] for g in GIGS])

# ---- typical pay per trade (for fallback-trade wage comparisons) ---------------------------
_tday, _thour = collections.defaultdict(list), collections.defaultdict(list)
for g in GIGS:
    l = GL[g["ref"]]
    if l["day_equiv_fen"]:
        _thour[l["trade"]].append(l["day_equiv_fen"] / g["daily_hours"])
        if g["daily_hours"] >= 6:
            _tday[l["trade"]].append(l["day_equiv_fen"])
TYP_DAY = {t: statistics.median(v) for t, v in _tday.items()}
TYP_HOUR = {t: statistics.median(v) for t, v in _thour.items()}

# ---- workers --------------------------------------------------------------------------------
CERT_MAP = {"叉车证": "forklift", "A2": "A2", "B2": "B2", "C1": "C1", "育婴师证": "yuying", "健康证": "health",
            "焊工证": "weld", "保安员证": "guard", "登高证": "height", "装载机证": "loader", "挖掘机证": "excavator",
            "电工证": "elec", "司炉证": "boiler", "教师资格证": "teacher", "拖拉机驾驶证": "farmmach"}
WK, WLAB = [], {}
for i, w in enumerate(WORKERS, 1):
    ref = "W%02d" % i
    pub = dict(ref=ref, name=w["name"], gender=w["gender"], birth_year=w["birth_year"], district=TOWN_DISTRICT[w["town"]],
               town=w["town"], village=w["village"], skills=w["skills"], certs=w["certs"],
               self_description=w["self_description"], expected_wage_fen=w["expected_wage_fen"],
               expected_wage_unit=w["expected_wage_unit"], available_from=w["available_from"],
               available_to=w["available_to"], max_commute_km=w["max_commute_km"])
    WK.append(pub)
    ct = w["certs_true"] if w["certs_true"] is not None else [CERT_MAP[c] for c in w["certs"]]
    t3 = set(w["t3"])
    t2 = set(w["t2"])
    for t in t3:
        t2 |= REL2.get(t, set())
    t2 -= t3
    t1 = set(w["t1"])
    for t in t3:
        t1 |= REL1.get(t, set())
    t1 -= t3 | t2
    for x in w["no"]:
        t2.discard(x); t1.discard(x)
    if w["expected_wage_unit"] == "day":
        exp_day = w["expected_wage_fen"]
    elif w["expected_wage_unit"] == "hour":
        exp_day = w["expected_wage_fen"] * 8
    else:
        exp_day = w["exp_day"]
    WLAB[ref] = dict(ref=ref, t3=sorted(t3), t2=sorted(t2), t1=sorted(t1), certs_true=sorted(ct),
                     weekend_only=w["weekend_only"], pref_daily=w["pref_daily"], exp_day_fen=exp_day,
                     exp_unit=w["expected_wage_unit"], exp_fen=w["expected_wage_fen"], note=w["note"])
    for k in ("t3", "t2", "t1"):
        for t in WLAB[ref][k]:
            assert t in TRADES, (ref, t)
wj(os.path.join(ROOT, "workers.jsonl"), WK)
wj(os.path.join(HERE, "worker_labels.jsonl"), [WLAB[w["ref"]] for w in WK])
WBY = {w["ref"]: w for w in WK}


def days_of(g):
    s, e = d(g["start_date"]), d(g["end_date"])
    return [s + D1 * i for i in range((e - s).days + 1)]


def commute_state(wtown, gtown, maxkm):
    km = road_km(wtown, gtown)
    if km > 1.4 * maxkm + 5:
        return "violation", km
    if km > maxkm:
        return "far", km
    return "ok", km


def judge_pair(w, g):
    """returns (grade, [violations], notes)"""
    wl, gl = WLAB[w["ref"]], GL[g["ref"]]
    t = gl["trade"]
    base = 3 if t in wl["t3"] else 2 if t in wl["t2"] else 1 if t in wl["t1"] else 0
    viol, notes = [], []
    if not certs_ok(gl["req_certs"], wl["certs_true"]):
        viol.append("cert")
    ws, we = d(w["available_from"]), d(w["available_to"])
    gs, ge = d(g["start_date"]), d(g["end_date"])
    ov = (min(we, ge) - max(ws, gs)).days + 1
    gdays = (ge - gs).days + 1
    if ov <= 0:
        viol.append("date")
    elif wl["weekend_only"] and not any(x.weekday() >= 5 for x in days_of(g)):
        viol.append("date")
    cs, km = commute_state(w["town"], g["town"], w["max_commute_km"])
    if cs == "violation":
        viol.append("commute")
    if viol or base == 0:
        return 0, viol, notes
    gr = base
    # gender / age limits stated by the employer (not a violation type; graded 0 / -1)
    if gl["gender"] and gl["gender"] != w["gender"]:
        return 0, viol, ["gender"]
    age = gs.year - w["birth_year"]
    if gl["max_age"] and age > gl["max_age"]:
        if age - gl["max_age"] <= 2:
            gr -= 1; notes.append("age-1")
        else:
            return 0, viol, ["age"]
    if cs == "far":
        gr -= 1; notes.append("far%.0f" % km)
    # wage
    de = gl["day_equiv_fen"]
    if de:
        part_time = g["daily_hours"] < 6 or wl["exp_unit"] == "hour"
        if part_time:
            have = de / g["daily_hours"]
            want = wl["exp_fen"] if wl["exp_unit"] == "hour" else wl["exp_day_fen"] / 8
            if base < 3 and t in TYP_HOUR:
                want = min(want, TYP_HOUR[t])
        else:
            have = de
            want = wl["exp_day_fen"]
            if base < 3 and t in TYP_DAY:
                want = min(want, TYP_DAY[t])
        r = have / want
        if wl["exp_unit"] == "piece" and g["wage_unit"] == "piece" and base == 3:
            r = g["wage_fen"] / wl["exp_fen"]  # same piece unit assumed for the same trade (元/斤 for 摘枸杞)
        if r < 0.6:
            gr -= 2; notes.append("wage%.2f" % r)
        elif r < 0.8:
            gr -= 1; notes.append("wage%.2f" % r)
    # partial availability
    if gdays >= 7 and ov / gdays < 0.5:
        gr -= 1; notes.append("partial%.2f" % (ov / gdays))
    if wl["weekend_only"] and gdays > 2 and not gl.get("weekend_gig"):
        pen = 1 if gdays <= 7 else 2
        gr -= pen; notes.append("weekend-%d" % pen)
    if wl["pref_daily"] and base == 3 and g["settlement"] != "daily":
        gr -= 1; notes.append("not-daily")
    return max(gr, 0), viol, notes


PAIR = {}
for w in WK:
    for g in GIGS:
        PAIR[(w["ref"], g["ref"])] = judge_pair(w, g)
for (wr, gr_), (grade, why) in overrides.PAIR_GRADE.items():
    old = PAIR[(wr, gr_)]
    PAIR[(wr, gr_)] = (grade, old[1] if grade == 0 else [], old[2] + ["override:" + why])

qw, qw_v = [], []
for w in WK:
    for g in GIGS:
        grade, viol, notes = PAIR[(w["ref"], g["ref"])]
        if grade >= 1:
            qw.append(dict(worker=w["ref"], gig=g["ref"], grade=grade))
        for v in viol:
            qw_v.append(dict(worker=w["ref"], gig=g["ref"], violation=v))
wj(os.path.join(ROOT, "qrels_worker.jsonl"), qw + qw_v)
# audit trail of why each graded pair got its grade
wj(os.path.join(HERE, "pair_notes.jsonl"),
   [dict(worker=w, gig=g, grade=v[0], violations=v[1], notes=v[2]) for (w, g), v in PAIR.items() if v[0] or v[2]])

# ---- employer view: judged gigs ---------------------------------------------------------------
rng = random.Random(20270105)
by_trade = collections.defaultdict(list)
for g in GIGS:
    if any(PAIR[(w["ref"], g["ref"])][0] >= 1 for w in WK):
        by_trade[GL[g["ref"]]["trade"]].append(g["ref"])
judged = []
# one gig per trade (trades with candidates), preferring district balance, then fill to 64
trades = sorted(by_trade)
rng.shuffle(trades)
dist_count = collections.Counter()
for t in trades:
    cands = sorted(by_trade[t])
    ncand = {r: sum(1 for w in WK if PAIR[(w["ref"], r)][0] >= 1) for r in cands}
    cands.sort(key=lambda r: (dist_count[GBY[r]["district"]], -min(ncand[r], 6), rng.random()))
    pick = cands[0]
    judged.append(pick); dist_count[GBY[pick]["district"]] += 1
    if len(judged) >= 64:
        break
rest = [g["ref"] for g in GIGS if g["ref"] not in judged and any(PAIR[(w["ref"], g["ref"])][0] >= 1 for w in WK)]
rng.shuffle(rest)
rest.sort(key=lambda r: dist_count[GBY[r]["district"]])
while len(judged) < 64 and rest:
    r = rest.pop(0); judged.append(r); dist_count[GBY[r]["district"]] += 1
judged.sort()
qg, qg_v = [], []
for gref in judged:
    for w in WK:
        grade, viol, notes = PAIR[(w["ref"], gref)]
        if grade >= 1:
            qg.append(dict(gig=gref, worker=w["ref"], grade=grade))
        for v in viol:
            qg_v.append(dict(gig=gref, worker=w["ref"], violation=v))
wj(os.path.join(ROOT, "qrels_gig.jsonl"), qg + qg_v)

# ---- queries -----------------------------------------------------------------------------------
QS, QLAB = [], {}
for i, q in enumerate(QUERIES, 1):
    ref = "Q%02d" % i
    QS.append(dict(ref=ref, q=q["q"], note=q["note"]))
    QLAB[ref] = dict(ref=ref, **q)
wj(os.path.join(ROOT, "queries.jsonl"), QS)
wj(os.path.join(HERE, "query_labels.jsonl"), [QLAB[q["ref"]] for q in QS])

STUDENT_TEMP = {"waiter", "cashier", "flyers", "sorting", "scenic", "ecom_pack", "livestream", "banquet_help",
                "kitchen_helper", "dishwash", "factory", "calligraphy", "car_wash", "gouqi_dry", "childcare", "tutor"}
UNSKILLED = {"labourer", "loading", "farm_general", "gouqi_pick", "gouqi_dry", "melon", "greenhouse", "forage",
             "sanitation", "snow", "cleaning", "pv_clean", "factory", "sorting", "ecom_pack", "brick", "recycling",
             "housekeeping", "dishwash", "kitchen_helper", "banquet_help", "waiter", "cashier", "flyers", "greening",
             "orchard", "stage", "car_wash", "noodle_maker", "sand_barrier"}
WB0, WB1 = WINTER_BREAK


def overlap(g, a, b):
    return max(0, (min(d(g["end_date"]), b) - max(d(g["start_date"]), a)).days + 1)


def in_area(q, g):
    a = q["area"]
    if not a:
        return "ok"
    if a[0] == "district":
        ok = g["district"] == a[1]
    elif a[0] == "towns":
        ok = g["town"] in a[1]
    else:
        ok = road_km(a[1], g["town"]) <= a[2]
    if ok:
        return "ok"
    if g["town"] in q["alt_towns"]:
        return "alt"
    return "bad"


def special_grade(q, g, gl):
    sp = q["special"]
    text = g["title"] + g["description"]
    if sp == "wage_only":
        de = gl["day_equiv_fen"]
        return 3 if de and de >= q["wage_floor_day"] else 0
    if sp == "hourly":
        de = gl["day_equiv_fen"]
        if not de:
            return 0
        h = de / g["daily_hours"]
        if g["wage_unit"] == "hour":
            return 3 if h >= q["hour_floor"] else 0
        return 2 if h >= q["hour_floor"] else 0
    if sp == "winter_break":
        n = gl["days"]
        frac = overlap(g, WB0, WB1) / n
        t = gl["trade"]
        if frac >= 0.5 and "寒假" in text:
            return 3
        if t in ("tutor", "childcare"):
            return 3 if frac >= 0.5 else (1 if frac > 0 else 0)
        if frac >= 0.6 and n <= 45 and not gl["req_certs"]:
            if t in STUDENT_TEMP:
                return 2
            if t in UNSKILLED:
                return 1
        return 0
    if sp == "tomorrow":
        s, e = d(g["start_date"]), d(g["end_date"])
        tm = TODAY + D1
        if s == tm:
            return 3
        if s == TODAY and e >= tm:
            return 2
        return 0
    if sp == "weekend":
        ds = days_of(g)
        if all(x.weekday() >= 5 for x in ds) or "周末" in text or "周六周日" in text:
            return 3
        if len(ds) <= 3 and any(x.weekday() >= 5 for x in ds):
            return 2
        if g["daily_hours"] <= 4 and gl["trade"] in ("housekeeping", "tutor", "designated_driver", "flyers") and any(x.weekday() >= 5 for x in ds):
            return 1
        return 0
    if sp == "next_week":
        a, b = d("2027-01-11"), d("2027-01-17")
        s, e = d(g["start_date"]), d(g["end_date"])
        if a <= s <= b:
            return 3
        if s < a and e >= a and gl["days"] >= 7:
            return 2
        return 0
    if sp == "daily_lodging":
        n = int(gl["daily_pay"]) + int(gl["lodging"])
        return 3 if n == 2 else (1 if n == 1 else 0)
    if sp == "lodging":
        return 3 if gl["lodging"] else (1 if gl["meals"] else 0)
    raise ValueError(sp)


def qgrade(q, g):
    gl = GL[g["ref"]]
    if q["special"]:
        return special_grade(q, g, gl)
    t = gl["trade"]
    text = g["title"] + g["description"]
    base = 3 if t in q["g3"] else 2 if t in q["g2"] else 1 if t in q["g1"] else 0
    if base == 0 and any(s in text for s in q["g1_text"]):
        base = 1
    if base == 0:
        return 0
    bad = False
    cap = 3
    ar = in_area(q, g)
    if ar == "bad":
        bad = True
    elif ar == "alt":
        cap = 2
    if q["cert_held"] and not certs_ok(gl["req_certs"], q["cert_held"]):
        bad = True
    if q["wage_floor_day"] and (not gl["day_equiv_fen"] or gl["day_equiv_fen"] < q["wage_floor_day"]):
        bad = True
    if q["window"] and overlap(g, d(q["window"][0]), d(q["window"][1])) == 0:
        bad = True
    if bad:
        # a near-area query only keeps nearby misses; district/town/cert/wage/window misses keep 1 for the right trade
        if ar == "bad" and q["area"][0] == "near" and road_km(q["area"][1], g["town"]) > 2 * q["area"][2]:
            return 0
        return 1 if base == 3 else 0
    gr = min(base, cap)
    for s in q["soft"]:
        if s == "daily" and not gl["daily_pay"]:
            gr -= 1
        if s == "lodging" and not gl["lodging"]:
            gr -= 1
    return max(gr, 0)


qq = []
for q in QS:
    lab = QLAB[q["ref"]]
    for g in GIGS:
        gr = qgrade(lab, g)
        ov = overrides.QUERY_GRADE.get((q["ref"], g["ref"]))
        if ov is not None:
            gr = ov[0]
        if gr >= 1:
            qq.append(dict(query=q["ref"], gig=g["ref"], grade=gr))
wj(os.path.join(ROOT, "qrels_query.jsonl"), qq)

# ---- split ----------------------------------------------------------------------------------------
SEED = 20270105


def halves(items, seed):
    items = sorted(items)
    r = random.Random(seed)
    r.shuffle(items)
    h = len(items) // 2
    return sorted(items[:h]), sorted(items[h:])


wd, wt = halves([w["ref"] for w in WK], SEED)
gd, gt = halves(judged, SEED + 1)
qd, qt = halves([q["ref"] for q in QS], SEED + 2)
json.dump({"seed": SEED, "note": "random.Random(seed) shuffle of sorted refs; workers seed, judged gigs seed+1, queries seed+2; first half = dev",
           "dev": {"workers": wd, "gigs_judged": gd, "queries": qd},
           "test": {"workers": wt, "gigs_judged": gt, "queries": qt}},
          open(os.path.join(ROOT, "split.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=1)

# ---- summary ---------------------------------------------------------------------------------------
print("gigs", len(GIGS), "workers", len(WK), "queries", len(QS), "judged gigs", len(judged))
print("qrels_worker graded", len(qw), "violations", len(qw_v), collections.Counter(v["violation"] for v in qw_v))
print("qrels_gig graded", len(qg), "violations", len(qg_v))
print("qrels_query", len(qq))

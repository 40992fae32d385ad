# -*- coding: utf-8 -*-
"""Consistency checks for the frozen set.  Exit code 0 = all good."""
import json, os, sys, datetime, collections
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import TOWN_DISTRICT
ROOT = os.path.join(HERE, "..")
err = []


def load(name):
    rows = []
    with open(os.path.join(ROOT, name), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            try:
                rows.append(json.loads(line))
            except Exception as e:
                err.append("%s:%d %s" % (name, i, e))
    return rows


GF = ["ref", "title", "description", "skills", "required_certs", "headcount", "wage_fen", "wage_unit", "piece_unit",
      "expected_hours", "settlement", "district", "town", "address", "start_date", "end_date", "daily_hours", "contact"]
WF = ["ref", "name", "gender", "birth_year", "district", "town", "village", "skills", "certs", "self_description",
      "expected_wage_fen", "expected_wage_unit", "available_from", "available_to", "max_commute_km"]
QF = ["ref", "q", "note"]
gigs, workers, queries = load("gigs.jsonl"), load("workers.jsonl"), load("queries.jsonl")
D = datetime.date.fromisoformat
for g in gigs:
    if list(g) != GF:
        err.append("gig fields %s" % g.get("ref"))
    if g["wage_unit"] not in ("hour", "day", "piece", "job"):
        err.append("unit %s" % g["ref"])
    if (g["wage_unit"] == "piece") != bool(g["piece_unit"]):
        err.append("piece_unit %s" % g["ref"])
    if (g["wage_unit"] in ("piece", "job")) != (g["expected_hours"] > 0):
        err.append("expected_hours %s" % g["ref"])
    if g["settlement"] not in ("daily", "weekly", "on_completion"):
        err.append("settlement %s" % g["ref"])
    if TOWN_DISTRICT.get(g["town"]) != g["district"]:
        err.append("town %s" % g["ref"])
    s, e = D(g["start_date"]), D(g["end_date"])
    if not (D("2027-01-05") <= s <= D("2027-09-30")) or e < s:
        err.append("dates %s" % g["ref"])
    if not isinstance(g["wage_fen"], int) or g["wage_fen"] <= 0:
        err.append("wage %s" % g["ref"])
for w in workers:
    if list(w) != WF:
        err.append("worker fields %s" % w.get("ref"))
    if TOWN_DISTRICT.get(w["town"]) != w["district"]:
        err.append("wtown %s" % w["ref"])
    if not (1955 <= w["birth_year"] <= 2006) or not (5 <= w["max_commute_km"] <= 80) or w["gender"] not in ("男", "女"):
        err.append("worker range %s" % w["ref"])
    if D(w["available_from"]) > D(w["available_to"]):
        err.append("avail %s" % w["ref"])
for q in queries:
    if list(q) != QF:
        err.append("query fields %s" % q.get("ref"))
G = {g["ref"] for g in gigs}
W = {w["ref"] for w in workers}
Q = {q["ref"] for q in queries}
for name, pool, ids in ((gigs, G, "G"), (workers, W, "W"), (queries, Q, "Q")):
    if len(pool) != len(name):
        err.append("duplicate refs " + ids)
split = json.load(open(os.path.join(ROOT, "split.json"), encoding="utf-8"))
judged = set(split["dev"]["gigs_judged"]) | set(split["test"]["gigs_judged"])
for part in ("workers", "gigs_judged", "queries"):
    a, b = set(split["dev"][part]), set(split["test"][part])
    if a & b:
        err.append("split overlap " + part)
if set(split["dev"]["workers"]) | set(split["test"]["workers"]) != W:
    err.append("split workers")
if set(split["dev"]["queries"]) | set(split["test"]["queries"]) != Q:
    err.append("split queries")
if not judged <= G:
    err.append("judged refs")


def check_qrels(name, a_key, a_pool, b_key, b_pool, allow_violation):
    seen, graded, viol = set(), set(), set()
    for r in load(name):
        a, b = r.get(a_key), r.get(b_key)
        if a not in a_pool or b not in b_pool:
            err.append("%s bad ref %s" % (name, r))
        if "grade" in r:
            if r["grade"] not in (1, 2, 3) or set(r) != {a_key, b_key, "grade"}:
                err.append("%s bad grade %s" % (name, r))
            if (a, b) in graded:
                err.append("%s dup %s" % (name, r))
            graded.add((a, b))
        elif "violation" in r and allow_violation:
            if r["violation"] not in ("cert", "date", "commute") or set(r) != {a_key, b_key, "violation"}:
                err.append("%s bad violation %s" % (name, r))
            if (a, b, r["violation"]) in seen:
                err.append("%s dup violation %s" % (name, r))
            seen.add((a, b, r["violation"]))
            viol.add((a, b))
        else:
            err.append("%s bad line %s" % (name, r))
    if graded & viol:
        err.append("%s pairs both graded and violating: %d" % (name, len(graded & viol)))
    return graded, viol


wg, wv = check_qrels("qrels_worker.jsonl", "worker", W, "gig", G, True)
gg, gv = check_qrels("qrels_gig.jsonl", "gig", judged, "worker", W, True)
qg, _ = check_qrels("qrels_query.jsonl", "query", Q, "gig", G, False)
# the employer view must agree with the worker view on the judged gigs
if {(w, g) for g, w in gg} != {(w, g) for (w, g) in wg if g in judged}:
    err.append("qrels_gig disagrees with qrels_worker")
if len(gigs) < 320 or len(workers) < 64 or len(queries) < 48 or len(judged) < 48:
    err.append("counts")
print("gigs %d workers %d queries %d judged gigs %d" % (len(gigs), len(workers), len(queries), len(judged)))
print("worker pairs graded %d, violating pairs %d; gig-view graded %d; query judgments %d" % (len(wg), len(wv), len(gg), len(qg)))
if err:
    print("ERRORS:", len(err))
    for e in err[:50]:
        print(" ", e)
    sys.exit(1)
print("OK")

# -*- coding: utf-8 -*-
"""Diagnostics: python3 diag.py W47 W75 ...  (re-runs build, deterministic)"""
import sys, io, contextlib
with contextlib.redirect_stdout(io.StringIO()):
    import build as B
from common import road_km
for wr in sys.argv[1:]:
    w = B.WBY[wr]; wl = B.WLAB[wr]
    print("==", wr, w["name"], w["town"], w["max_commute_km"], wl["t3"], wl["certs_true"], wl["exp_day_fen"])
    for g in B.GIGS:
        gl = B.GL[g["ref"]]
        if gl["trade"] in wl["t3"]:
            gr, v, n = B.judge_pair(w, g)
            print("  ", g["ref"], g["title"], g["town"], "%.0fkm" % road_km(w["town"], g["town"]), gl["req_certs"], gl["max_age"],
                  gl["gender"], gl["day_equiv_fen"], g["start_date"], g["end_date"], "->", gr, v, n)

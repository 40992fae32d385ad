# -*- coding: utf-8 -*-
"""Manual adjustments after reviewing the rule-based grades.
PAIR_GRADE[(worker, gig)] = (grade, reason); QUERY_GRADE[(query, gig)] = (grade, reason)."""
PAIR_GRADE = {}
QUERY_GRADE = {}

"""Needs screening in the graph: `Case.suggestedReferrals` and `Case.screeningNotEvaluated`."""

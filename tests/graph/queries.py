"""The unified case graph query: cases with household, members and every connector field."""

from __future__ import annotations

from typing import Any

from connectors.synthetic import expected_suggestions

CASE_GRAPH = """
query CaseGraph($first: Int!) {
  cases(first: $first) {
    edges { node {
      number
      household {
        kkNumber address
        welfare { inDtsen decile programmes source cached }
        housing { habitable conditionScore bspsYear source }
        members {
          nik name birthDate
          civilRegistry { nikMatch registeredName source fetchedAt }
          healthCoverage { active segment source }
          education { enrolled level source }
        }
      }
      suggestedReferrals { programme subjectKind subject rule reason facts { name value } }
      screeningNotEvaluated { rule programme subject unavailable }
    } }
  }
}"""


def nodes(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in result["data"]["cases"]["edges"]]


def suggested(node: dict[str, Any]) -> set[tuple[str, str]]:
    return {(s["programme"], s["subject"]) for s in node["suggestedReferrals"]}


def predicted(node: dict[str, Any]) -> set[tuple[str, str]]:
    """What the synthetic stories say the rules must suggest for this case's household."""
    household = node["household"]
    return expected_suggestions(household["kkNumber"], [m["nik"] for m in household["members"]])

"""Reference data: the risk checklist and the clock policy in force."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.auth import ServicesDep, UserDep
from domain.risk import AREAS, FACTORS

router = APIRouter(tags=["reference"])


@router.get("/risk-factors", summary="The 40 factors of the risk checklist, by area")
def risk_factors(user: UserDep) -> list[dict[str, Any]]:
    return [{"area": a.area, "follow_up": a.follow_up, "sv": a.sv, "en": a.en,
             "factors": [{"factor_id": f.factor_id, "sv": f.sv, "en": f.en}
                         for f in FACTORS.values() if f.area == a.area]}
            for a in AREAS.values()]


@router.get("/policy", summary="The clock policy in force, with its version")
def policy(user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    p = svc.policy
    return {"version": p.version, "timezone": str(p.timezone),
            "rules": {rule_id: r.values for rule_id, r in sorted(p.rules.items())}}

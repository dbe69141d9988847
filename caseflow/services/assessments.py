"""Recording surveys: classify under the standard in force, then move the household on."""

from __future__ import annotations

from collections.abc import Mapping

from caseflow.extensions import db
from caseflow.models import Assessment, User
from caseflow.services import bulk
from caseflow.services.access import household_for

REVIEWING = "under_review"


def record(actor: User, household_id: int, fields: Mapping) -> Assessment:
    """Record and classify a survey; under review, the household moves to `classified`."""
    household_for(actor, household_id)
    [result] = bulk.record_surveys(actor, [{**fields, "household_id": household_id}])
    return db.session.get(Assessment, result.assessment_id)


def list_for(actor: User, household_id: int) -> list[Assessment]:
    """Return a household's surveys, newest first."""
    household_for(actor, household_id)
    return list(
        db.session.scalars(
            db.select(Assessment)
            .where(Assessment.household_id == household_id)
            .order_by(Assessment.surveyed_on.desc(), Assessment.id.desc())
        )
    )

"""Recording surveys: classify under the standard in force, then move the household on."""

from __future__ import annotations

from collections.abc import Mapping

from caseflow import clock
from caseflow.domain.classification import ClassificationError, classify, explain
from caseflow.domain.errors import N_, InvalidInput
from caseflow.domain.standards import StandardError, standard_in_force
from caseflow.extensions import db
from caseflow.models import Assessment, User
from caseflow.services import transaction
from caseflow.services.access import WRITERS, household_for, require_role
from caseflow.services.cases import apply
from caseflow.services.definitions import standards, workflow

#: the domain's names for the income fields, and the API's
API_FIELDS = {"income_vnd": "income_per_capita_month", "income_score": "income_score"}
REVIEWING = "under_review"
CLASSIFY = "classify"


def record(actor: User, household_id: int, fields: Mapping) -> Assessment:
    """Record and classify a survey; under review, the household moves to `classified`."""
    require_role(actor, *WRITERS)
    surveyed_on = fields["surveyed_on"]
    if surveyed_on > clock.today():
        raise InvalidInput(N_("A survey cannot be dated in the future."),
                           fields={"surveyed_on": ["A date cannot be in the future."]})
    with transaction():
        household = household_for(actor, household_id)
        standard = _standard_on(surveyed_on)
        result = _classify(standard, household.area, fields)
        assessment = Assessment(
            household_id=household.id, surveyed_on=surveyed_on, standard=standard.code,
            income_per_capita_month=fields.get("income_per_capita_month"),
            income_score=fields.get("income_score"), deprivations=dict(fields["deprivations"]),
            deprivation_count=result.deprivation_count, classification=result.classification,
            income_line=result.income_line, explanation=explain(result, standard, "vi"),
            explanation_en=explain(result, standard, "en"),
            recorded_by_id=actor.id,
        )
        db.session.add(assessment)
        household.proposed_classification = result.classification
        if household.state == REVIEWING:
            definition = workflow(household.workflow, household.workflow_version)
            apply(household, definition, definition.transition(CLASSIFY, REVIEWING),
                  {"assessment_classification": result.classification,
                   "surveyed_on": surveyed_on}, None, actor=actor)
    return assessment


def _standard_on(surveyed_on):
    try:
        return standard_in_force(standards(), surveyed_on)
    except StandardError as error:  # the date is the caller's: name the field
        raise InvalidInput(N_("No poverty standard is in force on %(day)s."),
                           params={"day": surveyed_on.isoformat()},
                           fields={"surveyed_on": [error.problem]}) from error


def _classify(standard, area, fields):
    try:
        return classify(standard, area, fields["deprivations"],
                        income_vnd=fields.get("income_per_capita_month"),
                        income_score=fields.get("income_score"))
    except ClassificationError as error:
        renamed = {API_FIELDS.get(k, k): v for k, v in error.fields.items()}
        raise InvalidInput(N_("The survey cannot be classified."), fields=renamed) from error


def list_for(actor: User, household_id: int) -> list[Assessment]:
    """Return a household's surveys, newest first."""
    household_for(actor, household_id)
    return list(db.session.scalars(
        db.select(Assessment).where(Assessment.household_id == household_id)
        .order_by(Assessment.surveyed_on.desc(), Assessment.id.desc())))

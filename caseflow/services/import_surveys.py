"""An import's surveys, recorded through the planner's survey plan and the one writer."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from caseflow.domain.errors import DomainError, Msg
from caseflow.domain.planner import CaseView, plan_survey
from caseflow.domain.sheet_format import SURVEYS
from caseflow.extensions import db
from caseflow.models import Assessment
from caseflow.services import moves
from caseflow.services.bulk import classified
from caseflow.services.definitions import workflow

if TYPE_CHECKING:
    from caseflow.services.import_writer import Entry


class ImportedSurveys:
    """The part of the import's writer that records the surveys sheet."""

    # -- the surveys sheet
    def surveys(self, rows: list) -> None:
        known = self.entries(SURVEYS, rows)
        entries = [(n, known[code], s, st) for n, code, s, st in rows if code in known]
        ids = [entry.household_id for _, entry, _, _ in entries]
        held = {
            (row.household_id, row.surveyed_on)
            for row in db.session.execute(
                db.select(Assessment.household_id, Assessment.surveyed_on).where(
                    Assessment.household_id.in_(ids)
                )
            )
        }
        views, planned = moves.views(ids), []
        for number, entry, survey, standard in entries:
            key = (entry.household_id, survey["surveyed_on"])
            if key in held:  # recorded before (an export imported back): left as it is
                continue
            held.add(key)
            if views.get(entry.household_id) is None:  # a second survey of it in this chunk
                moves.write(planned)
                planned, views = [], moves.views(ids)
            try:
                planned.append(self._survey(views[entry.household_id], entry, survey, standard))
            except DomainError as error:
                self.error(SURVEYS, number, "", Msg(error.template, **error.params))
                for messages in error.fields.values():
                    for message in messages:
                        self.error(SURVEYS, number, "", message)
                continue
            views[entry.household_id] = None
            self.report.assessments += 1
        moves.write(planned)
        self.statistics.grew(SURVEYS, self.report.assessments)

    def _survey(self, view: CaseView, entry: Entry, survey: dict, standard):
        floor = (view.recorded_field, view.recorded_on)
        if entry.new:  # a survey of a household's past, before its imported decision
            view = replace(view, recorded_on=None, recorded_field=None)
        move = plan_survey(
            view,
            workflow(view.workflow, view.workflow_version),
            classified(standard, view.area, survey),
            survey,
            standard,
            actor=self.who,
            now=self.now,
            calendar=self.calendar,
        )
        if floor[1] is not None and move.recorded_on < floor[1]:
            move = replace(move, recorded_field=floor[0], recorded_on=floor[1])
        return move

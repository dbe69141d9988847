"""SQLAlchemy tables, one aggregate per module."""

from caseflow.models.assessment import Assessment
from caseflow.models.deadline import Alert, Deadline, Outbox
from caseflow.models.history import Approval, Event
from caseflow.models.household import Household, Member
from caseflow.models.population import UnitYear
from caseflow.models.registration import RegistrationKey
from caseflow.models.report_summary import ListedSpan, StandingDay, SummaryBuilt
from caseflow.models.round import ReviewRound, RoundHousehold, RoundMeeting
from caseflow.models.support import Program, SupportItem
from caseflow.models.unit import Unit
from caseflow.models.user import ApiToken, LoginAttempt, User, UserSession
from caseflow.models.visit import Visit
from caseflow.models.whatif import WhatIfBuilt, WhatIfClass
from caseflow.models.workflow import CalendarDay, WorkflowDefinition

__all__ = [
    "Alert",
    "ApiToken",
    "Approval",
    "Assessment",
    "CalendarDay",
    "Deadline",
    "Event",
    "Household",
    "ListedSpan",
    "LoginAttempt",
    "Member",
    "Outbox",
    "Program",
    "RegistrationKey",
    "ReviewRound",
    "RoundHousehold",
    "RoundMeeting",
    "StandingDay",
    "SummaryBuilt",
    "SupportItem",
    "Unit",
    "UnitYear",
    "User",
    "UserSession",
    "Visit",
    "WhatIfBuilt",
    "WhatIfClass",
    "WorkflowDefinition",
]

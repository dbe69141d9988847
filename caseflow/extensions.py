"""Extensions, created unbound and attached in create_app."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

from caseflow.api.base import CaseflowApi

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: an execution option for a statement whose best plan depends on its values (a long list, a
#: search): PostgreSQL plans it for them on every run, never from a prepared plan
PLAN_FOR_VALUES = "plan_for_values"

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate()
login = LoginManager()
babel = Babel()
csrf = CSRFProtect()
api = CaseflowApi()

"""WSGI entry point for production servers: `gunicorn wsgi:app`.

It fails at start without CASEFLOW_SECRET_KEY (see README, "Running in production safely").
"""

from caseflow import create_app

app = create_app()

"""WSGI entry point for production servers: `gunicorn wsgi:app`."""

from caseflow import create_app

app = create_app()

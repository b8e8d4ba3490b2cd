"""WSGI entry point: `gunicorn wsgi:app`."""

from ideation import create_app

app = create_app()

"""``gunicorn secgraph.web.wsgi:app``: the one module-level app, built from SECGRAPH_* settings."""

from secgraph.config import settings_from_env
from secgraph.pipeline import build
from secgraph.web import create_app

settings = settings_from_env()
app = create_app(settings, build(settings).store)

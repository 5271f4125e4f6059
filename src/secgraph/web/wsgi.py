"""``gunicorn secgraph.web.wsgi:app``: the one module-level app, built from SECGRAPH_* settings
(or reading the SPARQL server at SECGRAPH_STORE_URL, with no build)."""

from secgraph.build.pipeline import build
from secgraph.config import settings_from_env
from secgraph.store.embedded import Store
from secgraph.store.remote import RemoteStore
from secgraph.web import create_app

settings = settings_from_env()
store: Store = (
    build(settings).store
    if settings.store_url is None
    else RemoteStore(settings.store_url, union_default_graph=settings.union_default_graph)
)
app = create_app(settings, store)

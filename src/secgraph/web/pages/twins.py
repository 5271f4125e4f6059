"""Every UI page has a JSON twin: pick HTML or JSON from ?format= or Accept; no page logic."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Response, render_template, request

HTML, JSON = "text/html", "application/json"


def wants_json() -> bool:
    """Whether the request asks for JSON: ``?format=json`` beats ``Accept``; HTML by default
    (a browser's ``*/*`` included), as RFC 9110 §12.5.1 lets the server pick among equals."""
    asked = request.args.get("format", "").strip().lower()
    if asked:
        return asked in ("json", JSON)
    best = request.accept_mimetypes.best_match([HTML, JSON], default=HTML)
    return best == JSON and request.accept_mimetypes[JSON] > request.accept_mimetypes[HTML]


def twin_response(template: str, data: dict[str, Any], status: int = 200, **html: Any) -> Response:
    """``data`` as JSON when asked for, else ``template`` rendered with ``data`` and ``html``."""
    if wants_json():
        body = json.dumps(data, ensure_ascii=False, indent=1)
        response = Response(body, status=status, mimetype=JSON)
    else:
        page = render_template(template, **data, **html)
        response = Response(page, status=status, mimetype=HTML)
    response.vary.add("Accept")
    return response


def json_link() -> str:
    """The URL of the current page's JSON twin."""
    args = request.args.to_dict(flat=False)
    args["format"] = ["json"]
    return request.base_url + "?" + urlencode(args, doseq=True)

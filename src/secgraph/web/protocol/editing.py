"""Run one edit for a write view and render the outcome; shared by /update and /data writes.

Status codes: 422 (RFC 9110 §15.5.21, Unprocessable Content) when the edited graph would be
inconsistent, violate a SHACL shape or fail a quality check, with the report as JSON (focus
node, path, message per result) or as text, by Accept.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Response

from secgraph.build.checks import CheckReport
from secgraph.build.reason import InconsistencyError
from secgraph.build.validate import ValidationReport
from secgraph.web.protocol.auth import writable_store
from secgraph.web.protocol.errors import ProtocolError, error_response
from secgraph.write.candidate import RejectedEditError
from secgraph.write.edits import EditError
from secgraph.write.journal import Edit
from secgraph.write.uploads import UploadError


def run_edit(edit: Edit, *, success: int = 204) -> Response:
    """Authorize, apply and answer ``edit``: ``success`` with no body, or the refusal."""
    try:
        writable_store().apply(edit)
    except ProtocolError as error:
        return error_response(error)
    except (EditError, UploadError) as error:
        return error_response(
            ProtocolError(error.status, error.error, error.message, error.line, error.column)
        )
    except RejectedEditError as rejected:
        return error_response(
            ProtocolError(
                422,
                "edit-rejected",
                f"the edit was not applied: {rejected}",
                extra={"report": report_json(rejected.cause)},
            )
        )
    return Response(status=success)


def report_json(cause: InconsistencyError | ValidationReport | CheckReport) -> dict[str, Any]:
    """The reason an edit was refused, as JSON members."""
    if isinstance(cause, ValidationReport):
        return {"kind": "shacl", **cause.to_dict()}
    if isinstance(cause, CheckReport):
        failing = [asdict(result) for result in cause.results if result.rows]
        return {"kind": "checks", "checks": failing}
    return {"kind": "inconsistency", "culprits": [asdict(c) for c in cause.culprits]}

"""Forms that carry a photo: a larger body allowed, and a too-large one answered as a form.

The site refuses bodies over MAX_CONTENT_LENGTH (2 MB). A view marked `@accepts_upload`
takes up to UPLOAD_MAX_BODY (the photo limit plus room for the text). A body announced
larger is never read in full: the first UPLOAD_PEEK_BYTES are, and the text fields sent
before the file (the form puts its photo last) become the request's form, so the view
shows its form again with what was typed and the error "photo too large" (413), instead
of the bare error page that would lose the text.

`install(app)` puts the hook first among the app's before-request functions, ahead of the
CSRF check, which is the first to read the body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

__all__ = ["accepts_upload", "body_too_large", "install"]

UPLOAD_PEEK_BYTES = 256 * 1024
F = TypeVar("F", bound=Callable[..., Any])


def accepts_upload(view: F) -> F:
    """Mark a view whose form may carry a photo."""
    view.accepts_upload = True  # type: ignore[attr-defined]
    return view


def body_too_large() -> bool:
    """True when this request's body was over the limit and only its first fields were read."""
    return bool(g.get("upload_body_too_large"))


def _early_fields(boundary: bytes) -> ImmutableMultiDict[str, str]:
    """The complete text fields at the start of a multipart body, reading at most the peek."""
    decoder = MultipartDecoder(boundary, max_form_memory_size=UPLOAD_PEEK_BYTES)
    fields: list[tuple[str, str]] = []
    current: str | None = None
    value = bytearray()
    # The raw input, not request.stream: that one refuses a body over the limit at once.
    # The body announces more than the peek, so this read does not wait for missing bytes.
    decoder.receive_data(request.environ["wsgi.input"].read(UPLOAD_PEEK_BYTES))
    while True:
        try:
            event = decoder.next_event()
        except Exception:  # noqa: BLE001  (a cut or malformed body: keep what was complete)
            break
        if isinstance(event, NeedData | Epilogue | File):
            break  # the end of what was read, or the file: what follows is not kept
        if isinstance(event, Field):
            current, value = event.name, bytearray()
        elif isinstance(event, Data) and current is not None:
            value += event.data
            if not event.more_data:
                text = bytes(value).decode("utf-8", "replace")
                fields.append((current, text))
                current = None
    return ImmutableMultiDict(fields)


def _guard_upload_body() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "accepts_upload", False) or request.method != "POST":
        return
    limit = int(current_app.config["UPLOAD_MAX_BODY"])
    request.max_content_length = limit
    length = request.content_length
    if length is None or length <= limit or request.mimetype != "multipart/form-data":
        return
    boundary = parse_options_header(request.headers.get("Content-Type", ""))[1].get("boundary")
    fields = _early_fields(boundary.encode("latin-1")) if boundary else ImmutableMultiDict()
    # The form is what was read; the rest of the body is left unread (the server closes).
    request.__dict__["form"] = fields
    request.__dict__["files"] = ImmutableMultiDict()
    g.upload_body_too_large = True


def install(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _guard_upload_body)

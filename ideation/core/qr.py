"""QR codes drawn by the server, as inline SVG (no image request, nothing from elsewhere).

The SVG is built by segno from a URL the server made itself (BASE_URL + a path), never
from what a user typed; it has no script and no style attribute, so the strict CSP holds.
"""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str) -> Markup:
    """A scalable QR code of `url` (medium error correction: a scratched poster still
    scans); sized by the page's CSS through its viewBox."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code", lineclass=None)
    # Decorative for screen readers: the same link is printed in words beside it.
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))

"""The QR the talent shows: segno, drawn as an SVG data URL (an <img>: no inline markup, CSP's img-src)."""

from __future__ import annotations

import segno


def qr_data_url(token: str) -> str:
    return segno.make(token, error="m").svg_data_uri(scale=6, border=2)

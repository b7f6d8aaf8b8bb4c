"""The QR a registration's attendee shows at the door: segno, drawn as an SVG data URL (an <img>)."""

from __future__ import annotations

import segno


def qr_data_url(code: str) -> str:
    return segno.make(code, error="m").svg_data_uri(scale=6, border=2)

"""What a reader sees of a page: the text inside <main>, without markup, scripts or styles."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Comparison symbols that must not reach condition text on a public page (ASCII and mathematical).
SYMBOLS = ("∈", "∉", "=", "≠", "≤", "≥", "<", ">")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <main>
        self.skip = 0  # inside <script> or <style>
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.depth += 1
        elif tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth -= 1
        elif tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth > 0 and not self.skip:
            self.parts.append(data)


def main_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def codes_shown(text: str, codes: set[str]) -> list[str]:
    """The codes that stand as words of their own in ``text`` (not inside a longer word)."""
    return sorted(
        code for code in codes if re.search(rf"(?<![A-Za-z0-9_-]){re.escape(code)}(?![A-Za-z0-9_-])", text)
    )

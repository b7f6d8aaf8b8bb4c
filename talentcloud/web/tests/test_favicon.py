"""Every page names the platform's icon, and the icon is a small, well-formed SVG shipped with the app."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_link_the_favicon_and_it_is_a_small_svg(make_user, login):
    for page in (
        Client().get("/accounts/login/").content.decode(),
        login(make_user("talent-office", "320115-ZZB")).get("/").content.decode(),
    ):
        link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
        assert link is not None
        assert link.group(1).endswith(".svg")
        assert "web/favicon" in link.group(1)
    found = finders.find("web/favicon.svg")
    assert found is not None
    path = Path(str(found))
    assert path.stat().st_size < 2048
    root = ElementTree.parse(path).getroot()  # noqa: S314 (our own file)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"

"""The API's paths grouped by first segment (``api/urls.py``) resolve exactly as ninja's flat list does."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, path
from django.urls.resolvers import RoutePattern

from talentcloud.api.root import api
from talentcloud.api.urls import grouped

SAMPLES = {
    "uuid": str(uuid.UUID(int=7)),
    "uuidstr": str(uuid.UUID(int=7)),
    "int": "7",
    "str": "x7",
    "slug": "x-7",
    "path": "x/7",
}


def _sample(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)


def _resolver(patterns: list[Any]) -> URLResolver:
    return URLResolver(RoutePattern("api/v1/"), patterns)


def test_every_operation_resolves_to_the_same_view_with_the_same_arguments():
    flat, app, namespace = api.urls
    plain, by_segment = _resolver(flat), _resolver(grouped((flat, app, namespace))[0])
    assert len(by_segment.url_patterns) < len(flat) / 5  # grouped: a request tries far fewer paths
    for pattern in flat:
        address = "api/v1/" + _sample(str(pattern.pattern))
        want, got = plain.resolve(address), by_segment.resolve(address)
        assert (got.func, got.kwargs, got.url_name) == (want.func, want.kwargs, want.url_name), address


def test_after_a_path_starting_with_a_converter_nothing_is_grouped():
    def view(_request: HttpRequest, **_kwargs: Any) -> HttpResponse:
        return HttpResponse()

    patterns = [
        path("talents/list", view, name="a"),
        path("<str:anything>/list", view, name="b"),
        path("talents/other", view, name="c"),
    ]
    out, _app, _namespace = grouped((patterns, "x", "x"))
    assert out[1:] == patterns[1:]  # 'talents/other' is still tried after '<str:anything>/list'
    assert _resolver(out).resolve("api/v1/talents/list").url_name == "a"
    assert _resolver(out).resolve("api/v1/elsewhere/list").url_name == "b"
    assert _resolver(out).resolve("api/v1/talents/other").url_name == "c"

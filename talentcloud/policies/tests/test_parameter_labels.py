"""Dated parameters are named in words on the office's pages (the editor, the simulation, the parameters
page), never by the code a rule names them with."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from talentcloud.policies.loader import LIBRARY, library_install, read_file
from talentcloud.policies.models import PARAMETER_LABELS, parameter_label
from talentcloud.rules.logic import params_named
from talentcloud.servicehall.seed import catalogue_install

pytestmark = pytest.mark.django_db

SHOWN_CODE = re.compile(
    r">[^<]*\b(graduate_window_years|young_max_age)\b"
)  # a code as text, not an attribute


@pytest.fixture
def office(units, make_user, login):
    cache.clear()
    catalogue_install()
    library_install()
    return login(make_user("talent-office", "320115-ZZB"))


def test_parameters_read_in_words(office):
    page = office.get("/policies/manage/parameters/").content.decode()
    assert "毕业生政策覆盖的毕业年限" in page
    assert "青年人才年龄上限" in page
    assert not SHOWN_CODE.search(page)
    simulation = office.get("/policies/manage/young-talent-allowance/simulate/?p.young_max_age=40")
    text = simulation.content.decode()
    assert "青年人才年龄上限" in text
    assert not SHOWN_CODE.search(text)
    editor = office.get("/policies/manage/young-talent-allowance/").content.decode()
    assert not SHOWN_CODE.search(editor)


def test_every_parameter_of_the_library_has_a_label():

    named = set()
    for path in LIBRARY.glob("*.yaml"):
        if path.name != "parameters.yaml":
            named |= params_named(read_file(path).get("rule"))
    assert named
    assert named <= set(PARAMETER_LABELS)
    assert parameter_label("unlabelled_name") == "unlabelled_name"  # an office-made one shows its code

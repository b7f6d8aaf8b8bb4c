"""The public service guide (办事指南): search and grouping by theme, one service's full guide (conditions in
words, the process from the workflow table, time limit, place, phone, fee, legal basis, materials with an
example sheet to download), all for an anonymous visitor."""

from __future__ import annotations

import io
import itertools
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from talentcloud.policies.loader import library_install
from talentcloud.servicehall import guide
from talentcloud.servicehall.catalogue import material_save
from talentcloud.servicehall.enums import LimitKind, Theme
from talentcloud.servicehall.models import Service
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.servicehall.workflow import BY_KEY
from talentcloud.web.tests.pagetext import main_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(units):
    catalogue_install()
    library_install()
    cache.clear()


def test_every_seeded_service_has_a_theme_place_phone_and_basis(catalogue):
    for service in Service.objects.all():
        assert service.theme in Theme.values
        assert service.place
        assert service.phone
        assert service.legal_basis
    themes = set(Service.objects.values_list("theme", flat=True))
    assert {"housing", "medical", "schooling", "startup", "certification"} <= themes


def test_the_guide_groups_services_by_theme_in_order(catalogue):
    body = Client().get("/hall/guide/").content.decode()
    order = [m.group(1) for m in re.finditer(r'data-testid="theme-group-(\w+)"', body)]
    assert order == [value for value in Theme.values if value in order]
    assert {"housing", "medical", "schooling", "startup", "certification"} <= set(order)
    housing = body[
        body.index('data-testid="theme-group-housing"') : body.index('data-testid="theme-group-medical"')
    ]
    assert "人才购房补贴" in housing
    assert "人才公寓" in housing
    assert "人才子女入学" not in housing


def test_the_guide_searches_by_words_and_by_theme(catalogue):
    client = Client()
    found = client.get("/hall/guide/", {"q": "购房"}).content.decode()
    assert 'data-testid="guide-item-housing-purchase-subsidy"' in found
    assert 'data-testid="guide-item-rental-subsidy"' not in found
    assert "共 1 项" in main_text(found)
    english = client.get("/hall/guide/", {"q": "rental"}).content.decode()
    assert 'data-testid="guide-item-rental-subsidy"' in english
    assert 'data-testid="guide-item-public-rental"' in english
    by_theme = client.get("/hall/guide/", {"theme": "medical"}).content.decode()
    items = set(re.findall(r'data-testid="guide-item-([\w-]+)"', by_theme))
    assert items == {"medical-green-channel", "supplementary-medical", "health-check", "recuperation"}
    both = client.get("/hall/guide/", {"q": "补贴", "theme": "housing"}).content.decode()
    assert set(re.findall(r'data-testid="guide-item-([\w-]+)"', both)) == {
        "housing-purchase-subsidy",
        "rental-subsidy",
    }


def test_a_search_that_finds_nothing_says_so_and_odd_input_is_harmless(catalogue):
    client = Client()
    nothing = client.get("/hall/guide/", {"q": "不存在的事项"})
    assert nothing.status_code == 200
    assert 'data-testid="guide-empty"' in nothing.content.decode()
    odd = client.get("/hall/guide/", {"q": "%_' OR 1=1 --" + "x" * 500, "theme": "no-such-theme"})
    assert odd.status_code == 200
    assert 'data-testid="guide-empty"' in odd.content.decode()
    unknown_theme = client.get("/hall/guide/", {"theme": "nonsense"}).content.decode()
    assert 'data-testid="guide-item-housing-purchase-subsidy"' in unknown_theme  # read as "all themes"


def test_inactive_services_are_not_in_the_guide(catalogue):
    Service.objects.filter(code="parking-pass").update(is_active=False)
    client = Client()
    assert 'guide-item-parking-pass"' not in client.get("/hall/guide/").content.decode()
    assert client.get("/hall/guide/parking-pass/").status_code == 404
    assert client.get("/hall/guide/parking-pass/materials/lease/").status_code == 404
    assert client.get("/hall/guide/no-such-service/").status_code == 404


def test_a_service_guide_lists_steps_limit_place_fee_basis_and_materials(catalogue):
    body = Client().get("/hall/guide/housing-purchase-subsidy/").content.decode()
    text = main_text(body)
    steps = body[body.index('data-testid="guide-steps"') :]
    steps = steps[: steps.index("</ol>")]
    titles = re.findall(r"<strong>([^<]+)</strong>", steps)
    assert titles == ["申请", "受理", "审核与联办", "办结", "答复", "评价"]
    assert "区财政局" in steps  # the joint department's part
    assert "自受理次日起 20 个工作日（补正材料期间不计入）" in text
    assert "江宁区政务服务中心二楼住房保障窗口" in text
    assert "025-5210 1005" in text
    assert "免费" in text
    assert "江宁住建〔2024〕21号" in text
    materials = body[body.index('data-testid="guide-materials"') :]
    assert "购房合同" in materials
    assert "学历学位证书" in materials
    assert "网签备案的商品房买卖合同" in materials
    assert 'href="/hall/guide/housing-purchase-subsidy/materials/purchase_contract/"' in materials
    conditions = main_text("<main>" + body[body.index('data-testid="guide-conditions"') :])
    assert "人才认定类别为 A 类、B 类、C 类、D 类或 E 类" in conditions
    assert "300 万元" in text  # the policy it grants, by grade


def test_a_service_without_joint_departments_or_materials(catalogue):
    service = Service.objects.get(code="health-check")
    Service.objects.filter(pk=service.pk).update(fee="每人 50 元（演示）")
    body = Client().get("/hall/guide/health-check/").content.decode()
    text = main_text(body)
    assert 'data-testid="guide-no-materials"' in body
    assert "每人 50 元（演示）" in text
    assert "每个认定类别每年 200 个名额" in text
    assert service.current is not None
    with translation.override("zh-hans"):
        titles = [step.title for step in guide.process_steps(service, service.current)]
    assert titles == ["申请", "受理", "审核", "办结", "答复", "评价"]


def test_limits_in_words_for_each_kind(catalogue):
    apartment = Service.objects.get(code="talent-apartment").current
    card = Service.objects.get(code="talent-card").current
    assert apartment is not None
    assert card is not None
    with translation.override("zh-hans"):
        assert guide.limit_words(apartment) == "2027-03-31前办结"
        assert card.limit_kind == LimitKind.CALENDAR_DAYS
        assert guide.limit_words(card).startswith("自受理次日起 15 个自然日")


def test_the_public_path_is_the_workflow_tables(catalogue):
    """The guide's steps are rows of the table; a row renamed or removed there fails here."""
    for key in guide.PUBLIC_PATH:
        assert key in BY_KEY
    path = [BY_KEY[key] for key in guide.PUBLIC_PATH]
    for before, after in itertools.pairwise(path):
        assert before.target == after.source or before.target == before.source


def test_an_enterprise_service_says_enterprises_apply(catalogue):
    text = main_text(Client().get("/hall/guide/rd-grant/").content.decode())
    assert "由区内企业通过企业账号申请" in text
    assert "上年研发投入的 10%，最高 200 万元" in text  # the R&D subsidy it grants, as its formula


def test_a_material_example_downloads_as_a_pdf_naming_what_it_must_show(catalogue):

    response = Client().get("/hall/guide/housing-purchase-subsidy/materials/purchase_contract/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "购房合同" in text
    assert "网签备案" in text
    assert "人才购房补贴" in text
    again = Client().get("/hall/guide/housing-purchase-subsidy/materials/purchase_contract/")
    assert again.content == response.content  # from the cache
    assert Client().get("/hall/guide/housing-purchase-subsidy/materials/no_such/").status_code == 404


def test_a_new_material_version_gets_its_own_example(catalogue, make_user):

    office = make_user("talent-office", "320115-ZZB")
    service = Service.objects.get(code="parking-pass")
    material_save(
        actor=office,
        service=service,
        spec={
            "key": "vehicle_licence",
            "label": "机动车行驶证",
            "kinds": ["pdf"],
            "max_count": 1,
            "max_mb": 2,
            "required": True,
            "help": "行驶证正副本，所有人为申请人或其配偶。",
        },
    )
    body = Client().get("/hall/guide/parking-pass/").content.decode()
    assert "行驶证正副本" in body
    assert Client().get("/hall/guide/parking-pass/materials/vehicle_licence/").status_code == 200


def test_the_catalogue_service_page_is_the_guide(catalogue):
    body = Client().get("/hall/services/school-place/").content.decode()
    assert 'data-testid="guide-steps"' in body
    assert 'data-testid="apply"' in body


def test_the_blank_application_form_lists_every_field_and_material(catalogue):

    body = Client().get("/hall/guide/talent-apartment/").content.decode()
    assert 'href="/hall/guide/talent-apartment/form/"' in body
    response = Client().get("/hall/guide/talent-apartment/form/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="talent-apartment-form.pdf"'
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "人才公寓申请表" in text
    for label in ("家庭人数", "户型意向", "两室", "劳动合同", "签名或盖章"):
        assert label in text, label
    enterprise = Client().get("/hall/guide/rd-grant/form/")
    enterprise_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(enterprise.content)).pages)
    assert "统一社会信用代码" in enterprise_text
    assert Client().get("/hall/guide/no-such-service/form/").status_code == 404


def test_example_downloads_are_rate_limited_per_address(catalogue, settings):
    settings.RATELIMIT_GUIDE_PDF = "2/d"  # a day: a window boundary never falls between the requests
    cache.clear()
    client = Client()
    url = "/hall/guide/housing-purchase-subsidy/materials/purchase_contract/"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429

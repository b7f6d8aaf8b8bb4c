"""A published catalogue never changes: after the weights change (and the demand under it grows), last year's
files match the digests recorded at publication and its page and API show the frozen stars and scores; the
next year compares with it (首次进入五星)."""

from __future__ import annotations

import pytest

from talentcloud.audit.models import AuditEvent
from talentcloud.common.crypto import sm3_hex
from talentcloud.common.errors import Conflict
from talentcloud.recruitment import services
from talentcloud.recruitment.models import Catalogue, CatalogueEntry

from .conftest import approved

pytestmark = pytest.mark.django_db

FIXED = [60, 50, 40, 30]


def test_published_files_keep_their_digests_and_the_page_reads_the_frozen_version(rworld, login, client):
    w = rworld
    year = 2025
    approved(w.hr_a, w.ent_a, w.posts["A1"], year=year, headcount=5, degree="doctor", experience_years=8)
    approved(
        w.hr_b,
        w.ent_b,
        w.posts["C1"],
        year=year,
        headcount=1,
        degree="junior_college",
        salary_kind="negotiable",
        salary_min=None,
        salary_max=None,
    )
    last = services.catalogue_open(actor=w.office, year=year)
    services.catalogue_settings(
        actor=w.office, catalogue=last, weights=last.weights, mode="fixed", cutoffs=FIXED
    )
    services.catalogue_freeze(actor=w.office, catalogue=last)
    last = services.catalogue_publish(actor=w.office, catalogue=last)
    frozen = {e.post_code: (str(e.index), e.stars) for e in CatalogueEntry.objects.filter(catalogue=last)}
    xlsx_digest, pdf_digest = last.xlsx_sm3, last.pdf_sm3
    assert len(xlsx_digest) == len(pdf_digest) == 64

    # The weights change (a published catalogue refuses; next year's draft takes them) and demand grows.
    with pytest.raises(Conflict):
        services.catalogue_settings(
            actor=w.office,
            catalogue=last,
            weights={**last.weights, "salary": 90},
            mode="fixed",
            cutoffs=FIXED,
        )
    this = services.catalogue_open(actor=w.office, year=2026)
    services.catalogue_settings(
        actor=w.office,
        catalogue=this,
        weights={"supply_demand": 0, "degree": 0, "experience": 0, "breadth": 0, "salary": 100},
        mode="fixed",
        cutoffs=[90, 80, 70, 60],
    )
    approved(w.hr_b, w.ent_b, w.posts["C1"], year=year, headcount=50, degree="doctor", experience_years=20)

    xlsx = client.get(f"/recruitment/catalogues/{year}/catalogue.xlsx")
    pdf = client.get(f"/recruitment/catalogues/{year}/catalogue.pdf")
    assert xlsx.status_code == pdf.status_code == 200
    assert sm3_hex(xlsx.content) == xlsx_digest
    assert sm3_hex(pdf.content) == pdf_digest
    assert pdf.content.startswith(b"%PDF")

    page = client.get(f"/recruitment/catalogues/{year}/").content.decode()
    for code, (index, _stars) in frozen.items():
        assert f'data-code="{code}"' in page
        assert f'class="index-cell">{index}<' in page
    api = client.get(f"/api/v1/recruitment/catalogues/{year}").json()
    assert {e["code"]: (e["index"], e["stars"]) for e in api["entries"]} == {
        code: (index, stars) for code, (index, stars) in frozen.items()
    }
    assert (api["xlsx_sm3"], api["pdf_sm3"]) == (xlsx_digest, pdf_digest)
    assert Catalogue.objects.get(year=year).weights == last.weights
    assert AuditEvent.objects.filter(action="catalogue.publish", object_id=str(year)).count() == 1


def test_next_year_compares_first_time_five_stars(rworld):
    w = rworld
    approved(w.hr_a, w.ent_a, w.posts["A1"], year=2025, headcount=3, degree="doctor")
    approved(w.hr_a, w.ent_a, w.posts["B1"], year=2025, headcount=3, degree="bachelor")
    last = services.catalogue_open(actor=w.office, year=2025)
    services.catalogue_settings(
        actor=w.office, catalogue=last, weights=last.weights, mode="quantile", cutoffs=[1, 0, 0, 0, 1]
    )
    services.catalogue_publish(
        actor=w.office, catalogue=services.catalogue_freeze(actor=w.office, catalogue=last)
    )
    assert dict(CatalogueEntry.objects.filter(catalogue=last).values_list("post_code", "stars")) == {
        "A1": 5,
        "B1": 1,
    }

    approved(w.hr_a, w.ent_a, w.posts["A1"], year=2026, headcount=3, degree="bachelor")
    approved(w.hr_a, w.ent_a, w.posts["B1"], year=2026, headcount=3, degree="doctor")
    this = services.catalogue_open(actor=w.office, year=2026)
    assert this.cutoffs == [1, 0, 0, 0, 1]  # a new year starts from last year's settings
    entries = {
        e.post_code: e for e in services.catalogue_freeze(actor=w.office, catalogue=this).entries.all()
    }
    assert (entries["B1"].stars, entries["B1"].previous_stars, entries["B1"].first_five_star) == (5, 1, True)
    assert (entries["A1"].stars, entries["A1"].previous_stars, entries["A1"].first_five_star) == (1, 5, False)


def test_the_office_adds_and_removes_posts_with_a_reason_and_previews_before_saving(rworld, login):
    w = rworld
    approved(w.hr_a, w.ent_a, w.posts["A1"], year=2026)
    approved(w.hr_a, w.ent_a, w.posts["B1"], year=2026)
    catalogue = services.catalogue_open(actor=w.office, year=2026)
    office = login(w.office)
    url = "/recruitment/manage/2026/"
    missing = office.post(url, {"step": "adjust", "post": w.posts["C1"].pk, "include": "1", "reason": ""})
    assert missing.status_code == 400
    assert 'id="id_reason_error"' in missing.content.decode()  # the reason is required, named at its field
    assert not catalogue.adjustments.exists()
    office.post(url, {"step": "adjust", "post": w.posts["C1"].pk, "include": "1", "reason": "省重点产业链"})
    office.post(url, {"step": "adjust", "post": w.posts["B1"].pk, "include": "0", "reason": "已列入人才专项"})
    weights = {f"weight_{k}": v for k, v in catalogue.weights.items()}
    preview = office.post(
        url,
        {"step": "preview", **weights, "weight_salary": 0, "cutoff_mode": "fixed", "cutoffs": "80 60 40 20"},
    )
    assert preview.status_code == 200
    assert 'id="preview"' in preview.content.decode()
    catalogue.refresh_from_db()
    assert catalogue.cutoff_mode == "quantile"
    assert catalogue.weights["salary"] == 20
    bad = office.post(url, {"step": "save", **weights, "cutoff_mode": "fixed", "cutoffs": "20 40 60 80"})
    assert bad.status_code == 400
    office.post(url, {"step": "freeze"})
    codes = set(CatalogueEntry.objects.filter(catalogue=catalogue).values_list("post_code", flat=True))
    assert codes == {"A1", "C1"}
    assert CatalogueEntry.objects.get(catalogue=catalogue, post_code="C1").added_reason == "省重点产业链"
    park = login(w.park_a)
    assert park.get(url).status_code == 403

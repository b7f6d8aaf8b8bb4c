"""The demo's enterprise annual reports look like Jiangning's technology SMEs: mostly small firms, revenue in
line with staff, R&D a few per cent of revenue, year-on-year changes a real firm could show."""

from __future__ import annotations

import itertools
import random
import statistics

from talentcloud.demo.seed import enterprise_figures


def test_figures_stay_within_realistic_ranges():
    rng = random.Random(2026)
    firms = [enterprise_figures(rng) for _ in range(3000)]
    for years in firms:
        assert len(years) == 3
        for figures in years:
            staff, revenue = figures["staff"], float(figures["revenue"])  # revenue in 万元
            assert 3 <= staff <= 5000
            assert 10 <= revenue / staff <= 400  # 万元 per head and year
            assert 0.009 <= float(figures["rd_spend"]) / revenue <= 0.121
            assert 0 <= figures["patents"] <= staff // 12 + 1
            assert 0 <= float(figures["funding_raised"]) <= revenue
        for before, after in itertools.pairwise(years):
            assert 0.7 <= float(after["revenue"]) / float(before["revenue"]) <= 1.6
    first_years = [years[0] for years in firms]
    staff = [f["staff"] for f in first_years]
    assert statistics.median(staff) < 30  # most firms are micro or small
    assert sum(s < 100 for s in staff) / len(staff) > 0.75
    assert 0 < sum(s >= 300 for s in staff) / len(staff) < 0.06  # a few large ones
    turnover = sorted(float(f["revenue"]) for f in first_years)
    assert 100 <= statistics.median(turnover) <= 2000  # 100万 to 2000万 yuan: a small firm's turnover
    assert turnover[-1] < 1_000_000  # nobody near 100亿 in their first reported year

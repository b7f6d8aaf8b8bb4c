"""Benchmark: the archive pages, as each role that uses them, beside /health/ in the same run.

    python benchmarks/archive_pages.py [--quick] [--talents N] [--workers W] [--concurrency C] [--seconds S]

Needs PostgreSQL. The population of N talents (``population.py``: a database per size, seeded once by COPY and
reused) is served by gunicorn with W workers and production-like settings; each role's session is made
directly, and C client processes load every URL below in three interleaved rounds, S seconds per URL in all
(``harness.load_matrix``: /health/ is loaded at C and at C/2 clients, the generator's CPU share printed).

Roles (the department windows hold no talent permission; the liaison cadre sees the talents in their care):

  office     talent-office   the whole district
  park-kfq   park-staff      the development zone's talents (by employer's park)
  street-ds  street-staff    Dongshan street's (employer's street or residence)
  cadre      liaison-cadre   the talents in their care (list only)

Pages, for office, park-kfq and street-ds:

  list      /talents/                        (first page, capped count)
  rare      /talents/?category=top_expert    (a rare category: 2 % of talents)
  chain     /talents/?chain=biomed           (one industry chain of eight)
  grade     /talents/?grade=B                (a certification grade, about 4 %)
  surname   /talents/?q=王                   (a one-character surname search)
  name      /talents/?q=<a full name>        (a full-name search)
  deep      /talents/?after=<cursor>         (three quarters down the role's list: keyset)
  detail    /talents/<id>/                   (a talent in the role's scope with facts, education, family,
                                              titles, history and cases)

Goal (#17, Must show): every page for every role keeps >= 30 % of /health/'s throughput and a p95 <= 3 ×
/health/'s p95 in the same run; a RESULT line per page and role. The run is INVALID when halving the clients
changes /health/'s throughput by 10 % or more.
"""

from __future__ import annotations

import sys
import urllib.parse

from harness import Target, load_matrix, page_arguments, report_matrix, session_cookie, write_json
from population import ensure_population

ROLES = {"office": "office", "park-kfq": "park-kfq", "street-ds": "street-ds"}
FILTERS = {
    "list": "",
    "rare": "category=top_expert",
    "chain": "chain=biomed",
    "grade": "grade=B",
    "surname": "q=" + urllib.parse.quote("王"),
}


def _realistic(viewer: object, scope: dict[str, str]) -> object:
    """A talent the viewer sees whose archive has something in every section."""
    from talentcloud.talents.models import Talent

    qs = Talent.objects.filter(
        account__isnull=False,
        highest_degree="doctor",
        family__relation="child",
        qualifications__isnull=False,
        cases__isnull=False,
        **scope,
    )
    return qs.order_by("name", "id").first() or Talent.objects.filter(**scope).order_by("name", "id").first()


def targets() -> tuple[list[Target], dict[str, str]]:
    """The page × role matrix and each role's session."""
    from django.core import signing

    from talentcloud.accounts.models import User
    from talentcloud.talents.selectors import talent_list

    scopes = {
        "office": {"employer__park__code": "320115-P-GXQ"},
        "park-kfq": {"employer__park__code": "320115-P-KFQ"},
        "street-ds": {"residence_street__code": "320115-S-DS"},
    }
    found: list[Target] = []
    for role, username in ROLES.items():
        viewer = User.objects.get(username=username)
        for page, query in FILTERS.items():
            found.append(Target(page, role, f"/talents/?{query}" if query else "/talents/"))
        visible = talent_list(viewer=viewer).order_by("name", "id")
        sample = _realistic(viewer, scopes[role])
        found.append(Target("name", role, f"/talents/?q={urllib.parse.quote(sample.name)}"))
        deep = visible[visible.count() * 3 // 4]
        cursor = signing.dumps([deep.name, str(deep.pk)], salt="talents.list.cursor", compress=True)
        found.append(Target("deep", role, f"/talents/?after={cursor}"))
        found.append(Target("detail", role, f"/talents/{sample.pk}/"))
    found.append(Target("list", "cadre", "/talents/"))
    cookies = {role: session_cookie(username) for role, username in {**ROLES, "cadre": "cadre"}.items()}
    return found, cookies


def main() -> None:
    parser = page_arguments(__doc__ or "", quick_help="10,000 talents, 3 s per URL (a smoke run)")
    parser.add_argument("--talents", type=int, default=100_000)
    args = parser.parse_args()
    if args.quick:
        args.talents, args.seconds = 10_000, 3
    env = ensure_population(args.talents)
    matrix, cookies = targets()
    result = load_matrix(
        env, matrix, cookies, workers=args.workers, concurrency=args.concurrency, seconds=args.seconds
    )
    ok = report_matrix(
        f"archive pages · {args.talents:,} talents on PostgreSQL · gunicorn {args.workers} workers · "
        f"{args.concurrency} client processes · {args.seconds:.0f} s per URL · "
        f"{result['run']['duration_s']:.0f} s in all",
        result,
        prefix="archive",
    )
    write_json(args.json, {"script": "archive", "talents": args.talents, **result, "ok": ok})


if __name__ == "__main__":
    sys.exit(main())

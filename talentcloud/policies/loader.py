"""Policies to and from YAML, and their test cases (OpenFisca-style: input facts → expected verdict).

The database is authoritative: importing never overwrites a version the database already has or a newer
one; a file with a higher version than the database's published one adds that version and supersedes the old.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentcloud.audit.services import audit_record
from talentcloud.common import versions
from talentcloud.common.weburl import WEB_URL_MESSAGE, validate_web_url
from talentcloud.rules.facts import DATE, FACTS
from talentcloud.servicehall.models import Service
from talentcloud.talents.programmes import programmes_install

from .engine import POLICIES_VERSION, calculate_for_facts, policy_problems
from .models import Parameter, Policy, PolicyStatus, parameters_on
from .office_facts import definitions_install
from .office_facts import refresh as office_facts_refresh

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

LIBRARY = Path(__file__).resolve().parent / "library"
FIELDS = (
    "title",
    "title_en",
    "issuer",
    "document_number",
    "source_url",
    "target",
    "effective_from",
    "effective_to",
    "rule",
    "benefit",
    "exclusion_group",
    "group_priority",
    "excludes",
    "yearly_budget",
    "materials",
    "on_match",
    "tests",
    "summary",
)


class PolicyFileError(Exception):
    pass


def _jsonable(value: Any) -> Any:
    """YAML reads dates as dates; the JSON columns keep them as ISO text."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def read_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PolicyFileError(f"{path.name}: not readable YAML ({exc})") from exc
    if not isinstance(data, dict) or "code" not in data:
        raise PolicyFileError(f"{path.name}: not a policy (a mapping with a code)")
    for name in ("effective_from", "effective_to"):
        if name in data:
            data[name] = _date(data[name])
    for case in data.get("tests") or []:
        if "as_of" in case:  # not "on": YAML 1.1 reads a bare "on" key as true
            case["as_of"] = _date(case["as_of"])
    return data


def library_parameters(path: Path | None = None) -> list[tuple[str, dt.date, Any]]:
    """The library's dated parameters as its file gives them: (name, effective from, value)."""
    path = path or LIBRARY / "parameters.yaml"
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [(str(i["name"]), _date(i["effective_from"]), i["value"]) for i in items]


def parameters_for_tests(day: dt.date) -> dict[str, Any]:
    """The parameters a policy's test cases run with on ``day``: the library file's, and the database's over
    them (the database is authoritative) — so ``policies test`` works on a freshly migrated database too."""
    values: dict[str, Any] = {}
    for name, start, value in sorted(library_parameters(), key=lambda item: item[1]):
        if start <= day:
            values[name] = value
    return {**values, **parameters_on(day)}


def parameters_install(path: Path | None = None) -> int:
    path = path or LIBRARY / "parameters.yaml"
    created = 0
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        _obj, made = Parameter.objects.get_or_create(
            name=item["name"],
            effective_from=item["effective_from"],
            defaults={"value": item["value"], "source": item.get("source", "")},
        )
        created += int(made)
    if created:
        versions.bump(POLICIES_VERSION)
    return created


@dataclass(frozen=True)
class ImportOutcome:
    code: str
    action: str  # draft (a draft to publish), created, new_version (installed published), kept
    version: int


def import_policy(data: dict[str, Any], *, actor: User | None = None, publish: bool = False) -> ImportOutcome:
    """A policy file into the database. An import makes a draft (publishing is a second person's step on
    the editor page or the API); only the installation of the seeded library (``publish=True``) publishes.
    A file whose version the database has (or has newer) is kept as the database has it; a file while a
    draft of the policy is being written is refused."""

    code, version = str(data["code"]), int(data.get("version", 1))
    params = parameters_on(data.get("effective_from") or dt.date.today())
    problems = policy_problems(
        data.get("rule"), data.get("benefit"), params, str(data.get("target", "talent"))
    )
    if problems:
        details = "; ".join(f"{p.path}: {p.reason}" for p in problems)
        raise PolicyFileError(f"{code}: {details}")
    try:
        if data.get("source_url"):
            validate_web_url(str(data["source_url"]))
    except ValidationError as exc:
        raise PolicyFileError(f"{code}: source_url: {WEB_URL_MESSAGE}") from exc
    existing = Policy.objects.filter(code=code).order_by("-version").first()
    if existing is not None and existing.version >= version:
        return ImportOutcome(code, "kept", existing.version)  # the database is authoritative
    values = {name: data.get(name) for name in FIELDS if name in data}
    for name in ("rule", "benefit", "materials", "tests"):
        if name in values:
            values[name] = _jsonable(values[name])
    values.setdefault("title_en", "")
    if values.get("yearly_budget") is not None:
        values["yearly_budget"] = Decimal(str(values["yearly_budget"]))
    service = Service.objects.filter(code=data.get("service", "")).first() if data.get("service") else None
    with transaction.atomic():
        draft = Policy.objects.select_for_update().filter(code=code, status=PolicyStatus.DRAFT).first()
        if draft is not None:
            raise PolicyFileError(
                _("%(code)s: a draft (version %(v)s) is being written; publish or discard it first.")
                % {"code": code, "v": draft.version}
            )
        if publish:
            current = Policy.objects.filter(code=code, status=PolicyStatus.PUBLISHED)
            current.update(status=PolicyStatus.RETIRED)
        policy = Policy.objects.create(
            code=code,
            version=version,
            status=PolicyStatus.PUBLISHED if publish else PolicyStatus.DRAFT,
            service=service,
            created_by=actor,
            drafted_by=None if publish else actor,
            drafted_at=None if publish else timezone.now(),
            **values,
        )
        audit_record(
            actor=actor,
            actor_username="" if actor else "console",
            action="policy.import",
            object_type="policy",
            object_id=policy.pk,
            details={"code": code, "version": version, "status": policy.status},
        )
        if publish:
            versions.bump(POLICIES_VERSION)
    if not publish:
        return ImportOutcome(code, "draft", version)
    return ImportOutcome(code, "created" if existing is None else "new_version", version)


OFFICE_FACTS_FILE = LIBRARY / "facts" / "office-facts.yaml"


def office_facts_file(path: Path | None = None) -> list[dict[str, Any]]:
    """The facts the office defined for the library's policies (recognitions, recorded values)."""
    return yaml.safe_load((path or OFFICE_FACTS_FILE).read_text(encoding="utf-8")) or []


def library_install() -> list[ImportOutcome]:
    """The seeded policies, the facts the office defined for them, the parameters and the register of talent
    programmes (demo and fresh installations)."""
    programmes_install()  # the register of talent programmes the programme facts read
    definitions_install(office_facts_file())
    office_facts_refresh()
    parameters_install()
    return [
        import_policy(read_file(path), publish=True)
        for path in sorted(LIBRARY.glob("*.yaml"))
        if path.name != "parameters.yaml"
    ]


def export_policy(policy: Policy) -> str:
    data: dict[str, Any] = {"code": policy.code, "version": policy.version}
    for name in FIELDS:
        value = getattr(policy, name)
        if isinstance(value, Decimal):
            value = float(value) if value % 1 else int(value)
        if value not in (None, "", [], {}):
            data[name] = value
    if policy.service_id:
        data["service"] = policy.service.code if policy.service else ""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@dataclass(frozen=True)
class Difference:
    """How a case's outcome differs from what it expects; ``what``: status, amount, failed or missing."""

    what: str
    expected: Any
    got: Any


@dataclass(frozen=True)
class CaseResult:
    policy: str
    name: str
    ok: bool
    problem: str
    differences: tuple[Difference, ...] = ()

    def text(self) -> str:
        """The failure in the reader's language: the case, what it expects and what came out."""
        return case_failure_text(self) if self.differences else self.problem


STATUS_WORDS = {
    "eligible": gettext_lazy("eligible"),
    "not_eligible": gettext_lazy("not eligible"),
    "missing": gettext_lazy("information missing"),
    "excluded": gettext_lazy("a better one of its group applies"),
}


def _amount_words(value: Any) -> str:
    if value is None:
        return str(_("no amount"))
    number = Decimal(value)
    shown = f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"
    return str(_("%(amount)s yuan") % {"amount": shown})


def _facts_words(keys: Any) -> str:
    if not keys:
        return str(_("none"))
    return "、".join(FACTS[k].text() if k in FACTS else str(k) for k in keys)


def case_failure_text(result: CaseResult) -> str:
    parts = []
    for d in result.differences:
        if d.what == "status":
            parts.append(
                _("the outcome should be “%(expected)s” but is “%(got)s”")
                % {
                    "expected": STATUS_WORDS.get(d.expected, d.expected),
                    "got": STATUS_WORDS.get(d.got, d.got),
                }
            )
        elif d.what == "amount":
            parts.append(
                _("the amount should be %(expected)s but is %(got)s")
                % {"expected": _amount_words(d.expected), "got": _amount_words(d.got)}
            )
        elif d.what == "failed":
            parts.append(
                _("the unmet conditions should be %(expected)s but are %(got)s")
                % {"expected": _facts_words(d.expected), "got": _facts_words(d.got)}
            )
        else:
            parts.append(
                _("the missing facts should be %(expected)s but are %(got)s")
                % {"expected": _facts_words(d.expected), "got": _facts_words(d.got)}
            )
    return _("Test case “%(name)s”: %(problems)s.") % {"name": result.name, "problems": _("; ").join(parts)}


def _case_facts(case: dict[str, Any], target: str) -> tuple[dict[str, Any], list[str]]:
    """A case's facts (a date fact's ISO text read as a date) and the names it gives that are no fact."""
    facts, unknown = {}, []
    for key, value in dict(case.get("facts") or {}).items():
        fact = FACTS.get(str(key))
        if fact is None or fact.target != target:
            unknown.append(str(key))
            continue
        facts[str(key)] = _date(value) if fact.type == DATE and value is not None else value
    return facts, unknown


def run_tests(data: dict[str, Any]) -> list[CaseResult]:
    """Run a policy file's test cases against its rule and benefit (no database rows needed: the library's
    parameters stand in for the database's where it has none). The rule and benefit are checked first, as the
    import checks them: a problem is one failed result naming the clause path and the reason."""
    code = str(data.get("code", ""))
    target = str(data.get("target", "talent"))
    start = _date(data.get("effective_from")) or timezone.localdate()
    problems = policy_problems(data.get("rule"), data.get("benefit"), parameters_for_tests(start), target)
    if problems:
        details = "; ".join(f"{p.path}: {p.reason}" for p in problems)
        return [CaseResult(code, str(_("rule check")), False, f"{code}: {details}")]
    policy = Policy(
        code=code,
        version=int(data.get("version", 1)),
        **{name: data.get(name) for name in FIELDS if name in data and name not in ("yearly_budget",)},
    )
    results = []
    for index, case in enumerate(data.get("tests") or []):
        name = str(case.get("name", f"case {index + 1}"))
        on = _date(case.get("as_of")) or _date(policy.effective_from)
        facts, unknown = _case_facts(case, target)
        if unknown:
            problem = _("Test case “%(name)s”: “%(facts)s” is not a fact of this policy's subjects.") % {
                "name": name,
                "facts": "、".join(unknown),
            }
            results.append(CaseResult(code, name, False, problem))
            continue
        [verdict] = calculate_for_facts(facts, on=on, policies=[policy], params=parameters_for_tests(on))
        expect = case.get("expect") or {}
        differences = []
        if "status" in expect and verdict.status != expect["status"]:
            differences.append(Difference("status", expect["status"], verdict.status))
        if "amount" in expect:
            got = verdict.amount.per_period if verdict.amount else None
            wanted = Decimal(str(expect["amount"])) if expect["amount"] is not None else None
            if got != wanted:
                differences.append(Difference("amount", wanted, got))
        if "failed" in expect:
            failed = sorted({c.fact for c in verdict.outcome.failed})
            if failed != sorted(expect["failed"]):
                differences.append(Difference("failed", sorted(expect["failed"]), failed))
        if "missing" in expect:
            missing = sorted({c.fact for c in verdict.outcome.missing})
            if missing != sorted(expect["missing"]):
                differences.append(Difference("missing", sorted(expect["missing"]), missing))
        problem = "; ".join(f"{d.what} {d.got}, expected {d.expected}" for d in differences)
        results.append(CaseResult(policy.code, name, not differences, problem, tuple(differences)))
    return results

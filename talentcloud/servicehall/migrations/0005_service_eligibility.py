"""A service's grade / category / tag lists become one eligibility rule in the platform's rule language
(ADR 0014); the lists are removed by 0006. Reversing restores the lists of every rule that is just those lists."""

from django.db import migrations, models


def rule_of_lists(grades, categories, tags):
    # a copy of servicehall.catalogue.rule_of_lists as it was when written (migrations import no app code)
    clauses = []
    if grades:
        clauses.append({"fact": "grade", "op": "in", "value": list(grades)})
    if categories:
        clauses.append({"fact": "category", "op": "in", "value": list(categories)})
    if tags:
        clauses.append({"fact": "tags", "op": "any_of", "value": list(tags)})
    return {"all": clauses} if clauses else {}


LIST_OF_FACT = {("grade", "in"): "grades", ("category", "in"): "categories", ("tags", "any_of"): "tags"}


def lists_of_rule(rule):
    lists = {"grades": [], "categories": [], "tags": []}
    if not rule:
        return lists
    parts = rule.get("all") if isinstance(rule, dict) else None
    for part in parts if isinstance(parts, list) else [rule]:
        name = LIST_OF_FACT.get((part.get("fact"), part.get("op"))) if isinstance(part, dict) else None
        if name is None or lists[name] or not isinstance(part.get("value"), list):
            return None
        lists[name] = [str(v) for v in part["value"]]
    return lists


def lists_to_rules(apps, schema_editor):
    Service = apps.get_model("servicehall", "Service")
    for service in Service.objects.all():
        service.eligibility = rule_of_lists(service.grades, service.categories, service.tags)
        service.save(update_fields=["eligibility"])


def rules_to_lists(apps, schema_editor):
    Service = apps.get_model("servicehall", "Service")
    for service in Service.objects.all():
        lists = lists_of_rule(service.eligibility)
        if lists is None:
            raise RuntimeError(f"service {service.code}: its eligibility rule is not three lists; change it first")
        for name, values in lists.items():
            setattr(service, name, values)
        service.save(update_fields=list(lists))


class Migration(migrations.Migration):
    dependencies = [
        ("servicehall", "0004_service_guide"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="eligibility",
            field=models.JSONField(blank=True, default=dict, verbose_name="who may apply (a rule)"),
        ),
        migrations.RunPython(lists_to_rules, rules_to_lists),
    ]

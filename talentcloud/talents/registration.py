"""A talent signs up: phone code, real-name verification, and claiming the archive the district keeps.

The archive is found by the ID number's blind index. The identity provider's confirmation that the person
owns that ID number is what allows the claim. An archive that already has an account is not claimed: the
sign-up is answered as if the number were new, and the new archive waits for the office's merge (ADR 0010).
Without an archive, a new one is opened with what the person declared (unverified).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from talentcloud.accounts.identity import person_verify
from talentcloud.accounts.models import Role, User
from talentcloud.accounts.services import user_create
from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import blind_index
from talentcloud.enterprises.models import ClashVia

from .clashes import clash_sync
from .enums import Gender
from .models import Talent, TalentChange


@dataclass(frozen=True)
class Registration:
    user: User
    talent: Talent
    claimed: bool


def talent_register(
    *, username: str, password: str, name: str, id_number: str, phone: str, code: str
) -> Registration:
    name, id_number, phone = person_verify(
        username=username, name=name, id_number=id_number, phone=phone, code=code
    )
    index = blind_index(id_number, purpose="talents.Talent.id_number")
    with transaction.atomic():
        talent = Talent.objects.select_for_update().filter(id_number_index=index, pending_merge=False).first()
        # An archive that already has an account is not the newcomer's to see: the sign-up is answered like
        # one with a new number, and a new archive waits for the office's merge (ADR 0010).
        holder = None
        if talent is not None and talent.account_id is not None:
            holder, talent = talent, None
        user = user_create(
            actor=None,
            username=username,
            password=password,
            unit=None,
            roles=[Role.objects.get(code="talent")],
            display_name=name,
        )
        claimed = talent is not None
        if talent is None:
            born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
            talent = Talent.objects.create(
                name=name,
                gender=Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE,
                birth_date=born,
                highest_degree="",
                category="",
                id_number=id_number,
                phone=phone,
                account=user,
                pending_merge=holder is not None,
            )
            if holder is not None:
                clash_sync(actor=user, record=talent, holder=holder, via=ClashVia.REGISTER)
        else:
            talent.account = user
            if not talent.phone:
                talent.phone = phone
            talent.save()
            TalentChange.objects.create(
                talent=talent, actor=user, via="claim", field="account", before="", after=user.username
            )
        audit_record(
            actor=user,
            action="talent.claim" if claimed else "talent.register",
            object_type="talent",
            object_id=talent.pk,
            details={"identity": "verified"},
        )
    return Registration(user=user, talent=talent, claimed=claimed)

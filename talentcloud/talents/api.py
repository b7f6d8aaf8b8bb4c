import uuid
from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from talentcloud.common.access import api_access

from . import selectors

router = Router(tags=["talents"])


class TalentOut(Schema):
    id: uuid.UUID
    name: str
    gender: str
    birth_date: date
    highest_degree: str
    category: str
    employer_id: uuid.UUID | None
    employer_name: str | None
    post: str
    chain_code: str | None
    arrived_on: date | None

    @staticmethod
    def resolve_employer_name(obj: object) -> str | None:
        employer = getattr(obj, "employer", None)
        return employer.name if employer else None

    @staticmethod
    def resolve_chain_code(obj: object) -> str | None:
        chain = getattr(obj, "chain", None)
        return chain.code if chain else None


@router.get("", response=list[TalentOut], openapi_extra=api_access("scoped"))
@paginate(PageNumberPagination, page_size=50)
def talents_list(request: HttpRequest, q: str = "", category: str = "") -> object:
    return selectors.talent_list(viewer=request.user, query=q[:100], category=category)


@router.get("/{talent_id}", response=TalentOut, openapi_extra=api_access("scoped"))
def talents_detail(request: HttpRequest, talent_id: uuid.UUID) -> object:
    return selectors.talent_get(viewer=request.user, talent_id=talent_id)

import uuid
from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from talentcloud.common.access import api_access

from . import selectors

router = Router(tags=["enterprises"])


class EnterpriseOut(Schema):
    id: uuid.UUID
    name: str
    credit_code: str
    park_code: str | None
    street_code: str
    chain_code: str | None
    founded_on: date | None

    @staticmethod
    def resolve_park_code(obj: object) -> str | None:
        park = getattr(obj, "park", None)
        return park.code if park else None

    @staticmethod
    def resolve_street_code(obj: object) -> str:
        return obj.street.code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_chain_code(obj: object) -> str | None:
        chain = getattr(obj, "chain", None)
        return chain.code if chain else None


@router.get("", response=list[EnterpriseOut], openapi_extra=api_access("scoped"))
@paginate(PageNumberPagination, page_size=50)
def enterprises_list(request: HttpRequest, q: str = "", chain: str = "") -> object:
    return selectors.enterprise_list(viewer=request.user, query=q[:100], chain=chain)


@router.get("/{enterprise_id}", response=EnterpriseOut, openapi_extra=api_access("scoped"))
def enterprises_detail(request: HttpRequest, enterprise_id: uuid.UUID) -> object:
    return selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)

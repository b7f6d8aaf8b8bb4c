"""Write-scope cases of this app's reference-taking doors (read by ``api/tests/test_write_scope.py``).
Stations are the district office's (``stations.manage``): the office names any active station and registers
a station's partner as any active external unit. A partner's lead always goes to the partner's own station:
the service refuses another (``services._station_for``, tested in ``test_leads.py``)."""

from __future__ import annotations

from talentcloud.api.tests.writescope import Exempt

DISTRICT_STATIONS = (
    "district stations (stations.manage, the office's roles); a partner's writes stay on its own station"
    " (services._station_for refuses another)"
)
PARTNER_UNIT = (
    "the office registers a station's partner as any active external unit (a district registration)"
)

WRITE_SCOPE_CASES: dict[str, Exempt] = {
    "stations.EventForm.station": Exempt(DISTRICT_STATIONS),
    "stations.EventLeadsForm.station": Exempt(DISTRICT_STATIONS),
    "stations.LeadForm.station": Exempt(DISTRICT_STATIONS),
    "stations.StationForm.partner_unit": Exempt(PARTNER_UNIT),
}

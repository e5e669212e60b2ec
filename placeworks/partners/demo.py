"""Demo organisations and users for the North Midlands partnership.

The organisations are real public bodies of the area; their memberships, users and every record
attached to them in the demo are illustrative sample data.
"""

from __future__ import annotations

from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Organisation, Sector

ORGANISATIONS = [
    ("Derbyshire County Council", Sector.COUNTY_COUNCIL, {}),
    ("Nottinghamshire County Council", Sector.COUNTY_COUNCIL, {}),
    ("Derby City Council", Sector.UNITARY_COUNCIL, {}),
    ("Nottingham City Council", Sector.UNITARY_COUNCIL, {}),
    ("Mansfield District Council", Sector.DISTRICT_COUNCIL, {}),
    ("Ashfield District Council", Sector.DISTRICT_COUNCIL, {}),
    ("Chesterfield Borough Council", Sector.DISTRICT_COUNCIL, {}),
    (
        "NHS Derby and Derbyshire Integrated Care Board",
        Sector.INTEGRATED_CARE_BOARD,
        {"ods_code": "QJ2"},
    ),
    (
        "NHS Nottingham and Nottinghamshire Integrated Care Board",
        Sector.INTEGRATED_CARE_BOARD,
        {"ods_code": "QT1"},
    ),
    ("Sherwood Forest Hospitals NHS Foundation Trust", Sector.NHS_TRUST, {"ods_code": "RK5"}),
    ("Nottinghamshire Police", Sector.POLICE, {}),
    ("Derbyshire Constabulary", Sector.POLICE, {}),
    ("Derbyshire Fire and Rescue Service", Sector.FIRE, {}),
    ("Nottinghamshire Fire and Rescue Service", Sector.FIRE, {}),
    ("Mansfield Community and Voluntary Service", Sector.VCS, {}),
    ("Derbyshire Voluntary Action", Sector.VCS, {}),
]

# username, organisation, role, description (illustrative demo users)
USERS = [
    (
        "programme.manager",
        "Nottinghamshire County Council",
        Membership.Role.ADMIN,
        "Programme manager, Nottinghamshire County Council (administrator)",
    ),
    (
        "estates.notts",
        "Nottinghamshire County Council",
        Membership.Role.EDITOR,
        "Estates lead, Nottinghamshire County Council (editor)",
    ),
    (
        "estates.icb",
        "NHS Nottingham and Nottinghamshire Integrated Care Board",
        Membership.Role.EDITOR,
        "Estates lead, NHS Nottingham and Nottinghamshire ICB (editor)",
    ),
    (
        "neighbourhoods.mansfield",
        "Mansfield District Council",
        Membership.Role.EDITOR,
        "Neighbourhood team, Mansfield District Council (editor)",
    ),
    (
        "analyst.derbyshire",
        "Derbyshire County Council",
        Membership.Role.VIEWER,
        "Analyst, Derbyshire County Council (viewer)",
    ),
    (
        "inspector.police",
        "Nottinghamshire Police",
        Membership.Role.VIEWER,
        "Neighbourhood inspector, Nottinghamshire Police (viewer)",
    ),
    (
        "officer.cvs",
        "Mansfield Community and Voluntary Service",
        Membership.Role.EDITOR,
        "Voluntary sector officer, Mansfield CVS (editor)",
    ),
]


def load(stdout: TextIO, *, password: str) -> None:
    User = get_user_model()
    with transaction.atomic():
        orgs = {}
        for name, sector, identifiers in ORGANISATIONS:
            orgs[name], _ = Organisation.objects.update_or_create(
                name=name, defaults={"sector": sector, **identifiers}
            )
        for username, org_name, role, description in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.org", "first_name": description},
            )
            if created:
                user.set_password(password)
                user.save()
            Membership.objects.update_or_create(
                user=user, organisation=orgs[org_name], defaults={"role": role}
            )
    stdout.write(f"  organisations: {len(ORGANISATIONS)}, demo users: {len(USERS)}\n")

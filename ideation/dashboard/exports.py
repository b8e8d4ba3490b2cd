"""Exports of ideas and pilots: CSV that French Excel opens as is, and JSON.

CSV: UTF-8 with a byte-order mark (Excel otherwise reads Windows-1252), `;` between
fields (Excel's separator when the decimal mark is a comma), dates dd/mm/yyyy,
decimals with a comma and no thousands separator (so Excel reads them as numbers).
Text cells that start like a formula are prefixed with an apostrophe (CSV injection).
JSON: ISO dates, exact decimals as strings ("1250.50").

Same scope as the dashboard: one organisation, or every one for the regional level.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select

from ideation.challenges.models import Challenge, Theme
from ideation.dashboard.participation import Participation
from ideation.dashboard.services import idea_organisation, overdue_flag
from ideation.domain.idea_states import LABELS as IDEA_LABELS
from ideation.domain.idea_states import PUBLIC, IdeaStatus
from ideation.domain.pilot_states import LABELS as PILOT_LABELS
from ideation.domain.pilot_states import PilotStatus
from ideation.extensions import db
from ideation.fabrique.models import Edition
from ideation.ideas.models import Idea
from ideation.orgs.models import Organisation, Residence
from ideation.pilots.models import Pilot, PilotIdea, pilot_partners, pilot_residences


class ExportKind(StrEnum):
    """What an export holds. Code uses the English names; each value is the French word
    of the public download URL and file name (`/tableau-de-bord/export/idees.csv`,
    `fabrique-idees-2026-05-01.csv`) and the JSON's "export" field, which users rely on."""

    IDEAS = "idees"
    PILOTS = "projets"
    PARTICIPATION = "participation"


class ExportFormat(StrEnum):
    """The file formats an export is offered in (the URL's extension)."""

    CSV = "csv"
    JSON = "json"


BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

IDEA_COLUMNS = [
    "id",
    "defi",
    "edition",
    "titre",
    "statut",
    "theme",
    "residence",
    "bailleur",
    "soutiens",
    "commentaires",
    "publiee_le",
    "projet_pilote",
]
PILOT_COLUMNS = [
    "id",
    "titre",
    "bailleur",
    "statut",
    "avancement",
    "debut_prevu",
    "fin_prevue",
    "budget_prevu",
    "budget_depense",
    "en_retard",
    "idee_origine",
    "residences",
    "partenaires",
]


PARTICIPATION_COLUMNS = ["niveau", "nom", "participants", "logements", "taux"]


def participation_rows(rates: Participation, levels: dict[str, str]) -> list[dict]:
    """The dashboard's participation rates as rows: residences, then editions, then houses."""
    rows = []
    for level, items in (
        ("residence", rates.residences),
        ("edition", rates.editions),
        ("house", rates.houses),
    ):
        for item in items:
            rows.append(
                {
                    "niveau": levels[level],
                    "nom": item.label,
                    "participants": item.participants,
                    "logements": item.dwellings,
                    "taux": None if item.rate is None else Decimal(str(item.rate)),
                }
            )
    return rows


def idea_rows(organisation_id: int | None, gettext) -> list[dict]:  # type: ignore[no-untyped-def]
    """The public ideas (not hidden) of the scope, one dict per idea, in two queries."""
    pilot_of = select(PilotIdea.pilot_id).where(PilotIdea.idea_id == Idea.id).scalar_subquery()
    query = (
        select(
            Idea.id,
            Challenge.title,
            Edition.name,
            Idea.title,
            Idea.status,
            Theme.name,
            Residence.name,
            Organisation.name,
            Idea.supports_count,
            Idea.comments_count,
            Idea.published_at,
            pilot_of,
        )
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .outerjoin(Edition, Edition.id == Challenge.edition_id)
        .outerjoin(Theme, Theme.id == Idea.theme_id)
        .outerjoin(Residence, Residence.id == Idea.residence_id)
        .outerjoin(Organisation, Organisation.id == idea_organisation())
        .where(Idea.status.in_(PUBLIC), Idea.hidden_at.is_(None))
        .order_by(Idea.id)
    )
    if organisation_id is not None:
        query = query.where(idea_organisation() == organisation_id)
    rows = []
    for values in db.session.execute(query):
        row = dict(zip(IDEA_COLUMNS, values, strict=True))
        row["statut"] = gettext(IDEA_LABELS[IdeaStatus(row["statut"])])
        if row["publiee_le"] is not None:
            row["publiee_le"] = row["publiee_le"].date()
        rows.append(row)
    return rows


def pilot_rows(organisation_id: int | None, today: date, gettext) -> list[dict]:  # type: ignore[no-untyped-def]
    """The pilots of the scope, one dict per pilot, in three queries."""
    query = (
        select(
            Pilot.id,
            Pilot.title,
            Organisation.name,
            Pilot.status,
            Pilot.progress,
            Pilot.planned_start,
            Pilot.planned_end,
            Pilot.budget_planned,
            Pilot.budget_spent,
            overdue_flag(today),
            Pilot.idea_id,
        )
        .join(Organisation, Organisation.id == Pilot.organisation_id)
        .order_by(Pilot.id)
    )
    # pilot_residences is a plain Table, whose columns mypy sees as Any: name the row type.
    residences: Select[int, str] = (
        select(pilot_residences.c.pilot_id, Residence.name)
        .join(Residence, Residence.id == pilot_residences.c.residence_id)
        .order_by(Residence.name)
    )
    if organisation_id is not None:
        query = query.where(Pilot.organisation_id == organisation_id)
        residences = residences.where(Residence.organisation_id == organisation_id)
    names: dict[int, list[str]] = defaultdict(list)
    for pilot_id, name in db.session.execute(residences):
        names[pilot_id].append(name)
    # The partners co-leading each pilot (issue 12).
    partners: Select[int, str] = (
        select(pilot_partners.c.pilot_id, Organisation.name)
        .join(Organisation, Organisation.id == pilot_partners.c.organisation_id)
        .order_by(Organisation.name)
    )
    if organisation_id is not None:
        partners = partners.where(
            pilot_partners.c.pilot_id.in_(
                select(Pilot.id).where(Pilot.organisation_id == organisation_id)
            )
        )
    co_leads: dict[int, list[str]] = defaultdict(list)
    for pilot_id, name in db.session.execute(partners):
        co_leads[pilot_id].append(name)
    rows = []
    for values in db.session.execute(query):
        row: dict[str, Any] = dict(zip(PILOT_COLUMNS[:-2], values, strict=True))
        row["statut"] = gettext(PILOT_LABELS[PilotStatus(row["statut"])])
        row["en_retard"] = bool(row["en_retard"])
        row["budget_prevu"] = Decimal(row["budget_prevu"]).quantize(Decimal("0.01"))
        row["budget_depense"] = Decimal(row["budget_depense"]).quantize(Decimal("0.01"))
        row["residences"] = ", ".join(names.get(row["id"], []))
        row["partenaires"] = ", ".join(co_leads.get(row["id"], []))
        rows.append(row)
    return rows


# --- formats -------------------------------------------------------------------------


def _csv_cell(value, yes: str, no: str) -> str:  # type: ignore[no-untyped-def]
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(
    columns: list[str], rows: list[dict], headers: list[str], yes: str = "oui", no: str = "non"
) -> str:
    """A CSV document for French Excel (see the module docstring)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(row[c], yes, no) for c in columns])
    return buffer.getvalue()


def _json_value(value):  # type: ignore[no-untyped-def]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_json(kind: ExportKind, organisation: str | None, rows: list[dict], generated: date) -> str:
    document = {
        "export": kind,
        "organisation": organisation,
        "generated_on": generated.isoformat(),
        "count": len(rows),
        "rows": [{k: _json_value(v) for k, v in row.items()} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)

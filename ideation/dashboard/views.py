"""The landlord dashboard: participation, funnel, pilots, overdue, budget; and the exports."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext
from flask_babel import gettext as _
from flask_login import login_required

from ideation.core.charts import bar_chart
from ideation.core.numbers import parse_id
from ideation.core.security import current_actor, require
from ideation.core.time import today
from ideation.dashboard import aggregates, exports, participation, services
from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import N_
from ideation.domain.pilot_states import PilotStatus
from ideation.extensions import db
from ideation.fabrique.services import editions
from ideation.orgs.models import Organisation
from ideation.pilots.services import landlords
from ideation.pilots.views import pilot_status_label

bp = Blueprint("dashboard", __name__)

# Commits that move a figure ask the queue for a refresh of the summary.
aggregates.listen()


def _organisation_id() -> int | None:
    """The organisation looked at: the actor's own, or (regional, admin) the one asked for.

    Asking for another organisation than one's own is refused (403), never silently widened."""
    actor = current_actor()
    require(rules.can_view_dashboard(actor))
    own = rules.dashboard_organisation(actor)
    asked = request.args.get("organisation", "")
    if not asked:
        return own
    organisation_id = parse_id(asked)
    if organisation_id is None:
        abort(400)
    require(rules.can_view_dashboard_of(actor, organisation_id))
    return organisation_id


FUNNEL_LABELS = {
    "ideas": N_("Idées envoyées"),
    "published": N_("Idées publiées"),
    "shortlisted": N_("Retenues pour le vote"),
    "selected": N_("Lauréates"),
    "pilots": N_("Projets pilotes"),
    "generalised": N_("Généralisés"),
}


# Bars per chart at most (challenges, residences); every row is in the table next to it.
CHART_ROWS = 12


def _day_arg(name: str) -> date | None:
    """An optional ISO day from the query string (`du`, `au`); anything else is a 400."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400)


@bp.route("/")
@login_required
def index():
    """What a landlord needs to know at a glance, each figure as a chart and a table."""
    organisation_id = _organisation_id()
    since, until = _day_arg("du"), _day_arg("au")
    edition_id = parse_id(request.args.get("edition"))
    if not aggregates.ever_refreshed():
        # A new installation, before the worker's first run: ask for the count now (run
        # inline when the queue is immediate; the page says the figures are coming).
        aggregates.refresh_dashboard()
    board = services.build(
        organisation_id, today(), since=since, until=until, edition_id=edition_id
    )
    rates = participation.build(organisation_id, since, until, edition_id)
    funnel = [(gettext(FUNNEL_LABELS[key]), n) for key, n in board.funnel]
    statuses = [(s, board.pilots_by_status.get(s, 0)) for s in PilotStatus]

    charts = {
        "challenges": bar_chart(
            [(c.title, [c.ideas, c.comments, c.ballots]) for c in board.challenges[:CHART_ROWS]]
        ),
        # A chart of hundreds of residences is unreadable (and most of the page's rendering):
        # it shows the largest ones, the table below lists them all.
        "residences": bar_chart(
            [
                (r.label or _("Sans résidence"), [r.accounts, r.ideas])
                for r in sorted(board.residences, key=lambda r: -r.accounts)[:CHART_ROWS]
            ]
        ),
        "funnel": bar_chart([(label, [n]) for label, n in funnel]),
        "statuses": bar_chart([(pilot_status_label(s), [n]) for s, n in statuses]),
        "budget": bar_chart([(p.title, [p.budget_planned, p.budget_spent]) for p in board.budgets]),
    }
    choices = landlords() if rules.dashboard_organisation(current_actor()) is None else []
    return render_template(
        "dashboard/index.html",
        board=board,
        funnel=funnel,
        statuses=statuses,
        charts=charts,
        choices=choices,
        organisation_id=organisation_id,
        since=since,
        until=until,
        rates=rates,
        # The participation export carries the same dates and edition as the page.
        rate_args={
            k: v
            for k, v in {
                "du": since.isoformat() if since else None,
                "au": until.isoformat() if until else None,
                "edition": edition_id,
            }.items()
            if v
        },
        editions=editions(),
        edition_id=edition_id,
    )


IDEA_HEADERS = [
    N_("Numéro"),
    N_("Défi"),
    N_("Édition"),
    N_("Titre"),
    N_("Statut"),
    N_("Thème"),
    N_("Résidence"),
    N_("Bailleur"),
    N_("Soutiens"),
    N_("Commentaires"),
    N_("Publiée le"),
    N_("Projet pilote"),
]
PILOT_HEADERS = [
    N_("Numéro"),
    N_("Titre"),
    N_("Bailleur"),
    N_("Statut"),
    N_("Avancement (%)"),
    N_("Début prévu"),
    N_("Fin prévue"),
    N_("Budget prévu (€)"),
    N_("Budget dépensé (€)"),
    N_("En retard"),
    N_("Idée d'origine"),
    N_("Résidences"),
    N_("Partenaires"),
]


PARTICIPATION_HEADERS = [
    N_("Niveau"),
    N_("Nom"),
    N_("Participants"),
    N_("Logements"),
    N_("Taux de participation (%)"),
]
LEVELS = {"residence": N_("Résidence"), "edition": N_("Édition"), "house": N_("Maison")}


@bp.route("/export/<kind>.<fmt>")
@login_required
def export(kind: str, fmt: str):
    """Download the ideas or the pilots of one's organisation, as CSV (Excel) or JSON."""
    organisation_id = _organisation_id()
    try:
        export_kind, export_format = exports.ExportKind(kind), exports.ExportFormat(fmt)
    except ValueError:
        abort(404)
    day = today()
    if export_kind == exports.ExportKind.IDEAS:
        rows = exports.idea_rows(organisation_id, gettext)
        columns, headers = exports.IDEA_COLUMNS, [gettext(h) for h in IDEA_HEADERS]
    elif export_kind == exports.ExportKind.PARTICIPATION:
        # The same figures as the page, for the same dates and edition.
        rates = participation.build(
            organisation_id,
            _day_arg("du"),
            _day_arg("au"),
            parse_id(request.args.get("edition")),
        )
        rows = exports.participation_rows(rates, {k: gettext(v) for k, v in LEVELS.items()})
        columns = exports.PARTICIPATION_COLUMNS
        headers = [gettext(h) for h in PARTICIPATION_HEADERS]
    else:
        rows = exports.pilot_rows(organisation_id, day, gettext)
        columns, headers = exports.PILOT_COLUMNS, [gettext(h) for h in PILOT_HEADERS]
    name = f"fabrique-{export_kind.value}-{day.isoformat()}.{export_format.value}"
    if export_format == exports.ExportFormat.CSV:
        body = exports.to_csv(columns, rows, headers, yes=_("oui"), no=_("non"))
        mimetype = "text/csv; charset=utf-8"
    else:
        org = db.session.get(Organisation, organisation_id) if organisation_id else None
        body = exports.to_json(export_kind, org.slug if org else None, rows, day)
        mimetype = "application/json"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

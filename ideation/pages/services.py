"""Reading and saving the site pages: the saved text, or the shipped one filled in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from ideation.auth.models import User
from ideation.core.audit import audit
from ideation.core.sanitize import render_page_markdown
from ideation.core.sql import dialect_insert
from ideation.db_types import utcnow
from ideation.extensions import db
from ideation.pages.content import BODIES, TITLES
from ideation.pages.models import SitePage, SitePageKind

LOCALES = ("fr", "en")


@dataclass(frozen=True)
class PageText:
    kind: SitePageKind
    locale: str
    title: str
    source: str
    html: str
    updated_at: datetime | None  # None: the shipped text, never saved


def _fill(template: str) -> str:
    config = current_app.config
    contact = config["CONTACT_EMAIL"]
    values = {
        "site_name": config["SITE_NAME"],
        "publisher": config["PUBLISHER_NAME"],
        "publisher_address": config["PUBLISHER_ADDRESS"] or _("adresse à préciser"),
        "host": config["HOSTING_PROVIDER"] or _("Hébergeur à préciser par l'administration."),
        "contact": f"[{contact}](mailto:{contact})",
        "statement_date": format_date(
            date.fromisoformat(config["ACCESSIBILITY_STATEMENT_DATE"]), "long"
        ),
    }
    return template.format_map(values)


def _locale(locale: str) -> str:
    return locale if locale in LOCALES else "fr"


def shipped(kind: SitePageKind, locale: str) -> PageText:
    """The text that comes with the code, filled in from the configuration."""
    locale = _locale(locale)
    source = _fill(BODIES[locale][kind])
    return PageText(kind, locale, TITLES[locale][kind], source, render_page_markdown(source), None)


def page_text(kind: SitePageKind, locale: str) -> PageText:
    """The page as an administrator saved it in that language, else the shipped text."""
    locale = _locale(locale)
    saved = db.session.scalar(
        select(SitePage).where(SitePage.kind == kind, SitePage.locale == locale)
    )
    if saved is None:
        return shipped(kind, locale)
    return PageText(kind, locale, saved.title, saved.body_source, saved.body_html, saved.updated_at)


def save_page(kind: SitePageKind, locale: str, *, title: str, source: str, actor: User) -> SitePage:
    """Write the page (sanitised once, here) and audit it; two saves at once leave one row."""
    locale = _locale(locale)
    values = {
        "title": title.strip(),
        "body_source": source,
        "body_html": render_page_markdown(source),
        "updated_at": utcnow(),
        "updated_by_id": actor.id,
    }
    # One statement, insert or update on the (kind, locale) key: two saves at once leave one
    # row, and no driver's rowcount is trusted.
    db.session.execute(
        dialect_insert(SitePage.__table__)
        .values(kind=kind.value, locale=locale, **values)
        .on_conflict_do_update(index_elements=["kind", "locale"], set_=values)
    )
    page = db.session.scalars(
        select(SitePage)
        .where(SitePage.kind == kind, SitePage.locale == locale)
        .execution_options(populate_existing=True)
    ).one()
    audit(actor, "site_page.update", page)
    return page

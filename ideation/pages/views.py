"""The site's own pages, their editing by administrators, and robots.txt."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.core.security import current_actor, require
from ideation.domain import permissions as rules
from ideation.extensions import db
from ideation.pages.forms import SitePageForm
from ideation.pages.models import SitePageKind
from ideation.pages.services import LOCALES, page_text, save_page, shipped

bp = Blueprint("pages", __name__)

# The French word of each page in its URL (names in the code stay English).
PATHS = {
    SitePageKind.ACCESSIBILITY: "accessibilite",
    SitePageKind.HELP: "aide",
    SitePageKind.LEGAL: "mentions-legales",
    SitePageKind.ABOUT: "a-propos",
}
_KINDS = {word: kind for kind, word in PATHS.items()}
ENDPOINTS = {
    SitePageKind.ACCESSIBILITY: "pages.accessibility",
    SitePageKind.HELP: "pages.help_page",
    SitePageKind.LEGAL: "pages.legal",
    SitePageKind.ABOUT: "pages.about",
}
LANGUAGE_NAMES = {"fr": "français", "en": "English"}

# What crawlers may index: the public pages; never accounts, administration, moderation
# or anything behind a login (those answer 302/403 anyway; this spares the crawl).
ROBOTS = """\
User-agent: *
Disallow: /admin/
Disallow: /moderation
Disallow: /tableau-de-bord
Disallow: /compte
Disallow: /notifications
Disallow: /connexion
Disallow: /inscription
Disallow: /mot-de-passe
Allow: /
"""


def _show(kind: SitePageKind):  # type: ignore[no-untyped-def]
    page = page_text(kind, str(get_locale()))
    return render_template("pages/show.html", page=page)


@bp.route("/accessibilite")
def accessibility():
    """The accessibility statement, in the RGAA's form."""
    return _show(SitePageKind.ACCESSIBILITY)


@bp.route("/aide")
def help_page():
    """How the Fabrique works, in plain words."""
    return _show(SitePageKind.HELP)


@bp.route("/mentions-legales")
def legal():
    """Who publishes and hosts the site."""
    return _show(SitePageKind.LEGAL)


@bp.route("/a-propos")
def about():
    """What the Fabrique de la proximité is."""
    return _show(SitePageKind.ABOUT)


@bp.route("/robots.txt")
def robots():
    """Crawlers: public pages only."""
    return Response(ROBOTS, mimetype="text/plain")


@bp.route("/admin/pages")
@login_required
def manage():
    """The four pages in each language, and whether each was rewritten."""
    require(rules.can_edit_site_pages(current_actor()))
    rows = [
        (ENDPOINTS[kind], word, [page_text(kind, locale) for locale in LOCALES])
        for kind, word in PATHS.items()
    ]
    return render_template("pages/manage.html", rows=rows, language_names=LANGUAGE_NAMES)


@bp.route("/admin/pages/<word>/<locale>", methods=["GET", "POST"])
@login_required
def edit(word: str, locale: str):
    """Rewrite one page in one language (sanitised Markdown, audited)."""
    require(rules.can_edit_site_pages(current_actor()))
    kind = _KINDS.get(word)
    if kind is None or locale not in LOCALES:
        abort(404)
    current = page_text(kind, locale)
    form = SitePageForm(data={"title": current.title, "body": current.source})
    if form.validate_on_submit():
        save_page(
            kind,
            locale,
            title=form.title.data,
            source=form.body.data,
            actor=current_user._get_current_object(),
        )
        db.session.commit()
        flash(_("Page enregistrée."), "success")
        return redirect(url_for("pages.manage"))
    return render_template(
        "pages/edit.html",
        form=form,
        page=current,
        word=word,
        language=LANGUAGE_NAMES[locale],
        shipped=shipped(kind, locale),
    )

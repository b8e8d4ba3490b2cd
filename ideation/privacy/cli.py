"""`flask accounts …`: the retention of inactive accounts (run daily by cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

accounts = AppGroup("accounts", help="Les comptes des participant·es (durée de conservation).")


@accounts.command("warn-inactive")
@click.option(
    "--days",
    default=1095,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours sans connexion avant l'avertissement.",
)
@click.option(
    "--grace",
    default=30,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours laissés pour se reconnecter (annoncés dans l'e-mail).",
)
def warn_inactive_command(days: int, grace: int) -> None:
    """Prévient par e-mail les comptes sans connexion depuis DAYS jours (une seule fois)."""
    from ideation.extensions import db
    from ideation.privacy.services import warn_inactive

    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        count = warn_inactive(days, grace)
        db.session.commit()
    click.echo(f"{count} compte(s) prévenu(s).")


@accounts.command("anonymise-inactive")
@click.option(
    "--days",
    default=1095,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours sans connexion.",
)
@click.option(
    "--grace",
    default=30,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours écoulés depuis l'avertissement.",
)
def anonymise_inactive_command(days: int, grace: int) -> None:
    """Anonymise les comptes prévenus il y a plus de GRACE jours et toujours inactifs."""
    from ideation.extensions import db
    from ideation.privacy.services import anonymise_inactive

    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        count = anonymise_inactive(days, grace)
        db.session.commit()
    click.echo(f"{count} compte(s) anonymisé(s).")

"""`flask accounts …`: the retention of inactive accounts (the queue runs it daily;
these commands are the cron alternative, see ideation/tasks.py)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ideation.routines import INACTIVE_DAYS, INACTIVE_GRACE_DAYS

accounts = AppGroup("accounts", help="Les comptes des participant·es (durée de conservation).")


@accounts.command("warn-inactive")
@click.option(
    "--days",
    default=INACTIVE_DAYS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours sans connexion avant l'avertissement.",
)
@click.option(
    "--grace",
    default=INACTIVE_GRACE_DAYS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours laissés pour se reconnecter (annoncés dans l'e-mail).",
)
def warn_inactive_command(days: int, grace: int) -> None:
    """Prévient par e-mail les comptes sans connexion depuis DAYS jours (une seule fois)."""
    from ideation.routines import warn_inactive_accounts

    count = warn_inactive_accounts(days, grace)
    click.echo(f"{count} compte(s) prévenu(s).")


@accounts.command("anonymise-inactive")
@click.option(
    "--days",
    default=INACTIVE_DAYS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours sans connexion.",
)
@click.option(
    "--grace",
    default=INACTIVE_GRACE_DAYS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours écoulés depuis l'avertissement.",
)
def anonymise_inactive_command(days: int, grace: int) -> None:
    """Anonymise les comptes prévenus il y a plus de GRACE jours et toujours inactifs."""
    from ideation.routines import anonymise_inactive_accounts

    count = anonymise_inactive_accounts(days, grace)
    click.echo(f"{count} compte(s) anonymisé(s).")

"""Thin command-line commands: seed-demo, create-user, outbox send."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option(
        "--if-empty", is_flag=True, help="Ne rien faire si la base contient déjà des données."
    )
    def seed_demo_command(if_empty: bool) -> None:
        """Remplit la base avec l'installation de démonstration (idempotent)."""
        from ideation.seed import database_is_empty, seed_demo

        if if_empty and not database_is_empty():
            click.echo("La base contient déjà des données : démo non rechargée.")
            return
        seed_demo()
        click.echo("Démo prête.")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.argument("display_name")
    @click.option(
        "--role",
        default="admin",
        type=click.Choice(["tenant", "staff", "facilitator", "bailleur", "admin"]),
    )
    @click.option(
        "--organisation", "org_slug", required=True, help="Identifiant court de l'organisation"
    )
    @click.password_option()
    def create_user_command(
        email: str, display_name: str, role: str, org_slug: str, password: str
    ) -> None:
        """Crée un compte (par exemple le premier administrateur en production)."""
        from sqlalchemy import select

        from ideation.auth.passwords import password_errors
        from ideation.auth.services import create_account, find_user_by_email
        from ideation.domain.roles import Role
        from ideation.extensions import db
        from ideation.orgs.models import Organisation

        org = db.session.scalar(select(Organisation).where(Organisation.slug == org_slug))
        if org is None:
            raise click.ClickException(f"Organisation inconnue : {org_slug}")
        if find_user_by_email(email):
            raise click.ClickException("Un compte existe déjà avec cette adresse.")
        errors = password_errors(password, display_name, email)
        if errors:
            raise click.ClickException(" ".join(errors))
        from flask import current_app

        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            user = create_account(
                email=email,
                display_name=display_name,
                password=password,
                organisation=org,
                role=Role(role),
            )
            user.email_verified = True
            db.session.commit()
        click.echo(f"Compte {user.email} créé ({role}).")

    outbox = AppGroup("outbox", help="La file des e-mails sortants.")

    @outbox.command("send")
    @click.option("--limit", default=200, show_default=True)
    def outbox_send(limit: int) -> None:
        """Envoie les e-mails en attente par SMTP, avec reprises espacées."""
        from ideation.mail.services import send_pending

        sent, failed = send_pending(limit=limit)
        click.echo(f"{sent} e-mail(s) envoyé(s), {failed} échec(s).")

    app.cli.add_command(outbox)

    notifications = AppGroup("notifications", help="Les notifications des participant·es.")

    @notifications.command("digest")
    def notifications_digest() -> None:
        """Envoie à chacun le résumé de ses notifications en attente (à lancer chaque jour)."""
        from flask import current_app

        from ideation.extensions import db
        from ideation.notifications.services import build_digests

        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            count = build_digests()
            db.session.commit()
        click.echo(f"{count} résumé(s) mis dans la file d'envoi.")

    app.cli.add_command(notifications)

    challenges = AppGroup("challenges", help="Les défis.")

    @challenges.command("advance")
    def challenges_advance() -> None:
        """Enregistre la phase de chaque défi selon son calendrier (à lancer par cron)."""
        from ideation.challenges.services import advance_all
        from ideation.extensions import db

        moved = advance_all()
        db.session.commit()
        for slug, phase in moved:
            click.echo(f"{slug} : {phase.value}")
        click.echo(f"{len(moved)} défi(s) changé(s) de phase.")

    app.cli.add_command(challenges)

    from ideation.privacy.cli import accounts

    app.cli.add_command(accounts)

"""``blendcoach users ...`` and ``blendcoach demo-users``: organisations, users, API tokens.

These commands open only the database (migrated on the way): no encoder, no index, so
they are quick and work while ``blendcoach serve`` holds the embedded index.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from coach import storage
from coach.auth import TokenError, auth_secret, issue_token, verify_token
from coach.db import make_engine, migrate
from coach.pages import DEMO_TOKENS_FILE
from coach.settings import Settings, get_settings

users_app = typer.Typer(help="Organisations, users and their API tokens.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


class RoleChoice(StrEnum):
    learner = "learner"
    admin = "admin"
    reviewer = "reviewer"
    manager = "manager"
    trainer = "trainer"


class LocaleChoice(StrEnum):
    en = "en"
    fr = "fr"


@contextmanager
def db_session() -> Iterator[tuple[Session, Settings]]:
    """A session on the migrated database, committed if the command succeeds."""
    settings = get_settings()
    engine = make_engine(settings.db_url)
    try:
        migrate(engine)
        with Session(engine) as session, session.begin():
            yield session, settings
    finally:
        engine.dispose()


def fail(message: str) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}")
    return typer.Exit(1)


@users_app.command("add")
def add(
    external_id: Annotated[str, typer.Argument(help="The user's LMS id or email")],
    org: Annotated[str, typer.Option("--org", help="Organisation slug (created if missing)")],
    org_name: Annotated[
        str | None, typer.Option("--org-name", help="Name of a new organisation")
    ] = None,
    role: Annotated[RoleChoice, typer.Option(help="What the user may do")] = RoleChoice.learner,
    name: Annotated[str | None, typer.Option(help="Display name")] = None,
    email: Annotated[str | None, typer.Option(help="Email address")] = None,
    locale: Annotated[LocaleChoice, typer.Option(help="Interface language")] = LocaleChoice.en,
    days: Annotated[
        int | None, typer.Option(min=1, max=3650, help="Token validity (default: auth.token_days)")
    ] = None,
    token_only: Annotated[
        bool, typer.Option("--token-only", help="The user exists: just issue a new token")
    ] = False,
) -> None:
    """Create a user (and their organisation if new) and print an API token for them."""
    with db_session() as (session, settings):
        organisation = storage.get_organisation_by_slug(session, slug=org)
        if token_only:
            found = organisation and storage.find_user(
                session, org_id=organisation.id, external_id=external_id
            )
            if not found:
                raise fail(f"no user {external_id!r} in organisation {org!r}")
            if found.disabled:
                raise fail(f"user {external_id!r} is disabled")
            user, what = found, "new token for"
        else:
            try:
                if organisation is None:
                    organisation = storage.create_organisation(session, slug=org, name=org_name)
                    err_console.print(f"created organisation {org!r}")
                user = storage.create_user(
                    session,
                    org_id=organisation.id,
                    external_id=external_id,
                    display_name=name,
                    email=email,
                    role=role.value,
                    locale=locale.value,
                )
            except storage.AlreadyExists as err:
                raise fail(
                    f"{err.detail} in organisation {org!r} (--token-only issues a new token)"
                ) from err
            except ValueError as err:
                raise fail(str(err)) from err
            what = f"created {user.role}"
        issued = issue_token(
            session,
            user=user,
            secret=auth_secret(settings),
            days=days or settings.auth.token_days,
            label="cli",
        )
    err_console.print(
        f"{what} {external_id!r} in {org!r}; token {issued.jti} "
        f"expires {issued.expires_at.date().isoformat()}"
    )
    typer.echo(issued.token)


@users_app.command("list")
def list_users(
    org: Annotated[str | None, typer.Option("--org", help="Only this organisation")] = None,
) -> None:
    """Show the users (of one organisation, or of all)."""
    with db_session() as (session, _settings):
        org_id = None
        if org is not None:
            organisation = storage.get_organisation_by_slug(session, slug=org)
            if organisation is None:
                raise fail(f"no organisation {org!r}")
            org_id = organisation.id
        slugs = {o.id: o.slug for o in storage.list_organisations(session)}
        table = Table(title="Users")
        for column in ("org", "user", "name", "role", "locale", "status", "tokens"):
            table.add_column(column)
        table.add_column("id", overflow="fold")
        rows = storage.list_users(session, org_id=org_id)
        for user in rows:
            live = [t for t in storage.list_tokens(session, user_id=user.id) if not t.revoked_at]
            table.add_row(
                slugs[user.org_id],
                user.external_id,
                user.display_name,
                user.role,
                user.locale,
                "disabled" if user.disabled else "active",
                str(len(live)),
                user.id,
            )
    if rows:
        console.print(table)
    else:
        console.print("No users.")


@users_app.command("revoke")
def revoke(jti: Annotated[str, typer.Argument(help="The token's id (its jti claim)")]) -> None:
    """Revoke one API token: it is refused from now on."""
    with db_session() as (session, _settings):
        token = storage.get_token(session, jti=jti)
        if token is None:
            raise fail(f"no token {jti!r}")
        already = token.revoked_at is not None
        storage.revoke_token(session, jti=jti)
        owner = storage.get_user(session, user_id=token.user_id).external_id
    state = "was already revoked" if already else "revoked"
    console.print(f"token {jti} of {owner!r} {state}")


@users_app.command("disable")
def disable(
    external_id: Annotated[str, typer.Argument(help="The user's LMS id or email")],
    org: Annotated[str, typer.Option("--org", help="Organisation slug")],
    enable: Annotated[bool, typer.Option("--enable", help="Re-enable instead")] = False,
) -> None:
    """Disable a user (all their tokens are refused) or, with --enable, allow them again."""
    with db_session() as (session, _settings):
        organisation = storage.get_organisation_by_slug(session, slug=org)
        user = organisation and storage.find_user(
            session, org_id=organisation.id, external_id=external_id
        )
        if not user:
            raise fail(f"no user {external_id!r} in organisation {org!r}")
        storage.set_user_disabled(session, user_id=user.id, disabled=not enable)
    console.print(f"{external_id!r} in {org!r} is {'enabled' if enable else 'disabled'}")


# --- demo users -------------------------------------------------------------------------

# (org slug, org name, [(external id, display name, role, locale)])
DEMO_ORGS: tuple[tuple[str, str, tuple[tuple[str, str, str, str], ...]], ...] = (
    (
        "northwind",
        "Northwind Traders",
        (
            ("ana", "Ana", "learner", "en"),
            ("luc", "Luc", "learner", "fr"),
            ("maria", "Maria", "admin", "en"),
            ("ravi", "Ravi", "reviewer", "en"),
            # the demo learners' managers (demo/blended/learners.yaml names them)
            ("tom", "Tom Hughes", "manager", "en"),
            ("sophie", "Sophie Garnier", "manager", "fr"),
        ),
    ),
    ("acme", "Acme Corp", (("zoe", "Zoé", "learner", "en"),)),
)


def demo_users() -> None:
    """Create the demo organisations and users (again: no change) and write their tokens.

    Tokens go to ``data_dir/demo-tokens.json``; a token there that still verifies is kept.
    """
    with db_session() as (session, settings):
        path = settings.data_dir / DEMO_TOKENS_FILE
        previous = _read_tokens(path)
        secret = auth_secret(settings)
        entries: dict[str, dict[str, str]] = {}
        table = Table(title=f"Demo users (tokens in {path})")
        for column in ("user", "org", "role", "locale", "token"):  # token: kept or new
            table.add_column(column)
        for slug, org_name, people in DEMO_ORGS:
            org = storage.get_organisation_by_slug(session, slug=slug)
            if org is None:
                org = storage.create_organisation(session, slug=slug, name=org_name)
            for external_id, display_name, role, locale in people:
                user = storage.find_user(session, org_id=org.id, external_id=external_id)
                if user is None:
                    user = storage.create_user(
                        session,
                        org_id=org.id,
                        external_id=external_id,
                        display_name=display_name,
                        role=role,
                        locale=locale,
                    )
                user.display_name, user.role, user.locale, user.disabled = (
                    display_name,
                    role,
                    locale,
                    False,
                )
                session.flush()
                token = _still_valid(session, previous.get(external_id), secret, user.id)
                state = "kept"
                if token is None:
                    token = issue_token(
                        session,
                        user=user,
                        secret=secret,
                        days=settings.auth.token_days,
                        label="demo",
                    ).token
                    state = "new"
                entries[external_id] = {
                    "token": token,
                    "display_name": display_name,
                    "org": slug,
                    "role": role,
                    "locale": locale,
                    "user_id": user.id,
                }
                table.add_row(external_id, slug, role, locale, state)
        _write_tokens(path, entries)
    console.print(table)
    # Whole tokens, one per line, unwrapped: ready to paste into curl or a widget tag.
    for external_id, entry in entries.items():
        typer.echo(f"{external_id}\t{entry['token']}")
    url = f"http://{settings.host}:{settings.port}"
    err_console.print(
        f"Try {url}/demo?as=ana (with BLENDCOACH_DEMO_PAGES=true, as `make run` sets), or\n"
        f"curl -H 'Authorization: Bearer <token>' -H 'Content-Type: application/json' "
        f'-d \'{{"message": "How do I report a phishing email?"}}\' {url}/v1/chat'
    )


def _read_tokens(path: Path) -> dict[str, str]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {
        name: entry["token"]
        for name, entry in raw.items()
        if isinstance(entry, dict) and isinstance(entry.get("token"), str)
    }


def _still_valid(session: Session, token: str | None, secret: str, user_id: str) -> str | None:
    if token is None:
        return None
    try:
        viewer = verify_token(session, token=token, secret=secret)
    except TokenError:
        return None
    return token if viewer.id == user_id else None


def _write_tokens(path: Path, entries: dict[str, dict[str, str]]) -> None:
    """Write the tokens readable by the owner only, replacing the file in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(entries, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, path)

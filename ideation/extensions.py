"""Flask extensions, created unbound and initialised in the app factory."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# Models subclass `Model`. At run time it is `db.Model` (Base plus Flask-SQLAlchemy's bind and
# query helpers), which the SQLAlchemy() call builds and a type checker cannot follow; to mypy
# it is Base, which carries the same declarative mapping.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def client_address_key(address: str | None) -> str:
    """The rate-limit key of a client address: IPv4 as is, IPv6 on its /64.

    One IPv6 subscriber gets a whole /64 and can change address within it at will;
    counting per address would give them 2^64 tries.
    """
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _client_address() -> str:
    # remote_addr is the client's behind a proxy only when PROXY_X_FOR trusts it (ProxyFix).
    return client_address_key(get_remote_address() or request.remote_addr)


limiter = Limiter(key_func=_client_address)

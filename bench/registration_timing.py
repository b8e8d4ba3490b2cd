"""Registration answers as fast for a known address as for a new one (issue 10, item 7).

Run from the repository root::

    python bench/registration_timing.py [--tries 20]

It builds the app on a throwaway SQLite file with the production password hashing
(scrypt, 32768:8:1), posts the registration form `--tries` times with new addresses and
`--tries` times with an address that already has an account, interleaved so load on the
machine hits both alike, and prints the two medians and their ratio. The answer is the
same page in both cases; before the fix the known address skipped the password hash and
answered about ten times faster.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ideation import create_app  # noqa: E402
from ideation.extensions import db  # noqa: E402

PASSWORD = "des tomates sur le balcon"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "CONFIG": "testing",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "PASSWORD_HASH_METHOD": "scrypt",
            }
        )
        from datetime import timedelta

        from flask_migrate import upgrade

        from ideation.auth.models import User
        from ideation.db_types import utcnow
        from ideation.domain.roles import OrganisationKind
        from ideation.orgs.models import Invitation, Organisation

        with app.app_context():
            upgrade()
            org = Organisation(name="Bailleur", slug="bailleur", kind=OrganisationKind.LANDLORD)
            db.session.add(org)
            db.session.add(
                Invitation(
                    code="BENCH",
                    organisation=org,
                    expires_at=utcnow() + timedelta(days=1),
                    max_uses=10 * args.tries,
                )
            )
            known = User(email="connu@example.test", display_name="Connu", organisation=org)
            known.set_password(PASSWORD)
            db.session.add(known)
            db.session.commit()
        client = app.test_client()
        times: dict[str, list[float]] = {"new": [], "known": []}
        for n in range(args.tries):
            for kind in ("new", "known"):
                email = f"nouveau{n}@example.test" if kind == "new" else "connu@example.test"
                started = time.perf_counter()
                response = client.post(
                    "/inscription",
                    data={
                        "code": "BENCH",
                        "display_name": f"Voisin {n}",
                        "email": email,
                        "password": PASSWORD,
                        "password_confirm": PASSWORD,
                    },
                )
                times[kind].append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
    new, old = statistics.median(times["new"]), statistics.median(times["known"])
    ratio = max(new, old) / min(new, old)
    print(f"new address:   median {new * 1000:.1f} ms over {args.tries} tries")
    print(f"known address: median {old * 1000:.1f} ms over {args.tries} tries")
    print(f"ratio {ratio:.2f} ({'within' if ratio <= 1.25 else 'NOT within'} 25 %)")
    return 0 if ratio <= 1.25 else 1


if __name__ == "__main__":
    raise SystemExit(main())

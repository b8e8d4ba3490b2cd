"""vote method enum: challenges.vote_method holds only a registered method's code value

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:00:00

`Challenge.vote_method` becomes an enum of the voting-method registry
(ideation/domain/voting/registry.py), stored as its code value in the same VARCHAR(20)
as before, like every enum column of the project (native_enum=False, no CHECK: a new
method needs no migration). The model now refuses to load a value outside the enum, so
existing rows are converted: case and blanks are normalised, and anything else (no
challenge should hold it: the vote close already counted unknown values as Schulze)
becomes 'schulze', the default. The method names are written here on purpose:
a migration must not change when the registry does.
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

KNOWN = ('schulze', 'irv', 'borda')
DEFAULT = 'schulze'

challenges = sa.table('challenges', sa.column('vote_method', sa.String(20)))


def upgrade():
    # No DDL: the column type stays VARCHAR(20), so no batch copy (none of the
    # challenges indexes are at risk on SQLite).
    op.execute(
        challenges.update().values(
            vote_method=sa.func.lower(sa.func.trim(challenges.c.vote_method))
        )
    )
    op.execute(
        challenges.update()
        .where(sa.or_(challenges.c.vote_method.is_(None), challenges.c.vote_method.not_in(KNOWN)))
        .values(vote_method=DEFAULT)
    )


def downgrade():
    # Nothing to undo: every converted value is one the previous code accepted too
    # (the normalisation is not reversible, and need not be).
    pass

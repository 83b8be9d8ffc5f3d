"""pending household moves: an intake's copy of a family card registered in another area

Revision ID: 0005_pending_household_moves
Revises: 0004

An intake that names a KK number or NIK registered outside the recorder's area no longer
links (and rewrites) the registered household or person: it keeps the family card as
declared, in rows marked ``pending_move``, until a supervisor of the new area confirms the
move (issue 11, item 2). So a KK number or NIK is unique among registered rows only.

SQLite cannot drop a table's UNIQUE constraint: the batch operation rebuilds the table.
Its rows are referenced by cases and persons, so foreign-key enforcement is switched off
for the rebuild (it takes effect when no transaction is open yet, i.e. when this migration
runs on an existing database; on a fresh one the tables are still empty).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_pending_household_moves"
down_revision = "0004"
branch_labels = None
depends_on = None

_TABLES = (("households", "kk_number"), ("persons", "nik"))
_REGISTERED = sa.text("NOT pending_move")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA foreign_keys=OFF")
    for table, column in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("pending_move", sa.Boolean(), nullable=False, server_default=sa.false()))
            batch_op.drop_constraint(f"uq_{table}_{column}", type_="unique")
            batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)
            batch_op.create_index(f"uq_{table}_{column}_registered", [column], unique=True,
                                  sqlite_where=_REGISTERED, postgresql_where=_REGISTERED)


def downgrade() -> None:
    bind = op.get_bind()
    for table, _ in _TABLES:
        pending = bind.execute(sa.text(f"SELECT count(*) FROM {table} WHERE pending_move")).scalar()
        if pending:
            raise RuntimeError(f"{pending} {table} rows await a move confirmation (confirmHouseholdMove); "
                               "confirm or remove them before downgrading")
    if bind.dialect.name == "sqlite":
        op.execute("PRAGMA foreign_keys=OFF")
    for table, column in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"uq_{table}_{column}_registered")
            batch_op.drop_index(f"ix_{table}_{column}")
            batch_op.create_unique_constraint(f"uq_{table}_{column}", [column])
            batch_op.drop_column("pending_move")

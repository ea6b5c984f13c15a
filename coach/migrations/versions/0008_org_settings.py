"""The manager role and each organisation's own settings (manager visibility, surveys,
nudges; validated by ``coach.org_settings``).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('learner', 'admin', 'reviewer')"
NEW_ROLES = "role IN ('learner', 'admin', 'reviewer', 'manager')"


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("settings", sa.JSON, nullable=False, server_default="{}"))
    with op.batch_alter_table("organisations") as batch:
        batch.alter_column("settings", server_default=None)
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", NEW_ROLES)


def downgrade() -> None:
    op.execute("DELETE FROM users WHERE role = 'manager'")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", OLD_ROLES)
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("settings")

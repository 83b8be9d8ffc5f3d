"""referrals: partners, programmes, referrals and their history, the delivery outbox and attempts

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('partners',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('webhook_url', sa.String(length=2000), nullable=False),
    sa.Column('secret', sa.String(length=100), nullable=False),
    sa.Column('previous_secret', sa.String(length=100), nullable=True),
    sa.Column('previous_secret_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client_id', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failing_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('disabled_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('name', name=op.f('uq_partners_name'))
    )
    op.create_table('programmes',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sector', sa.Enum('SOCIAL_ASSISTANCE', 'HEALTH', 'EDUCATION', 'HOUSING', 'CIVIL_REGISTRATION', 'EMPLOYMENT', 'OTHER', name='sector', native_enum=False, length=20), nullable=False),
    sa.Column('level', sa.Enum('REGENCY', 'PROVINCE', 'NATIONAL', 'NGO', name='programmelevel', native_enum=False, length=20), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_programmes_partner_id_partners')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_programmes'))
    )
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programmes_partner_id'), ['partner_id'], unique=False)

    op.create_table('referrals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('programme_code', sa.String(length=40), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('REQUESTED', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'REJECTED', 'COMPLETED', 'FAILED', 'CANCELLED', name='referralstatus', native_enum=False, length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('partner_reference', sa.String(length=200), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_referrals_case_id_cases')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_referrals_partner_id_partners')),
    sa.ForeignKeyConstraint(['programme_code'], ['programmes.code'], name=op.f('fk_referrals_programme_code_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_referrals_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_referrals_partner_created', ['partner_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('uq_referrals_open_programme', ['case_id', 'programme_code'], unique=True, sqlite_where=sa.text("status IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'REQUESTED')"), postgresql_where=sa.text("status IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'REQUESTED')"))

    op.create_table('delivery_messages',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('referral_id', sa.String(length=36), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=False),
    sa.Column('event_type', sa.String(length=60), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('QUEUED', 'SENDING', 'DELIVERED', 'RETRYING', 'DEAD', name='deliverystate', native_enum=False, length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('round_start', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_token', sa.String(length=64), nullable=True),
    sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_delivery_messages_partner_id_partners')),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_delivery_messages_referral_id_referrals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_messages'))
    )
    with op.batch_alter_table('delivery_messages', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_messages_due', ['next_attempt_at'], unique=False,
                              sqlite_where=sa.text("state IN ('QUEUED', 'RETRYING', 'SENDING')"),
                              postgresql_where=sa.text("state IN ('QUEUED', 'RETRYING', 'SENDING')"))
        batch_op.create_index(batch_op.f('ix_delivery_messages_referral_id'), ['referral_id'], unique=False)

    op.create_table('referral_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('referral_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('actor_role', sa.String(length=32), nullable=False),
    sa.Column('from_status', sa.Enum('REQUESTED', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'REJECTED', 'COMPLETED', 'FAILED', 'CANCELLED', name='referralstatus', native_enum=False, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('REQUESTED', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'REJECTED', 'COMPLETED', 'FAILED', 'CANCELLED', name='referralstatus', native_enum=False, length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('partner_reference', sa.String(length=200), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_referral_history_referral_id_referrals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_history'))
    )
    with op.batch_alter_table('referral_history', schema=None) as batch_op:
        batch_op.create_index('ix_referral_history_referral', ['referral_id', 'id'], unique=False)

    op.create_table('delivery_attempts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=40), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.Column('worker', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['delivery_messages.id'], name=op.f('fk_delivery_attempts_message_id_delivery_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_attempts'))
    )
    with op.batch_alter_table('delivery_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_attempts_message', ['message_id', 'number'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('delivery_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_attempts_message')

    op.drop_table('delivery_attempts')
    with op.batch_alter_table('referral_history', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_history_referral')

    op.drop_table('referral_history')
    with op.batch_alter_table('delivery_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_messages_referral_id'))
        batch_op.drop_index('ix_delivery_messages_due')

    op.drop_table('delivery_messages')
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('uq_referrals_open_programme', sqlite_where=sa.text("status IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'REQUESTED')"), postgresql_where=sa.text("status IN ('ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'REQUESTED')"))
        batch_op.drop_index('ix_referrals_partner_created')
        batch_op.drop_index('ix_referrals_created')
        batch_op.drop_index(batch_op.f('ix_referrals_case_id'))

    op.drop_table('referrals')
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programmes_partner_id'))

    op.drop_table('programmes')
    op.drop_table('partners')

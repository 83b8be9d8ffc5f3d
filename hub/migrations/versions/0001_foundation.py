"""foundation: areas, households, persons, cases, events

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 22:51:18.679807
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hub.areas.directory import reference_areas

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('areas',
    sa.Column('code', sa.String(length=13), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('level', sa.Enum('PROVINCE', 'REGENCY', 'DISTRICT', 'VILLAGE', name='arealevel', native_enum=False, length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=13), nullable=True),
    sa.Column('pilot_2020', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['areas.code'], name=op.f('fk_areas_parent_code_areas')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_areas'))
    )
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_areas_parent_code'), ['parent_code'], unique=False)

    op.create_table('case_number_sequences',
    sa.Column('regency_code', sa.String(length=4), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('regency_code', 'year', name=op.f('pk_case_number_sequences'))
    )
    op.create_table('households',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kk_number', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('rt', sa.String(length=3), nullable=True),
    sa.Column('rw', sa.String(length=3), nullable=True),
    sa.Column('village_code', sa.String(length=13), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['village_code'], ['areas.code'], name=op.f('fk_households_village_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    sa.UniqueConstraint('kk_number', name=op.f('uq_households_kk_number'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_village_code'), ['village_code'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=False),
    sa.Column('district_code', sa.String(length=6), nullable=False),
    sa.Column('village_code', sa.String(length=13), nullable=False),
    sa.Column('channel', sa.Enum('FACILITATOR', 'PUSKESOS', 'SECRETARIAT', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED', 'REVIEWED', 'REFERRED', 'RESOLVED', 'CLOSED', 'REJECTED', name='casestatus', native_enum=False, length=20), nullable=False),
    sa.Column('priority', sa.Enum('LOW', 'NORMAL', 'HIGH', 'URGENT', name='priority', native_enum=False, length=20), nullable=False),
    sa.Column('complaint', sa.Text(), nullable=False),
    sa.Column('analysis_note', sa.Text(), nullable=True),
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('recorder_role', sa.String(length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('referred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_cases_household_id_households')),
    sa.ForeignKeyConstraint(['village_code'], ['areas.code'], name=op.f('fk_cases_village_code_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('number', name=op.f('uq_cases_number')),
    sa.UniqueConstraint('recorded_by', 'idempotency_key', name='uq_cases_recorder_idempotency_key')
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_cases_district_created', ['district_code', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_cases_regency_created', ['regency_code', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_cases_status_created', ['status', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_cases_village_created', ['village_code', 'created_at', 'id'], unique=False)

    op.create_table('persons',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('nik', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('sex', sa.Enum('M', 'F', name='sex', native_enum=False), nullable=False),
    sa.Column('relationship', sa.Enum('HEAD', 'SPOUSE', 'CHILD', 'CHILD_IN_LAW', 'GRANDCHILD', 'PARENT', 'PARENT_IN_LAW', 'OTHER_RELATIVE', 'HOUSEHOLD_HELPER', 'OTHER', name='relationship', native_enum=False, length=20), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_persons_household_id_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    sa.UniqueConstraint('nik', name=op.f('uq_persons_nik'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_persons_household_id'), ['household_id'], unique=False)

    op.create_table('case_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('actor_role', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.Enum('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED', 'REVIEWED', 'REFERRED', 'RESOLVED', 'CLOSED', 'REJECTED', name='casestatus', native_enum=False, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED', 'REVIEWED', 'REFERRED', 'RESOLVED', 'CLOSED', 'REJECTED', name='casestatus', native_enum=False, length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index('ix_case_events_case', ['case_id', 'id'], unique=False)

    op.create_table('case_sectors',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('sector', sa.Enum('SOCIAL_ASSISTANCE', 'HEALTH', 'EDUCATION', 'HOUSING', 'CIVIL_REGISTRATION', 'EMPLOYMENT', 'OTHER', name='sector', native_enum=False, length=20), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_sectors_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'sector', name=op.f('pk_case_sectors'))
    )
    with op.batch_alter_table('case_sectors', schema=None) as batch_op:
        batch_op.create_index('ix_case_sectors_sector', ['sector', 'case_id'], unique=False)

    op.create_table('case_subjects',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_subjects_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_case_subjects_person_id_persons')),
    sa.PrimaryKeyConstraint('case_id', 'person_id', name=op.f('pk_case_subjects'))
    )
    with op.batch_alter_table('case_subjects', schema=None) as batch_op:
        batch_op.create_index('ix_case_subjects_person', ['person_id'], unique=False)

    # Kota Bekasi's districts and villages: the case workflow cannot run without them.
    areas = sa.table('areas', sa.column('code', sa.String), sa.column('name', sa.String), sa.column('level', sa.String),
                     sa.column('parent_code', sa.String), sa.column('pilot_2020', sa.Boolean))
    op.bulk_insert(areas, [{'code': a.code, 'name': a.name, 'level': a.level.value, 'parent_code': a.parent_code,
                            'pilot_2020': a.pilot_2020} for a in reference_areas()])



def downgrade() -> None:
    with op.batch_alter_table('case_subjects', schema=None) as batch_op:
        batch_op.drop_index('ix_case_subjects_person')

    op.drop_table('case_subjects')
    with op.batch_alter_table('case_sectors', schema=None) as batch_op:
        batch_op.drop_index('ix_case_sectors_sector')

    op.drop_table('case_sectors')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index('ix_case_events_case')

    op.drop_table('case_events')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_persons_household_id'))

    op.drop_table('persons')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_village_created')
        batch_op.drop_index('ix_cases_status_created')
        batch_op.drop_index('ix_cases_regency_created')
        batch_op.drop_index(batch_op.f('ix_cases_household_id'))
        batch_op.drop_index('ix_cases_district_created')
        batch_op.drop_index('ix_cases_created')

    op.drop_table('cases')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_village_code'))

    op.drop_table('households')
    op.drop_table('case_number_sequences')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_areas_parent_code'))

    op.drop_table('areas')

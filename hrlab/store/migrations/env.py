"""Alembic environment: migrate the database named in the config, using hrlab's engine setup."""

from __future__ import annotations

from alembic import context

from hrlab.store.db import make_engine
from hrlab.store.models import Base

config = context.config
engine = make_engine(config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
engine.dispose()

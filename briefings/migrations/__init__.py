"""briefbot's Alembic migrations, applied by :func:`briefings.store.upgrade`."""

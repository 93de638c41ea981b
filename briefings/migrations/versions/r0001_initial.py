"""The initial schema: articles and their analysis, actors, search, digests, subscriptions, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _id() -> sa.Column[int]:
    return sa.Column("id", _ID, primary_key=True, autoincrement=True, nullable=False)


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str) -> sa.Column[object]:
    return sa.Column(name, _JSON, nullable=False)


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _str(name: str, length: int, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(length), nullable=nullable)


def _fk(column: str, target: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [target],
        name=f"fk_{table}_{column}_{target.partition('.')[0]}",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("pk", _ID, primary_key=True, autoincrement=True, nullable=False),
        _text("id"),
        _text("url", True),
        _text("source", True),
        _text("title"),
        _text("subtitle", True),
        _str("language", 16, True),
        _str("format", 16),
        sa.Column("published", sa.Date(), nullable=True),
        _time("fetched"),
        sa.Column("ref_date", sa.Date(), nullable=False),
        _time("stored_at"),
        _time("updated_at"),
        _str("fingerprint", 64),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        _json("event_types"),
        _json("actor_refs"),
        _text("text"),
        _json("layout"),
        _json("sentences"),
        _json("summary"),
        _json("notes"),
        sa.PrimaryKeyConstraint("pk", name="pk_articles"),
        sa.UniqueConstraint("id", name="uq_articles_id"),
    )
    op.create_index("ix_articles_fetched", "articles", ["fetched"])
    op.create_index("ix_articles_ref_date", "articles", ["ref_date"])
    op.create_index("ix_articles_fingerprint", "articles", ["fingerprint"])

    op.create_table(
        "article_sources",
        _text("id"),
        sa.Column("article_pk", _ID, nullable=False),
        _text("url", True),
        _text("source", True),
        _text("title"),
        _str("fingerprint", 64),
        _time("fetched"),
        _time("stored_at"),
        _fk("article_pk", "articles.pk", "article_sources"),
        sa.PrimaryKeyConstraint("id", name="pk_article_sources"),
    )
    op.create_index("ix_article_sources_article_pk", "article_sources", ["article_pk"])

    op.create_table(
        "actors",
        _text("id"),
        _text("name"),
        _str("type", 32),
        _text("country", True),
        _text("parent", True),
        _text("description", True),
        sa.Column("discovered", sa.Boolean(), nullable=False),
        _time("first_seen"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_actors"),
    )
    op.create_table(
        "aliases",
        _text("norm"),
        _text("actor_id"),
        _text("surface"),
        _str("kind", 16),
        _fk("actor_id", "actors.id", "aliases"),
        sa.PrimaryKeyConstraint("norm", "actor_id", name="pk_aliases"),
    )
    op.create_index("ix_aliases_actor_id", "aliases", ["actor_id"])

    op.create_table(
        "mentions",
        sa.Column("article_pk", _ID, nullable=False),
        _text("actor_id"),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("salience", sa.Float(), nullable=False),
        sa.Column("first_sentence", sa.Integer(), nullable=False),
        _text("surface"),
        sa.Column("ref_date", sa.Date(), nullable=False),
        _time("fetched"),
        _fk("article_pk", "articles.pk", "mentions"),
        _fk("actor_id", "actors.id", "mentions"),
        sa.PrimaryKeyConstraint("article_pk", "actor_id", name="pk_mentions"),
    )
    op.create_index("ix_mentions_actor_ref_date", "mentions", ["actor_id", "ref_date"])

    op.create_table(
        "events",
        _id(),
        sa.Column("article_pk", _ID, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Integer(), nullable=False),
        _text("text"),
        _str("type", 16),
        _text("trigger"),
        _str("date_value", 32, True),
        _str("date_precision", 8, True),
        _text("date_surface", True),
        sa.Column("sort_date", sa.Date(), nullable=False),
        sa.Column("ref_date", sa.Date(), nullable=False),
        _time("fetched"),
        _text("location", True),
        _text("attribution", True),
        _text("attribution_actor", True),
        _str("modality", 16),
        _text("actor_keys"),
        _fk("article_pk", "articles.pk", "events"),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("article_pk", "seq", name="uq_events_article_pk_seq"),
    )
    op.create_index("ix_events_type_ref_date", "events", ["type", "ref_date"])

    op.create_table(
        "event_actors",
        sa.Column("event_id", _ID, nullable=False),
        _text("actor_id"),
        _str("role", 16),
        sa.Column("sort_date", sa.Date(), nullable=False),
        sa.Column("ref_date", sa.Date(), nullable=False),
        _fk("event_id", "events.id", "event_actors"),
        _fk("actor_id", "actors.id", "event_actors"),
        sa.PrimaryKeyConstraint("event_id", "actor_id", "role", name="pk_event_actors"),
    )
    op.create_index(
        "ix_event_actors_timeline",
        "event_actors",
        ["actor_id", "sort_date", "event_id", "ref_date", "role"],
    )

    op.create_table(
        "actor_days",
        _text("actor_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("actor_id", "day", name="pk_actor_days"),
    )

    op.create_table(
        "digest_settings",
        _id(),
        _str("platform", 32),
        _text("workspace"),
        _text("channel"),
        _str("time_of_day", 5),
        _str("days", 64),
        _str("timezone", 64),
        _json("actors"),
        _json("exclude_actors"),
        _json("event_types"),
        _json("keywords"),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("post_when_empty", sa.Boolean(), nullable=False),
        _str("last_period", 64, True),
        _time("created_at"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_digest_settings"),
        sa.UniqueConstraint(
            "platform", "workspace", "channel", name="uq_digest_settings_platform_workspace_channel"
        ),
    )
    op.create_table(
        "digest_claims",
        _id(),
        _str("platform", 32),
        _text("workspace"),
        _text("channel"),
        _str("period", 64),
        _text("owner"),
        _time("claimed_at"),
        sa.PrimaryKeyConstraint("id", name="pk_digest_claims"),
        sa.UniqueConstraint(
            "platform",
            "workspace",
            "channel",
            "period",
            name="uq_digest_claims_platform_workspace_channel_period",
        ),
    )
    op.create_table(
        "subscriptions",
        _id(),
        _str("platform", 32),
        _text("workspace"),
        _text("subscriber"),
        _str("subscriber_kind", 16),
        _text("actor_id"),
        _str("mode", 16),
        sa.Column("threshold", sa.Float(), nullable=False),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.UniqueConstraint(
            "platform",
            "workspace",
            "subscriber",
            "actor_id",
            name="uq_subscriptions_platform_workspace_subscriber_actor_id",
        ),
    )
    op.create_index("ix_subscriptions_actor_id", "subscriptions", ["actor_id"])

    op.create_table(
        "deliveries",
        _id(),
        _text("key"),
        _str("platform", 32),
        _text("workspace"),
        _text("target"),
        _str("target_kind", 16),
        _json("payload"),
        _str("state", 16),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _time("next_attempt_at"),
        _text("last_error", True),
        _time("created_at"),
        _time("sent_at", True),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("key", name="uq_deliveries_key"),
    )
    op.create_index(
        "ix_deliveries_state_next_attempt_at", "deliveries", ["state", "next_attempt_at"]
    )
    op.create_table(
        "disabled_targets",
        _str("platform", 32),
        _text("workspace"),
        _text("target"),
        _text("reason"),
        _time("disabled_at"),
        sa.PrimaryKeyConstraint("platform", "workspace", "target", name="pk_disabled_targets"),
    )

    if op.get_bind().dialect.name == "postgresql":
        _postgres_search()
    else:
        _sqlite_search()


def _sqlite_search() -> None:
    """FTS5 indexes over events and articles (external content).

    Deletes and updates reach the index through triggers; new rows are indexed by the
    store in one ``INSERT ... SELECT`` per batch, several times faster than a per-row
    trigger (see ``briefings.store.writer``).
    """
    tokenize = "tokenize='porter unicode61 remove_diacritics 2'"
    op.execute(
        "CREATE VIRTUAL TABLE events_fts USING fts5("
        f"text, location, actor_keys, content='events', content_rowid='id', {tokenize})"
    )
    op.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        f"title, subtitle, text, content='articles', content_rowid='pk', {tokenize})"
    )
    for table, fts, key, cols in (
        ("events", "events_fts", "id", ("text", "location", "actor_keys")),
        ("articles", "articles_fts", "pk", ("title", "subtitle", "text")),
    ):
        names = ", ".join(cols)
        new = ", ".join(f"new.{c}" for c in cols)
        old = ", ".join(f"old.{c}" for c in cols)
        insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.{key}, {new});"
        delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.{key}, {old});"
        op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END")
        update = f"AFTER UPDATE OF {names} ON {table} BEGIN {delete} {insert} END"
        op.execute(f"CREATE TRIGGER {fts}_au {update}")


def _postgres_search() -> None:
    """Generated tsvector columns with GIN indexes over events and articles."""
    op.execute(
        "ALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "to_tsvector('english'::regconfig, text || ' ' || coalesce(location, '')) || "
        "to_tsvector('simple'::regconfig, actor_keys)) STORED"
    )
    op.execute(
        "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english'::regconfig, title), 'A') || "
        "setweight(to_tsvector('english'::regconfig, coalesce(subtitle, '')), 'B') || "
        "setweight(to_tsvector('english'::regconfig, left(text, 400000)), 'D')) STORED"
    )
    op.execute("CREATE INDEX ix_events_search ON events USING gin (search_vector)")
    op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name in ("events_fts", "articles_fts"):
            for suffix in ("ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {name}")
    for table in (
        "disabled_targets",
        "deliveries",
        "subscriptions",
        "digest_claims",
        "digest_settings",
        "actor_days",
        "event_actors",
        "events",
        "mentions",
        "aliases",
        "actors",
        "article_sources",
        "articles",
    ):
        op.drop_table(table)

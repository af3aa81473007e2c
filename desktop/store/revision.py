"""The schema revision this Wrenchbook needs, known without importing SQLAlchemy or Alembic."""

HEAD_REVISION = "0022"
"""The newest revision in migrations/versions (a test keeps the two equal).

Knowing it without Alembic lets a start on an up-to-date database skip importing Alembic,
which costs about 0.3 s of the app's start-up; knowing it without SQLAlchemy lets the board's
first page be read before the database layer loads (`desktop.store.board_page`).
"""

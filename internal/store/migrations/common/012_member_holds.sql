-- Imports that never block the others: a large SQLite import
-- writes its new members in chunks, each a short write transaction, into
-- a contiguous range of ids [lo, hi] that it reserves first. The range is
-- held here until the import's last transaction deletes the row: every
-- reader of members hides the held range meanwhile (Store.hideHeld), so
-- no reader sees part of an import. touched_at (Unix seconds) is
-- refreshed by every chunk; a hold not touched for minutes belongs to a
-- process that died, and its rows are deleted (dropAbandonedHolds).
-- One hold at a time (id = 1): a second large import waits for the first.
-- PostgreSQL merges an import in one transaction that blocks no other
-- writer, so this table stays empty there; it exists so that both schemas
-- stay in step.
CREATE TABLE member_holds (
    id         {{.Int}} PRIMARY KEY CHECK (id = 1),
    lo         {{.Int}} NOT NULL,
    hi         {{.Int}} NOT NULL,
    token      TEXT NOT NULL,
    touched_at {{.Int}} NOT NULL
);

-- Imports that never block the others (issue 9): on SQLite a large import
-- holds a range of member ids while it writes them in chunks (see the
-- SQLite migration). PostgreSQL merges an import in one transaction that
-- blocks no other writer, so this table stays empty there; it exists so
-- that both schemas stay in step.
CREATE TABLE member_holds (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    lo         BIGINT NOT NULL,
    hi         BIGINT NOT NULL,
    token      TEXT NOT NULL,
    touched_at BIGINT NOT NULL
);

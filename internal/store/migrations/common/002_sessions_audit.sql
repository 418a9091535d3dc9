-- Web sessions: only the SHA-256 of the random session ID is stored, so a
-- copy of the database does not give away live sessions. expires_at is in
-- Unix seconds.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    {{.Int}} NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    expires_at {{.Int}} NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- The unit an audit entry concerns, so that each user reads the entries of
-- their own subtree (through the unit's current path).
ALTER TABLE audit_log ADD COLUMN unit_id {{.Int}} REFERENCES units(id);
CREATE INDEX audit_log_unit ON audit_log(unit_id);

-- The audit log is append-only.
{{if .Postgres -}}
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
{{end -}}
{{.AppendOnly "audit_log" -}}

-- Every unit an audit entry concerns, beyond audit_log.unit_id (the
-- common ancestor): the grassroots units an import touched, the unit of an
-- enterprise linked to a union elsewhere. A manager reads an entry when
-- any of its units is in their subtree. Keyed by unit first: a subtree's
-- units lead to their entries; the second index serves the look-up of one
-- entry's units. audit_id names an audit_log row written in the same
-- transaction; it has no foreign key, so that TRUNCATE audit_log meets the
-- append-only trigger rather than a foreign-key error.
CREATE TABLE audit_units (
    unit_id  {{.Int}} NOT NULL REFERENCES units(id),
    audit_id {{.Int}} NOT NULL,
    PRIMARY KEY (unit_id, audit_id)
){{.WithoutRowID}};
CREATE INDEX audit_units_audit ON audit_units(audit_id, unit_id);

-- Append-only, as the audit log itself (on PostgreSQL, TRUNCATE included:
-- row triggers do not fire on it).
{{.AppendOnly "audit_units"}}
{{- if .Postgres -}}
CREATE TRIGGER audit_units_no_truncate BEFORE TRUNCATE ON audit_units
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
{{end -}}

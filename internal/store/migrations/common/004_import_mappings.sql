-- The column mappings users choose on the import page for headers the
-- importer does not know, remembered per unit for the next file with the
-- same headers (headers: importer.HeaderSignature). mapping is a JSON
-- object from a header's key (vn.HeaderKey) to a column of the kind, or to
-- "" for a column to skip.
CREATE TABLE import_mappings (
    unit_id    {{.Int}} NOT NULL REFERENCES units(id),
    kind       TEXT NOT NULL,
    headers    TEXT NOT NULL,
    mapping    TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (unit_id, kind, headers)
);

-- A name search that walks the name order (store.searchProbe, and the
-- walk it chooses for a common name whose matches lie in a cluster of the
-- order) tests the folded name of every row it passes: hundreds
-- of thousands country-wide. The name index now holds the folded name
-- and the current unit too, so the walk reads the index alone and visits
-- a member's row only for a match (in a province, only for a match of the
-- province): at 2 million members a walk of 100 000 rows takes some
-- 40-100 ms instead of 430 ms. On PostgreSQL both ride along (INCLUDE:
-- not part of the key, the order is unchanged) and the walk is
-- an index-only scan, which skips the row only where the visibility map
-- marks its page all-visible: autovacuum keeps it so in production; after
-- a bulk load, VACUUM (or VACUUM ANALYZE) sets it at once. On SQLite the
-- index is covering: SQLite reads the folded name from the index and
-- seeks the row only for a match.
{{if .Postgres -}}
CREATE INDEX members_name_cover ON members(name_key, id) INCLUDE (name_folded, current_unit_id);
DROP INDEX members_name;
ALTER INDEX members_name_cover RENAME TO members_name;
{{- else -}}
DROP INDEX members_name;
CREATE INDEX members_name ON members(name_key, id, name_folded, current_unit_id);
{{- end}}

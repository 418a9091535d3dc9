-- The name search's dictionary: every distinct name on record,
-- its name key and its folded name. A name search reads the names that
-- match from here, a table of one row a name (130 000 for 11 million
-- members), then each name's members from the name index (name_key, id),
-- in the list's order: a page reads its 51 rows whatever the name, where
-- the trigram index of the members (migration 013) read the whole posting
-- lists of its common trigrams (" th", "thi": millions of entries) before
-- its first row, 400 ms for a rare full name country-wide. (The store no
-- longer reads that index; it still costs an import some 9 s a million
-- members, against 1.5-2 s for keeping this table: a later migration may
-- drop it.)
--
-- The table may hold names no member bears any more (a member renamed or
-- deleted): the search checks each member's own name, so a stale name
-- costs one probe of the name index. It never misses one: a statement
-- that adds members adds their new names (a trigger with the statement's
-- rows, set-based: an import's merge pays one pass), and a rename adds
-- the new one. Both triggers fire ALWAYS: a staged import merges with
-- session_replication_role = replica (store.skipForeignKeys), which skips
-- ordinary triggers. No unique key: two transactions adding the same new
-- name never wait for each other (a name twice is harmless: the search
-- reads distinct keys).
--
-- Filled from the name index alone, which holds both columns (migration
-- 015): no read of the members table.
SET LOCAL enable_seqscan = off;
CREATE TABLE member_names AS SELECT name_key, name_folded FROM members GROUP BY name_key, name_folded;
RESET enable_seqscan;
ALTER TABLE member_names ALTER COLUMN name_key SET NOT NULL, ALTER COLUMN name_folded SET NOT NULL;
CREATE INDEX member_names_key ON member_names(name_key, name_folded);
DO $$
BEGIN
    CREATE INDEX member_names_trgm ON member_names USING gin (name_folded gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable: the name search reads the names in order';
END $$;
ANALYZE member_names;

CREATE FUNCTION member_names_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_names (name_key, name_folded)
        SELECT DISTINCT n.name_key, n.name_folded FROM nt n
        WHERE NOT EXISTS (SELECT 1 FROM member_names d WHERE d.name_key = n.name_key AND d.name_folded = n.name_folded);
    RETURN NULL;
END $$;
CREATE FUNCTION member_names_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_names (name_key, name_folded) SELECT new.name_key, new.name_folded
        WHERE NOT EXISTS (SELECT 1 FROM member_names d WHERE d.name_key = new.name_key AND d.name_folded = new.name_folded);
    RETURN NULL;
END $$;
CREATE TRIGGER member_names_insert AFTER INSERT ON members REFERENCING NEW TABLE AS nt
    FOR EACH STATEMENT EXECUTE FUNCTION member_names_added();
CREATE TRIGGER member_names_update AFTER UPDATE OF name_key, name_folded ON members FOR EACH ROW
    WHEN (old.name_key IS DISTINCT FROM new.name_key OR old.name_folded IS DISTINCT FROM new.name_folded)
    EXECUTE FUNCTION member_names_renamed();
ALTER TABLE members ENABLE ALWAYS TRIGGER member_names_insert;
ALTER TABLE members ENABLE ALWAYS TRIGGER member_names_update;

-- Units keep their name folded (lower case, no diacritics: vn.Fold), so
-- that the unit picker finds "Phường Hoàn Kiếm" by "phuong hoan kiem"
-- without folding every name per keystroke. The store fills it for the
-- units written before this migration when it opens (foldUnitNames).
ALTER TABLE units ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
-- In byte order ("C"): the picker lists the folded names (ASCII) in that
-- order, which the index then serves up to the limit.
CREATE INDEX units_name_folded ON units(name_folded COLLATE "C");

-- An admin may disable a user: a disabled user cannot log in, and their
-- sessions and tokens stop working. 0: active, 1: disabled.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

-- Where pg_trgm can be installed (a trusted extension: the database's
-- owner may), a trigram index serves the picker's LIKE '%word%' on the
-- folded names, so that a rare word does not read every unit; where it
-- cannot, the search reads the subtree as on SQLite.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX units_name_trgm ON units USING gin (name_folded gin_trgm_ops);
    CREATE INDEX units_code_trgm ON units USING gin (LOWER(code) gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable: the unit picker reads the subtree';
END $$;

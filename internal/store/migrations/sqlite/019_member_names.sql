-- PostgreSQL's name search reads a dictionary of the names on record
-- (postgres/019_member_names.sql) instead of its trigram index of the
-- members, whose posting lists of common trigrams it read whole. SQLite's
-- FTS5 trigram index (migration 013) reads its posting lists lazily, and a
-- city's database is its scale: nothing changes here. (A statement, so
-- that the version is applied like any other.)
SELECT 1;

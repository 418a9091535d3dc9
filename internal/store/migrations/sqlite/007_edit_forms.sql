-- Units keep their name folded (lower case, no diacritics: vn.Fold), so
-- that the unit picker finds "Phường Hoàn Kiếm" by "phuong hoan kiem"
-- without folding every name per keystroke. The store fills it for the
-- units written before this migration when it opens (foldUnitNames).
ALTER TABLE units ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
CREATE INDEX units_name_folded ON units(name_folded);

-- An admin may disable a user: a disabled user cannot log in, and their
-- sessions and tokens stop working. 0: active, 1: disabled.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

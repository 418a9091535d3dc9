-- Member lists page in a stable order at any size: each order
-- the list offers is an index ending in the member's id, so a page is read
-- by keyset (WHERE (key, id) > (last key, last id) LIMIT n), never by
-- OFFSET over a city's members.
--
-- name_key is vn.NameKey(full_name): the Vietnamese collation key of the
-- name (given name, middle names, family name), computed in Go and
-- compared as bytes, so the order is the same on SQLite and PostgreSQL.
-- The store fills it for members written before this migration when it
-- opens (fillNameKeys).
ALTER TABLE members ADD COLUMN name_key {{.Bytes}} NOT NULL DEFAULT {{.NoBytes}};
CREATE INDEX members_name ON members(name_key, id);
CREATE INDEX members_birth ON members(date_of_birth, id);
CREATE INDEX members_joined ON members(joined_on, id);
-- A unit's members in name order (the list of one grassroots union, and
-- the list sorted by unit); it also serves every look-up by current unit.
CREATE INDEX members_unit_name ON members(current_unit_id, name_key, id);
DROP INDEX members_current_unit;

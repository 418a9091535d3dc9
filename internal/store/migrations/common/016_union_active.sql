-- The members a grassroots union has today, and the last day a change of
-- that count was written (NULL: never), kept by every write of the
-- counters (store/active.go). A report counts, for each union founded in
-- its window (13 000 in a national year), its members active on the
-- window's last day a: where active_day <= a that is this column, read
-- with the union's row, instead of a sum over the union's daily counters.
-- Only the unions active_day places after a are summed day by day.
ALTER TABLE units ADD COLUMN active {{.Int}} NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN active_day {{.Date}};
UPDATE units SET
    active = COALESCE((SELECT SUM(d.net) FROM unit_day d WHERE d.unit_id = units.id), 0),
    active_day = (SELECT MAX(d.day) FROM unit_day d WHERE d.unit_id = units.id AND d.net <> 0)
WHERE kind = 'grassroots';

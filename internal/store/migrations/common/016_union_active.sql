-- The members each grassroots union has today, and the last day a write
-- changed that count (NULL: never), kept by every write of the counters
-- (store/active.go). A report counts, for each union founded in its
-- window (13 000 in a national year), its members active on the window's
-- last day a: where active_day <= a that is this row's count, instead of
-- a sum over the union's daily counters. A table of its own, not columns
-- of units: a staged import holds units in SHARE mode for its whole merge,
-- and every admission writes here.
CREATE TABLE union_active (
    unit_id    {{.Int}} PRIMARY KEY,
    active     {{.Int}} NOT NULL DEFAULT 0,
    active_day {{.Date}}
){{.WithoutRowID}};
INSERT INTO union_active (unit_id, active, active_day)
SELECT d.unit_id, SUM(d.net), MAX(CASE WHEN d.net <> 0 THEN d.day END)
FROM unit_day d JOIN units u ON u.id = d.unit_id AND u.kind = 'grassroots'
GROUP BY d.unit_id HAVING MAX(CASE WHEN d.net <> 0 THEN d.day END) IS NOT NULL;

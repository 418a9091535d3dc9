-- Reorganisations (moves.csv) and the tree of each day.
--
-- base_parent_id is the parent of units.csv: the unit's parent before its
-- first move. parent_id and path stay the tree after the latest move
-- (today's tree), which scopes and lists use.
ALTER TABLE units ADD COLUMN base_parent_id {{.Int}} REFERENCES units(id);
UPDATE units SET base_parent_id = parent_id;
CREATE INDEX units_base_parent ON units(base_parent_id);

CREATE TABLE unit_moves (
    unit_id       {{.Int}} NOT NULL REFERENCES units(id),
    moved_on      {{.Date}} NOT NULL,
    new_parent_id {{.Int}} NOT NULL REFERENCES units(id),
    decision_no   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, moved_on)
);
CREATE INDEX unit_moves_parent ON unit_moves(new_parent_id);

-- The dated closure of the tree: ancestor_id is an ancestor of unit_id, at
-- depth levels above it, on the days [from_day, to_day). 1900-01-01 and
-- 2200-12-31 stand for "always" (the range of dates the system accepts).
-- The daily counters of a unit's subtree follow these rows.
CREATE TABLE unit_tree (
    unit_id     {{.Int}} NOT NULL,
    ancestor_id {{.Int}} NOT NULL,
    depth       INTEGER NOT NULL,
    from_day    {{.Date}} NOT NULL,
    to_day      {{.Date}} NOT NULL,
    PRIMARY KEY (unit_id, ancestor_id, from_day)
){{.WithoutRowID}};
CREATE INDEX unit_tree_ancestor ON unit_tree(ancestor_id, depth, unit_id);

INSERT INTO unit_tree (unit_id, ancestor_id, depth, from_day, to_day)
WITH RECURSIVE up(unit_id, ancestor_id, depth) AS (
    SELECT id, parent_id, 1 FROM units WHERE parent_id IS NOT NULL
    UNION ALL
    SELECT up.unit_id, u.parent_id, up.depth + 1 FROM up JOIN units u ON u.id = up.ancestor_id WHERE u.parent_id IS NOT NULL
)
SELECT unit_id, ancestor_id, depth, {{.Day "1900-01-01"}}, {{.Day "2200-12-31"}} FROM up;

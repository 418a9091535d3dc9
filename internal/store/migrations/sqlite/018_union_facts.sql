-- What a report reads of each grassroots union founded in its window
-- (engine.FoundedUnit), beside its members today in union_active: its
-- founding day, its ownership (its own, or where that is empty its linked
-- enterprise's: docs/indicators.md), its method and its path (today's tree).
-- A national report's 13 000 unions founded in a year are then one range
-- of one index (union_active_founded, the rows' every column), instead of
-- their unit rows, their enterprises and a probe of union_active per
-- union. Triggers keep the columns in step with every write of units and
-- enterprises (edits, imports, moves: a move rewrites the paths of a
-- subtree); founded_on is NULL where the unit is not a grassroots union,
-- so that no other row is ever read as one. Every grassroots union has a
-- row from now on (active 0 and active_day NULL until a member comes).
ALTER TABLE union_active ADD COLUMN founded_on TEXT;
ALTER TABLE union_active ADD COLUMN ownership TEXT NOT NULL DEFAULT '';
ALTER TABLE union_active ADD COLUMN method TEXT NOT NULL DEFAULT '';
ALTER TABLE union_active ADD COLUMN path TEXT NOT NULL DEFAULT '';
INSERT INTO union_active (unit_id, founded_on, ownership, method, path)
SELECT u.id, u.founded_on, COALESCE(NULLIF(u.ownership, ''), e.ownership, ''), u.method, u.path
FROM units u LEFT JOIN enterprises e ON e.tax_code = u.enterprise_tax_code
WHERE u.kind = 'grassroots'
ON CONFLICT (unit_id) DO UPDATE SET founded_on = excluded.founded_on, ownership = excluded.ownership,
    method = excluded.method, path = excluded.path;
CREATE INDEX union_active_founded ON union_active (founded_on, path, unit_id, ownership, method, active, active_day)
    WHERE founded_on IS NOT NULL;

-- A unit's row, written when it is or becomes a grassroots union, or one
-- of the columns changes; a unit that stops being one keeps its row
-- without a founding day.
CREATE TRIGGER union_facts_insert AFTER INSERT ON units WHEN NEW.kind = 'grassroots' BEGIN
    INSERT INTO union_active (unit_id, founded_on, ownership, method, path)
    SELECT NEW.id, NEW.founded_on, COALESCE(NULLIF(NEW.ownership, ''),
        (SELECT e.ownership FROM enterprises e WHERE e.tax_code = NEW.enterprise_tax_code), ''), NEW.method, NEW.path
    WHERE true
    ON CONFLICT (unit_id) DO UPDATE SET founded_on = excluded.founded_on, ownership = excluded.ownership,
        method = excluded.method, path = excluded.path;
END;
CREATE TRIGGER union_facts_update AFTER UPDATE ON units
    WHEN NEW.kind IS NOT OLD.kind OR (NEW.kind = 'grassroots' AND (
        NEW.founded_on IS NOT OLD.founded_on OR NEW.ownership IS NOT OLD.ownership
        OR NEW.enterprise_tax_code IS NOT OLD.enterprise_tax_code OR NEW.method IS NOT OLD.method
        OR NEW.path IS NOT OLD.path)) BEGIN
    INSERT INTO union_active (unit_id, founded_on, ownership, method, path)
    SELECT NEW.id, NEW.founded_on, COALESCE(NULLIF(NEW.ownership, ''),
        (SELECT e.ownership FROM enterprises e WHERE e.tax_code = NEW.enterprise_tax_code), ''), NEW.method, NEW.path
    WHERE NEW.kind = 'grassroots'
    ON CONFLICT (unit_id) DO UPDATE SET founded_on = excluded.founded_on, ownership = excluded.ownership,
        method = excluded.method, path = excluded.path;
    UPDATE union_active SET founded_on = NULL WHERE unit_id = NEW.id AND NEW.kind <> 'grassroots';
END;
CREATE TRIGGER union_facts_delete AFTER DELETE ON units WHEN OLD.kind = 'grassroots' BEGIN
    UPDATE union_active SET founded_on = NULL WHERE unit_id = OLD.id;
END;

-- An enterprise written or deleted: the unions linked to it without an
-- ownership of their own take its ownership anew (both tax codes, where
-- an update changes it).
CREATE TRIGGER union_facts_enterprises_insert AFTER INSERT ON enterprises BEGIN
    UPDATE union_active SET ownership = NEW.ownership WHERE unit_id IN (SELECT u.id FROM units u
        WHERE u.enterprise_tax_code = NEW.tax_code AND u.enterprise_tax_code <> '' AND u.kind = 'grassroots' AND u.ownership = '')
        AND ownership IS NOT NEW.ownership;
END;
CREATE TRIGGER union_facts_enterprises_update AFTER UPDATE OF tax_code, ownership ON enterprises
    WHEN NEW.tax_code IS NOT OLD.tax_code OR NEW.ownership IS NOT OLD.ownership BEGIN
    UPDATE union_active SET ownership = COALESCE((SELECT e.ownership FROM enterprises e WHERE e.tax_code = OLD.tax_code), '')
        WHERE unit_id IN (SELECT u.id FROM units u WHERE u.enterprise_tax_code = OLD.tax_code AND u.enterprise_tax_code <> ''
            AND u.kind = 'grassroots' AND u.ownership = '');
    UPDATE union_active SET ownership = NEW.ownership WHERE unit_id IN (SELECT u.id FROM units u
        WHERE u.enterprise_tax_code = NEW.tax_code AND u.enterprise_tax_code <> '' AND u.kind = 'grassroots' AND u.ownership = '');
END;
CREATE TRIGGER union_facts_enterprises_delete AFTER DELETE ON enterprises BEGIN
    UPDATE union_active SET ownership = '' WHERE unit_id IN (SELECT u.id FROM units u
        WHERE u.enterprise_tax_code = OLD.tax_code AND u.enterprise_tax_code <> '' AND u.kind = 'grassroots' AND u.ownership = '');
END;

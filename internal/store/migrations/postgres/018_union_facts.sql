-- What a report reads of each grassroots union founded in its window
-- (engine.FoundedUnit), beside its members today in union_active: its
-- founding day, its ownership (its own, or where that is empty its linked
-- enterprise's: docs/indicators.md), its method and its path (today's tree).
-- A national report's 13 000 unions founded in a year are then one range
-- of one index (union_active_founded, the rows' every column), instead of
-- their unit rows, a hash of every enterprise and a probe of union_active
-- per union. Triggers keep the columns in step with every write of units
-- and enterprises (edits, imports, moves: a move rewrites the paths of a
-- subtree); founded_on is NULL where the unit is not a grassroots union,
-- so that no other row is ever read as one. Every grassroots union has a
-- row from now on (active 0 and active_day NULL until a member comes).
ALTER TABLE union_active ADD COLUMN founded_on DATE,
    ADD COLUMN ownership TEXT NOT NULL DEFAULT '',
    ADD COLUMN method TEXT NOT NULL DEFAULT '',
    ADD COLUMN path TEXT COLLATE "C" NOT NULL DEFAULT '';
INSERT INTO union_active (unit_id, founded_on, ownership, method, path)
SELECT u.id, u.founded_on, COALESCE(NULLIF(u.ownership, ''), e.ownership, ''), u.method, u.path
FROM units u LEFT JOIN enterprises e ON e.tax_code = u.enterprise_tax_code
WHERE u.kind = 'grassroots'
ON CONFLICT (unit_id) DO UPDATE SET founded_on = excluded.founded_on, ownership = excluded.ownership,
    method = excluded.method, path = excluded.path;
CREATE INDEX union_active_founded ON union_active (founded_on)
    INCLUDE (path, unit_id, ownership, method, active, active_day) WHERE founded_on IS NOT NULL;

-- A unit's row, written when it is or becomes a grassroots union, or one
-- of the columns changes; a unit that stops being one keeps its row
-- without a founding day. Row triggers, each firing only on a change that
-- matters (the WHEN clauses, checked without calling the function).
CREATE FUNCTION union_facts_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE union_active SET founded_on = NULL WHERE unit_id = OLD.id;
    ELSIF NEW.kind = 'grassroots' THEN
        INSERT INTO union_active (unit_id, founded_on, ownership, method, path)
        VALUES (NEW.id, NEW.founded_on, COALESCE(NULLIF(NEW.ownership, ''),
            (SELECT e.ownership FROM enterprises e WHERE e.tax_code = NEW.enterprise_tax_code), ''), NEW.method, NEW.path)
        ON CONFLICT (unit_id) DO UPDATE SET founded_on = excluded.founded_on, ownership = excluded.ownership,
            method = excluded.method, path = excluded.path;
    ELSE
        UPDATE union_active SET founded_on = NULL WHERE unit_id = NEW.id AND founded_on IS NOT NULL;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER union_facts_insert AFTER INSERT ON units FOR EACH ROW
    WHEN (NEW.kind = 'grassroots') EXECUTE FUNCTION union_facts_unit();
CREATE TRIGGER union_facts_update AFTER UPDATE ON units FOR EACH ROW
    WHEN (NEW.kind IS DISTINCT FROM OLD.kind OR (NEW.kind = 'grassroots' AND (
        NEW.founded_on IS DISTINCT FROM OLD.founded_on OR NEW.ownership IS DISTINCT FROM OLD.ownership
        OR NEW.enterprise_tax_code IS DISTINCT FROM OLD.enterprise_tax_code OR NEW.method IS DISTINCT FROM OLD.method
        OR NEW.path IS DISTINCT FROM OLD.path)))
    EXECUTE FUNCTION union_facts_unit();
CREATE TRIGGER union_facts_delete AFTER DELETE ON units FOR EACH ROW
    WHEN (OLD.kind = 'grassroots') EXECUTE FUNCTION union_facts_unit();

-- An enterprise written or deleted: the unions linked to it without an
-- ownership of their own take its ownership anew. Statement triggers, so
-- that an import's thousands of enterprises cost one join (the planner
-- knows a transition table's size: a few rows are probes of
-- units_enterprise).
CREATE FUNCTION union_facts_enterprises(touched TEXT[]) RETURNS void LANGUAGE sql AS $$
    UPDATE union_active a SET ownership = x.own
    FROM (SELECT u.id, COALESCE(e.ownership, '') AS own FROM units u LEFT JOIN enterprises e ON e.tax_code = u.enterprise_tax_code
        WHERE u.enterprise_tax_code = ANY (touched) AND u.enterprise_tax_code <> '' AND u.kind = 'grassroots' AND u.ownership = '') x
    WHERE a.unit_id = x.id AND a.ownership IS DISTINCT FROM x.own
$$;
CREATE FUNCTION union_facts_enterprises_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM union_facts_enterprises(ARRAY(SELECT tax_code FROM nt));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM union_facts_enterprises(ARRAY(SELECT n.tax_code FROM nt n LEFT JOIN ot o ON o.tax_code = n.tax_code
            WHERE o.tax_code IS NULL OR o.ownership IS DISTINCT FROM n.ownership
            UNION SELECT o.tax_code FROM ot o WHERE NOT EXISTS (SELECT 1 FROM nt n WHERE n.tax_code = o.tax_code)));
    ELSE
        PERFORM union_facts_enterprises(ARRAY(SELECT tax_code FROM ot));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER union_facts_enterprises_insert AFTER INSERT ON enterprises REFERENCING NEW TABLE AS nt
    FOR EACH STATEMENT EXECUTE FUNCTION union_facts_enterprises_changed();
CREATE TRIGGER union_facts_enterprises_update AFTER UPDATE ON enterprises REFERENCING OLD TABLE AS ot NEW TABLE AS nt
    FOR EACH STATEMENT EXECUTE FUNCTION union_facts_enterprises_changed();
CREATE TRIGGER union_facts_enterprises_delete AFTER DELETE ON enterprises REFERENCING OLD TABLE AS ot
    FOR EACH STATEMENT EXECUTE FUNCTION union_facts_enterprises_changed();

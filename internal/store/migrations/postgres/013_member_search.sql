-- A name search (the members list's q, the API's q) finds the members
-- whose folded name (vn.Fold: lower case, no diacritics) contains the
-- words typed, anywhere in it: LIKE '%nguyen thi h%'. Country-wide (11
-- million members) the search must not read every member: where
-- pg_trgm can be installed, a trigram index answers the LIKE itself and
-- the planner weighs it against walking the name order (memberRows).
-- Where it cannot, as for the units (migration 007), the search walks the
-- name order as before.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX members_name_trgm ON members USING gin (name_folded gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable: the member search walks the name order';
END $$;

-- The gap count: how many enterprises of a subtree have
-- gap_min_workers (25) workers or more and no grassroots union open on a
-- day (engine.Organising.GapEnterprises), read from counters instead of
-- every enterprise of the subtree and every union linked to one.
-- gap_events holds each enterprise's part, by its responsible unit: +1
-- (and its workers) on day 0001-01-01, -1 on each day a union starts to
-- cover it (no union open the day before), +1 on each day the last one
-- closes. gap_day sums them by unit and day, with the unit's path: the
-- gap of a subtree on a day is the sum of its rows up to that day.
-- Triggers keep both in step with every write of enterprises and units,
-- the imports included: each statement queues the tax codes it touched in
-- gap_queue, and at commit (a deferred trigger) the parts of the queued
-- enterprises are taken out and computed anew, all at once (gap_refresh):
-- an import pays one set-based pass, not one per row.
CREATE TABLE gap_events (
    tax_code TEXT NOT NULL,
    day      DATE NOT NULL,
    unit_id  BIGINT NOT NULL,
    n        BIGINT NOT NULL,
    workers  BIGINT NOT NULL,
    PRIMARY KEY (tax_code, day)
);
CREATE TABLE gap_day (
    unit_id BIGINT NOT NULL,
    day     DATE NOT NULL,
    path    TEXT NOT NULL, -- the unit's, kept when it moves
    n       BIGINT NOT NULL,
    workers BIGINT NOT NULL,
    PRIMARY KEY (unit_id, day)
);
-- A subtree's rows up to a day, read from the index alone.
CREATE INDEX gap_day_path ON gap_day(path, day) INCLUDE (n, workers);
CREATE TABLE gap_queue (tax_code TEXT NOT NULL);
-- The unions linked to an enterprise, for gap_refresh and the gap lists.
CREATE INDEX units_enterprise ON units(enterprise_tax_code) WHERE enterprise_tax_code <> '';
-- The areas of the enterprise lists' filter, seeked one after another
-- (EnterpriseAreas), not gathered from every enterprise.
CREATE INDEX enterprises_area ON enterprises(area);

CREATE FUNCTION gap_refresh() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS gap_codes (tax_code TEXT PRIMARY KEY) ON COMMIT DELETE ROWS;
    INSERT INTO gap_codes SELECT DISTINCT tax_code FROM gap_queue ON CONFLICT DO NOTHING;
    DELETE FROM gap_queue;
    ANALYZE gap_codes;
    INSERT INTO gap_day (unit_id, day, path, n, workers)
        SELECT g.unit_id, g.day, u.path, -SUM(g.n), -SUM(g.workers) FROM gap_events g JOIN units u ON u.id = g.unit_id
        WHERE g.tax_code IN (SELECT tax_code FROM gap_codes) GROUP BY g.unit_id, g.day, u.path
        ON CONFLICT (unit_id, day) DO UPDATE SET n = gap_day.n + excluded.n, workers = gap_day.workers + excluded.workers;
    DELETE FROM gap_events WHERE tax_code IN (SELECT tax_code FROM gap_codes);
    INSERT INTO gap_events (tax_code, day, unit_id, n, workers)
        WITH ev AS (
            SELECT g.enterprise_tax_code AS tax_code, COALESCE(g.founded_on, DATE '0001-01-01') AS day, 1 AS k
            FROM units g WHERE g.kind = 'grassroots' AND g.enterprise_tax_code IN (SELECT tax_code FROM gap_codes) AND g.enterprise_tax_code <> ''
            UNION ALL
            SELECT g.enterprise_tax_code, g.dissolved_on, -1
            FROM units g WHERE g.kind = 'grassroots' AND g.enterprise_tax_code IN (SELECT tax_code FROM gap_codes) AND g.enterprise_tax_code <> ''
            AND g.dissolved_on IS NOT NULL
        ), d AS (SELECT tax_code, day, SUM(k) AS k FROM ev GROUP BY tax_code, day),
        r AS (SELECT tax_code, day, k, SUM(k) OVER (PARTITION BY tax_code ORDER BY day) AS live FROM d),
        c AS (
            SELECT tax_code, day, CASE WHEN live > 0 THEN -1 ELSE 1 END AS n FROM r WHERE (live - k > 0) <> (live > 0)
            UNION ALL
            SELECT tax_code, DATE '0001-01-01', 1 FROM gap_codes
        )
        SELECT e.tax_code, c.day, e.unit_id, SUM(c.n), SUM(c.n) * e.employees
        FROM c JOIN enterprises e ON e.tax_code = c.tax_code
        WHERE e.employees >= 25
        GROUP BY e.tax_code, c.day, e.unit_id, e.employees HAVING SUM(c.n) <> 0;
    INSERT INTO gap_day (unit_id, day, path, n, workers)
        SELECT g.unit_id, g.day, u.path, SUM(g.n), SUM(g.workers) FROM gap_events g JOIN units u ON u.id = g.unit_id
        WHERE g.tax_code IN (SELECT tax_code FROM gap_codes) GROUP BY g.unit_id, g.day, u.path
        ON CONFLICT (unit_id, day) DO UPDATE SET n = gap_day.n + excluded.n, workers = gap_day.workers + excluded.workers;
    DELETE FROM gap_codes;
END $$;

-- At commit, once for all the statements of the transaction: the first
-- of the queued rows' deferred events counts them all; the flag spares
-- the others (any later statement that queues sets it again).
CREATE FUNCTION gap_flush() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('congdoan.gap_queued', true) = 'yes' THEN
        PERFORM gap_refresh();
        PERFORM set_config('congdoan.gap_queued', 'no', true);
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER gap_flush AFTER INSERT ON gap_queue DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION gap_flush();

CREATE FUNCTION gap_enterprises_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO gap_queue SELECT tax_code FROM nt;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO gap_queue SELECT tax_code FROM ot;
    ELSE
        INSERT INTO gap_queue SELECT n.tax_code FROM nt n JOIN ot o ON o.tax_code = n.tax_code
            WHERE (n.employees, n.unit_id) IS DISTINCT FROM (o.employees, o.unit_id);
    END IF;
    IF FOUND THEN
        PERFORM set_config('congdoan.gap_queued', 'yes', true);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION gap_units_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO gap_queue SELECT enterprise_tax_code FROM nt WHERE enterprise_tax_code <> '';
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO gap_queue SELECT enterprise_tax_code FROM ot WHERE enterprise_tax_code <> '';
    ELSE
        -- A move rewrites paths: the counters follow the units; nothing
        -- to count again.
        UPDATE gap_day g SET path = n.path FROM nt n JOIN ot o ON o.id = n.id WHERE g.unit_id = n.id AND n.path <> o.path;
        INSERT INTO gap_queue SELECT x FROM nt n JOIN ot o ON o.id = n.id, unnest(ARRAY[n.enterprise_tax_code, o.enterprise_tax_code]) x
            WHERE (n.kind, n.enterprise_tax_code, n.founded_on, n.dissolved_on) IS DISTINCT FROM (o.kind, o.enterprise_tax_code, o.founded_on, o.dissolved_on)
            AND x <> '';
    END IF;
    IF FOUND THEN
        PERFORM set_config('congdoan.gap_queued', 'yes', true);
    END IF;
    RETURN NULL;
END $$;
-- The triggers of both tables: each statement passes its rows to the
-- table's function as transition tables (nt: new rows, ot: old rows).
DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['enterprises', 'units'] LOOP
        EXECUTE format('CREATE TRIGGER gap_%1$s_insert AFTER INSERT ON %1$s REFERENCING NEW TABLE AS nt
            FOR EACH STATEMENT EXECUTE FUNCTION gap_%1$s_changed()', t);
        EXECUTE format('CREATE TRIGGER gap_%1$s_update AFTER UPDATE ON %1$s REFERENCING OLD TABLE AS ot NEW TABLE AS nt
            FOR EACH STATEMENT EXECUTE FUNCTION gap_%1$s_changed()', t);
        EXECUTE format('CREATE TRIGGER gap_%1$s_delete AFTER DELETE ON %1$s REFERENCING OLD TABLE AS ot
            FOR EACH STATEMENT EXECUTE FUNCTION gap_%1$s_changed()', t);
    END LOOP;
END $$;

-- The enterprises on record when the counters came.
INSERT INTO gap_queue SELECT tax_code FROM enterprises;
SELECT gap_refresh();

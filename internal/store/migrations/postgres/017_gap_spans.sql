-- The gap list's pages: the enterprises of a subtree with 25
-- workers or more and no grassroots union open on a day, largest first.
-- Walking the enterprises by size and asking each for an open union reads
-- every unionised enterprise larger than the list's largest (at national
-- scale, the largest are nearly all unionised: 12 000 probes for a page of
-- 50), and the planner, unable to guess how many a union probe removes,
-- sorts them all instead. gap_spans turns gap_events (migration 013) into
-- the days each enterprise is on the list: from from_day (a +1 event) to
-- to_day (the next event, 9999-12-31 while none), with its responsible unit
-- and its workers. A page walks gap_spans_keyset in the list's order and
-- keeps the spans of its day from the index alone; only its own rows are
-- then read from enterprises.
CREATE TABLE gap_spans (
    tax_code  TEXT NOT NULL,
    from_day  DATE NOT NULL,
    to_day    DATE NOT NULL,
    unit_id   BIGINT NOT NULL,
    employees BIGINT NOT NULL,
    PRIMARY KEY (tax_code, from_day)
);
CREATE INDEX gap_spans_keyset ON gap_spans(employees DESC, tax_code) INCLUDE (from_day, to_day, unit_id);
-- A small subtree's list (a ward's) reads its units' spans and sorts them.
CREATE INDEX gap_spans_unit ON gap_spans(unit_id, employees DESC, tax_code) INCLUDE (from_day, to_day);

-- The spans of some enterprises, anew from their events: each +1 event
-- opens a span that the enterprise's next event closes (events alternate,
-- migration 013; the workers of a +1 event are the enterprise's).
CREATE FUNCTION gap_spans_of(codes TEXT[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM gap_spans WHERE tax_code = ANY(codes);
    INSERT INTO gap_spans (tax_code, from_day, to_day, unit_id, employees)
        SELECT tax_code, day, COALESCE(next, DATE '9999-12-31'), unit_id, workers / n FROM (
            SELECT g.*, LEAD(g.day) OVER (PARTITION BY g.tax_code ORDER BY g.day) AS next
            FROM gap_events g WHERE g.tax_code = ANY(codes)) x
        WHERE n > 0;
$$;

-- Each statement that writes gap_events (gap_refresh's delete and insert)
-- counts the spans of the enterprises it touched again, all at once.
CREATE FUNCTION gap_spans_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM gap_spans_of(ARRAY(SELECT DISTINCT tax_code FROM nt));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM gap_spans_of(ARRAY(SELECT DISTINCT tax_code FROM ot));
    ELSE
        PERFORM gap_spans_of(ARRAY(SELECT tax_code FROM nt UNION SELECT tax_code FROM ot));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER gap_spans_insert AFTER INSERT ON gap_events REFERENCING NEW TABLE AS nt
    FOR EACH STATEMENT EXECUTE FUNCTION gap_spans_changed();
CREATE TRIGGER gap_spans_update AFTER UPDATE ON gap_events REFERENCING OLD TABLE AS ot NEW TABLE AS nt
    FOR EACH STATEMENT EXECUTE FUNCTION gap_spans_changed();
CREATE TRIGGER gap_spans_delete AFTER DELETE ON gap_events REFERENCING OLD TABLE AS ot
    FOR EACH STATEMENT EXECUTE FUNCTION gap_spans_changed();

-- The spans of the enterprises on record.
SELECT gap_spans_of(ARRAY(SELECT DISTINCT tax_code FROM gap_events));
ANALYZE gap_spans;

-- The gap list's figures (and the report's gap count) summed gap_day's
-- rows of the subtree up to the day: a row per responsible unit and day
-- that moved the count, 50 000 rows for the nation's 41 upper units, read
-- on every page. gap_unit keeps each unit's sum of all its rows, with the
-- last day among them: on a day from last_day on, the unit's figures are
-- its row; before it, its row less its rows of gap_day after the day.
-- Every write of gap_day (gap_refresh's upserts, a move's new paths) adds
-- its difference here in the same statement.
CREATE TABLE gap_unit (
    unit_id  BIGINT PRIMARY KEY,
    path     TEXT NOT NULL,
    last_day DATE NOT NULL,
    n        BIGINT NOT NULL,
    workers  BIGINT NOT NULL
);
CREATE INDEX gap_unit_path ON gap_unit(path) INCLUDE (last_day, n, workers);
-- The rows after a day (the unions founded or dissolved later), taken
-- off the units' sums: few for a recent day.
CREATE INDEX gap_day_day ON gap_day(day) INCLUDE (unit_id, n, workers);

CREATE FUNCTION gap_unit_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Every update of units runs 013's move step, an update of gap_day
    -- that mostly changes nothing: that costs this test only.
    IF TG_OP = 'UPDATE' AND NOT EXISTS (SELECT 1 FROM nt) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO gap_unit (unit_id, path, last_day, n, workers)
            SELECT unit_id, MAX(path), MAX(day), SUM(n), SUM(workers) FROM nt GROUP BY unit_id
            ON CONFLICT (unit_id) DO UPDATE SET path = excluded.path, last_day = GREATEST(gap_unit.last_day, excluded.last_day),
                n = gap_unit.n + excluded.n, workers = gap_unit.workers + excluded.workers;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO gap_unit (unit_id, path, last_day, n, workers)
            SELECT unit_id, MAX(path), MAX(day), SUM(n), SUM(workers) FROM (
                SELECT unit_id, path, day, n, workers FROM nt
                UNION ALL SELECT unit_id, NULL, NULL, -n, -workers FROM ot) x GROUP BY unit_id
            ON CONFLICT (unit_id) DO UPDATE SET path = excluded.path, last_day = GREATEST(gap_unit.last_day, excluded.last_day),
                n = gap_unit.n + excluded.n, workers = gap_unit.workers + excluded.workers;
    ELSE
        UPDATE gap_unit u SET n = u.n - x.n, workers = u.workers - x.workers
            FROM (SELECT unit_id, SUM(n) AS n, SUM(workers) AS workers FROM ot GROUP BY unit_id) x WHERE u.unit_id = x.unit_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER gap_unit_insert AFTER INSERT ON gap_day REFERENCING NEW TABLE AS nt
    FOR EACH STATEMENT EXECUTE FUNCTION gap_unit_changed();
CREATE TRIGGER gap_unit_update AFTER UPDATE ON gap_day REFERENCING OLD TABLE AS ot NEW TABLE AS nt
    FOR EACH STATEMENT EXECUTE FUNCTION gap_unit_changed();
CREATE TRIGGER gap_unit_delete AFTER DELETE ON gap_day REFERENCING OLD TABLE AS ot
    FOR EACH STATEMENT EXECUTE FUNCTION gap_unit_changed();

INSERT INTO gap_unit (unit_id, path, last_day, n, workers)
    SELECT unit_id, MAX(path), MAX(day), SUM(n), SUM(workers) FROM gap_day GROUP BY unit_id;
ANALYZE gap_unit;

-- The area choices of a subtree with a few of the responsible units
-- (EnterpriseAreas) are read from their enterprises' index entries alone:
-- enterprises_unit, once on unit_id only, carries the area.
DROP INDEX enterprises_unit;
CREATE INDEX enterprises_unit ON enterprises(unit_id, area);

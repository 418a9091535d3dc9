-- The gap list's pages: the enterprises of a subtree with 25
-- workers or more and no grassroots union open on a day, largest first.
-- Walking the enterprises by size and asking each for an open union reads
-- every unionised enterprise larger than the list's largest (at national
-- scale, the largest are nearly all unionised). gap_spans turns gap_events
-- (migration 013) into the days each enterprise is on the list: from
-- from_day (a +1 event) to to_day (the next event, 9999-12-31 while none),
-- with its responsible unit and its workers. A page walks gap_spans_keyset
-- in the list's order and keeps the spans of its day from the index alone;
-- only its own rows are then read from enterprises.
CREATE TABLE gap_spans (
    tax_code  TEXT NOT NULL,
    from_day  TEXT NOT NULL,
    to_day    TEXT NOT NULL,
    unit_id   INTEGER NOT NULL,
    employees INTEGER NOT NULL,
    PRIMARY KEY (tax_code, from_day)
) WITHOUT ROWID;
CREATE INDEX gap_spans_keyset ON gap_spans(employees DESC, tax_code, from_day, to_day, unit_id);
-- A small subtree's list (a ward's) reads its units' spans and sorts them.
CREATE INDEX gap_spans_unit ON gap_spans(unit_id, employees DESC, tax_code, from_day, to_day);

-- gap_refresh (migration 013) counts an enterprise's spans anew with its
-- events: each +1 event opens a span that the enterprise's next event
-- closes (events alternate; the workers of a +1 event are the
-- enterprise's). The trigger is 013's with the two statements of the
-- spans after the events' insert: a trigger on gap_events would run for
-- every event row and make each refresh's insert of events go through a
-- temporary table, which doubled the time of a large enterprises import.
DROP TRIGGER gap_refresh;
CREATE TRIGGER gap_refresh AFTER INSERT ON gap_queue BEGIN
    INSERT INTO gap_day (unit_id, day, path, n, workers)
        SELECT g.unit_id, g.day, u.path, -SUM(g.n), -SUM(g.workers) FROM gap_events g JOIN units u ON u.id = g.unit_id
        WHERE g.tax_code = new.tax_code GROUP BY g.unit_id, g.day, u.path
        ON CONFLICT (unit_id, day) DO UPDATE SET n = gap_day.n + excluded.n, workers = gap_day.workers + excluded.workers;
    DELETE FROM gap_events WHERE tax_code = new.tax_code;
    INSERT INTO gap_events (tax_code, day, unit_id, n, workers)
        SELECT e.tax_code, c.day, e.unit_id, SUM(c.n), SUM(c.n) * e.employees
        FROM (
            SELECT tax_code, day, CASE WHEN live > 0 THEN -1 ELSE 1 END AS n FROM (
                SELECT tax_code, day, k, SUM(k) OVER (PARTITION BY tax_code ORDER BY day) AS live FROM (
                    SELECT tax_code, day, SUM(k) AS k FROM (
                        SELECT g.enterprise_tax_code AS tax_code, COALESCE(g.founded_on, '0001-01-01') AS day, 1 AS k
                        FROM units g WHERE g.kind = 'grassroots' AND g.enterprise_tax_code = new.tax_code AND g.enterprise_tax_code <> ''
                        UNION ALL
                        SELECT g.enterprise_tax_code, g.dissolved_on, -1
                        FROM units g WHERE g.kind = 'grassroots' AND g.enterprise_tax_code = new.tax_code AND g.enterprise_tax_code <> '' AND g.dissolved_on IS NOT NULL
                    ) GROUP BY tax_code, day
                )
            ) WHERE (live - k > 0) <> (live > 0)
            UNION ALL
            SELECT tax_code, '0001-01-01', 1 FROM enterprises WHERE tax_code = new.tax_code
        ) c JOIN enterprises e ON e.tax_code = c.tax_code
        WHERE e.employees >= 25
        GROUP BY e.tax_code, c.day, e.unit_id, e.employees HAVING SUM(c.n) <> 0;
    DELETE FROM gap_spans WHERE tax_code = new.tax_code;
    INSERT INTO gap_spans (tax_code, from_day, to_day, unit_id, employees)
        SELECT g.tax_code, g.day,
            COALESCE((SELECT MIN(x.day) FROM gap_events x WHERE x.tax_code = g.tax_code AND x.day > g.day), '9999-12-31'),
            g.unit_id, g.workers / g.n
        FROM gap_events g WHERE g.tax_code = new.tax_code AND g.n > 0;
    INSERT INTO gap_day (unit_id, day, path, n, workers)
        SELECT g.unit_id, g.day, u.path, SUM(g.n), SUM(g.workers) FROM gap_events g JOIN units u ON u.id = g.unit_id
        WHERE g.tax_code = new.tax_code GROUP BY g.unit_id, g.day, u.path
        ON CONFLICT (unit_id, day) DO UPDATE SET n = gap_day.n + excluded.n, workers = gap_day.workers + excluded.workers;
    DELETE FROM gap_queue;
END;

-- The spans of the enterprises on record.
INSERT INTO gap_spans (tax_code, from_day, to_day, unit_id, employees)
    SELECT tax_code, day, COALESCE(next, '9999-12-31'), unit_id, workers / n FROM (
        SELECT g.*, LEAD(g.day) OVER (PARTITION BY g.tax_code ORDER BY g.day) AS next FROM gap_events g)
    WHERE n > 0;

-- The gap list's figures (and the report's gap count) summed gap_day's
-- rows of the subtree up to the day: a row per responsible unit and day
-- that moved the count, 50 000 rows for the nation's 41 upper units, read
-- on every page. gap_unit keeps each unit's sum of all its rows, with the
-- last day among them: on a day from last_day on, the unit's figures are
-- its row; before it, its row less its rows of gap_day after the day.
-- Every write of gap_day (the refresh's upserts, a move's new paths) adds
-- its difference here.
CREATE TABLE gap_unit (
    unit_id  INTEGER PRIMARY KEY,
    path     TEXT NOT NULL,
    last_day TEXT NOT NULL,
    n        INTEGER NOT NULL,
    workers  INTEGER NOT NULL
);
CREATE INDEX gap_unit_path ON gap_unit(path, last_day, n, workers);
-- The rows after a day (the unions founded or dissolved later), taken
-- off the units' sums: few for a recent day.
CREATE INDEX gap_day_day ON gap_day(day, unit_id, n, workers);

CREATE TRIGGER gap_unit_insert AFTER INSERT ON gap_day BEGIN
    INSERT INTO gap_unit (unit_id, path, last_day, n, workers) VALUES (new.unit_id, new.path, new.day, new.n, new.workers)
        ON CONFLICT (unit_id) DO UPDATE SET path = excluded.path, last_day = MAX(gap_unit.last_day, excluded.last_day),
            n = gap_unit.n + excluded.n, workers = gap_unit.workers + excluded.workers;
END;
CREATE TRIGGER gap_unit_update AFTER UPDATE ON gap_day BEGIN
    UPDATE gap_unit SET n = n - old.n, workers = workers - old.workers WHERE unit_id = old.unit_id;
    INSERT INTO gap_unit (unit_id, path, last_day, n, workers) VALUES (new.unit_id, new.path, new.day, new.n, new.workers)
        ON CONFLICT (unit_id) DO UPDATE SET path = excluded.path, last_day = MAX(gap_unit.last_day, excluded.last_day),
            n = gap_unit.n + excluded.n, workers = gap_unit.workers + excluded.workers;
END;
CREATE TRIGGER gap_unit_delete AFTER DELETE ON gap_day BEGIN
    UPDATE gap_unit SET n = n - old.n, workers = workers - old.workers WHERE unit_id = old.unit_id;
END;

INSERT INTO gap_unit (unit_id, path, last_day, n, workers)
    SELECT unit_id, MAX(path), MAX(day), SUM(n), SUM(workers) FROM gap_day GROUP BY unit_id;

-- The area choices of a subtree with a few of the responsible units
-- (EnterpriseAreas) are read from their enterprises' index entries alone:
-- enterprises_unit, once on unit_id only, carries the area.
DROP INDEX enterprises_unit;
CREATE INDEX enterprises_unit ON enterprises(unit_id, area);

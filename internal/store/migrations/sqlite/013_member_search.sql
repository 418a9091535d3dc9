-- A name search (the members list's q, the API's q) finds the members
-- whose folded name (vn.Fold: lower case, no diacritics) contains the
-- words typed, anywhere in it: LIKE '%nguyen thi h%'. An FTS5 table with
-- the trigram tokenizer answers such a LIKE from an index (three letters
-- or more), so a rare name does not read every member. It indexes the
-- members table's own column (content=): nothing is stored twice, and
-- detail=none, columnsize=0 keep the index to the trigrams, which is
-- all LIKE needs (the store checks the LIKE on members.name_folded too).
-- The triggers keep it in step with every write of the members table,
-- the imports' merges included.
CREATE VIRTUAL TABLE members_fts USING fts5(name_folded, content='members', content_rowid='id',
    tokenize='trigram', detail='none', columnsize=0);
INSERT INTO members_fts(members_fts) VALUES ('rebuild');
CREATE TRIGGER members_fts_insert AFTER INSERT ON members BEGIN
    INSERT INTO members_fts(rowid, name_folded) VALUES (new.id, new.name_folded);
END;
CREATE TRIGGER members_fts_delete AFTER DELETE ON members BEGIN
    INSERT INTO members_fts(members_fts, rowid, name_folded) VALUES ('delete', old.id, old.name_folded);
END;
CREATE TRIGGER members_fts_update AFTER UPDATE OF name_folded ON members BEGIN
    INSERT INTO members_fts(members_fts, rowid, name_folded) VALUES ('delete', old.id, old.name_folded);
    INSERT INTO members_fts(rowid, name_folded) VALUES (new.id, new.name_folded);
END;

-- The gap count: how many enterprises of a subtree have
-- gap_min_workers (25) workers or more and no grassroots union open on a
-- day (engine.Organising.GapEnterprises), read from counters instead of
-- every enterprise of the subtree and every union linked to one.
-- gap_events holds each enterprise's part, by its responsible unit: +1
-- (and its workers) on day 0001-01-01, -1 on each day a union starts to
-- cover it (no union open the day before), +1 on each day the last one
-- closes. gap_day sums them by unit and day, with the unit's path: the
-- gap of a subtree on a day is the sum of its rows up to that day. Triggers keep both
-- in step with every write of enterprises and units, the imports
-- included: a write queues the tax codes it touched in gap_queue, whose
-- trigger takes their parts out and computes them anew.
CREATE TABLE gap_events (
    tax_code TEXT NOT NULL,
    day      TEXT NOT NULL,
    unit_id  INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    workers  INTEGER NOT NULL,
    PRIMARY KEY (tax_code, day)
);
CREATE TABLE gap_day (
    unit_id INTEGER NOT NULL,
    day     TEXT NOT NULL,
    path    TEXT NOT NULL, -- the unit's, kept when it moves
    n       INTEGER NOT NULL,
    workers INTEGER NOT NULL,
    PRIMARY KEY (unit_id, day)
);
-- A subtree's rows up to a day, read from the index alone.
CREATE INDEX gap_day_path ON gap_day(path, day, n, workers);
CREATE TABLE gap_queue (tax_code TEXT NOT NULL);
-- The unions linked to an enterprise, for the refresh and the gap lists.
CREATE INDEX units_enterprise ON units(enterprise_tax_code) WHERE enterprise_tax_code <> '';
-- The areas of the enterprise lists' filter, seeked one after another
-- (EnterpriseAreas), not gathered from every enterprise.
CREATE INDEX enterprises_area ON enterprises(area);

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
    INSERT INTO gap_day (unit_id, day, path, n, workers)
        SELECT g.unit_id, g.day, u.path, SUM(g.n), SUM(g.workers) FROM gap_events g JOIN units u ON u.id = g.unit_id
        WHERE g.tax_code = new.tax_code GROUP BY g.unit_id, g.day, u.path
        ON CONFLICT (unit_id, day) DO UPDATE SET n = gap_day.n + excluded.n, workers = gap_day.workers + excluded.workers;
    DELETE FROM gap_queue;
END;

CREATE TRIGGER gap_enterprises_insert AFTER INSERT ON enterprises BEGIN
    INSERT INTO gap_queue VALUES (new.tax_code);
END;
CREATE TRIGGER gap_enterprises_update AFTER UPDATE OF employees, unit_id ON enterprises BEGIN
    INSERT INTO gap_queue VALUES (new.tax_code);
END;
CREATE TRIGGER gap_enterprises_delete AFTER DELETE ON enterprises BEGIN
    INSERT INTO gap_queue VALUES (old.tax_code);
END;
CREATE TRIGGER gap_units_insert AFTER INSERT ON units WHEN new.enterprise_tax_code <> '' BEGIN
    INSERT INTO gap_queue VALUES (new.enterprise_tax_code);
END;
CREATE TRIGGER gap_units_update AFTER UPDATE OF kind, enterprise_tax_code, founded_on, dissolved_on ON units BEGIN
    INSERT INTO gap_queue SELECT new.enterprise_tax_code WHERE new.enterprise_tax_code <> '';
    INSERT INTO gap_queue SELECT old.enterprise_tax_code WHERE old.enterprise_tax_code NOT IN ('', new.enterprise_tax_code);
END;
-- A move rewrites paths: the counters follow the units.
CREATE TRIGGER gap_units_path AFTER UPDATE OF path ON units WHEN new.path <> old.path BEGIN
    UPDATE gap_day SET path = new.path WHERE unit_id = new.id;
END;
CREATE TRIGGER gap_units_delete AFTER DELETE ON units WHEN old.enterprise_tax_code <> '' BEGIN
    INSERT INTO gap_queue VALUES (old.enterprise_tax_code);
END;

INSERT INTO gap_queue SELECT tax_code FROM enterprises;

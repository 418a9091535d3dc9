package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// A national ID may be in a members file once. A small import remembers
// the IDs it has read in memory; a large one would hold one entry per row
// there (about 68 bytes each with the map's overhead and the collector's
// headroom: 1 GB at 11 million members), so a staged import checks them
// in the stage instead, once the file is read (RepeatedIDs). Every row
// with a national ID is in the stage by then: a new member in members, a
// changed one in updates, and any other row (a member on record imported
// again as it is, a row that failed another check) in keys, by its line
// and ID alone.
//
// The check costs one sort of the new members' IDs when there is no
// duplicate: a unique index on the stage's members, built once the file
// is read, and a join of the few other rows against it. Only when it
// fails does the window query that finds the repeated rows run.

// AddKeys stages the national IDs of rows that are neither new members
// nor updates (Staged.Rec is the ID), so that RepeatedIDs sees them.
func (st *Stage) AddKeys(keys []Staged[string]) error {
	rows := make([][]any, len(keys))
	for i, k := range keys {
		rows[i] = []any{int64(k.Line), k.Rec}
	}
	st.others += int64(len(keys))
	return st.put("keys", stageKeyCols, rows, "")
}

// own names a stage table as the stage's own connection sees it, before
// the commit.
func (st *Stage) own(name string) string {
	if st.s.engine == Postgres {
		return "stg_" + name
	}
	return name
}

// nid is the national ID compared byte by byte, as Go compares strings.
// On PostgreSQL, COLLATE "C" also spares the collation's comparisons: the
// unique index on 1 million staged IDs took 1,5 s instead of 8,2 s (load
// 11).
func (st *Stage) nid(alias string) string {
	if st.s.engine == Postgres {
		return alias + `national_id COLLATE "C"`
	}
	return alias + "national_id"
}

// ownDB is the stage's own connection: the kept PostgreSQL session of
// its temporary tables, or the SQLite stage file.
func (st *Stage) ownDB() interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
} {
	if st.conn != nil {
		return st.conn
	}
	return st.db
}

// exec runs a statement on the stage's own connection.
func (st *Stage) exec(q string) error {
	_, err := st.ownDB().ExecContext(st.ctx, q)
	return err
}

// RepeatedIDs gives the staged rows whose national ID a row of an earlier
// line of the file has, in line order (Staged.Rec is the ID): the rows
// the in-memory check reports as in the file twice. It is called once the
// whole file is staged, before Commit.
func (st *Stage) RepeatedIDs() ([]Staged[string], error) {
	out, err := st.repeatedIDs()
	return out, st.s.fullErr(err)
}

func (st *Stage) repeatedIDs() ([]Staged[string], error) {
	t0 := time.Now()
	for _, t := range []string{"members", "updates", "keys"} {
		if err := st.send(t, st.cols(t), stageUpserts[t]); err != nil {
			return nil, err
		}
	}
	if err := st.wait(); err != nil {
		return nil, err
	}
	trace("stage written", t0)
	ok, err := st.uniqueIDs()
	trace(fmt.Sprintf("national IDs checked (%d beside the new members)", st.others), t0)
	if ok || err != nil {
		return nil, err
	}
	all := `SELECT line, national_id FROM ` + st.own("members") + ` UNION ALL SELECT line, national_id FROM ` + st.own("updates") +
		` UNION ALL SELECT line, national_id FROM ` + st.own("keys")
	q := `SELECT line, national_id FROM (SELECT line, national_id, ROW_NUMBER() OVER (PARTITION BY ` + st.nid("") + ` ORDER BY line) AS n
		FROM (` + all + `) a) b WHERE n > 1 ORDER BY line`
	var out []Staged[string]
	err = st.query(q, func(scan func(...any) error) error {
		var s Staged[string]
		var line int64
		if err := scan(&line, &s.Rec); err != nil {
			return err
		}
		s.Line = int(line)
		out = append(out, s)
		return nil
	})
	trace(fmt.Sprintf("%d repeated national IDs found", len(out)), t0)
	return out, err
}

// uniqueIDs reports whether no national ID is staged twice.
func (st *Stage) uniqueIDs() (bool, error) {
	// The new members alone: their IDs sorted once into a unique index.
	err := st.exec(`CREATE UNIQUE INDEX ` + st.own("members_national_id") + ` ON ` + st.own("members") + ` (` + st.nid("") + `)`)
	if uniqueViolation(err) {
		return false, nil
	}
	if err != nil || st.others == 0 {
		return err == nil, err
	}
	if st.s.engine == Postgres {
		// Temporary tables are not analyzed by autovacuum: without their
		// sizes the planner may join them row by row.
		if err := st.exec(`ANALYZE stg_updates, stg_keys`); err != nil {
			return false, err
		}
	}
	// The others among themselves, and against the new members by the
	// index.
	others := `SELECT national_id FROM ` + st.own("updates") + ` UNION ALL SELECT national_id FROM ` + st.own("keys")
	dup := false
	err = st.query(`SELECT EXISTS (SELECT 1 FROM (`+others+`) o GROUP BY `+st.nid("")+` HAVING COUNT(*) > 1)
		OR EXISTS (SELECT 1 FROM (`+others+`) o WHERE EXISTS (SELECT 1 FROM `+st.own("members")+` m WHERE `+st.nid("m.")+` = `+st.nid("o.")+`))`,
		func(scan func(...any) error) error { return scan(&dup) })
	return !dup, err
}

// query runs q on the stage's own connection and calls row for each row.
func (st *Stage) query(q string, row func(scan func(...any) error) error) error {
	return st.s.eachRowTx(st.ctx, st.ownDB(), q, nil, row)
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
)

// Unit returns a unit by code.
func (s *Store) Unit(ctx context.Context, code string) (*domain.Unit, error) {
	u, err := scanUnit(s.read.QueryRowContext(ctx, s.rebind(`SELECT `+unitCols+unitFrom+` WHERE u.code = ?`), code))
	if err == sql.ErrNoRows {
		return nil, domain.NotFound("unit", code)
	}
	return u, err
}

// IsEmpty reports whether the database holds no unit yet.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM units LIMIT 1) x`).Scan(&n)
	return n == 0, err
}

// ReportInput gathers what engine.Compute needs for one report: the daily
// counters of the unit and of its children within the window, their
// targets, and the grassroots units of the subtree founded in the window.
// Its cost grows with the days and the units founded in the window, not
// with the number of members.
func (s *Store) ReportInput(ctx context.Context, q engine.Query, unit *domain.Unit) (*engine.Input, error) {
	_, start, end := q.Window()
	in := &engine.Input{
		Query:    q,
		Unit:     engine.Ref{ID: unit.ID, Code: unit.Code, Name: unit.Name},
		Targets:  map[int64]map[string]int64{},
		Assigned: map[string]int64{},
		Series:   map[int64][]engine.DayStat{},
	}
	// One read transaction, so that every part sees the same data.
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	query := func(q string, args ...any) (*sql.Rows, error) { return tx.QueryContext(ctx, s.rebind(q), args...) }

	rows, err := query(`SELECT id, code, name, path FROM units WHERE parent_id = ? AND kind <> 'grassroots' ORDER BY code`, unit.ID)
	if err != nil {
		return nil, err
	}
	childPath := map[string]int64{}
	ids := []any{unit.ID}
	for rows.Next() {
		var c engine.Ref
		var p string
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &p); err != nil {
			rows.Close()
			return nil, err
		}
		in.Children = append(in.Children, c)
		childPath[p] = c.ID
		ids = append(ids, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Byte order, whatever the database's collation (PostgreSQL's en_US
	// would ignore the dashes and put HN-U011 before HN-U01-S).
	sort.Slice(in.Children, func(i, j int) bool { return in.Children[i].Code < in.Children[j].Code })

	planID := q.Plan.ID
	rows, err = query(`SELECT t.unit_id, u.parent_id, t.indicator, t.target FROM targets t JOIN units u ON u.id = t.unit_id
		WHERE t.plan_id = ? AND (t.unit_id = ? OR u.parent_id = ?)`, planID, unit.ID, unit.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var parent sql.NullInt64
		var ind string
		var t int64
		if err := rows.Scan(&id, &parent, &ind, &t); err != nil {
			rows.Close()
			return nil, err
		}
		if in.Targets[id] == nil {
			in.Targets[id] = map[string]int64{}
		}
		in.Targets[id][ind] = t
		if id != unit.ID {
			in.Assigned[ind] += t
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if end < start {
		return in, nil
	}

	// The unit's own days, for the months; the children need only their
	// totals over the window, summed by the database into one row each
	// (dated the window's last day, which is all the engine looks at).
	rows, err = query(`SELECT day, admitted, net, party FROM unit_day WHERE unit_id = ? AND day BETWEEN ? AND ? ORDER BY day`, unit.ID, start, end)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var d engine.DayStat
		if err := rows.Scan(&d.Day, &d.Admitted, &d.Net, &d.Party); err != nil {
			rows.Close()
			return nil, err
		}
		in.Series[unit.ID] = append(in.Series[unit.ID], d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) > 1 {
		rows, err = query(`SELECT unit_id, CAST(SUM(admitted) AS BIGINT), CAST(SUM(net) AS BIGINT), CAST(SUM(party) AS BIGINT)
			FROM unit_day WHERE unit_id IN `+placeholders(1, len(ids)-1)+` AND day BETWEEN ? AND ? GROUP BY unit_id`, append(ids[1:], start, end)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			d := engine.DayStat{Day: end}
			if err := rows.Scan(&id, &d.Admitted, &d.Net, &d.Party); err != nil {
				rows.Close()
				return nil, err
			}
			in.Series[id] = []engine.DayStat{d}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}

	// The units founded in the window, with their members active on its last
	// day: the counters of a grassroots unit sum to its active members.
	rows, err = query(`SELECT u.id, u.path, u.founded_on, COALESCE(NULLIF(u.ownership, ''), e.ownership, ''), u.method,
			CAST(COALESCE((SELECT SUM(d.net) FROM unit_day d WHERE d.unit_id = u.id AND d.day <= ?), 0) AS BIGINT)
		FROM units u LEFT JOIN enterprises e ON e.tax_code = u.enterprise_tax_code
		WHERE u.kind = 'grassroots' AND u.founded_on BETWEEN ? AND ? AND u.path >= ? AND u.path < ?`,
		end, start, end, unit.Path, prefixEnd(unit.Path))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var f engine.FoundedUnit
		var p string
		if err := rows.Scan(&f.UnitID, &p, &f.FoundedOn, &f.Ownership, &f.Method, &f.Active); err != nil {
			rows.Close()
			return nil, err
		}
		// The branch is the child whose path prefixes the unit's.
		rest := strings.TrimPrefix(p, unit.Path)
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			f.Branch = childPath[unit.Path+rest[:i+1]]
		}
		in.Founded = append(in.Founded, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("units founded: %w", err)
	}
	return in, nil
}

package store

import (
	"context"
	"database/sql"
	"fmt"

	"congdoan/internal/domain"
)

// LastDataDay returns the latest day, up to upTo, on which something was
// recorded in unit's subtree: a member counter changed (unit_day) or a
// grassroots unit was founded. Zero when nothing was. Two index reads.
func (s *Store) LastDataDay(ctx context.Context, unit *domain.Unit, upTo domain.Date) (domain.Date, error) {
	var a, b sql.Null[domain.Date]
	if err := s.replica.QueryRowContext(ctx, s.rebind(`SELECT MAX(day) FROM unit_day WHERE unit_id = ? AND day <= ?`),
		unit.ID, upTo).Scan(&a); err != nil {
		return 0, fmt.Errorf("last data day: %w", err)
	}
	if err := s.replica.QueryRowContext(ctx, s.rebind(`SELECT MAX(founded_on) FROM units
		WHERE kind = 'grassroots' AND path >= ? AND path < ? AND founded_on <= ?`),
		unit.Path, prefixEnd(unit.Path), upTo).Scan(&b); err != nil {
		return 0, fmt.Errorf("last data day: %w", err)
	}
	return max(a.V, b.V), nil
}

// GrassrootsLine is a grassroots union's figures in a window, from the
// daily counters of its subtree.
type GrassrootsLine struct {
	Unit *domain.Unit
	// Under is the upper unit it belongs to when that is not the unit
	// asked for (a ward of a district), else nil.
	Under                *domain.Unit
	Admitted, Net, Party int64 // in the window
	Active               int64 // members on the window's last day
	Founded              bool  // founded in the window
}

// GrassrootsBelow returns the grassroots unions open in the window
// [start, end] directly below unit and one level down (under its upper
// children: the wards of a district), by code, at most limit of them
// (more: there were more), with their figures. It reads the unit rows and
// the daily counters of those unions, never the members.
func (s *Store) GrassrootsBelow(ctx context.Context, unit *domain.Unit, start, end domain.Date, limit int) (lines []GrassrootsLine, more bool, err error) {
	uppers, err := s.unitsWhere(ctx, ` WHERE u.parent_id = ? AND u.kind <> 'grassroots'`, unit.ID)
	if err != nil {
		return nil, false, err
	}
	byID := map[int64]*domain.Unit{}
	args := []any{unit.ID}
	for _, x := range uppers {
		byID[x.ID] = x
		args = append(args, x.ID)
	}
	units, err := s.unitsWhere(ctx, ` WHERE u.kind = 'grassroots' AND u.parent_id IN `+placeholders(1, len(args))+`
		AND `+openOn("u")+`
		ORDER BY u.code LIMIT ?`, append(args, end, start, limit+1)...)
	if err != nil {
		return nil, false, err
	}
	if len(units) > limit {
		units, more = units[:limit], true
	}
	ids := make([]int64, len(units))
	for i, x := range units {
		ids[i] = x.ID
	}
	active, err := s.ActiveMembers(ctx, ids, end)
	if err != nil {
		return nil, false, err
	}
	type sums struct{ admitted, net, party int64 }
	window := map[int64]sums{}
	err = eachBatch(ids, func(part []int64) error {
		rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT unit_id, CAST(SUM(admitted) AS BIGINT), CAST(SUM(net) AS BIGINT), CAST(SUM(party) AS BIGINT)
			FROM unit_day WHERE unit_id IN `+placeholders(1, len(part))+` AND day BETWEEN ? AND ? GROUP BY unit_id`), append(asArgs(part), start, end)...)
		if err != nil {
			return fmt.Errorf("grassroots figures: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var x sums
			if err := rows.Scan(&id, &x.admitted, &x.net, &x.party); err != nil {
				return err
			}
			window[id] = x
		}
		return rows.Err()
	})
	if err != nil {
		return nil, false, err
	}
	for _, x := range units {
		w := window[x.ID]
		l := GrassrootsLine{Unit: x, Under: byID[x.ParentID], Admitted: w.admitted, Net: w.net, Party: w.party, Active: active[x.ID],
			Founded: !x.FoundedOn.IsZero() && x.FoundedOn >= start && x.FoundedOn <= end}
		lines = append(lines, l)
	}
	return lines, more, nil
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"congdoan/internal/domain"
)

// Children returns the units directly below a unit, ordered by code.
func (s *Store) Children(ctx context.Context, unitID int64) ([]*domain.Unit, error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT `+unitCols+unitFrom+` WHERE u.parent_id = ? ORDER BY u.code`), unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*domain.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Campaign returns a campaign by code, inside the write transaction.
func (tx *Tx) Campaign(code string) (*domain.Campaign, error) {
	return scanCampaign(tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(campaignSelect), code), code)
}

// pathIDs are the unit IDs of a path, root first: "/1/7/42/" -> 1, 7, 42.
func pathIDs(path string) []int64 {
	var ids []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// Ancestors returns the units of a path, root first, the unit itself last.
func (s *Store) Ancestors(ctx context.Context, path string) ([]*domain.Unit, error) {
	ids := pathIDs(path)
	if len(ids) == 0 {
		return nil, nil
	}
	us, err := s.unitsWhere(ctx, ` WHERE u.id IN `+placeholders(1, len(ids)), asArgs(ids)...)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*domain.Unit{}
	for _, u := range us {
		byID[u.ID] = u
	}
	out := make([]*domain.Unit, 0, len(ids))
	for _, id := range ids {
		if u := byID[id]; u != nil {
			out = append(out, u)
		}
	}
	return out, nil
}

func (s *Store) unitsWhere(ctx context.Context, where string, args ...any) ([]*domain.Unit, error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT `+unitCols+unitFrom+where), args...)
	if err != nil {
		return nil, fmt.Errorf("units: %w", err)
	}
	defer rows.Close()
	var out []*domain.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("units: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpperUnits returns the units of a subtree that are not grassroots units
// (the federation, the upper unions), ordered by path: the skeleton of the
// tree, small even at national scale.
func (s *Store) UpperUnits(ctx context.Context, path string) ([]*domain.Unit, error) {
	return s.unitsWhere(ctx, ` WHERE u.kind <> 'grassroots' AND u.path >= ? AND u.path < ? ORDER BY u.path`, path, prefixEnd(path))
}

// GrassrootsUnits returns up to limit grassroots units of a subtree that are
// open on day (founded by then, not dissolved), by code.
func (s *Store) GrassrootsUnits(ctx context.Context, path string, day domain.Date, limit int) ([]*domain.Unit, error) {
	return s.unitsWhere(ctx, ` WHERE u.kind = 'grassroots' AND u.path >= ? AND u.path < ?
		AND `+openOn("u")+`
		ORDER BY u.code LIMIT ?`, path, prefixEnd(path), day, day, limit)
}

// OpenGrassrootsByParent counts, per parent unit, the grassroots units of a
// subtree open on day.
func (s *Store) OpenGrassrootsByParent(ctx context.Context, path string, day domain.Date) (map[int64]int64, error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT u.parent_id, COUNT(*) FROM units u
		WHERE u.kind = 'grassroots' AND u.path >= ? AND u.path < ?
		AND `+openOn("u")+`
		GROUP BY u.parent_id`), path, prefixEnd(path), day, day)
	if err != nil {
		return nil, fmt.Errorf("grassroots units: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var parent sql.NullInt64
		var n int64
		if err := rows.Scan(&parent, &n); err != nil {
			return nil, err
		}
		out[parent.Int64] = n
	}
	return out, rows.Err()
}

// ActiveMembers returns, per unit, the members active on day in the unit's
// subtree (the sum of its daily counters' net changes up to that day).
func (s *Store) ActiveMembers(ctx context.Context, ids []int64, day domain.Date) (map[int64]int64, error) {
	return s.sumsIn(ctx, "active members", ids, func(part []int64) (string, []any) {
		return `SELECT unit_id, CAST(SUM(net) AS BIGINT) FROM unit_day
			WHERE unit_id IN ` + placeholders(1, len(part)) + ` AND day <= ? GROUP BY unit_id`, append(asArgs(part), day)
	})
}

package store

import (
	"context"

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

package store

import (
	"context"
	"errors"

	"congdoan/internal/domain"
)

var errTODO = errors.New("moves: not implemented yet")

// SaveMove records a move (keyed by unit and date; an existing one is
// updated) and keeps the dated tree and the daily counters of every
// ancestor up to date. The caller has checked it (importer).
func (tx *Tx) SaveMove(m *domain.Move) error { return errTODO }

// ParentOn returns the unit's parent on the tree of day d (0 for a root).
func (tx *Tx) ParentOn(unitID int64, d domain.Date) (int64, error) { return 0, errTODO }

// MoveMakesCycle reports whether putting unit under newParent from day d on
// would put the unit below itself on d or on any later day of the tree.
func (tx *Tx) MoveMakesCycle(unitID, newParentID int64, d domain.Date) (bool, error) {
	return false, errTODO
}

// ParentHistory is a unit's history of parents ("Quá trình trực thuộc"),
// oldest first: the parent of units.csv, then one span per move.
func (s *Store) ParentHistory(ctx context.Context, unitID int64) ([]domain.ParentSpan, error) {
	return nil, errTODO
}

// UnitMoves lists a unit's moves in date order.
func (s *Store) UnitMoves(ctx context.Context, unitID int64) ([]domain.Move, error) {
	return nil, errTODO
}

// ChildrenOn returns the units directly below a unit on the tree of day d,
// of every kind, open or not on d, ordered by code.
func (s *Store) ChildrenOn(ctx context.Context, unitID int64, d domain.Date) ([]*domain.Unit, error) {
	return nil, errTODO
}

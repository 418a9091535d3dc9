package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/vn"
)

// MemberRecord is a member as lists show it: the record and the unit the
// member belongs to now (after transfers).
type MemberRecord struct {
	domain.Member
	CurrentUnitCode string `json:"current_unit_code"`
	CurrentUnitName string `json:"current_unit_name"`
}

// MemberFilter selects members.
type MemberFilter struct {
	// UnitPath: members whose current unit is in this subtree; empty: all.
	UnitPath string
	// Q: text the name contains, without regard to case and diacritics
	// ("nguyen van a" finds "Nguyễn Văn An", "d" finds "đ").
	Q string
	// MatchID: Q may also be a member's exact national ID.
	MatchID bool
	// Status: StatusActive (a member on AsOf: joined by then, not left),
	// StatusLeft (left on or before AsOf), or "" for all records.
	Status string
	AsOf   domain.Date
	// Gender: domain gender value ("male", "female"), or "" for all.
	Gender string
	// JoinedFrom, JoinedTo bound the joining date, both days included
	// (zero: no bound).
	JoinedFrom, JoinedTo domain.Date
	// Party: "yes" (introduced to the Party), "no", or "" for all.
	Party string
	// unitFirst writes the joining-date conditions so that no index
	// serves them: the page reads its subtree's members through the unit
	// index (memberListSQL).
	unitFirst bool
}

// Member statuses of MemberFilter.Status.
const (
	StatusActive = "active"
	StatusLeft   = "left"
)

const memberRecordCols = memberCols + `, c.code, c.name`
const memberRecordFrom = memberFrom + ` JOIN units c ON c.id = m.current_unit_id`

func (f MemberFilter) where() (string, []any) {
	var conds []string
	var args []any
	if f.UnitPath != "" {
		conds = append(conds, `c.path >= ? AND c.path < ?`)
		args = append(args, f.UnitPath, prefixEnd(f.UnitPath))
	}
	if q := strings.Join(strings.Fields(vn.Fold(f.Q)), " "); q != "" {
		like := "%" + escapeLike(q) + "%"
		if f.MatchID {
			conds = append(conds, `(m.name_folded LIKE ? ESCAPE '\' OR m.national_id = ?)`)
			args = append(args, like, strings.TrimSpace(f.Q))
		} else {
			conds = append(conds, `m.name_folded LIKE ? ESCAPE '\'`)
			args = append(args, like)
		}
	}
	joined := `m.joined_on`
	if f.unitFirst {
		joined = `(m.joined_on + 0)`
	}
	switch f.Status {
	case StatusActive:
		conds = append(conds, joined+` <= ? AND (m.left_on IS NULL OR m.left_on > ?)`)
		args = append(args, f.AsOf, f.AsOf)
	case StatusLeft:
		conds = append(conds, `m.left_on <= ?`)
		args = append(args, f.AsOf)
	}
	if f.Gender != "" {
		conds = append(conds, `m.gender = ?`)
		args = append(args, f.Gender)
	}
	if !f.JoinedFrom.IsZero() {
		conds = append(conds, joined+` >= ?`)
		args = append(args, f.JoinedFrom)
	}
	if !f.JoinedTo.IsZero() {
		conds = append(conds, joined+` <= ?`)
		args = append(args, f.JoinedTo)
	}
	switch f.Party {
	case "yes":
		conds = append(conds, `m.party_introduced_on IS NOT NULL`)
	case "no":
		conds = append(conds, `m.party_introduced_on IS NULL`)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// OnlySubtree reports whether f selects by nothing but the subtree and,
// at most, the active status: the case the daily counters count exactly.
func (f MemberFilter) OnlySubtree() bool {
	return strings.TrimSpace(f.Q) == "" && f.Gender == "" && f.JoinedFrom.IsZero() && f.JoinedTo.IsZero() && f.Party == ""
}

// escapeLike makes s match itself literally in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func scanMemberRecord(sc interface{ Scan(...any) error }) (*MemberRecord, error) {
	r := &MemberRecord{}
	m := &r.Member
	err := sc.Scan(&m.ID, &m.NationalID, &m.IDType, &m.FullName, &m.DateOfBirth, &m.Gender, &m.UnitID, &m.UnitCode,
		&m.JoinedOn, &m.JoinedHow, &m.LeftOn, &m.PartyIntroducedOn, &m.CardNo, &r.CurrentUnitCode, &r.CurrentUnitName)
	return r, err
}

// Member returns a member by national ID.
func (s *Store) Member(ctx context.Context, nationalID string) (*MemberRecord, error) {
	r, err := scanMemberRecord(s.replica.QueryRowContext(ctx, s.rebind(`SELECT `+memberRecordCols+memberRecordFrom+` WHERE m.national_id = ?`+s.notHeld("m")), nationalID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("member", nationalID)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// CountMembers counts the members a filter selects, stopping at upTo (0:
// no limit): counting a whole city's records on every page would read
// them all, and past a few thousand nobody pages through them anyway.
func (s *Store) CountMembers(ctx context.Context, f MemberFilter, upTo int) (int, error) {
	where, args := f.where()
	where = s.hideHeld(where, "m")
	from := memberRecordFrom
	// A name search counts its matches in the trigram index where that
	// reads fewer rows than the subtree (listPlanOf, as its list would).
	if searchText(f.Q) != "" {
		plan, err := s.listPlanOf(ctx, MemberListQuery{Filter: f, Limit: cmp.Or(upTo, math.MaxInt32)})
		if err != nil {
			return 0, err
		}
		if plan == planSearch {
			from, where, args = s.searchFrom(f, where, args)
		}
	}
	q := `SELECT COUNT(*)` + from + where
	if upTo > 0 {
		q = `SELECT COUNT(*) FROM (SELECT 1` + from + where + ` LIMIT ?) x`
		args = append(args, upTo)
	}
	var n int
	err := s.replica.QueryRowContext(ctx, s.rebind(q), args...).Scan(&n)
	return n, err
}

// MemberName is what sorting members by name needs.
type MemberName struct {
	ID       int64
	FullName string
}

// MemberNames returns the ID and name of every member a filter selects, for
// sorting a list in Go before reading one page of it with MembersByID.
func (s *Store) MemberNames(ctx context.Context, f MemberFilter) ([]MemberName, error) {
	where, args := f.where()
	where = s.hideHeld(where, "m")
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT m.id, m.full_name`+memberRecordFrom+where), args...)
	return collect(rows, err, func(n *MemberName) error { return rows.Scan(&n.ID, &n.FullName) })
}

// MembersByID returns the members with these IDs, in the order of ids.
func (s *Store) MembersByID(ctx context.Context, ids []int64) ([]*MemberRecord, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT `+memberRecordCols+memberRecordFrom+` WHERE m.id IN `+placeholders(1, len(ids))+s.notHeld("m")), args...)
	found, err := collect(rows, err, func(r **MemberRecord) (err error) {
		*r, err = scanMemberRecord(rows)
		return err
	})
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*MemberRecord, len(found))
	for _, r := range found {
		byID[r.ID] = r
	}
	out := make([]*MemberRecord, 0, len(ids))
	for _, id := range ids {
		if r := byID[id]; r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

// MembersPage returns a page of the members a filter selects, in the order
// they were recorded.
func (s *Store) MembersPage(ctx context.Context, f MemberFilter, limit, offset int) ([]*MemberRecord, error) {
	where, args := f.where()
	where = s.hideHeld(where, "m")
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT `+memberRecordCols+memberRecordFrom+where+` ORDER BY m.id LIMIT ? OFFSET ?`),
		append(args, limit, offset)...)
	return collect(rows, err, func(r **MemberRecord) (err error) {
		*r, err = scanMemberRecord(rows)
		return err
	})
}

// MemberTransfers returns a member's transfers, in date order.
func (s *Store) MemberTransfers(ctx context.Context, memberID int64) ([]domain.Transfer, error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT m.national_id, t.day, t.to_unit_id, u.code FROM transfers t
		JOIN members m ON m.id = t.member_id JOIN units u ON u.id = t.to_unit_id WHERE t.member_id = ? ORDER BY t.day`), memberID)
	if err != nil {
		return nil, fmt.Errorf("transfers: %w", err)
	}
	return collect(rows, nil, func(t *domain.Transfer) error {
		return rows.Scan(&t.NationalID, &t.Date, &t.ToUnitID, &t.ToUnitCode)
	})
}

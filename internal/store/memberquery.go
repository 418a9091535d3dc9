package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
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
	var c conds
	if f.UnitPath != "" {
		c.add(`c.path >= ? AND c.path < ?`, f.UnitPath, prefixEnd(f.UnitPath))
	}
	if q := strings.Join(strings.Fields(vn.Fold(f.Q)), " "); q != "" {
		like := "%" + escapeLike(q) + "%"
		if f.MatchID {
			c.add(`(m.name_folded LIKE ? ESCAPE '\' OR m.national_id = ?)`, like, strings.TrimSpace(f.Q))
		} else {
			c.add(`m.name_folded LIKE ? ESCAPE '\'`, like)
		}
	}
	joined := `m.joined_on`
	if f.unitFirst {
		joined = `(m.joined_on + 0)`
	}
	switch f.Status {
	case StatusActive:
		c.add(joined+` <= ? AND (m.left_on IS NULL OR m.left_on > ?)`, f.AsOf, f.AsOf)
	case StatusLeft:
		c.add(`m.left_on <= ?`, f.AsOf)
	}
	if f.Gender != "" {
		c.add(`m.gender = ?`, f.Gender)
	}
	if !f.JoinedFrom.IsZero() {
		c.add(joined+` >= ?`, f.JoinedFrom)
	}
	if !f.JoinedTo.IsZero() {
		c.add(joined+` <= ?`, f.JoinedTo)
	}
	c.present(`m.party_introduced_on`, f.Party, "yes", "no")
	if len(c.list) == 0 {
		return "", nil
	}
	return ` WHERE ` + c.and(), c.args
}

// conds are the conditions of a WHERE clause and their arguments, in
// order.
type conds struct {
	list []string
	args []any
}

// add appends a condition and its arguments.
func (c *conds) add(cond string, args ...any) {
	c.list = append(c.list, cond)
	c.args = append(c.args, args...)
}

// present adds that col is set where v is yes, that it is NULL where v is
// no, and nothing for any other v (a filter not used).
func (c *conds) present(col, v, yes, no string) {
	switch v {
	case yes:
		c.add(col + ` IS NOT NULL`)
	case no:
		c.add(col + ` IS NULL`)
	}
}

// and is the conditions joined by AND.
func (c *conds) and() string { return strings.Join(c.list, ` AND `) }

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
	settings := ""
	// A name search counts up to upTo in a walk of the members in the
	// order they are stored (countProbe), and otherwise its matches in
	// the trigram index where that reads fewer rows than the subtree
	// (listPlanOf, as its list would).
	if searchText(f.Q) != "" {
		// PostgreSQL: through the names' dictionary (membersearch.go).
		if n, done, err := s.countByNames(ctx, f, upTo); err != nil || done {
			return n, err
		}
		if upTo > 0 {
			if n, done, err := s.countProbe(ctx, f, upTo); err != nil || done {
				return n, err
			}
		}
		plan, err := s.listPlanOf(ctx, MemberListQuery{Filter: f, Limit: cmp.Or(upTo, math.MaxInt32)})
		if err != nil {
			return 0, err
		}
		if plan == planSearch {
			from, where, args = s.searchFrom(f, where, args)
			if s.engine == Postgres {
				settings = planSettings(planSearch, nil, "", "SET LOCAL ")
			}
		}
	}
	q := `SELECT COUNT(*)` + from + where
	if upTo > 0 {
		q = `SELECT COUNT(*) FROM (SELECT 1` + from + where + ` LIMIT ?) x`
		args = append(args, upTo)
	}
	n, err := s.countWith(ctx, settings, q, args...)
	return int(n), err
}

// countProbeRows is how many members a name search's count first walks,
// and countWalkMax how many it walks at most: country-wide in id order,
// the order they are stored, in a subtree unit by unit (the unit index).
// The walk reads the table's pages in order, some ten times faster a row
// than the trigram index reads a match (at 2 million members, 55 000 rows
// in 70 ms), and its cost does not grow with the database.
var countProbeRows int64 = 4_000

const countWalkMax = 120_000

// countProbe counts the members f selects up to upTo by such a walk: the
// first countProbeRows, then, if the matches met so far say that upTo
// are near, as many more as that takes. done: the count is settled (upTo
// reached, or every member of the subtree walked).
func (s *Store) countProbe(ctx context.Context, f MemberFilter, upTo int) (int, bool, error) {
	if f.MatchID && strings.ContainsAny(f.Q, "0123456789") || walkFrom < 0 || searchFirst {
		return 0, false, nil
	}
	// The walk (inner) reads the subtree's members; the rest of f (where)
	// keeps those it counts.
	rest := f
	rest.UnitPath = ""
	where, args := rest.where()
	where = s.hideHeld(where, "m")
	inner, innerArgs := `SELECT * FROM members m ORDER BY m.id LIMIT ?`, []any{}
	from := ` FROM (` + inner + `) m`
	if ids := pathIDs(f.UnitPath); len(ids) > 1 {
		// The subtree's units, and each one's members through the unit
		// index.
		join := ` JOIN `
		if s.engine == SQLite {
			join = ` CROSS JOIN ` // the units first
		}
		inner = `SELECT m.* FROM units c` + join + `members m ON m.current_unit_id = c.id WHERE c.path >= ? AND c.path < ? LIMIT ?`
		innerArgs = []any{f.UnitPath, prefixEnd(f.UnitPath)}
		from = ` FROM (` + inner + `) m`
	} else if f.UnitPath != "" {
		// The root's subtree: the members in id order, each one's unit
		// checked.
		where, args = f.where()
		where = s.hideHeld(where, "m")
		from += ` JOIN units c ON c.id = m.current_unit_id`
	}
	settings := ""
	if s.engine == Postgres {
		// The walk, then each match's unit by its key: a hash of every
		// unit of the subtree would cost more than the walk.
		settings = `SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off; ` +
			`SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL jit = off`
	}
	count := func(bound int64) (int, bool, error) {
		in := append(slices.Clone(innerArgs), bound)
		n, err := s.countWith(ctx, settings, `SELECT COUNT(*) FROM (SELECT 1`+from+where+` LIMIT ?) x`,
			append(append(in, args...), upTo)...)
		if err != nil || int(n) >= upTo {
			return int(n), err == nil, err
		}
		// Fewer than upTo: settled if the walk read every member.
		walked, err := s.countWith(ctx, settings, `SELECT COUNT(*) FROM (`+inner+`) x`, in...)
		return int(n), err == nil && walked < bound, err
	}
	n, done, err := count(countProbeRows)
	if err != nil || done || n == 0 {
		return n, done, err
	}
	more := float64(upTo-n) * float64(countProbeRows) / float64(n)
	bound := countProbeRows + int64(1.5*more)
	if bound > countWalkMax {
		return 0, false, nil
	}
	return count(bound)
}

// countWith runs a count query, with PostgreSQL settings for its
// transaction when given.
func (s *Store) countWith(ctx context.Context, settings, query string, args ...any) (int64, error) {
	var n int64
	if settings == "" {
		err := s.replica.QueryRowContext(ctx, s.rebind(query), args...).Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("count members: %w", err)
		}
		return n, nil
	}
	tx, err := s.replica.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, fmt.Errorf("count members: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, settings); err != nil {
		return 0, fmt.Errorf("count members: %w", err)
	}
	if err := tx.QueryRowContext(ctx, s.rebind(query), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count members: %w", err)
	}
	return n, nil
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

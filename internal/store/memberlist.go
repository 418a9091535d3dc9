package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/vn"
)

// Member lists page by keyset: each order is an index ending in the
// member's id (migration 008), a page is "the next n rows after the last
// one shown", and the database reads about n index entries for it
// however deep the page is. OFFSET would read and skip every row before
// the page: a city's last page would read its 650 000 members.

// Member list orders.
const (
	SortName   = "name"   // Vietnamese name order (vn.NameKey)
	SortBirth  = "birth"  // date of birth
	SortJoined = "joined" // joining date
	SortUnit   = "unit"   // current unit's code, then name
)

// MemberSorts are the orders a member list offers.
var MemberSorts = []string{SortName, SortBirth, SortJoined, SortUnit}

// MemberCursor is the position of one row in a list's order: the values
// of the order's columns and the member's id, which breaks ties.
type MemberCursor struct {
	Key  []byte      // name key (orders name and unit)
	Date domain.Date // orders birth and joined
	Unit string      // order unit
	ID   int64
}

// ErrBadCursor: a page token that this store did not write.
var ErrBadCursor = errors.New("bad page token")

// Encode writes the cursor as a URL-safe token.
func (c MemberCursor) Encode() string {
	b := binary.AppendVarint(nil, c.ID)
	b = binary.AppendVarint(b, int64(c.Date))
	b = binary.AppendUvarint(b, uint64(len(c.Unit)))
	b = append(b, c.Unit...)
	b = append(b, c.Key...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeMemberCursor reads a token written by Encode.
func DecodeMemberCursor(s string) (MemberCursor, error) {
	var c MemberCursor
	id, b, err := cursorHead(s, 4096)
	if err != nil || id <= 0 {
		return c, ErrBadCursor
	}
	day, n := binary.Varint(b)
	if n <= 0 {
		return c, ErrBadCursor
	}
	b = b[n:]
	ul, n := binary.Uvarint(b)
	if n <= 0 || ul > uint64(len(b)-n) {
		return c, ErrBadCursor
	}
	b = b[n:]
	c.ID, c.Date, c.Unit, c.Key = id, domain.Date(day), string(b[:ul]), append([]byte{}, b[ul:]...)
	return c, nil
}

// MemberListQuery asks for one page of a member list.
type MemberListQuery struct {
	Filter MemberFilter
	Sort   string // one of MemberSorts; "" is SortName
	Desc   bool
	// After: the page starts after this row (nil: at the start). With
	// Backward, the page ends before it instead (the previous page).
	After    *MemberCursor
	Backward bool
	Limit    int
	// walkBound, when positive, bounds a walking page to this many rows
	// of its order from the cursor on (a name search's probe, searchWalk).
	walkBound int64
	// sizes, when set, keeps the subtree's sizes once read, for the
	// probe and the plan after it (subtreeSizes).
	sizes *subtreeSize
	// denseNames: the search's text matches many of the names'
	// dictionary, which is then walked in order (namesQuery).
	denseNames bool
}

// subtreeSize is the active members of the root and of a subtree.
type subtreeSize struct {
	read     bool
	all, sub float64
}

// MemberListPage is one page of a member list.
type MemberListPage struct {
	Members []*MemberRecord
	// Cursors: the position of each member of the page.
	Cursors []MemberCursor
	// More: there are rows beyond the page in the direction it was read
	// (after it, or before it when read Backward).
	More bool
	// Counted: reading the page counted the whole list, Total rows (the
	// first page of a name search read from the trigram index, which
	// reads every match to sort them): no count need read them again.
	Counted bool
	Total   int64
}

// orderCols are the columns of an order, the member id last.
func orderCols(sort string) []string {
	switch sort {
	case SortBirth:
		return []string{"m.date_of_birth", "m.id"}
	case SortJoined:
		return []string{"m.joined_on", "m.id"}
	case SortUnit:
		return []string{"c.code", "m.name_key", "m.id"}
	}
	return []string{"m.name_key", "m.id"}
}

func (c *MemberCursor) values(sort string) []any {
	switch sort {
	case SortBirth, SortJoined:
		return []any{c.Date, c.ID}
	case SortUnit:
		return []any{c.Unit, c.Key, c.ID}
	}
	return []any{c.Key, c.ID}
}

// MemberList returns one page of the members q.Filter selects, in q's
// order, read by keyset: its cost does not grow with the page's depth.
// In a large subtree the page walks the order's index from the cursor on
// (the engines are told to: without statistics they would sort the whole
// subtree); in a small one it reads the subtree's members through the
// unit index and sorts them. The unit order reads the subtree's units in
// code order, a batch at a time, and each batch's members through the
// unit index.
func (s *Store) MemberList(ctx context.Context, q MemberListQuery) (*MemberListPage, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if !slices.Contains(MemberSorts, q.Sort) {
		q.Sort = SortName
	}
	var p *MemberListPage
	var err error
	q.sizes = &subtreeSize{}
	if q.Sort == SortUnit {
		p, err = s.memberListByUnit(ctx, q)
	} else if nq, names, nerr := s.namesQuery(ctx, q, false); nerr != nil {
		return nil, nerr
	} else if names {
		// PostgreSQL: through the names' dictionary (membersearch.go).
		p, err = s.memberRows(ctx, nq, q.Limit, planNames, nil)
	} else {
		// A name search first walks a little way (searchProbe).
		probe, plan, done, perr := s.searchProbe(ctx, q)
		if perr == nil && !done && plan != planWalk {
			plan, perr = s.listPlanOf(ctx, q)
		}
		switch {
		case perr != nil:
			return nil, perr
		case done:
			p = probe
		default:
			p, err = s.memberRows(ctx, q, q.Limit, plan, nil)
		}
	}
	if err != nil {
		return nil, err
	}
	if q.Backward {
		for i, j := 0, len(p.Members)-1; i < j; i, j = i+1, j-1 {
			p.Members[i], p.Members[j] = p.Members[j], p.Members[i]
			p.Cursors[i], p.Cursors[j] = p.Cursors[j], p.Cursors[i]
		}
	}
	return p, nil
}

// walkFrom is the least number of rows a page may have to choose from
// for it to walk its order's index (see listPlanOf); -1 makes every page
// walk (tests of the walking plans on small data).
var walkFrom int64 = 0

// searchFirst makes every name search the trigram index can answer read
// its matches from it (tests of that plan on small data).
var searchFirst = false

// searchWalkRisk is how many times its estimate a walk may cost a name
// search (listPlanOf).
const searchWalkRisk = 50

// listPlan is how a page reads its rows.
type listPlan int

const (
	planUnits  listPlan = iota // the subtree's members through the unit index, sorted
	planWalk                   // the order's index from the cursor on
	planSearch                 // a name search's matches from the trigram index, sorted
	planNames                  // a name search in name order through the names' dictionary (PostgreSQL)
)

// listPlanOf decides how a page reads its rows. Walking the order's index
// from the cursor reads about limit × (all members / rows kept) entries:
// a few dozen for a city's list, but thousands per page for a filtered
// district. Reading the subtree's members through the unit index and
// sorting those the filter keeps reads the subtree's n members. Reading
// a name search's matches from the trigram index reads the matches (of
// the whole database). The page takes the cheapest, with the filters'
// selectivity guessed (the engines keep no statistics the store could
// ask): gender 1/2, Party 1/5 or 4/5, a joining-date range its share of
// 20 years, the left 1/3; a name search's share is counted in its index
// (searchMatches), or guessed 1/100 where no index serves it.
func (s *Store) listPlanOf(ctx context.Context, q MemberListQuery) (listPlan, error) {
	f := q.Filter
	ids := pathIDs(f.UnitPath)
	matches, indexed := math.Inf(1), false
	// A text that may be a national ID (MatchID: name or ID) is not only
	// a name: the trigram index alone would miss the ID.
	if text := searchText(f.Q); text != "" && !(f.MatchID && strings.ContainsAny(f.Q, "0123456789")) {
		n, ok, err := s.searchMatches(ctx, text)
		if err != nil {
			return planUnits, err
		}
		matches, indexed = n, ok
	}
	if walkFrom < 0 {
		return planWalk, nil
	}
	if indexed && (searchFirst || len(ids) == 0 && matches < float64(searchCountCap)) {
		return planSearch, nil
	}
	if len(ids) == 0 {
		return planWalk, nil
	}
	day := f.AsOf
	if day.IsZero() {
		day = domain.Today()
	}
	all, sub, err := s.subtreeSizes(ctx, q, ids)
	if err != nil {
		return planUnits, err
	}
	sel := 1.0
	if f.Gender != "" {
		sel /= 2
	}
	switch f.Party {
	case "yes":
		sel /= 5
	case "no":
		sel *= 0.8
	}
	if f.Status == StatusLeft {
		sel /= 3
	}
	if indexed {
		sel *= min(1, max(matches, 1)/max(all, 1))
	} else if strings.TrimSpace(f.Q) != "" {
		sel /= 100
	}
	if !f.JoinedFrom.IsZero() || !f.JoinedTo.IsZero() {
		from, to := f.JoinedFrom, f.JoinedTo
		if to.IsZero() {
			to = day
		}
		if from.IsZero() {
			from = to - 20*365
		}
		if q.Sort != SortJoined { // the joined order walks the range itself
			sel *= min(1, max(1.0/7300, float64(to-from+1)/7300))
		}
	}
	kept := sub * sel
	walk := float64(q.Limit) * max(all, 1) / max(kept, 1)
	switch {
	// The walk's cost supposes the matches spread evenly over the order,
	// which a search is the least likely to: the given name comes first
	// in the name order, so "nguyen thi h" matches nobody before the
	// names in H. The index's cost is sure: the search walks only when
	// that is many times the walk's.
	case indexed && matches < min(sub, walk*searchWalkRisk):
		return planSearch, nil
	case kept < float64(walkFrom) || walk >= sub:
		return planUnits, nil
	}
	return planWalk, nil
}

// subtreeSizes returns the active members of the root (ids[0]) and of
// the subtree (the last of ids) on q's day, read once for q: the probe
// and the plan after it both weigh them (each read sums the daily
// counters of a whole country).
func (s *Store) subtreeSizes(ctx context.Context, q MemberListQuery, ids []int64) (all, sub float64, err error) {
	if q.sizes != nil && q.sizes.read {
		return q.sizes.all, q.sizes.sub, nil
	}
	day := q.Filter.AsOf
	if day.IsZero() {
		day = domain.Today()
	}
	n, err := s.ActiveMembers(ctx, []int64{ids[0], ids[len(ids)-1]}, day)
	if err != nil {
		return 0, 0, err
	}
	all, sub = float64(n[ids[0]]), float64(n[ids[len(ids)-1]])
	if q.sizes != nil {
		*q.sizes = subtreeSize{read: true, all: all, sub: sub}
	}
	return all, sub, nil
}

// memberRows reads up to limit rows of a page in the order they are
// walked (reversed for a backward page), and whether more follow; units,
// when given, restricts the rows to members of these units.
func (s *Store) memberRows(ctx context.Context, q MemberListQuery, limit int, plan listPlan, units []int64) (*MemberListPage, error) {
	query, args := s.memberListSQL(q, limit, plan, units)
	// PostgreSQL plans by statistics it may not have yet (a fresh import):
	// the plan chosen here is imposed, for the transaction only. Walking:
	// no sort, so the ordered index scan that stops after limit rows.
	// Through the units or the trigram index: no sequential scan of the
	// members.
	var settings string
	if s.engine == Postgres {
		settings = planSettings(plan, units, q.Filter.UnitPath, "SET LOCAL ")
	}
	var rows *sql.Rows
	var err error
	if settings != "" {
		tx, err := s.replica.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, fmt.Errorf("member list: %w", err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, settings); err != nil {
			return nil, fmt.Errorf("member list: %w", err)
		}
		rows, err = tx.QueryContext(ctx, s.rebind(query), args...)
		if err != nil {
			return nil, fmt.Errorf("member list: %w", err)
		}
	} else if rows, err = s.replica.QueryContext(ctx, s.rebind(query), args...); err != nil {
		return nil, fmt.Errorf("member list: %w", err)
	}
	defer rows.Close()
	p := &MemberListPage{Counted: len(units) == 0 && countsAll(q, plan)}
	for rows.Next() {
		r := &MemberRecord{}
		m := &r.Member
		var key []byte
		dest := []any{&m.ID, &m.NationalID, &m.IDType, &m.FullName, &m.DateOfBirth, &m.Gender, &m.UnitID, &m.UnitCode,
			&m.JoinedOn, &m.JoinedHow, &m.LeftOn, &m.PartyIntroducedOn, &m.CardNo, &r.CurrentUnitCode, &r.CurrentUnitName, &key}
		if p.Counted {
			dest = append(dest, &p.Total)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("member list: %w", err)
		}
		c := MemberCursor{ID: m.ID, Key: key}
		switch q.Sort {
		case SortBirth:
			c.Date = m.DateOfBirth
		case SortJoined:
			c.Date = m.JoinedOn
		case SortUnit:
			c.Unit = r.CurrentUnitCode
		}
		p.Members = append(p.Members, r)
		p.Cursors = append(p.Cursors, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("member list: %w", err)
	}
	if len(p.Members) > limit {
		p.More = true
		p.Members, p.Cursors = p.Members[:limit], p.Cursors[:limit]
	}
	return p, nil
}

// planSettings are the PostgreSQL settings that impose a page's plan:
// set is "SET LOCAL " in a transaction, "SET " on a connection.
func planSettings(plan listPlan, units []int64, path, set string) string {
	// No JIT compilation either: a search's plan, costed by its many
	// matches, would pass jit_above_cost and compile for longer than the
	// page takes to read.
	switch {
	case plan == planWalk:
		return set + `enable_sort = off; ` + set + `enable_bitmapscan = off; ` + set + `jit = off`
	case plan == planSearch:
		// (PostgreSQL reads the matches through the names' dictionary.)
		return set + `enable_seqscan = off; ` + set + `enable_hashjoin = off; ` + set + `enable_mergejoin = off; ` + set + `jit = off`
	case plan == planNames:
		return namesSettings(set)
	case len(units) == 0 && path != "":
		return set + `enable_seqscan = off`
	}
	return ""
}

// unitBatch is how many units the unit order reads the members of at once.
const unitBatch = 50

// memberListByUnit reads a page in the unit order: the subtree's units in
// code order from the cursor's on, a batch at a time, and the members of
// each batch in order, until the page is full.
func (s *Store) memberListByUnit(ctx context.Context, q MemberListQuery) (*MemberListPage, error) {
	desc := q.Desc != q.Backward
	code, inclusive := "", true
	if q.After != nil {
		code = q.After.Unit
	}
	out := &MemberListPage{}
	for {
		units, last, err := s.unitCodesFrom(ctx, q.Filter.UnitPath, code, inclusive, desc)
		if err != nil {
			return nil, err
		}
		if len(units) == 0 {
			return out, nil
		}
		p, err := s.memberRows(ctx, q, q.Limit-len(out.Members), planUnits, units)
		if err != nil {
			return nil, err
		}
		out.Members = append(out.Members, p.Members...)
		out.Cursors = append(out.Cursors, p.Cursors...)
		if p.More {
			out.More = true
			return out, nil
		}
		code, inclusive = last, false
	}
}

// unitCodesFrom returns up to unitBatch units of a subtree from code on
// (or after it), in code order (byte order on both engines) or its
// reverse, and the last code.
func (s *Store) unitCodesFrom(ctx context.Context, path, code string, inclusive, desc bool) ([]int64, string, error) {
	col := s.codeCol("code")
	op, dir := ">", ""
	if desc {
		op, dir = "<", " DESC"
	}
	if inclusive {
		op += "="
	}
	args := []any{orAll(path), prefixEnd(orAll(path))}
	cond := ""
	if code != "" {
		cond = ` AND ` + col + ` ` + op + ` ?`
		args = append(args, code)
	}
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT id, code FROM units WHERE path >= ? AND path < ?`+cond+
		` ORDER BY `+col+dir+` LIMIT ?`), append(args, unitBatch)...)
	if err != nil {
		return nil, "", fmt.Errorf("member list: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var last string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &last); err != nil {
			return nil, "", err
		}
		ids = append(ids, id)
	}
	return ids, last, rows.Err()
}

// codeCol is a code column compared by bytes: PostgreSQL's collation
// would order "HN-U011" before "HN-U01-S".
func (s *Store) codeCol(col string) string {
	if s.engine == Postgres {
		return col + ` COLLATE "C"`
	}
	return col
}

// memberListSQL is the query of up to limit rows (and one more) of a page
// of a member list, in the order they are walked. plan planWalk forces
// the plan that walks the order's index (SQLite: INDEXED BY, the members
// table first), planSearch the one that reads a name search's matches
// from the trigram index; units restricts the rows to members of these
// units.
func (s *Store) memberListSQL(q MemberListQuery, limit int, plan listPlan, units []int64) (string, []any) {
	if plan == planNames {
		return s.namesSQL(q, limit)
	}
	walk := plan == planWalk
	cols := orderCols(q.Sort)
	if q.Sort == SortUnit {
		cols[0] = s.codeCol("c.code")
	}
	f := q.Filter
	// PostgreSQL, reading a subtree's members through the unit index: the
	// date conditions are hidden from the planner, which would otherwise
	// take a year of a whole city's joinings for a district's few.
	f.unitFirst = plan == planUnits && len(units) == 0 && f.UnitPath != "" && s.engine == Postgres
	where, args := f.where()
	where = s.hideHeld(where, "m") // an import's members not yet committed (holds.go)
	from := memberRecordFrom
	if plan == planSearch {
		from, where, args = s.searchFrom(f, where, args)
	}
	add := func(cond string, xs ...any) {
		if where == "" {
			where = ` WHERE ` + cond
		} else {
			where += ` AND ` + cond
		}
		args = append(args, xs...)
	}
	if len(units) > 0 {
		add(`m.current_unit_id IN `+placeholders(1, len(units)), asArgs(units)...)
	}
	// Reading backward walks the order the other way.
	desc := q.Desc != q.Backward
	dir := ""
	if desc {
		dir = " DESC"
	}
	order := make([]string, len(cols))
	for i, c := range cols {
		order[i] = c + dir
	}
	var after string
	var afterArgs []any
	if q.After != nil {
		op := ">"
		if desc {
			op = "<"
		}
		after = `(` + strings.Join(cols, `, `) + `) ` + op + ` (` + strings.TrimSuffix(strings.Repeat(`?, `, len(cols)), `, `) + `)`
		afterArgs = q.After.values(q.Sort)
	}
	// A name search walking the name order to the end of its page
	// tests the folded name in the index (migration 015) and reads the
	// rows of the matches alone: w is the walk's matches.
	matchWalk := walk && q.walkBound <= 0 && q.Sort == SortName && searchText(f.Q) != "" &&
		!(f.MatchID && strings.ContainsAny(f.Q, "0123456789"))
	if walk && (q.walkBound > 0 || matchWalk) && q.Sort != SortUnit {
		// A bounded walk: the first walkBound rows of the order from the
		// cursor on, whatever they are (w, which the filters do not
		// reach), the name search's matches among them, and their rows.
		// w reads the order's columns, the folded name and the current
		// unit alone: the name index holds them all (migration 015) and
		// spares the walk the table.
		inner, innerArgs := s.walkInner(q, matchWalk)
		join := ` JOIN `
		if s.engine == SQLite {
			join = ` CROSS JOIN ` // the walk first
		}
		// Each row's unit first, from the index too: a search in a
		// province reads the rows of the province's matches alone.
		from = ` FROM (` + inner + `) w` + join + `units c ON c.id = w.current_unit_id` + join +
			`members m ON m.id = w.id JOIN units u ON u.id = m.unit_id`
		if text := searchText(f.Q); text != "" && !matchWalk {
			cond := ` WHERE w.name_folded LIKE ? ESCAPE '\'`
			if where != "" {
				cond += ` AND ` + strings.TrimPrefix(where, ` WHERE `)
			}
			where, args = cond, append([]any{"%" + escapeLike(text) + "%"}, args...)
		}
		worder := make([]string, len(order))
		for i, o := range order {
			worder[i] = "w." + strings.TrimPrefix(o, "m.")
		}
		return `SELECT ` + memberRecordCols + `, m.name_key` + from + where +
				` ORDER BY ` + strings.Join(worder, `, `) + ` LIMIT ?`,
			append(append(innerArgs, args...), limit+1)
	}
	if after != "" {
		add(after, afterArgs...)
	}
	if !walk && s.engine == Postgres && q.Sort != SortUnit {
		// The same order through an expression no index provides: the
		// planner then picks the best way to the subtree's rows (the unit
		// index) and sorts them, instead of walking the order's index
		// through a whole city for a district's few rows.
		order[0] = noIndex[q.Sort] + dir
	}
	switch {
	case s.engine != SQLite, plan == planSearch:
		// PostgreSQL plans by its statistics; walking is forced by the
		// caller (enable_sort off).
	case walk:
		from = ` FROM members m INDEXED BY ` + orderIndex[q.Sort] + ` CROSS JOIN units c ON c.id = m.current_unit_id JOIN units u ON u.id = m.unit_id`
	case len(units) == 0 && q.Filter.UnitPath != "":
		// The subtree's units first, then their members: without
		// statistics SQLite may prefer a wide date range of the whole
		// city to a district's few thousand members.
		from = ` FROM units c CROSS JOIN members m INDEXED BY members_unit_name ON m.current_unit_id = c.id JOIN units u ON u.id = m.unit_id`
	}
	total := ""
	if countsAll(q, plan) {
		total = `, COUNT(*) OVER ()`
	}
	return `SELECT ` + memberRecordCols + `, m.name_key` + total + from + where +
		` ORDER BY ` + strings.Join(order, `, `) + ` LIMIT ?`, append(args, limit+1)
}

// countsAll reports whether a page's query counts the whole list too: the
// first page of a name search read from the trigram index, which reads
// every match before it sorts them.
func countsAll(q MemberListQuery, plan listPlan) bool {
	return plan == planSearch && q.After == nil && q.Sort != SortUnit
}

// walkInner is the query of the first q.walkBound members of q's order
// (not SortUnit) from q's cursor on, read from the order's index, and its
// arguments: the order's columns, the folded name and the current unit of
// each. matching: instead, all the members from the cursor on whose
// folded name contains q's search text, in the name order, whose index
// holds both (migration 015): the walk reads no member's row.
func (s *Store) walkInner(q MemberListQuery, matching bool) (string, []any) {
	cols := orderCols(q.Sort)
	desc := q.Desc != q.Backward
	op, dir := ">", ""
	if desc {
		op, dir = "<", " DESC"
	}
	order := make([]string, len(cols))
	for i, c := range cols {
		order[i] = c + dir
	}
	inner := `SELECT ` + strings.Join(cols, `, `) + `, m.name_folded, m.current_unit_id FROM members m`
	if s.engine == SQLite {
		inner += ` INDEXED BY ` + orderIndex[q.Sort]
	}
	var c conds
	if q.After != nil {
		c.add(`(`+strings.Join(cols, `, `)+`) `+op+` (`+strings.TrimSuffix(strings.Repeat(`?, `, len(cols)), `, `)+`)`, q.After.values(q.Sort)...)
	}
	if matching {
		c.add(`m.name_folded LIKE ? ESCAPE '\'`, "%"+escapeLike(searchText(q.Filter.Q))+"%")
	}
	if len(c.list) > 0 {
		inner += ` WHERE ` + c.and()
	}
	inner += ` ORDER BY ` + strings.Join(order, `, `)
	if matching {
		// Planned alone (PostgreSQL would merge a plain subquery into the
		// query and test the name on the member's row): its rows come in
		// the index's order, and the outer LIMIT stops the walk.
		if s.engine == Postgres {
			inner += ` OFFSET 0`
		}
		return inner, c.args
	}
	return inner + ` LIMIT ?`, append(c.args, q.walkBound)
}

// noIndex is the first column of each order as an expression of the same
// value and order that no index provides (PostgreSQL).
var noIndex = map[string]string{SortName: `(m.name_key || '\x'::bytea)`, SortBirth: `(m.date_of_birth + 0)`, SortJoined: `(m.joined_on + 0)`}

// orderIndex is the index of each order a page may walk (migration 008).
var orderIndex = map[string]string{SortName: "members_name", SortBirth: "members_birth", SortJoined: "members_joined"}

// ExplainMemberList returns the database's plan for a page of a member
// list (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL), one step a
// line: for checking that pages read an index, not every member. In the
// unit order it explains the first batch of units.
func (s *Store) ExplainMemberList(ctx context.Context, q MemberListQuery) (string, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if !slices.Contains(MemberSorts, q.Sort) {
		q.Sort = SortName
	}
	// Through the names' dictionary; or a name search's probe, when it
	// settles the page, or the plan that follows it.
	q, names, err := s.namesQuery(ctx, q, false)
	if err != nil {
		return "", err
	}
	plan, done := planNames, false
	if !names {
		_, plan, done, err = s.searchProbe(ctx, q)
	}
	switch {
	case names:
	case err != nil:
		return "", err
	case done:
		q.walkBound = walkProbe
	case plan != planWalk:
		if plan, err = s.listPlanOf(ctx, q); err != nil {
			return "", err
		}
	}
	var units []int64
	if q.Sort == SortUnit {
		plan = planUnits
		code := ""
		if q.After != nil {
			code = q.After.Unit
		}
		if units, _, err = s.unitCodesFrom(ctx, q.Filter.UnitPath, code, true, q.Desc); err != nil {
			return "", err
		}
	}
	query, args := s.memberListSQL(q, q.Limit, plan, units)
	settings := ""
	if s.engine == Postgres {
		settings = planSettings(plan, units, q.Filter.UnitPath, "SET ")
	}
	return s.explain(ctx, settings, query, args...)
}

// explain returns the database's plan of a query (EXPLAIN QUERY PLAN on
// SQLite, EXPLAIN on PostgreSQL), one step a line; settings, if any, are
// set for it on its connection (PostgreSQL), and reset after.
func (s *Store) explain(ctx context.Context, settings, query string, args ...any) (string, error) {
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	prefix := `EXPLAIN QUERY PLAN `
	if s.engine == Postgres {
		prefix = `EXPLAIN `
		if settings != "" {
			if _, err := conn.ExecContext(ctx, settings); err != nil {
				return "", err
			}
			defer conn.ExecContext(context.Background(), `RESET enable_sort; RESET enable_bitmapscan; RESET enable_seqscan; `+
				`RESET enable_hashjoin; RESET enable_mergejoin; RESET max_parallel_workers_per_gather; RESET jit`)
		}
	}
	rows, err := conn.QueryContext(ctx, s.rebind(prefix+query), args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		fmt.Fprintln(&b, vals[len(vals)-1])
	}
	return b.String(), rows.Err()
}

// MemberCount is how many members a filter selects: exact, an estimate,
// or a lower bound, when counting exactly would read too many rows.
type MemberCount struct {
	N        int64
	Estimate bool // about N
	AtLeast  bool // more than N
}

// memberCountCap bounds the rows of the subtree a count reads: past it
// the count is estimated.
var memberCountCap int64 = 100_000

// SearchCountCap bounds a name search's count: past it the list says
// "more than" (AtLeast). A common name matches hundreds of thousands of
// members country-wide, and counting them would cost many times the page.
const SearchCountCap = 1_000

// CountMemberList counts the members f selects in the subtree of unitID
// (f.UnitPath's unit). A name search is counted up to SearchCountCap
// (CountMembers), and past it said to be more. A filter of nothing but the subtree and the active
// status is read from the daily counters: exact, and as cheap for a city
// as for a union. Otherwise the subtree's members of f's status are read,
// up to memberCountCap of them, and those the rest of f keeps counted:
// exact when that was all of them; past it, for active members, the
// share kept times the subtree's active members (an estimate); for the
// other statuses the members kept so far (a lower bound).
func (s *Store) CountMemberList(ctx context.Context, f MemberFilter, unitID int64) (MemberCount, error) {
	if searchText(f.Q) != "" {
		n, err := s.CountMembers(ctx, f, SearchCountCap+1)
		if err != nil || n <= SearchCountCap {
			return MemberCount{N: int64(n)}, err
		}
		return MemberCount{N: SearchCountCap, AtLeast: true}, nil
	}
	var active int64
	if f.Status == StatusActive && unitID != 0 {
		n, err := s.ActiveMembers(ctx, []int64{unitID}, f.AsOf)
		if err != nil {
			return MemberCount{}, err
		}
		active = n[unitID]
		if f.OnlySubtree() {
			return MemberCount{N: active}, nil
		}
	}
	base := MemberFilter{UnitPath: f.UnitPath, Status: f.Status, AsOf: f.AsOf}
	bw, bargs := base.where()
	bw = s.hideHeld(bw, "m")
	rest := f
	rest.UnitPath, rest.Status = "", ""
	kept := `1`
	rw, rargs := rest.where()
	if rw != "" {
		kept = `CASE WHEN ` + strings.TrimPrefix(rw, ` WHERE `) + ` THEN 1 ELSE 0 END`
	}
	var seen, n int64
	err := s.replica.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*), COALESCE(SUM(`+kept+`), 0)
		FROM (SELECT m.*`+memberRecordFrom+bw+` LIMIT ?) m`), append(append(rargs, bargs...), memberCountCap+1)...).Scan(&seen, &n)
	if err != nil {
		return MemberCount{}, fmt.Errorf("count members: %w", err)
	}
	switch {
	case seen <= memberCountCap:
		return MemberCount{N: n}, nil
	case f.Status == StatusActive && unitID != 0:
		return MemberCount{N: active * n / seen, Estimate: true}, nil
	}
	return MemberCount{N: n, AtLeast: true}, nil
}

// fillNameKeys computes the name key of the members written before
// migration 008 (and of any whose key is missing), in batches.
func (s *Store) fillNameKeys(ctx context.Context) error {
	empty := `x''`
	if s.engine == Postgres {
		empty = `'\x'::bytea`
	}
	return s.backfill(ctx, "name keys",
		func(int64) (string, []any) {
			return `SELECT id, full_name FROM members WHERE name_key = ` + empty + ` ORDER BY name_key, id LIMIT 2000`, nil
		},
		`UPDATE members SET name_key = ? WHERE id = ?`,
		func(name string) any { return vn.NameKey(name) })
}

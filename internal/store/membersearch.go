package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"congdoan/internal/vn"
)

// A name search (MemberFilter.Q) keeps the members whose folded name
// contains the folded text: LIKE '%text%'. Migration 013 indexes the
// folded names by trigrams (pg_trgm on PostgreSQL, FTS5's trigram
// tokenizer on SQLite), so a search can read its matches from that index
// instead of walking the members in name order until a page is full.
// Which way is cheaper depends on how many members match and where they
// lie in the order: a common name ("nguyen") fills a page within a few
// hundred rows of the walk, a rare one would walk a whole country's list.
// The page first walks a little way (searchProbe), then weighs the rest
// of the walk against the index (searchSample, searchMatches, listPlanOf).
// A count stops at a cap (SearchCountCap for the lists) and first walks
// the members in the order they are stored (countProbe). PostgreSQL reads
// a name search in the name order through a dictionary of the names
// instead (migration 019, byNames below), but in small subtrees.

// searchText is the folded, space-normalised text of a name search.
func searchText(q string) string { return strings.Join(strings.Fields(vn.Fold(q)), " ") }

// searchIndexable reports whether the trigram index can answer a search
// for text: three characters or more (a trigram), and none of LIKE's
// special characters (FTS5's LIKE takes no ESCAPE).
func searchIndexable(text string) bool {
	return len(text) >= 3 && !strings.ContainsAny(text, `%_\`)
}

// searchCountCap bounds the matches SQLite counts in the index: past it
// the search is common enough for the walk.
var searchCountCap int64 = 10_000

// searchMatches returns about how many members (in the whole database)
// the name search text matches, read from the trigram index; ok is false
// where no index serves the search (a short text, or PostgreSQL without
// the names' dictionary, migration 019). SQLite counts the index's matches up to searchCountCap (FTS5
// reads its posting lists lazily, so the count stops there); PostgreSQL
// gives its planner's estimate, from the statistics of the folded names:
// counting would read the matches.
func (s *Store) searchMatches(ctx context.Context, text string) (n float64, ok bool, err error) {
	if !searchIndexable(text) {
		return 0, false, nil
	}
	like := "%" + text + "%"
	if s.engine == SQLite {
		var c int64
		err := s.replica.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM members_fts WHERE name_folded LIKE ? LIMIT ?)`,
			like, searchCountCap).Scan(&c)
		if err != nil {
			return 0, false, fmt.Errorf("name search: %w", err)
		}
		if c >= searchCountCap {
			return math.Inf(1), true, nil // common: at least the cap
		}
		return float64(c), true, nil
	}
	if has, _, err := s.hasNames(ctx); err != nil || !has {
		return 0, false, err
	}
	var plan string
	if err := s.replica.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) SELECT 1 FROM members WHERE name_folded LIKE $1`, like).Scan(&plan); err != nil {
		return 0, false, fmt.Errorf("name search: %w", err)
	}
	var p []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal([]byte(plan), &p); err != nil || len(p) == 0 {
		return 0, false, fmt.Errorf("name search: the plan %q: %v", plan, err)
	}
	return p[0].Plan.Rows, true, nil
}

// searchFrom rewrites the FROM clause and the conditions (where, with
// args) of a query of the members f selects, for its rows to come from
// the name search's matches in the trigram index, read first. SQLite:
// the FTS5 table, each match then read by its rowid, so that a LIMIT
// stops the reading. PostgreSQL: the names that match in the names'
// dictionary (migration 019), then each one's members from the name
// index (nested loops: memberRows turns the others off).
func (s *Store) searchFrom(f MemberFilter, where string, args []any) (string, string, []any) {
	like := "%" + searchText(f.Q) + "%"
	from := ` FROM (SELECT DISTINCT name_key FROM member_names WHERE name_folded LIKE ?) k` +
		` JOIN members m ON m.name_key = k.name_key AND m.name_folded LIKE ?`
	pre := []any{like, like}
	if s.engine == SQLite {
		from = ` FROM members_fts f CROSS JOIN members m ON m.id = f.rowid AND f.name_folded LIKE ?`
		pre = pre[:1]
	}
	return from + ` JOIN units c ON c.id = m.current_unit_id JOIN units u ON u.id = m.unit_id`,
		where, append(pre, args...)
}

// A name search's page first walks its order's index for a bounded number
// of rows (walkProbe, more in a subtree): a name that many members bear
// ("nguyen", "van", "hoa") fills the page within a few hundred rows of
// the walk, and the trigram index would read all its matches, hundreds of
// thousands country-wide, to sort them. Only when the probe did not fill
// the page does the store weigh the rest of the walk against the trigram
// index's matches: country-wide both are guessed from a sample of the
// members (searchSample), in a subtree from the probe's matches and the
// planner's estimate (searchMatches). A rare name reads its few matches
// from the index; a common one whose matches lie further in the order
// ("nguyen van": the given, then the middle name come first in the
// order) walks on.
var walkProbe int64 = 2_000

// walkProbeMax bounds the probe in a small subtree, whose members the
// probe meets seldom: past it, the subtree is read through the unit
// index instead (listPlanOf).
const walkProbeMax = 8_000

// trigramPerMatch is how many rows of a walk cost as much as one match
// read from the trigram index (the index's entries, then the match's row,
// at random). The walk reads the name index alone (migration 015) and
// visits the rows of its matches only: at 2 million members, on two
// shared cores under load, it passes 63 000 rows to the 51st match of
// "nguyen thi h" in 85 ms and 171 000 to that of "dung" in 250 ms, where
// the index reads 38 000 matches of "nguyen thi h" in 1.5 s (its many
// common trigrams cost 0.5 s before the first row) and 44 000 of "dung"
// in 1.2 s, sorted: 25-40 times a walk's row.
const trigramPerMatch = 20

// searchProbe reads a name search's page by a bounded walk of its order,
// where that may settle it (done), and otherwise tells the plan to read
// it by (planWalk to walk on, or listPlanOf's choice).
func (s *Store) searchProbe(ctx context.Context, q MemberListQuery) (p *MemberListPage, plan listPlan, done bool, err error) {
	f := q.Filter
	text := searchText(f.Q)
	if q.Sort == SortUnit || text == "" || f.MatchID && strings.ContainsAny(f.Q, "0123456789") || walkFrom < 0 || searchFirst {
		return nil, 0, false, nil
	}
	all, sub := math.Inf(1), math.Inf(1)
	bound := walkProbe
	if ids := pathIDs(f.UnitPath); len(ids) > 1 {
		if all, sub, err = s.subtreeSizes(ctx, q, ids); err != nil {
			return nil, 0, false, err
		}
		// The probe meets the subtree's members in its share of the
		// order: it walks more in a smaller subtree, up to a bound past
		// which the subtree's own members are fewer to read.
		bound = int64(float64(walkProbe) * min(16, max(all, 1)/max(sub, 1)))
		if float64(bound) >= sub || bound > walkProbeMax {
			return nil, 0, false, nil
		}
	}
	pq := q
	pq.walkBound = bound
	if p, err = s.memberRows(ctx, pq, q.Limit, planWalk, nil); err != nil || p.More {
		return p, planWalk, err == nil, err
	}
	// The page is not full: the walk may have reached the end of the
	// order (the page is then whole), or only its bound.
	walked, err := s.walkedRows(ctx, pq)
	if err != nil || walked < bound {
		return p, planWalk, err == nil, err
	}
	if math.IsInf(sub, 1) {
		// Country-wide: where the page's matches lie in the order, and
		// how many the index would read, guessed from a sample of the
		// members (searchSample); the walk goes on if it costs less.
		walk, n, ok, err := s.searchSample(ctx, q, text)
		switch {
		case err != nil || !ok:
			return nil, 0, false, err
		case walk < trigramPerMatch*n:
			return nil, planWalk, false, nil
		}
		// Otherwise the index. (A second, longer probe before it was
		// tried: the sample cannot tell a few matches spread before its
		// first one, as for "nguyen thi h", from none, as for "dung"; at
		// 2 million members the probe cost more than it saved.)
		return nil, 0, false, nil
	}
	// In a subtree, the rest of the walk is guessed from the probe's
	// matches, where it met some, and weighed against the planner's
	// estimate of the index's matches.
	matches, indexed, err := s.searchMatches(ctx, text)
	if err != nil || !indexed {
		return nil, 0, false, err
	}
	k := float64(len(p.Members))
	if rest := float64(q.Limit+1-len(p.Members)) * float64(bound) / max(k, 0.5); k > 0 && rest < trigramPerMatch*matches && rest < sub {
		return nil, planWalk, false, nil
	}
	return nil, 0, false, nil
}

// searchSampleRows is the size of searchSample's sample.
var searchSampleRows int64 = 4_000

// searchSample guesses, for a name search's page that the probe did not
// fill, how many rows of the order the walk would read to fill it (walk)
// and how many matches the trigram index would read (matches), from the
// first searchSampleRows members in id order: the order they were stored,
// which has nothing to do with their names. The matches of a search lie
// in clusters of the order, the given name first: "dung" (a given name)
// first matches a tenth of the way down, "nguyen van" past the middle
// names before "Văn" of the first given name. The sample's members before
// its first match, scaled to the whole, tell how far the walk goes before
// it meets the matches; the page's rows then come at the matches' rate
// in the sample. ok is false where the sample met no match.
func (s *Store) searchSample(ctx context.Context, q MemberListQuery, text string) (walk, matches float64, ok bool, err error) {
	cols := orderCols(q.Sort)
	scols := make([]string, len(cols))
	for i, c := range cols {
		scols[i] = "s." + strings.TrimPrefix(c, "m.")
	}
	desc := q.Desc != q.Backward
	op, dir := ">", ""
	if desc {
		op, dir = "<", " DESC"
	}
	row := `(` + strings.Join(scols, `, `) + `)`
	marks := `(` + strings.TrimSuffix(strings.Repeat(`?, `, len(cols)), `, `) + `)`
	sample := ` FROM (SELECT ` + strings.Join(cols, `, `) + `, m.name_folded FROM members m ORDER BY m.id LIMIT ?) s WHERE 1 = 1`
	args := []any{searchSampleRows}
	if q.After != nil {
		sample += ` AND ` + row + ` ` + op + ` ` + marks
		args = append(args, q.After.values(q.Sort)...)
	}
	like := "%" + escapeLike(text) + "%"
	order := strings.Join(scols, dir+`, `) + dir
	// The sample's first match in the walk's direction.
	first := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range first {
		ptrs[i] = &first[i]
	}
	err = s.replica.QueryRowContext(ctx, s.rebind(`SELECT `+strings.Join(scols, `, `)+sample+
		` AND s.name_folded LIKE ? ESCAPE '\' ORDER BY `+order+` LIMIT 1`), append(slices.Clone(args), like)...).Scan(ptrs...)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("name search: %w", err)
	}
	// The sample's rows after the cursor, those before its first match,
	// and its matches; and the members in all (about the largest id).
	var n, before, hits int64
	var all sql.NullInt64
	err = s.replica.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN `+row+` `+map[bool]string{false: "<", true: ">"}[desc]+` `+marks+
		` THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN s.name_folded LIKE ? ESCAPE '\' THEN 1 ELSE 0 END), 0), (SELECT MAX(id) FROM members)`+sample),
		append(append(first, like), args...)...).Scan(&n, &before, &hits, &all)
	if err != nil {
		return 0, 0, false, fmt.Errorf("name search: %w", err)
	}
	scale := max(1, float64(all.Int64)/float64(searchSampleRows))
	walk = float64(before)*scale + float64(q.Limit+1)*float64(n)/float64(max(hits, 1))
	return walk, float64(hits) * scale, hits > 0, nil
}

// walkedRows is how many rows the bounded walk of q reads: fewer than its
// bound at the end of the order.
func (s *Store) walkedRows(ctx context.Context, q MemberListQuery) (int64, error) {
	inner, args := s.walkInner(q, false)
	var n int64
	err := s.replica.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM (`+inner+`) x`), args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("member list: %w", err)
	}
	return n, nil
}

// PostgreSQL reads a name search in the name order through the names'
// dictionary (migration 019: member_names, one row a distinct name on
// record, with a trigram index): the names that match, in name-key order,
// then each name's members from the name index (name_key, id), which
// holds the folded name and the current unit too, so that only the rows
// of the page are read from the table. The order of a name's members is
// that of their ids: name key, then id, the list's order. A page reads
// its rows and a few probes of the dictionary whatever the name: a rare
// full name country-wide no longer reads the posting lists of its common
// trigrams (" th", "ng ": millions of entries in the members' trigram
// index), a given name no longer walks the hundreds of thousands of rows
// that sort before its first match. In a small subtree the page still
// reads the subtree's members (planUnits) where that reads fewer rows
// (byNames).

// hasNames reports whether the names' dictionary serves name searches
// (PostgreSQL, migration 019), and about how many names it holds (the
// planner's statistics).
func (s *Store) hasNames(ctx context.Context) (has bool, names float64, err error) {
	if s.engine != Postgres {
		return false, 0, nil
	}
	err = s.replica.QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = to_regclass('member_names')`).Scan(&names)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, 0, nil
	case err != nil:
		return false, 0, fmt.Errorf("name search: %w", err)
	}
	return true, names, nil
}

// denseShare is the share of the dictionary's names a search's text must
// match for its names to be read by walking the dictionary in name-key
// order, not from its trigram index. The walk meets a page's few names
// within a few times 1/share rows; the index reads every matching name
// and sorts them, and costs more past about that share (at 130 000
// names: "anh" matches 23 000, a sort of 20 ms, where the walk finds its
// five names in 30 rows; "nguyen thi h" 196, from the index in 2 ms).
var denseShare = 0.005

// namesDense reports whether text matches at least denseShare of the
// dictionary's names (all of them), by the planner's estimate (the
// statistics of the folded names).
func (s *Store) namesDense(ctx context.Context, text string, all float64) (bool, error) {
	var plan string
	if err := s.replica.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) SELECT 1 FROM member_names WHERE name_folded LIKE $1 ESCAPE '\'`,
		"%"+escapeLike(text)+"%").Scan(&plan); err != nil {
		return false, fmt.Errorf("name search: %w", err)
	}
	var p []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal([]byte(plan), &p); err != nil || len(p) == 0 {
		return false, fmt.Errorf("name search: the plan %q: %v", plan, err)
	}
	return p[0].Plan.Rows >= denseShare*max(all, 1), nil
}

// namesPerRow is how many members of its names a page read through the
// dictionary may read for each member of the subtree it would otherwise
// read (planUnits): the names' members are read from the name index (an
// entry, and a probe of the subtree's units), the subtree's from the
// table.
const namesPerRow = 4

// byNames reports whether a page (or a count, q.Limit the rows it wants)
// of a name search reads its members through the names' dictionary (ok),
// and about how many names that holds.
// Country-wide it always does: its rows are the first q.Limit matches in
// the name order. In a subtree, the names' members are read until
// q.Limit of them are in the subtree: about q.Limit × all / sub of them
// (the matches spread over the country as the members do), at most all
// the matches; where that is more than namesPerRow times the subtree's
// members (a common name in a ward), the subtree's members are read
// instead. A count (count) of a common name in a subtree reads the
// subtree's members only until it has q.Limit of them (countProbe).
func (s *Store) byNames(ctx context.Context, q MemberListQuery, count bool) (ok bool, names float64, err error) {
	f := q.Filter
	if s.engine != Postgres || walkFrom < 0 || searchFirst || q.Sort != SortName && q.Sort != "" ||
		searchText(f.Q) == "" || f.MatchID && strings.ContainsAny(f.Q, "0123456789") {
		return false, 0, nil
	}
	has, names, err := s.hasNames(ctx)
	if err != nil || !has {
		return false, 0, err
	}
	ids := pathIDs(f.UnitPath)
	if len(ids) <= 1 {
		return true, names, nil
	}
	all, sub, err := s.subtreeSizes(ctx, q, ids)
	if err != nil {
		return false, 0, err
	}
	read := float64(q.Limit+1) * max(all, 1) / max(sub, 1)
	if read < namesPerRow*sub && !count {
		return true, names, nil
	}
	matches, indexed, err := s.searchMatches(ctx, searchText(f.Q))
	if err != nil || !indexed {
		return false, 0, err
	}
	other := sub
	if count {
		// A count walks the subtree's members until it has q.Limit of
		// them (countProbe): as many as q.Limit over the matches' share.
		other = min(sub, float64(q.Limit)*max(all, 1)/max(matches, 1))
	}
	return min(read, matches) < namesPerRow*other, names, nil
}

// namesQuery returns q for a page or a count (count) read through the
// names' dictionary (ok: byNames), its subtree left out where it holds every
// unit (the country), whose check would cost a lookup of each member's
// unit for nothing.
func (s *Store) namesQuery(ctx context.Context, q MemberListQuery, count bool) (MemberListQuery, bool, error) {
	ok, names, err := s.byNames(ctx, q, count)
	if err != nil || !ok {
		return q, false, err
	}
	if q.denseNames, err = s.namesDense(ctx, searchText(q.Filter.Q), names); err != nil {
		return q, false, err
	}
	if path := q.Filter.UnitPath; path != "" && len(pathIDs(path)) == 1 {
		var outside bool
		err := s.replica.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE path < $1) OR EXISTS (SELECT 1 FROM units WHERE path >= $2)`,
			path, prefixEnd(path)).Scan(&outside)
		if err != nil {
			return q, false, fmt.Errorf("name search: %w", err)
		}
		if !outside {
			q.Filter.UnitPath = ""
		}
	}
	return q, true, nil
}

// namesInner is the query of the members of q's subtree whose names
// match q's search, from q's cursor on, in q's order (name key, then id),
// through the dictionary, for their ids and name keys, up to limit rows
// (0: no limit, in no particular order); and its arguments. Each matching name's
// members are read from the name index in id order, up to limit of them,
// with the conditions of q's other filters (the table's row is read only
// where one needs it), and the names' rows merged in name-key order: the
// sort of each name's few rows is incremental, and the LIMIT stops at the
// page.
func (s *Store) namesInner(q MemberListQuery, limit int) (string, []any) {
	f := q.Filter
	like := "%" + escapeLike(searchText(f.Q)) + "%"
	rest := f
	// The names' LIKE, and each member's own (a name may be stale); the
	// subtree below.
	rest.Q, rest.UnitPath = "", ""
	where, args := rest.where()
	desc := q.Desc != q.Backward
	op, dir := ">", ""
	if desc {
		op, dir = "<", " DESC"
	}
	keys := `SELECT DISTINCT name_key FROM member_names WHERE name_folded LIKE ? ESCAPE '\'`
	if q.denseNames {
		// Not the trigram index: the dictionary in key order (namesDense).
		keys = `SELECT DISTINCT name_key FROM member_names WHERE (name_folded || '') LIKE ? ESCAPE '\'`
	}
	kargs := []any{like}
	cond := `w.name_key = k.name_key AND w.name_folded LIKE ? ESCAPE '\'`
	cargs := []any{like}
	if q.After != nil {
		keys += ` AND name_key ` + op + `= ?`
		kargs = append(kargs, q.After.Key)
		cond += ` AND (w.name_key, w.id) ` + op + ` (?, ?)`
		cargs = append(cargs, q.After.Key, q.After.ID)
	}
	if f.UnitPath != "" {
		// The subtree's units, read once into a hash (a hashed subplan:
		// IS TRUE keeps the planner from making it a join, which would
		// look up each member's unit by its key, 10 µs a member).
		cond += ` AND (w.current_unit_id IN (SELECT id FROM units WHERE path >= ? AND path < ?)) IS TRUE`
		cargs = append(cargs, f.UnitPath, prefixEnd(f.UnitPath))
	}
	from := ` FROM members w`
	if where != "" {
		from += ` JOIN members m ON m.id = w.id`
		cond += ` AND ` + strings.TrimPrefix(where, ` WHERE `)
		cargs = append(cargs, args...)
	}
	// Each name's members planned alone (OFFSET 0 without a limit):
	// merged into the query, the planner may read them all from the
	// members' trigram index instead, with their rows.
	tail := ` OFFSET 0`
	if limit > 0 {
		tail = ` ORDER BY w.id` + dir + ` LIMIT ?`
		cargs = append(cargs, limit)
	}
	inner := `SELECT k.name_key, x.id FROM (` + keys + ` ORDER BY name_key` + dir + `) k CROSS JOIN LATERAL (SELECT w.id` + from +
		` WHERE ` + cond + tail + `) x`
	all := append(kargs, cargs...)
	if limit > 0 {
		inner += ` ORDER BY k.name_key` + dir + `, x.id` + dir + ` LIMIT ?`
		all = append(all, limit)
	}
	return inner, all
}

// namesSQL is the query of up to limit rows (and one more) of a page read
// through the dictionary, in the order they are walked: the page's ids
// first (namesInner), then their rows.
func (s *Store) namesSQL(q MemberListQuery, limit int) (string, []any) {
	inner, args := s.namesInner(q, limit+1)
	dir := ""
	if q.Desc != q.Backward {
		dir = " DESC"
	}
	return `SELECT ` + memberRecordCols + `, m.name_key FROM (` + inner + `) p JOIN members m ON m.id = p.id` +
		` JOIN units c ON c.id = m.current_unit_id JOIN units u ON u.id = m.unit_id` +
		` ORDER BY p.name_key` + dir + `, p.id` + dir, args
}

// namesSettings impose a page's or a count's plan through the dictionary
// (PostgreSQL, set is "SET LOCAL " or "SET "): nested loops, each name's
// members from the name index; no JIT.
func namesSettings(set string) string {
	return set + `enable_seqscan = off; ` + set + `enable_hashjoin = off; ` + set + `enable_mergejoin = off; ` +
		set + `max_parallel_workers_per_gather = 0; ` + set + `jit = off`
}

// countByNames counts the members f selects, up to upTo, through the
// names' dictionary where byNames says so (done), each name's members
// until upTo of them are counted.
func (s *Store) countByNames(ctx context.Context, f MemberFilter, upTo int) (n int, done bool, err error) {
	if upTo <= 0 {
		return 0, false, nil
	}
	q, ok, err := s.namesQuery(ctx, MemberListQuery{Filter: f, Sort: SortName, Limit: upTo}, true)
	if err != nil || !ok {
		return 0, false, err
	}
	inner, args := s.namesInner(q, 0)
	c, err := s.countWith(ctx, namesSettings("SET LOCAL "), `SELECT COUNT(*) FROM (`+inner+` LIMIT ?) x`, append(args, upTo)...)
	return int(c), err == nil, err
}

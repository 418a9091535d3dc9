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
// the members in the order they are stored (countProbe).

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
// pg_trgm). SQLite counts the index's matches up to searchCountCap (FTS5
// reads its posting lists lazily, so the count stops there); PostgreSQL
// gives its planner's estimate, from the statistics of the folded names,
// as a GIN index is read whole before its first row.
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
	var has bool
	if err := s.replica.QueryRowContext(ctx, `SELECT to_regclass('members_name_trgm') IS NOT NULL`).Scan(&has); err != nil || !has {
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
// stops the reading. PostgreSQL: a subquery of the matches that the
// planner plans alone (OFFSET 0), where the LIKE has nothing but the
// trigram index or a sequential scan (which memberRows turns off).
func (s *Store) searchFrom(f MemberFilter, where string, args []any) (string, string, []any) {
	from := ` FROM (SELECT * FROM members WHERE name_folded LIKE ? OFFSET 0) m`
	if s.engine == SQLite {
		from = ` FROM members_fts f CROSS JOIN members m ON m.id = f.rowid AND f.name_folded LIKE ?`
	}
	return from + ` JOIN units c ON c.id = m.current_unit_id JOIN units u ON u.id = m.unit_id`,
		where, append([]any{"%" + searchText(f.Q) + "%"}, args...)
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

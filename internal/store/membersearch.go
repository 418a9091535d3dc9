package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"congdoan/internal/vn"
)

// A name search (MemberFilter.Q) keeps the members whose folded name
// contains the folded text: LIKE '%text%'. Migration 013 indexes the
// folded names by trigrams (pg_trgm on PostgreSQL, FTS5's trigram
// tokenizer on SQLite), so a search can read its matches from that index
// instead of walking the members in name order until a page is full.
// Which way is cheaper depends on how many members match: a common name
// ("nguyen") fills a page within a few hundred rows of the walk, a rare
// one would walk a whole country's list; the store asks the index how
// many there are (searchMatches) and picks (listPlanOf).

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

package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Helpers of the queries that take a list of IDs.

// inBatch is the most IDs one query binds in an IN list: well under
// SQLite's and PostgreSQL's limits on bound parameters, and short enough
// for the planner to use the index for each.
const inBatch = 500

// eachBatch calls fn with ids (or codes) cut into slices of at most
// inBatch, in order, and stops at the first error.
func eachBatch[T any](ids []T, fn func(part []T) error) error {
	for i := 0; i < len(ids); i += inBatch {
		if err := fn(ids[i:min(i+inBatch, len(ids))]); err != nil {
			return err
		}
	}
	return nil
}

// sumsIn runs a query of (id, number) rows once per batch of ids and
// gathers the rows by id; query gives the SQL and arguments of a batch,
// what names it in an error.
func (s *Store) sumsIn(ctx context.Context, what string, ids []int64, query func(part []int64) (string, []any)) (map[int64]int64, error) {
	out := map[int64]int64{}
	err := eachBatch(ids, func(part []int64) error {
		q, args := query(part)
		rows, err := s.replica.QueryContext(ctx, s.rebind(q), args...)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return scanSums(rows, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// asArgs are ids (or codes) as query arguments.
func asArgs[T any](ids []T) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// scanSums reads (id, number) rows into out and closes them.
func scanSums(rows *sql.Rows, out map[int64]int64) error {
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		out[id] = n
	}
	return rows.Err()
}

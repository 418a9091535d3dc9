package store

import (
	"database/sql"
	"encoding/base64"
	"encoding/binary"
)

// collect reads every row of a query's result into a slice: scan fills
// one value from the current row. It closes rows, and passes on the
// query's error (err) and the iteration's.
//
//	rows, err := s.read.QueryContext(ctx, query, args...)
//	return collect(rows, err, func(v *T) error { return rows.Scan(&v.A, &v.B) })
func collect[T any](rows *sql.Rows, err error, scan func(v *T) error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// forEachRow calls fn on every row of a query's result, for the reads
// that file rows into maps rather than a slice (collect). It closes rows,
// and passes on the query's error (err), fn's and the iteration's.
func forEachRow(rows *sql.Rows, err error, fn func() error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// forEachValues calls fn on every row of a query's result, scanned
// column by column into vals as the driver gives them, for the reads
// that take any query's rows whatever its columns (a fingerprint, a
// test's dump). vals is reused from row to row: fn copies what it keeps.
// Like forEachRow, it closes rows and passes on err, fn's and the
// iteration's errors.
func forEachValues(rows *sql.Rows, err error, fn func(vals []any) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// cursorHead decodes a keyset cursor token of at most max bytes that
// starts with a varint: it returns that number and the bytes after it.
// Anything else is ErrBadCursor.
func cursorHead(token string, max int) (first int64, rest []byte, err error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) > max {
		return 0, nil, ErrBadCursor
	}
	first, k := binary.Varint(b)
	if k <= 0 {
		return 0, nil, ErrBadCursor
	}
	return first, b[k:], nil
}

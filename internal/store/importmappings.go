package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// ImportMapping is the mapping a unit's users chose for the headers of an
// import kind the importer does not know (importer.Importer.Mapping), for
// the files whose header has the signature headers
// (importer.HeaderSignature): a header's key to a column, "" to skip it.
// Nil when none is saved.
func (s *Store) ImportMapping(ctx context.Context, unitID int64, kind, headers string) (map[string]string, error) {
	var raw string
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT mapping FROM import_mappings WHERE unit_id = ? AND kind = ? AND headers = ?`),
		unitID, kind, headers).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, err
	}
	return m, nil
}

// SaveImportMapping remembers a mapping for a unit, a kind and a header
// signature, replacing the one saved before; an empty mapping forgets it.
func (s *Store) SaveImportMapping(ctx context.Context, unitID int64, kind, headers string, mapping map[string]string, by string) error {
	if len(mapping) == 0 {
		_, err := s.write.ExecContext(ctx, s.rebind(`DELETE FROM import_mappings WHERE unit_id = ? AND kind = ? AND headers = ?`), unitID, kind, headers)
		return err
	}
	b, err := json.Marshal(mapping)
	if err != nil {
		return err
	}
	_, err = s.write.ExecContext(ctx, s.rebind(`INSERT INTO import_mappings (unit_id, kind, headers, mapping, updated_by, updated_at) VALUES (?,?,?,?,?,?)
		ON CONFLICT (unit_id, kind, headers) DO UPDATE SET mapping = excluded.mapping, updated_by = excluded.updated_by, updated_at = excluded.updated_at`),
		unitID, kind, headers, string(b), by, time.Now().UTC().Format(time.RFC3339))
	return err
}

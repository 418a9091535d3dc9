package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// AuditEntry is one line of the audit log: who changed what, and when.
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	// UnitID is the unit the change concerns (0: none); its subtree's users
	// read the entry. UnitCode is filled when reading.
	UnitID   int64  `json:"-"`
	UnitCode string `json:"unit_code,omitempty"`
	Detail   string `json:"detail,omitempty"`
	// Units are further units the change concerns (the grassroots units an
	// import touched, the unit of a linked enterprise): each one's subtree
	// reads the entry too. Written only; at most a few thousand per entry.
	Units []int64 `json:"-"`
}

// Audit appends an entry to the audit log in the write transaction of the
// change it records, so that the entry lands exactly when the change does.
func (tx *Tx) Audit(e AuditEntry) error {
	var unit any
	if e.UnitID != 0 {
		unit = e.UnitID
	}
	var id int64
	err := tx.queryRow(`INSERT INTO audit_log (at, actor, action, unit_id, detail) VALUES (?,?,?,?,?) RETURNING id`,
		time.Now().UTC().Format(time.RFC3339Nano), e.Actor, e.Action, unit, e.Detail).Scan(&id)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return tx.auditUnits(id, e.UnitID, e.Units)
}

// auditUnitsBatch bounds the rows of one INSERT into audit_units.
const auditUnitsBatch = 500

// auditUnits links entry id to units, once each, leaving out its own unit.
func (tx *Tx) auditUnits(id, own int64, units []int64) error {
	seen := map[int64]bool{own: true, 0: true}
	var ids []int64
	for _, u := range units {
		if !seen[u] {
			seen[u] = true
			ids = append(ids, u)
		}
	}
	for len(ids) > 0 {
		n := min(len(ids), auditUnitsBatch)
		q := strings.Repeat("(?,?),", n)
		args := make([]any, 0, 2*n)
		for _, u := range ids[:n] {
			args = append(args, u, id)
		}
		if _, err := tx.exec(`INSERT INTO audit_units (unit_id, audit_id) VALUES `+q[:len(q)-1], args...); err != nil {
			return fmt.Errorf("audit log units: %w", err)
		}
		ids = ids[n:]
	}
	return nil
}

// Audit appends an entry on its own, for events that change no record
// (logging in and out).
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.Audit(e) })
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	// UnitPath limits the entries to those of the units of a subtree;
	// empty: every entry.
	UnitPath string
	// Unscoped adds the entries that concern no unit (a root's admin).
	Unscoped      bool
	Limit, Offset int
}

// where is the condition on audit_log a (joined to its unit u) that
// selects the entries of f: those whose unit, or one of whose linked units
// (audit_units), is in the subtree. The linked units are looked up from
// the subtree's units, through the (unit_id, audit_id) key, so that a
// small subtree costs a few probes per entry, not one per linked unit.
func (f AuditFilter) where() (string, []any) {
	if f.UnitPath == "" {
		return `1 = 1`, nil
	}
	end := prefixEnd(f.UnitPath)
	where := `(u.path >= ? AND u.path < ?)
		OR EXISTS (SELECT 1 FROM audit_units au WHERE au.audit_id = a.id
			AND au.unit_id IN (SELECT v.id FROM units v WHERE v.path >= ? AND v.path < ?))`
	if f.Unscoped {
		where += ` OR a.unit_id IS NULL`
	}
	return where, []any{f.UnitPath, end, f.UnitPath, end}
}

// AuditLog lists audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	where, args := f.where()
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT a.id, a.at, a.actor, a.action, COALESCE(a.unit_id, 0), COALESCE(u.code, ''), a.detail
		FROM audit_log a LEFT JOIN units u ON u.id = a.unit_id WHERE `+where+` ORDER BY a.id DESC LIMIT ? OFFSET ?`),
		append(args, f.Limit, f.Offset)...)
	return collect(rows, err, func(e *AuditEntry) error {
		return rows.Scan(&e.ID, (*timestamp)(&e.At), &e.Actor, &e.Action, &e.UnitID, &e.UnitCode, &e.Detail)
	})
}

// timestamp scans a TIMESTAMPTZ (PostgreSQL) or RFC 3339 text (SQLite).
type timestamp time.Time

func (t *timestamp) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*t = timestamp(v.UTC())
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	}
	return fmt.Errorf("cannot scan %T into a time", src)
}

func (t *timestamp) parse(s string) error {
	v, err := time.Parse(time.RFC3339Nano, s)
	*t = timestamp(v.UTC())
	return err
}

var _ sql.Scanner = (*timestamp)(nil)

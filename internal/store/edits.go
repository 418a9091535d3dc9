package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/vn"
)

// The writes of the web application's edit forms that the importer does
// not make: a member's national ID changed, a mistaken admission undone,
// and the searching unit picker's query.

// ErrIDTaken is the error of a national ID that another member already has.
var ErrIDTaken = errors.New("national ID already on record")

// RenameMember gives the member on record with national ID oldID the
// national ID newID, in the transaction: the importer then rewrites the
// record under its new ID, with the counters kept (a member's counters do
// not depend on the ID). newID held by another member is ErrIDTaken.
func (tx *Tx) RenameMember(oldID, newID string) error {
	if oldID == newID {
		return nil
	}
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM members WHERE national_id = ?`, newID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ErrIDTaken
	}
	res, err := tx.exec(`UPDATE members SET national_id = ? WHERE national_id = ?`, newID, oldID)
	if err != nil {
		return fmt.Errorf("change a national ID: %w", err)
	}
	if k, err := res.RowsAffected(); err == nil && k == 0 {
		return domain.NotFound("member", oldID)
	}
	return nil
}

// DeleteMember removes the member with that national ID and their
// transfers (an admission made by mistake), taking the member's
// contribution out of the daily counters: afterwards the reports read as
// if the member had never been recorded. It returns what it removed.
func (tx *Tx) DeleteMember(nationalID string) (*domain.Member, []domain.Transfer, error) {
	ms, ts, err := tx.Members([]string{nationalID})
	if err != nil {
		return nil, nil, err
	}
	m := ms[nationalID]
	if m == nil {
		return nil, nil, domain.NotFound("member", nationalID)
	}
	tx.deltas.AddMember(m, ts[nationalID], -1)
	if _, err := tx.exec(`DELETE FROM transfers WHERE member_id = ?`, m.ID); err != nil {
		return nil, nil, fmt.Errorf("delete transfers: %w", err)
	}
	if _, err := tx.exec(`DELETE FROM members WHERE id = ?`, m.ID); err != nil {
		return nil, nil, fmt.Errorf("delete member: %w", err)
	}
	return m, ts[nationalID], nil
}

// foldUnitNames fills units.name_folded for the units written before it
// existed (migration 007), a thousand at a time; once done, it reads one
// index entry.
func (s *Store) foldUnitNames(ctx context.Context) error {
	return s.backfill(ctx, "fold unit names",
		func(after int64) (string, []any) {
			return `SELECT id, name FROM units WHERE name_folded = '' AND name <> '' AND id > ? ORDER BY id LIMIT 1000`, []any{after}
		},
		`UPDATE units SET name_folded = ? WHERE id = ?`,
		func(name string) any { return vn.Fold(name) })
}

// backfill fills a column derived from another, a batch at a time, until
// a batch comes back empty: batch(after) is the query of the next batch of
// (id, source) rows still to fill and its arguments (after: the last id
// of the batch before, 0 at first), update writes derive(source) to the
// row of an id. Each batch is written in one transaction; errors are
// wrapped with what.
func (s *Store) backfill(ctx context.Context, what string, batch func(after int64) (string, []any), update string, derive func(string) any) error {
	type named struct {
		id   int64
		name string
	}
	var after int64
	for {
		q, args := batch(after)
		rows, err := s.write.QueryContext(ctx, s.rebind(q), args...)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		todo, err := collect(rows, nil, func(x *named) error { return rows.Scan(&x.id, &x.name) })
		if err != nil {
			return err
		}
		if len(todo) == 0 {
			return nil
		}
		err = s.Write(ctx, func(tx *Tx) error {
			for _, x := range todo {
				if _, err := tx.exec(update, derive(x.name), x.id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		after = todo[len(todo)-1].id
	}
}

// UnitQuery is what the unit picker looks for.
type UnitQuery struct {
	// Path limits the units to a subtree (the user's).
	Path string
	// Q: words that the name or the code contains, each, without regard
	// to case and diacritics ("phuong hoan kiem" finds "Phường Hoàn Kiếm").
	Q string
	// Kinds limits the units to these kinds; none: every kind.
	Kinds []string
	// OpenOn, when set, keeps the units open on that day (founded by then,
	// not dissolved).
	OpenOn domain.Date
	// Limit is the most units returned (default 20, at most 100).
	Limit int
}

// maxQueryWords bounds the words of a search: each is one more LIKE.
const maxQueryWords = 8

// likeEscape escapes the wildcards of a LIKE pattern (ESCAPE '\').
var likeEscape = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// SearchUnits finds units by words of their name or code: the unit whose
// code is the query first, then the rest by folded name. It reads the
// folded names stored with the units (no name is folded per query),
// through the path index for a small subtree or the folded-name index in
// name order, which stops at the limit.
func (s *Store) SearchUnits(ctx context.Context, q UnitQuery) ([]*domain.Unit, error) {
	if q.Limit <= 0 {
		q.Limit = 20
	}
	q.Limit = min(q.Limit, 100)
	folded := strings.Join(strings.Fields(vn.Fold(q.Q)), " ")
	where, args := ` WHERE 1 = 1`, []any{}
	if q.Path != "" {
		where, args = ` WHERE u.path >= ? AND u.path < ?`, []any{q.Path, prefixEnd(q.Path)}
	}
	if len(q.Kinds) > 0 {
		where += ` AND u.kind IN ` + placeholders(1, len(q.Kinds))
		for _, k := range q.Kinds {
			args = append(args, k)
		}
	}
	if !q.OpenOn.IsZero() {
		where += ` AND ` + openOn("u")
		args = append(args, q.OpenOn, q.OpenOn)
	}
	// The unit whose code was typed comes first (the unique code index).
	var first []*domain.Unit
	if raw := strings.TrimSpace(q.Q); raw != "" {
		var err error
		first, err = s.unitsWhere(ctx, where+` AND u.code IN (?, ?)`, append(append([]any(nil), args...), raw, strings.ToUpper(raw))...)
		if err != nil {
			return nil, err
		}
		first = first[:min(len(first), 1)]
	}
	words := strings.Fields(folded)
	if len(words) > maxQueryWords {
		words = words[:maxQueryWords]
	}
	for _, w := range words {
		p := "%" + likeEscape.Replace(w) + "%"
		where += ` AND (u.name_folded LIKE ? ESCAPE '\' OR LOWER(u.code) LIKE ? ESCAPE '\')`
		args = append(args, p, p)
	}
	if len(first) > 0 {
		where += ` AND u.id <> ?`
		args = append(args, first[0].ID)
	}
	// The matching IDs first, in name order (the folded-name index can
	// serve it and stop at the limit), then their columns and parents.
	// Folded names are ASCII: byte order is their order, the order of
	// the index (PostgreSQL's is "C"; SQLite compares bytes).
	order := ` ORDER BY u.name_folded, u.code`
	if s.engine == Postgres {
		order = ` ORDER BY u.name_folded COLLATE "C", u.code COLLATE "C"`
	}
	ids := `SELECT u.id FROM units u` + where + order + ` LIMIT ?`
	args = append(args, q.Limit-len(first))
	rest, err := s.unitsWhere(ctx, ` WHERE u.id IN (`+ids+`)`+order, args...)
	if err != nil {
		return nil, err
	}
	return append(first, rest...), nil
}

// UserByName returns a user of the list, with their unit's name, or an
// error wrapping domain.ErrNotFound.
func (s *Store) UserByName(ctx context.Context, name string) (*UserInfo, error) {
	var u UserInfo
	var disabled int
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT us.id, us.name, us.role, un.id, un.code, un.path, un.name, us.created_at, us.disabled
		FROM users us JOIN units un ON un.id = us.unit_id WHERE us.name = ?`), name).
		Scan(&u.ID, &u.Name, &u.Role, &u.UnitID, &u.UnitCode, &u.UnitPath, &u.UnitName, (*timestamp)(&u.CreatedAt), &disabled)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, domain.NotFound("user", name)
		}
		return nil, err
	}
	u.Disabled = disabled != 0
	return &u, nil
}

// UpdateUser gives a user a role and a unit, with an audit entry under
// actor (detail: what changed, before → after), filed under the new unit.
func (s *Store) UpdateUser(ctx context.Context, actor string, userID int64, role string, unitID int64, detail string) error {
	return s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE users SET role = ?, unit_id = ? WHERE id = ?`, role, unitID, userID); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: "user.edit", UnitID: unitID, Detail: detail})
	})
}

// SetUserDisabled disables a user (or enables them again), with an audit
// entry under actor. Disabling ends the user's sessions and revokes their
// API tokens in the same transaction; logins, sessions and tokens of a
// disabled user are refused anyway (CheckPassword, Session, UserByToken).
func (s *Store) SetUserDisabled(ctx context.Context, actor string, u *User, disabled bool) error {
	flag, action := 0, "user.enable"
	if disabled {
		flag, action = 1, "user.disable"
	}
	return s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE users SET disabled = ? WHERE id = ?`, flag, u.ID); err != nil {
			return fmt.Errorf("disable user: %w", err)
		}
		if disabled {
			if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return fmt.Errorf("end the sessions of %s: %w", u.Name, err)
			}
			if _, err := tx.exec(`UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, time.Now().Unix(), u.ID); err != nil {
				return fmt.Errorf("revoke the tokens of %s: %w", u.Name, err)
			}
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: action, UnitID: u.UnitID, Detail: u.Name})
	})
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"congdoan/internal/domain"
)

// Self-service joining: each open grassroots union and each enterprise
// with no union has one live join link, a random token an officer can
// rotate; a worker's request through it waits in the queue of the union,
// or of the enterprise's responsible upper union, for 10 working days.

// JoinTarget is what a join link leads to: a union, or an enterprise with
// no union (Unit nil).
type JoinTarget struct {
	Token      string
	Unit       *domain.Unit
	Enterprise *domain.Enterprise
}

// newJoinToken is 16 random bytes, URL-safe: not guessable, so the links
// of other unions cannot be found by trying.
func newJoinToken() (string, error) { return randomToken(16) }

// JoinLink returns the live join token of a unit (unitID) or of an
// enterprise (taxCode), making one on first use.
func (s *Store) JoinLink(ctx context.Context, unitID int64, taxCode string) (string, error) {
	col, key := "unit_id", any(unitID)
	if unitID == 0 {
		col, key = "tax_code", taxCode
	}
	var tok string
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT token FROM join_links WHERE `+col+` = ? AND revoked_at IS NULL`), key).Scan(&tok)
	if err == nil {
		return tok, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	err = s.Write(ctx, func(tx *Tx) error {
		if err := tx.queryRow(`SELECT token FROM join_links WHERE `+col+` = ? AND revoked_at IS NULL`, key).Scan(&tok); err == nil {
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		t, err := tx.newJoinLink(unitID, taxCode)
		tok = t
		return err
	})
	return tok, err
}

// newJoinLink makes a new join token of a unit (unitID) or of an
// enterprise (taxCode).
func (tx *Tx) newJoinLink(unitID int64, taxCode string) (string, error) {
	tok, err := newJoinToken()
	if err != nil {
		return "", err
	}
	var u, e any
	if unitID != 0 {
		u = unitID
	} else {
		e = taxCode
	}
	_, err = tx.exec(`INSERT INTO join_links (token, unit_id, tax_code, created_at) VALUES (?,?,?,?)`, tok, u, e, nowText())
	return tok, err
}

// RotateJoinLink revokes the live join link of a unit or an enterprise
// and makes another: posters printed before stop working.
func (s *Store) RotateJoinLink(ctx context.Context, actor string, auditUnit, unitID int64, taxCode string) (string, error) {
	col, key := "unit_id", any(unitID)
	if unitID == 0 {
		col, key = "tax_code", taxCode
	}
	var tok string
	err := s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE join_links SET revoked_at = ? WHERE `+col+` = ? AND revoked_at IS NULL`, nowText(), key); err != nil {
			return err
		}
		t, err := tx.newJoinLink(unitID, taxCode)
		tok = t
		if err != nil {
			return err
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: "join.rotate", UnitID: auditUnit, Detail: fmt.Sprint(key)})
	})
	return tok, err
}

// JoinTargetOf returns what a live join token leads to, or not found.
func (s *Store) JoinTargetOf(ctx context.Context, token string) (*JoinTarget, error) {
	var unitID sql.NullInt64
	var taxCode sql.NullString
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT unit_id, tax_code FROM join_links WHERE token = ? AND revoked_at IS NULL`), token).Scan(&unitID, &taxCode)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("join link", "")
	}
	if err != nil {
		return nil, err
	}
	t := &JoinTarget{Token: token}
	if unitID.Valid {
		u, err := scanUnit(s.read.QueryRowContext(ctx, s.rebind(`SELECT `+unitCols+unitFrom+` WHERE u.id = ?`), unitID.Int64))
		if err != nil {
			return nil, err
		}
		t.Unit = u
		return t, nil
	}
	e, err := s.Enterprise(ctx, taxCode.String)
	if err != nil {
		return nil, err
	}
	t.Enterprise = e
	return t, nil
}

// Join request statuses.
const (
	JoinPending  = "pending"
	JoinApproved = "approved"
	JoinRejected = "rejected"
)

// JoinRequest is a worker's request to join.
type JoinRequest struct {
	ID int64 `json:"id"`
	// UnitCode is the union asked; TaxCode the enterprise whose link was
	// used when it had no union; QueueUnitCode the unit whose officers
	// decide.
	UnitCode      string      `json:"unit_code,omitempty"`
	TaxCode       string      `json:"enterprise_tax_code,omitempty"`
	QueueUnitCode string      `json:"queue_unit_code"`
	FullName      string      `json:"full_name"`
	NationalID    string      `json:"national_id"`
	IDType        string      `json:"id_type"`
	DateOfBirth   domain.Date `json:"date_of_birth"`
	Gender        string      `json:"gender"`
	Phone         string      `json:"phone"`
	Workplace     string      `json:"workplace"`
	CreatedOn     domain.Date `json:"created_on"`
	DueOn         domain.Date `json:"due_on"`
	Status        string      `json:"status"`
	// Overdue: pending after its due date.
	Overdue   bool        `json:"overdue"`
	DecidedOn domain.Date `json:"decided_on"`
	DecidedBy string      `json:"decided_by,omitempty"`
	Reason    string      `json:"reason,omitempty"`
	// Outcome of an approval: admitted, or transferred (a member elsewhere).
	Outcome  string `json:"outcome,omitempty"`
	MemberID int64  `json:"member_id,omitempty"`

	unitID, queueUnitID int64
	queuePath           string
}

// QueueUnitID is the ID of the unit whose officers decide.
func (j *JoinRequest) QueueUnitID() int64 { return j.queueUnitID }

// QueuePath is the path of the unit whose officers decide.
func (j *JoinRequest) QueuePath() string { return j.queuePath }

// JoinResponseDays is how many working days the law gives to answer.
const JoinResponseDays = 10

// AddJoinRequest records a request made through a join link, unless the
// same person asked the same union (or enterprise) within the last day:
// then it reports false and records nothing. The request's due date is 10
// working days after the day it is made: today, or j.CreatedOn where set
// (the demo's history).
func (s *Store) AddJoinRequest(ctx context.Context, t *JoinTarget, j *JoinRequest) (bool, error) {
	if j.CreatedOn.IsZero() {
		j.CreatedOn = domain.Today()
	}
	j.DueOn, j.Status = domain.AddWorkingDays(j.CreatedOn, JoinResponseDays), JoinPending
	added := false
	err := s.Write(ctx, func(tx *Tx) error {
		added = false
		var unit, tax any
		var queue int64
		key, col := any(nil), ""
		if t.Unit != nil {
			unit, queue, key, col = t.Unit.ID, t.Unit.ID, t.Unit.ID, "unit_id"
		} else {
			resp, err := tx.Unit(t.Enterprise.UnitCode)
			if err != nil {
				return err
			}
			tax, queue, key, col = t.Enterprise.TaxCode, resp.ID, t.Enterprise.TaxCode, "tax_code"
		}
		since := time.Now().UTC().Add(-24 * time.Hour).Format(time.RFC3339)
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM join_requests WHERE national_id = ? AND created_at >= ? AND `+col+` = ?`, j.NationalID, since, key).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		now := nowText()
		err := tx.queryRow(`INSERT INTO join_requests (unit_id, tax_code, queue_unit_id, full_name, national_id, id_type, date_of_birth, gender, phone,
			workplace, consent_at, created_at, created_on, due_on, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
			unit, tax, queue, j.FullName, j.NationalID, j.IDType, j.DateOfBirth, j.Gender, j.Phone, j.Workplace, now, now, j.CreatedOn, j.DueOn, JoinPending).Scan(&j.ID)
		if err != nil {
			return fmt.Errorf("save a join request: %w", err)
		}
		added = true
		// The audit entry names neither the person nor the ID number: the
		// request itself is the record.
		return tx.Audit(AuditEntry{Actor: "public", Action: "join.request", UnitID: queue, Detail: fmt.Sprintf("#%d", j.ID)})
	})
	return added, err
}

const joinCols = `j.id, COALESCE(u.code, ''), COALESCE(j.tax_code, ''), q.code, j.full_name, j.national_id, j.id_type, j.date_of_birth, j.gender, j.phone,
	j.workplace, j.created_on, j.due_on, j.status, j.decided_on, j.decided_by, j.reason, j.outcome, j.member_id, COALESCE(j.unit_id, 0), j.queue_unit_id, q.path`
const joinFrom = ` FROM join_requests j JOIN units q ON q.id = j.queue_unit_id LEFT JOIN units u ON u.id = j.unit_id`

func scanJoin(sc interface{ Scan(...any) error }, today domain.Date) (*JoinRequest, error) {
	j := &JoinRequest{}
	var decided sql.Null[domain.Date]
	var member sql.NullInt64
	err := sc.Scan(&j.ID, &j.UnitCode, &j.TaxCode, &j.QueueUnitCode, &j.FullName, &j.NationalID, &j.IDType, &j.DateOfBirth, &j.Gender, &j.Phone,
		&j.Workplace, &j.CreatedOn, &j.DueOn, &j.Status, &decided, &j.DecidedBy, &j.Reason, &j.Outcome, &member, &j.unitID, &j.queueUnitID, &j.queuePath)
	j.DecidedOn, j.MemberID = decided.V, member.Int64
	j.Overdue = j.Status == JoinPending && today > j.DueOn
	return j, err
}

// JoinRequestByID returns a join request.
func (s *Store) JoinRequestByID(ctx context.Context, id int64) (*JoinRequest, error) {
	j, err := scanJoin(s.read.QueryRowContext(ctx, s.rebind(`SELECT `+joinCols+joinFrom+` WHERE j.id = ?`), id), domain.Today())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("join request", fmt.Sprint(id))
	}
	return j, err
}

// JoinRequests returns up to limit requests whose deciding unit is in the
// subtree at queuePath, with a status ("" for all), oldest first, after
// the request afterID (keyset paging).
func (s *Store) JoinRequests(ctx context.Context, queuePath, status string, afterID int64, limit int) ([]*JoinRequest, error) {
	where := ` WHERE q.path >= ? AND q.path < ? AND j.id > ?`
	args := []any{queuePath, prefixEnd(queuePath), afterID}
	if status != "" {
		where += ` AND j.status = ?`
		args = append(args, status)
	}
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT `+joinCols+joinFrom+where+` ORDER BY j.id LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("join requests: %w", err)
	}
	defer rows.Close()
	today := domain.Today()
	out := []*JoinRequest{}
	for rows.Next() {
		j, err := scanJoin(rows, today)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// JoinCounts counts the requests of a deciding unit's subtree: pending,
// and of those overdue.
func (s *Store) JoinCounts(ctx context.Context, queuePath string) (pending, overdue int, err error) {
	err = s.read.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN j.due_on < ? THEN 1 ELSE 0 END), 0)
		FROM join_requests j JOIN units q ON q.id = j.queue_unit_id WHERE q.path >= ? AND q.path < ? AND j.status = 'pending'`),
		domain.Today(), queuePath, prefixEnd(queuePath)).Scan(&pending, &overdue)
	return
}

// DecideJoinRequest marks a pending request approved (with the outcome)
// or rejected, in tx: ErrDecided when it was decided already, so that two
// officers deciding at once decide once. An approval runs it in the
// importer's transaction that admits or transfers the member
// (importer.Importer.Before), so the two land together or not at all.
func (tx *Tx) DecideJoinRequest(id int64, status string, on domain.Date, actor, reason, outcome string) error {
	res, err := tx.exec(`UPDATE join_requests SET status = ?, decided_on = ?, decided_by = ?, reason = ?, outcome = ?
		WHERE id = ? AND status = 'pending'`, status, on, actor, reason, outcome, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrDecided
	}
	return nil
}

// LinkJoinMember notes on an approved request the member record of its
// national ID.
func (s *Store) LinkJoinMember(ctx context.Context, id int64) error {
	return s.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE join_requests SET member_id = (SELECT m.id FROM members m WHERE m.national_id = join_requests.national_id) WHERE id = ?`, id)
		return err
	})
}

// RejectJoinRequest rejects a pending request with a reason.
func (s *Store) RejectJoinRequest(ctx context.Context, j *JoinRequest, actor, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return invalid("reason", "required")
	}
	if len([]rune(reason)) > 1000 {
		return invalid("reason", "org_too_long")
	}
	return s.Write(ctx, func(tx *Tx) error {
		if err := tx.DecideJoinRequest(j.ID, JoinRejected, domain.Today(), actor, reason, ""); err != nil {
			return err
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: "join.reject", UnitID: j.queueUnitID, Detail: fmt.Sprintf("#%d", j.ID)})
	})
}

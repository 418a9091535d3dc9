package store

import (
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/vn"
)

const memberCols = `m.id, m.national_id, m.id_type, m.full_name, m.date_of_birth, m.gender, m.unit_id, u.code, m.joined_on, m.joined_how, m.left_on, m.party_introduced_on, m.card_no`
const memberFrom = ` FROM members m JOIN units u ON u.id = m.unit_id`

func scanMember(sc interface{ Scan(...any) error }) (*domain.Member, error) {
	m := &domain.Member{}
	err := sc.Scan(&m.ID, &m.NationalID, &m.IDType, &m.FullName, &m.DateOfBirth, &m.Gender, &m.UnitID, &m.UnitCode,
		&m.JoinedOn, &m.JoinedHow, &m.LeftOn, &m.PartyIntroducedOn, &m.CardNo)
	return m, err
}

// Members returns the members with these national IDs and their transfers
// (in date order), keyed by national ID.
func (tx *Tx) Members(ids []string) (map[string]*domain.Member, map[string][]domain.Transfer, error) {
	ms := map[string]*domain.Member{}
	ts := map[string][]domain.Transfer{}
	if len(ids) == 0 {
		return ms, ts, nil
	}
	err := eachBatch(ids, func(part []string) error {
		args := asArgs(part)
		in := placeholders(1, len(part))
		rows, err := tx.query(`SELECT `+memberCols+memberFrom+` WHERE m.national_id IN `+in+tx.s.notHeld("m"), args...)
		err = forEachRow(rows, err, func() error {
			m, err := scanMember(rows)
			if err == nil {
				ms[m.NationalID] = m
			}
			return err
		})
		if err != nil {
			return err
		}
		rows, err = tx.query(`SELECT m.national_id, t.day, t.to_unit_id, u.code FROM transfers t JOIN members m ON m.id = t.member_id
			JOIN units u ON u.id = t.to_unit_id WHERE m.national_id IN `+in+` ORDER BY t.day`, args...)
		return forEachRow(rows, err, func() error {
			var t domain.Transfer
			if err := rows.Scan(&t.NationalID, &t.Date, &t.ToUnitID, &t.ToUnitCode); err != nil {
				return err
			}
			ts[t.NationalID] = append(ts[t.NationalID], t)
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	return ms, ts, nil
}

// SaveMembers inserts or updates members (keyed by national ID) and keeps
// the daily counters: it reads each member's record and transfers on
// record, takes their old contribution out and adds the new one. The
// transfers on record stay (SaveTransfers changes them).
func (tx *Tx) SaveMembers(ms []*domain.Member) error {
	for len(ms) > 0 {
		// A batch holds each national ID once: a later row of the same
		// person updates the earlier in the next batch.
		n, seen := 0, map[string]bool{}
		for n < len(ms) && n < 1000 && !seen[ms[n].NationalID] {
			seen[ms[n].NationalID] = true
			n++
		}
		part := ms[:n]
		ms = ms[n:]
		// New members go in at once (no record, no transfers to read); only
		// those already on record are read and updated.
		added, err := tx.insertMembers(part)
		if err != nil {
			return err
		}
		var known []*domain.Member
		var ids []string
		for _, m := range part {
			if added[m.NationalID] {
				tx.deltas.AddMember(m, nil, 1)
			} else {
				known = append(known, m)
				ids = append(ids, m.NationalID)
			}
		}
		if len(known) > 0 {
			old, ts, err := tx.Members(ids)
			if err != nil {
				return err
			}
			for _, m := range known {
				o := old[m.NationalID]
				if o == nil {
					// On record, yet hidden: held by an import not yet
					// committed (holds.go).
					return &ImportingError{NationalID: m.NationalID}
				}
				tx.deltas.AddMember(o, ts[m.NationalID], -1)
				tx.deltas.AddMember(m, ts[m.NationalID], 1)
			}
			if err := tx.putMembers(known, ts); err != nil {
				return err
			}
		}
		if len(tx.deltas) > maxPendingDeltas {
			if err := tx.Flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertMembers inserts the members not yet on record and returns their
// national IDs.
func (tx *Tx) insertMembers(ms []*domain.Member) (map[string]bool, error) {
	args := make([]any, 0, 14*len(ms))
	for _, m := range ms {
		args = append(args, m.NationalID, m.IDType, m.FullName, vn.Fold(m.FullName), vn.NameKey(m.FullName), m.DateOfBirth, m.Gender, m.UnitID,
			m.UnitID, m.JoinedOn, m.JoinedHow, m.LeftOn, m.PartyIntroducedOn, m.CardNo)
	}
	rows, err := tx.query(`INSERT INTO members (national_id, id_type, full_name, name_folded, name_key, date_of_birth, gender, unit_id,
		current_unit_id, joined_on, joined_how, left_on, party_introduced_on, card_no) VALUES `+placeholders(len(ms), 14)+`
		ON CONFLICT (national_id) DO NOTHING RETURNING national_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("save members: %w", err)
	}
	defer rows.Close()
	added := make(map[string]bool, len(ms))
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		added[id] = true
	}
	return added, rows.Err()
}

// SaveTransfers inserts or updates transfers of existing members (keyed by
// member and date) and keeps the daily counters and each member's current
// unit: a member's old contribution is taken out and the one with the new
// transfers added.
func (tx *Tx) SaveTransfers(ts []domain.Transfer) error {
	const batch = 1000
	for i := 0; i < len(ts); i += batch {
		part := ts[i:min(i+batch, len(ts))]
		var ids []string
		for _, t := range part {
			ids = append(ids, t.NationalID)
		}
		members, old, err := tx.Members(ids)
		if err != nil {
			return err
		}
		after := map[string][]domain.Transfer{}
		for _, t := range part {
			if members[t.NationalID] == nil {
				return domain.NotFound("member", t.NationalID)
			}
			list, ok := after[t.NationalID]
			if !ok {
				list = append([]domain.Transfer(nil), old[t.NationalID]...)
			}
			replaced := false
			for k := range list {
				if list[k].Date == t.Date {
					list[k], replaced = t, true
				}
			}
			if !replaced {
				list = append(list, t)
			}
			sort.Slice(list, func(a, b int) bool { return list[a].Date < list[b].Date })
			after[t.NationalID] = list
		}
		for id, list := range after {
			tx.deltas.AddMember(members[id], old[id], -1)
			tx.deltas.AddMember(members[id], list, 1)
		}
		if err := tx.putTransfers(members, part, after); err != nil {
			return err
		}
		if len(tx.deltas) > maxPendingDeltas {
			if err := tx.Flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// putMembers writes members; transfers holds each member's transfers,
// which decide the member's current unit.
func (tx *Tx) putMembers(ms []*domain.Member, transfers map[string][]domain.Transfer) error {
	const batch = 1000 // 14 000 parameters: fewer round trips, within both engines' limits
	for i := 0; i < len(ms); i += batch {
		part := ms[i:min(i+batch, len(ms))]
		args := make([]any, 0, 14*len(part))
		for _, m := range part {
			spells := engine.Spells(m, transfers[m.NationalID])
			current := spells[len(spells)-1].UnitID
			args = append(args, m.NationalID, m.IDType, m.FullName, vn.Fold(m.FullName), vn.NameKey(m.FullName), m.DateOfBirth, m.Gender, m.UnitID,
				current, m.JoinedOn, m.JoinedHow, m.LeftOn, m.PartyIntroducedOn, m.CardNo)
		}
		_, err := tx.exec(`INSERT INTO members (national_id, id_type, full_name, name_folded, name_key, date_of_birth, gender, unit_id,
			current_unit_id, joined_on, joined_how, left_on, party_introduced_on, card_no) VALUES `+placeholders(len(part), 14)+`
			ON CONFLICT (national_id) DO UPDATE SET id_type = excluded.id_type, full_name = excluded.full_name,
			name_folded = excluded.name_folded, name_key = excluded.name_key, date_of_birth = excluded.date_of_birth, gender = excluded.gender,
			unit_id = excluded.unit_id, current_unit_id = excluded.current_unit_id, joined_on = excluded.joined_on,
			joined_how = excluded.joined_how, left_on = excluded.left_on, party_introduced_on = excluded.party_introduced_on,
			card_no = excluded.card_no`, args...)
		if err != nil {
			return fmt.Errorf("save members: %w", err)
		}
	}
	return nil
}

// putTransfers writes transfers of existing members and moves each
// member's current unit.
func (tx *Tx) putTransfers(members map[string]*domain.Member, ts []domain.Transfer, all map[string][]domain.Transfer) error {
	const batch = 200
	for i := 0; i < len(ts); i += batch {
		part := ts[i:min(i+batch, len(ts))]
		args := make([]any, 0, 3*len(part))
		for _, t := range part {
			args = append(args, members[t.NationalID].ID, t.Date, t.ToUnitID)
		}
		_, err := tx.exec(`INSERT INTO transfers (member_id, day, to_unit_id) VALUES `+placeholders(len(part), 3)+`
			ON CONFLICT (member_id, day) DO UPDATE SET to_unit_id = excluded.to_unit_id`, args...)
		if err != nil {
			return fmt.Errorf("save transfers: %w", err)
		}
	}
	done := map[string]bool{}
	for _, t := range ts {
		if done[t.NationalID] {
			continue
		}
		done[t.NationalID] = true
		m := members[t.NationalID]
		spells := engine.Spells(m, all[t.NationalID])
		if _, err := tx.exec(`UPDATE members SET current_unit_id = ? WHERE id = ?`, spells[len(spells)-1].UnitID, m.ID); err != nil {
			return err
		}
	}
	return nil
}

// EachMember calls fn for every member with its transfers, a page at a
// time so that no cursor stays open while fn writes.
func (tx *Tx) EachMember(fn func(*domain.Member, []domain.Transfer) error) error {
	const page = 5000
	var after int64
	for {
		rows, err := tx.query(`SELECT `+memberCols+memberFrom+` WHERE m.id > ?`+tx.s.notHeld("m")+` ORDER BY m.id LIMIT ?`, after, page)
		ms, err := collect(rows, err, func(m **domain.Member) (err error) {
			*m, err = scanMember(rows)
			return err
		})
		if err != nil {
			return err
		}
		if len(ms) == 0 {
			return nil
		}
		lo, hi := ms[0].ID, ms[len(ms)-1].ID
		ts := map[int64][]domain.Transfer{}
		rows, err = tx.query(`SELECT t.member_id, t.day, t.to_unit_id FROM transfers t WHERE t.member_id BETWEEN ? AND ? ORDER BY t.day`, lo, hi)
		err = forEachRow(rows, err, func() error {
			var id int64
			var t domain.Transfer
			if err := rows.Scan(&id, &t.Date, &t.ToUnitID); err != nil {
				return err
			}
			ts[id] = append(ts[id], t)
			return nil
		})
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := fn(m, ts[m.ID]); err != nil {
				return err
			}
		}
		after = hi
	}
}

// Enterprise returns an enterprise by tax code.
func (tx *Tx) Enterprise(taxCode string) (*domain.Enterprise, error) {
	e := &domain.Enterprise{}
	err := tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(`SELECT e.tax_code, e.name, e.ownership, e.employees, e.address, e.area, u.code, e.source
		FROM enterprises e JOIN units u ON u.id = e.unit_id WHERE e.tax_code = ?`), taxCode).
		Scan(&e.TaxCode, &e.Name, &e.Ownership, &e.Employees, &e.Address, &e.Area, &e.UnitCode, &e.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("enterprise", taxCode)
	}
	return e, err
}

// PutEnterprises inserts or updates enterprises (keyed by tax code); their
// unit codes must exist.
func (tx *Tx) PutEnterprises(es []*domain.Enterprise) error {
	const batch = 200
	for i := 0; i < len(es); i += batch {
		part := es[i:min(i+batch, len(es))]
		args := make([]any, 0, 8*len(part))
		for _, e := range part {
			u, err := tx.Unit(e.UnitCode)
			if err != nil {
				return err
			}
			args = append(args, e.TaxCode, e.Name, e.Ownership, e.Employees, e.Address, e.Area, u.ID, e.Source)
		}
		_, err := tx.exec(`INSERT INTO enterprises (tax_code, name, ownership, employees, address, area, unit_id, source)
			VALUES `+placeholders(len(part), 8)+` ON CONFLICT (tax_code) DO UPDATE SET name = excluded.name,
			ownership = excluded.ownership, employees = excluded.employees, address = excluded.address,
			area = excluded.area, unit_id = excluded.unit_id, source = excluded.source`, args...)
		if err != nil {
			return fmt.Errorf("save enterprises: %w", err)
		}
	}
	return nil
}

// NoMembers reports whether the members table is empty, which spares a
// first import the look-up of members that cannot exist yet.
func (tx *Tx) NoMembers() (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM members LIMIT 1) x`).Scan(&n)
	return n == 0, err
}

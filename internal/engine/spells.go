// Package engine computes the indicators of docs/indicators.md. It is pure: the
// store hands it small aggregated facts (daily counters of a few units and
// the classes of the grassroots units founded in the window) and it
// returns the report.
// It also turns one member's history into the daily-counter deltas that the
// store keeps up to date on every write, so the rules of spells live in one
// place.
package engine

import (
	"sort"

	"congdoan/internal/domain"
)

// Spell is a stretch of days [From, To) during which a member belongs to
// UnitID; To is zero while the spell is open.
type Spell struct {
	UnitID   int64
	From, To domain.Date
}

// Spells cuts a member's history into spells: the member row opens the first
// spell in its unit on joined_on; each transfer on day T closes the current
// spell on T-1 and opens one in the new unit on T; left_on closes the last.
// Transfers on or after left_on are ignored (imports refuse them).
func Spells(m *domain.Member, transfers []domain.Transfer) []Spell {
	// Transfers mostly come in date order, one a day at most: then the
	// order is the sorted one without copying and sorting them (which was
	// most of this function's time, called for every member of a report
	// of the reference engine and of every save). Transfers on one day keep
	// the order sort.Slice gives them.
	ts := transfers
	if !strictlyByDate(ts) {
		ts = append([]domain.Transfer(nil), transfers...)
		sort.Slice(ts, func(i, j int) bool { return ts[i].Date < ts[j].Date })
	}
	out := []Spell{{UnitID: m.UnitID, From: m.JoinedOn}}
	for _, t := range ts {
		if t.Date <= m.JoinedOn || (!m.LeftOn.IsZero() && t.Date >= m.LeftOn) {
			continue
		}
		out[len(out)-1].To = t.Date
		out = append(out, Spell{UnitID: t.ToUnitID, From: t.Date})
	}
	out[len(out)-1].To = m.LeftOn
	return out
}

// strictlyByDate reports whether each transfer is dated after the one
// before it.
func strictlyByDate(ts []domain.Transfer) bool {
	for i := 1; i < len(ts); i++ {
		if ts[i].Date <= ts[i-1].Date {
			return false
		}
	}
	return true
}

// UnitOn returns the unit of the spell that holds day d, or 0 when the
// person is not a member on d.
func UnitOn(spells []Spell, d domain.Date) int64 {
	for _, s := range spells {
		if s.From <= d && (s.To.IsZero() || d < s.To) {
			return s.UnitID
		}
	}
	return 0
}

// Counters are the daily counters kept per unit and day:
//   - Admitted: members admitted that day whose first spell is in the unit;
//   - Net: spells of the unit starting that day minus spells ending the day
//     before, so the sum over [s, a] is active(a) - active(s-1) and the sum
//     up to a is active(a);
//   - Party: members introduced to the Party that day while in the unit.
type Counters struct {
	Admitted, Net, Party int64
}

// Add adds c times sign to x.
func (x *Counters) Add(c Counters, sign int64) {
	x.Admitted += sign * c.Admitted
	x.Net += sign * c.Net
	x.Party += sign * c.Party
}

// IsZero reports whether all counters are zero.
func (x Counters) IsZero() bool { return x == Counters{} }

// Key names a unit's day.
type Key struct {
	UnitID int64
	Day    domain.Date
}

// Deltas accumulates counter changes per unit and day.
type Deltas map[Key]*Counters

func (d Deltas) add(unit int64, day domain.Date, c Counters, sign int64) {
	k := Key{unit, day}
	x := d[k]
	if x == nil {
		x = &Counters{}
		d[k] = x
	}
	x.Add(c, sign)
}

// AddMember adds (sign +1) or removes (sign -1) one member's contribution to
// the unit-level counters. A change to a member is its old contribution
// removed and the new one added.
func (d Deltas) AddMember(m *domain.Member, transfers []domain.Transfer, sign int64) {
	spells := Spells(m, transfers)
	if m.JoinedHow != domain.JoinedTransferred {
		d.add(spells[0].UnitID, m.JoinedOn, Counters{Admitted: 1}, sign)
	}
	for _, s := range spells {
		d.add(s.UnitID, s.From, Counters{Net: 1}, sign)
		if !s.To.IsZero() {
			d.add(s.UnitID, s.To, Counters{Net: -1}, sign)
		}
	}
	if p := m.PartyIntroducedOn; !p.IsZero() {
		if u := UnitOn(spells, p); u != 0 {
			d.add(u, p, Counters{Party: 1}, sign)
		}
	}
}

// Compact drops the entries that cancelled out.
func (d Deltas) Compact() {
	for k, v := range d {
		if v.IsZero() {
			delete(d, k)
		}
	}
}

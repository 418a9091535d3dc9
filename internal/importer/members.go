package importer

import (
	"sort"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
	"congdoan/internal/store"
)

var genderWords = map[string]string{"male": "male", "nam": "male", "female": "female", "nu": "female"}
var idTypeWords = map[string]string{"cccd": "cccd", "can cuoc": "cccd", "can cuoc cong dan": "cccd", "cmnd": "cmnd", "passport": "passport", "ho chieu": "passport"}
var joinedWords = map[string]string{"admitted": domain.JoinedAdmitted, "ket nap": domain.JoinedAdmitted, "ket nap moi": domain.JoinedAdmitted,
	"transferred": domain.JoinedTransferred, "chuyen den": domain.JoinedTransferred}

// minAge is the youngest age at which a person may join a union.
const minAge = 15

// batchSize is how many member or transfer rows are checked against the
// database and written together.
const batchSize = 1000

type memberRow struct {
	r *row
	m *domain.Member
}

type membersHandler struct {
	tx    *store.Tx
	today domain.Date
	seen  *keySet
	batch []memberRow
	// fresh: the members table was empty when the import began, so no row
	// can update a member on record (duplicates in the file are refused).
	fresh bool
	// stage, when set, takes the rows that pass instead of the database
	// (loadStaged): tx is then a read-only snapshot.
	stage *store.Stage
	// With a stage, the national IDs repeated in the file are found in the
	// stage once it is read (twice), not in seen, which would grow with
	// the file: keys holds the IDs of rows that go neither to the new
	// members nor to the updates until they are staged; marks and flushed
	// say where check and flush put their errors, so that the repeated
	// rows' errors come out as seen gives them.
	keys    []store.Staged[string]
	marks   []errMark
	flushed []errRange
}

// errMark: when check met row line's national ID, the import had n errors.
// Marked only where n changed since the previous mark, so marks grow with
// the errors, not with the rows.
type errMark struct{ line, n int }

// errRange is the errors [from, to) that one flush added.
type errRange struct{ from, to int }

func (h *membersHandler) setStage(st *store.Stage) { h.stage, h.seen = st, nil }

// sameMember reports whether a row rewrites a member on record as it is.
func sameMember(o, m *domain.Member) bool {
	return o.NationalID == m.NationalID && o.IDType == m.IDType && o.FullName == m.FullName && o.DateOfBirth == m.DateOfBirth &&
		o.Gender == m.Gender && o.UnitID == m.UnitID && o.JoinedOn == m.JoinedOn && o.JoinedHow == m.JoinedHow &&
		o.LeftOn == m.LeftOn && o.PartyIntroducedOn == m.PartyIntroducedOn && o.CardNo == m.CardNo
}

// commit checks again, in the stage's write transaction, the staged
// members on record that the import changes, and writes them.
func (h *membersHandler) commit(tx *store.Tx, name string, sc *scope, errs *[]domain.FieldError) error {
	st := h.stage
	h.tx, h.stage, h.fresh = tx, nil, false
	defer func() { h.stage = st }()
	return walkStaged(tx, st.StagedUpdates, name, sc, errs, func(r *row, m *domain.Member) {
		grassrootsOpen(tx, r, "unit_code", m.UnitCode, m.JoinedOn)
		h.batch = append(h.batch, memberRow{r, m})
	}, h.flush)
}

// walkStaged reads the rows that read gives from the stage, in line order
// and batchSize at a time, within the stage's write transaction tx. add
// checks each row again, since its unit may have closed meanwhile, and
// queues it; flush writes the queued batch before the next one is read.
func walkStaged[T any](tx *store.Tx, read func(tx *store.Tx, after, n int) ([]store.Staged[T], error),
	name string, sc *scope, errs *[]domain.FieldError, add func(r *row, rec T), flush func() error) error {
	for after := 0; ; {
		part, err := read(tx, after, batchSize)
		if err != nil || len(part) == 0 {
			return err
		}
		after = part[len(part)-1].Line
		for _, s := range part {
			add(&row{file: name, line: s.Line, errs: errs, sc: sc}, s.Rec)
		}
		if err := flush(); err != nil {
			return err
		}
	}
}

// grassrootsOpen checks that code names a grassroots unit open on day d.
func grassrootsOpen(tx *store.Tx, r *row, col, code string, d domain.Date) *domain.Unit {
	u := unit(tx, r, col, code)
	if u == nil {
		return nil
	}
	switch {
	case u.Kind != domain.KindGrassroots:
		r.fail(col, "unit.not_grassroots", code)
	case d.IsZero():
	case !u.FoundedOn.IsZero() && d < u.FoundedOn:
		r.fail(col, "unit.founded_after", code, u.FoundedOn.VN(), d.VN())
	case !u.DissolvedOn.IsZero() && d >= u.DissolvedOn:
		r.fail(col, "unit.dissolved", code, u.DissolvedOn.VN())
	}
	return u
}

func (h *membersHandler) parse(r *row) any {
	m := &domain.Member{
		NationalID:        r.required("national_id"),
		IDType:            r.choice("id_type", "cccd", idTypeWords),
		FullName:          r.required("full_name"),
		DateOfBirth:       r.date("date_of_birth", true),
		Gender:            r.choice("gender", "", genderWords),
		UnitCode:          r.required("unit_code"),
		JoinedOn:          r.date("joined_on", true),
		JoinedHow:         r.choice("joined_how", domain.JoinedAdmitted, joinedWords),
		LeftOn:            r.date("left_on", false),
		PartyIntroducedOn: r.date("party_introduced_on", false),
		CardNo:            r.str("card_no"),
	}
	// A CCCD or CMND typed as a number lost its leading zeros.
	switch m.IDType {
	case "cccd":
		m.NationalID = r.zeros("national_id", m.NationalID, 12)
	case "cmnd":
		m.NationalID = r.zeros("national_id", m.NationalID, 9)
	}
	return m
}

func (h *membersHandler) check(r *row, rec any) {
	m := rec.(*domain.Member)
	if m.NationalID != "" {
		if err := domain.ValidateNationalID(m.NationalID, m.IDType, m.DateOfBirth, m.Gender); err != nil {
			r.failText("national_id", msg.Of(err))
		}
		if h.stage != nil {
			h.mark(r)
		} else if !h.seen.add(m.NationalID) {
			r.fail("national_id", "file.twice", m.NationalID)
		}
	}
	if !m.JoinedOn.IsZero() {
		if m.JoinedOn > h.today {
			r.fail("joined_on", "member.joined_future", m.JoinedOn.VN())
		}
		if !m.DateOfBirth.IsZero() {
			y, mo, d := m.DateOfBirth.Parts()
			if domain.NewDate(y+minAge, mo, d) > m.JoinedOn {
				r.fail("date_of_birth", "member.too_young", m.DateOfBirth.VN(), minAge, m.JoinedOn.VN())
			}
		}
		if !m.LeftOn.IsZero() && m.LeftOn <= m.JoinedOn {
			r.fail("left_on", "member.left_not_after_joined", m.LeftOn.VN(), m.JoinedOn.VN())
		}
		if !m.PartyIntroducedOn.IsZero() && !m.ActiveOn(m.PartyIntroducedOn) {
			r.fail("party_introduced_on", "member.party_not_member", m.PartyIntroducedOn.VN())
		}
	}
	if !m.DateOfBirth.IsZero() && m.DateOfBirth > h.today {
		r.fail("date_of_birth", "member.born_future", m.DateOfBirth.VN())
	}
}

func (h *membersHandler) save(r *row, rec any) error {
	m := rec.(*domain.Member)
	if u := grassrootsOpen(h.tx, r, "unit_code", m.UnitCode, m.JoinedOn); u != nil {
		m.UnitID = u.ID
	}
	if r.bad {
		return h.addKey(r.line, m.NationalID)
	}
	h.batch = append(h.batch, memberRow{r, m})
	if len(h.batch) >= batchSize {
		return h.flush()
	}
	return nil
}

func (h *membersHandler) flush() error {
	if len(h.batch) == 0 {
		return h.stageKeys()
	}
	errs := h.batch[0].r.errs
	from := len(*errs)
	ids := make([]string, len(h.batch))
	for i, b := range h.batch {
		ids[i] = b.m.NationalID
	}
	old, transfers := map[string]*domain.Member{}, map[string][]domain.Transfer{}
	if !h.fresh {
		var err error
		if old, transfers, err = h.tx.Members(ids); err != nil {
			return err
		}
	}
	var ok []*domain.Member
	var news, changed []store.Staged[*domain.Member]
	for _, b := range h.batch {
		m, ts := b.m, transfers[b.m.NationalID]
		if o := old[m.NationalID]; o != nil {
			// Rewriting a member changes the units of its record.
			touchMember(h.tx, b.r, o, ts)
		}
		// A changed member must still fit the transfers on record.
		for _, t := range ts {
			if t.Date <= m.JoinedOn {
				b.r.fail("joined_on", "member.transferred_before_joining", t.Date.VN(), m.JoinedOn.VN())
			} else if !m.LeftOn.IsZero() && t.Date >= m.LeftOn {
				b.r.fail("left_on", "member.transferred_after_leaving", t.Date.VN(), m.LeftOn.VN())
			}
		}
		if b.r.bad && h.stage == nil {
			continue
		}
		switch o := old[m.NationalID]; {
		case h.stage == nil:
			ok = append(ok, m)
		case b.r.bad:
			h.keys = append(h.keys, store.Staged[string]{Line: b.r.line, Rec: m.NationalID})
		case o == nil:
			news = append(news, store.Staged[*domain.Member]{Line: b.r.line, Rec: m})
		case sameMember(o, m):
			// Nothing changes: a file imported again.
			h.keys = append(h.keys, store.Staged[string]{Line: b.r.line, Rec: m.NationalID})
		default:
			changed = append(changed, store.Staged[*domain.Member]{Line: b.r.line, Rec: m})
		}
	}
	h.batch = h.batch[:0]
	if h.stage != nil {
		if to := len(*errs); to > from {
			h.flushed = append(h.flushed, errRange{from, to})
		}
		if err := h.stage.AddMembers(h.tx, news); err != nil {
			return err
		}
		if err := h.stage.AddUpdates(changed); err != nil {
			return err
		}
		return h.stageKeys()
	}
	return h.tx.SaveMembers(ok)
}

// mark records, with a stage, where check would have reported row r's
// national ID as repeated: after the errors the import has so far.
func (h *membersHandler) mark(r *row) {
	if n := len(*r.errs); len(h.marks) == 0 || h.marks[len(h.marks)-1].n != n {
		h.marks = append(h.marks, errMark{r.line, n})
	}
}

// addKey keeps, with a stage, the national ID of a row that goes neither
// to the new members nor to the updates, for twice.
func (h *membersHandler) addKey(line int, id string) error {
	if h.stage == nil || id == "" {
		return nil
	}
	h.keys = append(h.keys, store.Staged[string]{Line: line, Rec: id})
	if len(h.keys) >= batchSize {
		return h.stageKeys()
	}
	return nil
}

// stageKeys hands the keys kept to the stage.
func (h *membersHandler) stageKeys() error {
	if h.stage == nil || len(h.keys) == 0 {
		return nil
	}
	err := h.stage.AddKeys(h.keys)
	h.keys = h.keys[:0]
	return err
}

// twice reports, once a staged file is read, the rows whose national ID
// an earlier row has, as check reports them without a stage: "file.twice"
// on national_id, after the row's errors met before check's duplicate
// test and before the others. Such a row would have been refused there
// and never reached flush: the errors flush gave it go. The errors end in
// the file's order, row by row, as a reader meets them (and as the pages,
// which show the first ones only, list them). preview's rows that are
// repeated are marked bad.
func (h *membersHandler) twice(name string, errs *[]domain.FieldError, preview []PreviewRow) error {
	rep, err := h.stage.RepeatedIDs()
	if err != nil {
		return err
	}
	if len(rep) > 0 {
		dup := make(map[int]bool, len(rep))
		for _, s := range rep {
			dup[s.Line] = true
		}
		*errs = h.placeTwice(name, *errs, rep, dup)
		for i := range preview {
			if dup[preview[i].Row] {
				preview[i].Bad = true
			}
		}
	}
	sort.SliceStable(*errs, func(i, j int) bool { return (*errs)[i].Row < (*errs)[j].Row })
	return nil
}

// placeTwice gives old with the errors of the repeated rows rep (in line
// order; dup holds their lines) put where check would have put them, and
// without the errors flush gave those rows.
func (h *membersHandler) placeTwice(name string, old []domain.FieldError, rep []store.Staged[string], dup map[int]bool) []domain.FieldError {
	// at is the number of errors the import had when check met line.
	at := func(line int) int {
		i := sort.Search(len(h.marks), func(i int) bool { return h.marks[i].line > line })
		if i == 0 {
			return 0 // unreachable: every row with an ID is marked or follows a mark
		}
		return h.marks[i-1].n
	}
	out := make([]domain.FieldError, 0, len(old)+len(rep))
	k, f := 0, 0
	for i := 0; i <= len(old); i++ {
		for ; k < len(rep) && at(rep[k].Line) <= i; k++ {
			out = append(out, fieldError(name, rep[k].Line, "national_id", msg.New("file.twice", rep[k].Rec)))
		}
		if i == len(old) {
			break
		}
		for f < len(h.flushed) && h.flushed[f].to <= i {
			f++
		}
		if f < len(h.flushed) && h.flushed[f].from <= i && dup[old[i].Row] {
			continue // flush never saw the row
		}
		out = append(out, old[i])
	}
	return out
}

// touchMember checks the units of a member's record on record: the unit
// the member joined and every unit the member was transferred to.
func touchMember(tx *store.Tx, r *row, m *domain.Member, ts []domain.Transfer) {
	unit(tx, r, "national_id", m.UnitCode)
	for _, t := range ts {
		if t.ToUnitCode != m.UnitCode {
			unit(tx, r, "national_id", t.ToUnitCode)
		}
	}
}

type transferRow struct {
	r *row
	t domain.Transfer
}

type transfersHandler struct {
	tx    *store.Tx
	seen  *keySet
	batch []transferRow
	// stage: as membersHandler's.
	stage *store.Stage
}

func (h *transfersHandler) setStage(st *store.Stage) { h.stage = st }

// commit checks the staged transfers again in the stage's write
// transaction, against the members as they are now, and writes them.
func (h *transfersHandler) commit(tx *store.Tx, name string, sc *scope, errs *[]domain.FieldError) error {
	st := h.stage
	h.tx, h.stage = tx, nil
	defer func() { h.stage = st }()
	return walkStaged(tx, st.StagedTransfers, name, sc, errs, func(r *row, t domain.Transfer) {
		grassrootsOpen(tx, r, "to_unit_code", t.ToUnitCode, t.Date)
		h.batch = append(h.batch, transferRow{r, t})
	}, h.flush)
}

func (h *transfersHandler) parse(r *row) any {
	t := &domain.Transfer{
		NationalID: r.required("national_id"),
		ToUnitCode: r.required("to_unit_code"),
		Date:       r.date("date", true),
	}
	t.NationalID = r.zeros("national_id", t.NationalID, 12) // a CCCD typed as a number
	return t
}

func (h *transfersHandler) check(r *row, rec any) {
	t := rec.(*domain.Transfer)
	if t.NationalID != "" && !t.Date.IsZero() {
		if !h.seen.add(t.NationalID + "\x00" + t.Date.String()) {
			r.fail("date", "transfer.twice", t.NationalID, t.Date.VN())
		}
	}
}

func (h *transfersHandler) save(r *row, rec any) error {
	t := rec.(*domain.Transfer)
	if u := grassrootsOpen(h.tx, r, "to_unit_code", t.ToUnitCode, t.Date); u != nil {
		t.ToUnitID = u.ID
	}
	if r.bad {
		return nil
	}
	h.batch = append(h.batch, transferRow{r, *t})
	if len(h.batch) >= batchSize {
		return h.flush()
	}
	return nil
}

func (h *transfersHandler) flush() error {
	if len(h.batch) == 0 {
		return nil
	}
	var ids []string
	for _, b := range h.batch {
		ids = append(ids, b.t.NationalID)
	}
	members, transfers, err := h.tx.Members(ids)
	if err != nil {
		return err
	}
	var ok []domain.Transfer
	var staged []store.Staged[domain.Transfer]
	for _, b := range h.batch {
		t := b.t
		m := members[t.NationalID]
		if m != nil {
			touchMember(h.tx, b.r, m, transfers[t.NationalID])
		}
		switch {
		case m == nil:
			b.r.fail("national_id", "member.unknown", t.NationalID)
		case !m.ActiveOn(t.Date - 1):
			b.r.fail("date", "transfer.not_member", (t.Date - 1).VN())
		case !m.LeftOn.IsZero() && t.Date >= m.LeftOn:
			b.r.fail("date", "transfer.not_before_leaving", t.Date.VN(), m.LeftOn.VN())
		}
		if b.r.bad {
			continue
		}
		ok = append(ok, t)
		staged = append(staged, store.Staged[domain.Transfer]{Line: b.r.line, Rec: t})
	}
	h.batch = h.batch[:0]
	if h.stage != nil {
		return h.stage.AddTransfers(staged)
	}
	return h.tx.SaveTransfers(ok)
}

package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"congdoan/internal/domain"
)

// holdWorld is a SQLite store with a union G under R, one member on
// record (M0), and the chunked merge forced for tiny imports: 3 members a
// chunk.
type holdWorld struct {
	t    *testing.T
	s    *Store
	file string
	g    *domain.Unit
	// member makes a member of G, admitted on 1 January 2020.
	member func(id string) *domain.Member
	// prefix of the national IDs importIDs stages: "A" unless set.
	prefix string
}

func newHoldWorld(t *testing.T) *holdWorld {
	t.Helper()
	ctx := context.Background()
	oldMin, oldRows, oldDrop := chunkMinNews, chunkRows, dropChunkIDs
	chunkMinNews, chunkRows, dropChunkIDs = 2, 3, 4
	t.Cleanup(func() { chunkMinNews, chunkRows, dropChunkIDs, afterChunk = oldMin, oldRows, oldDrop, nil })
	w := &holdWorld{t: t, file: filepath.Join(t.TempDir(), "c.db")}
	w.open()
	w.g, w.member = PutRG(t, w.s)
	if err := w.s.Write(ctx, func(tx *Tx) error { return tx.SaveMembers([]*domain.Member{w.member("M0")}) }); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *holdWorld) open() {
	w.t.Helper()
	s, err := Open(context.Background(), w.file)
	if err != nil {
		w.t.Fatal(err)
	}
	w.s = s
	w.t.Cleanup(func() { s.Close() })
}

// importIDs stages members A01..An (another prefix if set) and commits
// them with fn.
func (w *holdWorld) importIDs(ctx context.Context, n int, fn func(*Tx) error) error {
	w.t.Helper()
	st, err := w.s.NewStage(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	defer st.Close()
	var ms []Staged[*domain.Member]
	for i := 1; i <= n; i++ {
		ms = append(ms, Staged[*domain.Member]{Line: i + 1, Rec: w.member(fmt.Sprintf("%s%02d", cmp.Or(w.prefix, "A"), i))})
	}
	err = w.s.Read(ctx, func(tx *Tx) error {
		if err := tx.LoadUnits(); err != nil {
			return err
		}
		return st.AddMembers(tx, ms)
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return st.Commit(ctx, fn)
}

// visible is what readers see of the members: every list order, the
// counts, a look-up by national ID and by id, the export.
func (w *holdWorld) visible() string {
	w.t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, sort := range []string{SortName, SortBirth, SortJoined, SortUnit} {
		for _, f := range []MemberFilter{{}, {UnitPath: w.g.Path}} {
			page, err := w.s.MemberList(ctx, MemberListQuery{Filter: f, Sort: sort, Limit: 100})
			if err != nil {
				w.t.Fatal(err)
			}
			fmt.Fprintf(&b, "list %s %q:", sort, f.UnitPath)
			for _, m := range page.Members {
				fmt.Fprint(&b, " ", m.NationalID)
			}
			b.WriteString("\n")
		}
	}
	// A name search (the full-text index holds every row, held or not).
	for _, q := range []string{"Lê Thị", "a0"} {
		page, err := w.s.MemberList(ctx, MemberListQuery{Filter: MemberFilter{Q: q, MatchID: true}, Limit: 100})
		if err != nil {
			w.t.Fatal(err)
		}
		fmt.Fprintf(&b, "search %q:", q)
		for _, m := range page.Members {
			fmt.Fprint(&b, " ", m.NationalID)
		}
		b.WriteString("\n")
	}
	n, err := w.s.CountMembers(ctx, MemberFilter{}, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	c, err := w.s.CountMemberList(ctx, MemberFilter{UnitPath: w.g.Path, Gender: "female"}, w.g.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	fmt.Fprintf(&b, "count %d, list count %+v\n", n, c)
	page, err := w.s.MembersPage(ctx, MemberFilter{}, 100, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	ids := []int64{}
	for _, m := range page {
		ids = append(ids, m.ID)
	}
	// Every id up to the highest, held or not, by id.
	var top int64
	if err := w.s.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM members`).Scan(&top); err != nil {
		w.t.Fatal(err)
	}
	var all []int64
	for id := int64(1); id <= top; id++ {
		all = append(all, id)
	}
	byID, err := w.s.MembersByID(ctx, all)
	if err != nil {
		w.t.Fatal(err)
	}
	fmt.Fprintf(&b, "page %v, by id %d\n", ids, len(byID))
	for _, id := range []string{"A01", "A05", "A10"} {
		_, err := w.s.Member(ctx, id)
		fmt.Fprintf(&b, "member %s: %v\n", id, err == nil)
	}
	exported := 0
	if err := w.s.ExportMembers(ctx, MemberFilter{}, func(*MemberRecord) error { exported++; return nil }); err != nil {
		w.t.Fatal(err)
	}
	fmt.Fprintf(&b, "exported %d\n", exported)
	return b.String()
}

func (w *holdWorld) holds() int {
	w.t.Helper()
	var n int
	if err := w.s.write.QueryRow(`SELECT COUNT(*) FROM member_holds`).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// A chunked merge: between its chunks the writer is free (another write
// goes through), readers see none of the import in any list, count or
// look-up, and an admission of a national ID it holds gets a clear typed
// error; once committed, all of it is visible, counters included, and the
// hold is gone.
func TestChunkedMergeHiddenUntilCommit(t *testing.T) {
	w := newHoldWorld(t)
	ctx := context.Background()
	before := w.visible()
	beforeState := readLiteState(t, w.s)
	chunks := 0
	var during []string
	afterChunk = func(chunk int) {
		if chunk < 0 {
			return
		}
		chunks++
		if got := w.visible(); got != before {
			during = append(during, fmt.Sprintf("after chunk %d:\n%s", chunk, got))
		}
		if w.holds() != 1 {
			t.Errorf("after chunk %d: %d holds, want 1", chunk, w.holds())
		}
		// Another user's writes go through between chunks.
		if err := w.s.Audit(ctx, AuditEntry{Actor: "other", Action: "login", Detail: fmt.Sprint(chunk)}); err != nil {
			t.Errorf("a write between chunks: %v", err)
		}
		// An admission of a person the import holds (A01 is in the first
		// chunk) is refused with a typed error, shown as a field error.
		err := w.s.Write(ctx, func(tx *Tx) error { return tx.SaveMembers([]*domain.Member{w.member("A01")}) })
		var ve *domain.ValidationError
		if !errors.Is(err, ErrImporting) || !errors.As(err, &ve) || ve.Errors[0].Field != "national_id" ||
			!strings.Contains(ve.Errors[0].Message, "A01") {
			t.Errorf("admitting A01 during the import: %v, want ErrImporting as a national_id field error", err)
		}
		if chunk == 2 {
			// An admission of someone else gets an id above the held range.
			if err := w.s.Write(ctx, func(tx *Tx) error { return tx.SaveMembers([]*domain.Member{w.member("B01")}) }); err != nil {
				t.Errorf("admitting B01 during the import: %v", err)
			}
			before = w.visible()
		}
	}
	if err := w.importIDs(ctx, 10, func(*Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	afterChunk = nil
	for _, d := range during {
		t.Errorf("a reader saw part of the import:\nwant\n%s\ngot %s", before, d)
	}
	if chunks < 2 {
		t.Fatalf("%d chunks, want several", chunks)
	}
	if w.holds() != 0 {
		t.Errorf("%d holds after the commit", w.holds())
	}
	after := w.visible()
	for _, want := range []string{"count 12", "member A01: true", "member A10: true", "exported 12", "by id 12"} {
		if !strings.Contains(after, want) {
			t.Errorf("after the commit, want %q in\n%s", want, after)
		}
	}
	// The ids: M0 1, the import 2..11, B01 12.
	b01, err := w.s.Member(ctx, "B01")
	if err != nil || b01.ID != 12 {
		t.Errorf("B01 admitted during the import: %+v, %v; want id 12", b01, err)
	}
	state := readLiteState(t, w.s)
	if state.counters == beforeState.counters || state.foreignKeys != 1 {
		t.Errorf("after the commit: counters unchanged or foreign keys off: %+v", state)
	}
	n, err := w.s.CountMemberList(ctx, MemberFilter{UnitPath: w.g.Path, Status: StatusActive, AsOf: domain.NewDate(2024, 1, 1)}, w.g.ID)
	if err != nil || n.N != 12 {
		t.Errorf("active members by the counters: %+v, %v; want 12", n, err)
	}
}

// A chunked merge that fails, after some chunks (cancelled context, a
// person of the file admitted meanwhile) or in its last transaction (the
// callback), leaves nothing: no member, no counter, no hold.
func TestChunkedMergeFailureLeavesNothing(t *testing.T) {
	w := newHoldWorld(t)
	boom := errors.New("boom")
	for _, c := range []struct {
		name   string
		chunk  func(ctx context.Context, cancel func(), chunk int)
		fn     func(*Tx) error
		want   error
		prefix string
	}{
		{"cancelled after 2 chunks", func(_ context.Context, cancel func(), chunk int) {
			if chunk == 2 {
				cancel()
			}
		}, nil, context.Canceled, "C"},
		{"a person of the file admitted meanwhile", func(ctx context.Context, _ func(), chunk int) {
			if chunk == 2 { // D09 comes in a later chunk
				if err := w.s.Write(ctx, func(tx *Tx) error { return tx.SaveMembers([]*domain.Member{w.member("D09")}) }); err != nil {
					t.Error(err)
				}
			}
		}, nil, ErrStale, "D"},
		{"the callback fails", nil, func(*Tx) error { return boom }, boom, "E"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := readLiteState(t, w.s)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			chunks := 0
			afterChunk = func(chunk int) {
				if chunk > 0 {
					chunks++
				}
				if c.chunk != nil {
					c.chunk(ctx, cancel, chunk)
				}
			}
			fn := c.fn
			if fn == nil {
				fn = func(*Tx) error { return nil }
			}
			w.prefix = c.prefix
			err := w.importIDs(ctx, 10, fn)
			afterChunk = nil
			if !errors.Is(err, c.want) {
				t.Fatalf("commit: %v, want %v", err, c.want)
			}
			if chunks < 2 {
				t.Errorf("failed after %d chunks", chunks)
			}
			after := readLiteState(t, w.s)
			if c.name == "a person of the file admitted meanwhile" {
				// D09 itself is on record now, with its counters.
				before = after
				if !strings.Contains(after.members, " D09 ") || strings.Contains(after.members, " D01 ") {
					t.Errorf("members after a stale import:\n%s", after.members)
				}
			}
			if after != before {
				t.Errorf("a failed import left something:\nbefore %+v\nafter  %+v", before, after)
			}
			if w.holds() != 0 {
				t.Errorf("%d holds left", w.holds())
			}
		})
	}
	// The import goes through afterwards.
	w.prefix = "C"
	if err := w.importIDs(context.Background(), 10, func(*Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if m, err := w.s.Member(context.Background(), "C10"); err != nil {
		t.Errorf("C10 after a good import: %+v, %v", m, err)
	}
}

// A hold that no chunk touched for holdAbandonAfter (its process was
// killed) is hidden from readers, and is dropped with its members when the
// store opens and before the next large import.
func TestAbandonedHoldDropped(t *testing.T) {
	w := newHoldWorld(t)
	ctx := context.Background()
	clean := readLiteState(t, w.s)
	before := w.visible()
	abandon := func() {
		t.Helper()
		_, err := w.s.write.ExecContext(ctx, `INSERT INTO member_holds (id, lo, hi, token, touched_at) VALUES (1, 2, 11, 'dead', ?)`,
			time.Now().Add(-holdAbandonAfter-time.Minute).Unix())
		if err != nil {
			t.Fatal(err)
		}
		for i := 2; i <= 7; i++ { // the chunks it wrote before it died, and its last id
			id := i
			if i == 7 {
				id = 11
			}
			_, err := w.s.write.ExecContext(ctx, `INSERT INTO members (id, national_id, full_name, date_of_birth, unit_id, current_unit_id, joined_on)
				VALUES (?, ?, 'X', '1990-01-01', ?, ?, '2020-01-01')`, id, fmt.Sprintf("A%02d", i), w.g.ID, w.g.ID)
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := w.visible(); got != before {
			t.Errorf("an abandoned hold's members are visible:\n%s\nwant\n%s", got, before)
		}
	}
	abandon()
	w.s.Close()
	w.open()
	if after := readLiteState(t, w.s); after != clean || w.holds() != 0 {
		t.Errorf("after Open: %d holds, state\n%+v\nwant\n%+v", w.holds(), after, clean)
	}
	// A live hold (touched now) stays at Open.
	abandon()
	if _, err := w.s.write.ExecContext(ctx, `UPDATE member_holds SET touched_at = ?`, time.Now().Unix()); err != nil {
		t.Fatal(err)
	}
	w.s.Close()
	w.open()
	if w.holds() != 1 {
		t.Fatal("a live hold was dropped at Open")
	}
	if _, err := w.s.write.ExecContext(ctx, `UPDATE member_holds SET touched_at = ?`, time.Now().Add(-time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	// The next large import drops it, then goes through.
	if err := w.importIDs(ctx, 10, func(*Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if w.holds() != 0 {
		t.Errorf("%d holds after the import", w.holds())
	}
	if n, err := w.s.CountMembers(ctx, MemberFilter{}, 0); err != nil || n != 11 {
		t.Errorf("%d members after the import, %v; want 11", n, err)
	}
}

// A second large import waits for the first's hold (one at a time), then
// goes through.
func TestChunkedMergeWaitsForAnotherHold(t *testing.T) {
	w := newHoldWorld(t)
	ctx := context.Background()
	if _, err := w.s.write.ExecContext(ctx, `INSERT INTO member_holds (id, lo, hi, token, touched_at) VALUES (1, 100, 101, 'live', ?)`,
		time.Now().Unix()); err != nil {
		t.Fatal(err)
	}
	release := time.AfterFunc(300*time.Millisecond, func() {
		w.s.write.ExecContext(ctx, `DELETE FROM member_holds`)
	})
	defer release.Stop()
	start := time.Now()
	if err := w.importIDs(ctx, 10, func(*Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Errorf("the import went through in %v while another held members", took)
	}
	if n, err := w.s.CountMembers(ctx, MemberFilter{}, 0); err != nil || n != 11 {
		t.Errorf("%d members after the import, %v; want 11", n, err)
	}
}

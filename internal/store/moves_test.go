package store_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// randomMoves picks moves of upper and grassroots units under federation or
// upper units on dates around the plan's year, skipping those that would
// make a cycle, and saves them in the order given (not date order, so that
// a move is often recorded before an earlier-dated one). It returns the
// moves saved, with their IDs.
func randomMoves(t *testing.T, st *store.Store, w *engine.World, seed uint64, n int) []domain.Move {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 11))
	var uppers, all []*domain.Unit
	for i := range w.Units {
		u := &w.Units[i]
		if u.Kind != domain.KindGrassroots {
			uppers = append(uppers, u)
		}
		if u.Code != "R" {
			all = append(all, u)
		}
	}
	var saved []domain.Move
	for i := 0; i < n; i++ {
		u := all[r.IntN(len(all))]
		p := uppers[r.IntN(len(uppers))]
		m := domain.Move{UnitCode: u.Code, NewParentCode: p.Code, DecisionNo: "QĐ",
			MovedOn: domain.NewDate(2021, 10, 1).AddDays(r.IntN(600))}
		err := st.Write(context.Background(), func(tx *store.Tx) error {
			cycle, err := tx.MoveMakesCycle(u.ID, p.ID, m.MovedOn)
			if err != nil || cycle != 0 {
				return err
			}
			if err := tx.SaveMove(&m); err != nil {
				return err
			}
			saved = append(saved, m)
			return nil
		})
		if err != nil {
			t.Fatalf("move %s under %s on %s: %v", m.UnitCode, m.NewParentCode, m.MovedOn, err)
		}
	}
	// The world keeps one move per unit and day, the last saved.
	seen := map[string]int{}
	w.Moves = nil
	for _, m := range saved {
		k := m.UnitCode + m.MovedOn.String()
		if i, ok := seen[k]; ok {
			w.Moves[i] = m
			continue
		}
		seen[k] = len(w.Moves)
		w.Moves = append(w.Moves, m)
	}
	return saved
}

// Dated moves keep every report equal to the member-by-member reference on
// the tree of each day, whatever order the moves are recorded in, on
// several seeds.
func TestCountersFollowMoves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		for _, seed := range []uint64{5, 6} {
			st := st
			if seed == 6 {
				st = storetest.Open(t, st.Engine())
			}
			w, plan, camp := randomWorld(seed)
			load(t, st, w, plan, camp)
			for i := range w.Units {
				w.Units[i].ParentID = w.Units[i].BaseParentID
			}
			moves := randomMoves(t, st, w, seed, 25)
			if len(moves) < 15 {
				t.Fatalf("only %d moves saved", len(moves))
			}
			compareAll(t, st, w, plan, camp)
		}
	})
}

// Members written after the moves roll up on the tree of each day too.
func TestMembersAfterMoves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		w, plan, camp := randomWorld(8)
		members := w.Members
		w.Members = nil
		transfers := w.Transfers
		w.Transfers = map[string][]domain.Transfer{}
		load(t, st, w, plan, camp)
		for i := range w.Units {
			w.Units[i].ParentID = w.Units[i].BaseParentID
		}
		randomMoves(t, st, w, 8, 20)
		w.Members, w.Transfers = members, transfers
		ids := map[string]int64{}
		for _, u := range w.Units {
			ids[u.Code] = u.ID
		}
		err := st.Write(context.Background(), func(tx *store.Tx) error { return saveMembers(tx, w, ids) })
		if err != nil {
			t.Fatal(err)
		}
		compareAll(t, st, w, plan, camp)
	})
}

// Changing the parent of units.csv after moves corrects the span before the
// first move only; the later spans keep their parents.
func TestBaseParentChangeAfterMoves(t *testing.T) {
	eachWorld(t, 9, func(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
		for i := range w.Units {
			w.Units[i].ParentID = w.Units[i].BaseParentID
		}
		randomMoves(t, st, w, 9, 15)
		byCode := map[string]*domain.Unit{}
		for i := range w.Units {
			byCode[w.Units[i].Code] = &w.Units[i]
		}
		for _, c := range []string{"G01", "G02", "R-A-1", "G10"} {
			u := *byCode[c]
			u.ParentCode = "R-C"
			err := st.Write(context.Background(), func(tx *store.Tx) error { return tx.PutUnit(&u) })
			if err != nil {
				t.Fatal(err)
			}
			byCode[c].ParentID = byCode["R-C"].ID
		}
		compareAll(t, st, w, plan, camp)
	})
}

// A report of a window before a move is the same before and after the
// move is recorded.
func TestPastReportsSurviveAMove(t *testing.T) {
	eachWorld(t, 10, func(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
		ctx := context.Background()
		report := func(code string, asOf domain.Date) string {
			u, err := st.Unit(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			in, err := st.ReportInput(ctx, engine.Query{Plan: *plan, AsOf: asOf}, u)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(engine.Compute(in))
			return string(b)
		}
		day := domain.NewDate(2022, 7, 1)
		codes := []string{"R", "R-A", "R-A-1", "R-B", "R-C"}
		before := map[string]string{}
		for _, c := range codes {
			before[c] = report(c, day-1)
		}
		err := st.Write(ctx, func(tx *store.Tx) error {
			for _, m := range []domain.Move{{UnitCode: "R-A-1", NewParentCode: "R-B", MovedOn: day}, {UnitCode: "R-A", NewParentCode: "R-C", MovedOn: day}} {
				if err := tx.SaveMove(&m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range codes {
			if got := report(c, day-1); got != before[c] {
				t.Errorf("%s as of %s changed by a move on %s:\n got %s\nwant %s", c, day-1, day, got, before[c])
			}
		}
		if report("R-A", day.AddDays(30)) == before["R-A"] {
			t.Error("the move changed nothing after its date")
		}
	})
}

// compareAll compares the reports of every unit that is not grassroots and
// a few grassroots ones.
func compareAll(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
	t.Helper()
	asOfs := []domain.Date{domain.NewDate(2021, 12, 31), domain.NewDate(2022, 3, 15), domain.NewDate(2022, 5, 31),
		domain.NewDate(2022, 9, 30), domain.NewDate(2022, 12, 31)}
	var codes []string
	for _, u := range w.Units {
		if u.Kind != domain.KindGrassroots || u.Code == "G00" || u.Code == "G05" {
			codes = append(codes, u.Code)
		}
	}
	compareUnits(t, st, w, plan, camp, codes, asOfs)
}

// SaveMembers takes a person given twice in one call as a record and its
// update: the counters hold the second once.
func TestSaveMembersSamePersonTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		w, plan, camp := randomWorld(12)
		extra := w.Members[len(w.Members)-1]
		w.Members = w.Members[:len(w.Members)-1]
		delete(w.Transfers, extra.NationalID)
		load(t, st, w, plan, camp)
		first, second := extra, extra
		first.JoinedOn = domain.NewDate(2022, 2, 1)
		second.JoinedOn = domain.NewDate(2022, 4, 1)
		first.LeftOn, second.LeftOn, first.PartyIntroducedOn, second.PartyIntroducedOn = 0, 0, 0, 0
		for _, u := range w.Units {
			if u.Code == extra.UnitCode {
				first.UnitID, second.UnitID = u.ID, u.ID
			}
		}
		err := st.Write(context.Background(), func(tx *store.Tx) error {
			return tx.SaveMembers([]*domain.Member{&first, &second})
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Members = append(w.Members, second)
		compare(t, st, w, plan, camp)
	})
}

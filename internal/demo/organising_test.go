package demo_test

import (
	"context"
	"testing"
	"time"

	"congdoan/internal/demo"
	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// The demo's board is full: every stage has enterprises, the collaborators
// have theirs, and join requests wait, some overdue.
func TestDemoOrganising(t *testing.T) {
	ctx := context.Background()
	st := storetest.Filled(t, store.SQLite, "demo", demo.Load)
	root, err := st.Unit(ctx, demo.RootCode)
	if err != nil {
		t.Fatal(err)
	}
	today := domain.Today()
	start := time.Now()
	cards, _, err := st.Board(ctx, store.BoardFilter{UnitPath: root.Path, Threshold: domain.DefaultThreshold, AsOf: today})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("board of %s: %d cards in %v", root.Code, len(cards), time.Since(start))
	stages := map[string]int{}
	for _, c := range cards {
		stages[c.Stage]++
	}
	for _, s := range store.Stages {
		if stages[s] == 0 {
			t.Errorf("no enterprise at stage %s: %v", s, stages)
		}
	}
	t.Logf("board: %v", stages)
	pending, overdue, err := st.JoinCounts(ctx, root.Path)
	if err != nil {
		t.Fatal(err)
	}
	if pending < 10 || overdue == 0 || overdue == pending {
		t.Errorf("join requests: %d pending, %d overdue", pending, overdue)
	}
	t.Logf("join requests: %d pending, %d overdue", pending, overdue)
	u, err := st.UserByName(ctx, "ctv.hn-hbt")
	if err != nil {
		// The collaborators are those of the units with the longest gap
		// lists; find any.
		users, _ := st.UsersUnder(ctx, root.Path)
		for _, x := range users {
			if x.Role == "collaborator" {
				u = &x
				break
			}
		}
	}
	if u == nil {
		t.Fatal("no collaborator in the demo")
	}
	mine, _, err := st.Board(ctx, store.BoardFilter{UnitPath: "/", Organiser: u.ID, Threshold: domain.DefaultThreshold, AsOf: today})
	if err != nil || len(mine) == 0 {
		t.Errorf("collaborator %s has no enterprise: %v", u.Name, err)
	}
	// The 2022 funnel: unions founded from the pipeline, with their days.
	start = time.Now()
	o, err := st.Organising(ctx, root, domain.NewDate(2022, 1, 1), demo.AsOf)
	t.Logf("organising funnel of %s, 2022: %v", root.Code, time.Since(start))
	if err != nil {
		t.Fatal(err)
	}
	if o.FoundedFromPipeline == 0 || o.MedianDaysToFound == nil || *o.MedianDaysToFound < 25 {
		t.Errorf("2022 funnel %+v", o)
	}
}

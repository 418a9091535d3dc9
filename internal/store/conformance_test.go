package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// randomWorld makes a deterministic tree of units with members, transfers
// and targets, rich in the cases the indicators distinguish.
func randomWorld(seed uint64) (*engine.World, *domain.Plan, *domain.Campaign) {
	r := rand.New(rand.NewPCG(seed, 7))
	w := &engine.World{Enterprises: map[string]string{}, Transfers: map[string][]domain.Transfer{}}
	add := func(code, parent, kind string) *domain.Unit {
		w.Units = append(w.Units, domain.Unit{Code: code, Name: "Đơn vị " + code, ParentCode: parent, Kind: kind, Method: domain.MethodStandard})
		return &w.Units[len(w.Units)-1]
	}
	add("R", "", domain.KindFederation)
	// R-b sorts after R-C by bytes but before it in an English collation
	// (storetest's PostgreSQL databases use ICU en-US): children come in
	// byte order, like the acceptance's expected reports.
	uppers := []string{"R-A", "R-B", "R-C", "R-A-1", "R-A-2", "R-b"}
	for _, c := range uppers {
		p := "R"
		if strings.HasPrefix(c, "R-A-") {
			p = "R-A"
		}
		add(c, p, domain.KindUpper)
	}
	parents := append([]string{"R"}, uppers...)
	owns := []string{domain.OwnState, domain.OwnPrivate, domain.OwnFDI, domain.OwnPublic, domain.OwnInformal, ""}
	start := domain.NewDate(2018, 1, 1)
	var grass []string
	for i := 0; i < 30; i++ {
		code := fmt.Sprintf("G%02d", i)
		u := add(code, parents[r.IntN(len(parents))], domain.KindGrassroots)
		u.Ownership = owns[r.IntN(len(owns))]
		if u.Ownership == "" {
			u.EnterpriseTaxCode = fmt.Sprintf("T%02d", i)
			w.Enterprises[u.EnterpriseTaxCode] = []string{domain.OwnPrivate, domain.OwnFDI, domain.OwnState}[r.IntN(3)]
		}
		u.FoundedOn = start.AddDays(r.IntN(6 * 365))
		if i%5 == 0 { // make sure the plan's year sees new-method unions
			u.FoundedOn = domain.NewDate(2022, 1, 1).AddDays(r.IntN(365))
		}
		if r.IntN(4) == 0 || i%5 == 0 {
			u.Method = domain.MethodNew
		}
		grass = append(grass, code)
	}
	for i := 0; i < 700; i++ {
		m := domain.Member{NationalID: fmt.Sprintf("%012d", i), FullName: "Nguyễn Văn A", IDType: "cccd",
			DateOfBirth: domain.NewDate(1990, 1, 1), UnitCode: grass[r.IntN(len(grass))], JoinedHow: domain.JoinedAdmitted}
		m.JoinedOn = start.AddDays(r.IntN(6 * 365))
		if r.IntN(5) == 0 {
			m.JoinedHow = domain.JoinedTransferred
		}
		span := 6*365 + 100
		if r.IntN(3) == 0 {
			m.LeftOn = m.JoinedOn.AddDays(1 + r.IntN(800))
			span = int(m.LeftOn - m.JoinedOn)
		}
		if r.IntN(4) == 0 {
			m.PartyIntroducedOn = m.JoinedOn.AddDays(r.IntN(span))
		}
		// Transfers on distinct days strictly inside the membership.
		last := m.JoinedOn
		for k := r.IntN(3); k > 0 && span > 2; k-- {
			day := last.AddDays(1 + r.IntN(200))
			if !m.LeftOn.IsZero() && day >= m.LeftOn {
				break
			}
			w.Transfers[m.NationalID] = append(w.Transfers[m.NationalID], domain.Transfer{NationalID: m.NationalID, ToUnitCode: grass[r.IntN(len(grass))], Date: day})
			last = day
		}
		w.Members = append(w.Members, m)
	}
	for _, c := range append([]string{"R"}, uppers...) {
		for _, ind := range engine.Codes {
			if r.IntN(3) > 0 {
				w.Targets = append(w.Targets, domain.Target{PlanCode: "P", UnitCode: c, Indicator: ind, Target: int64(r.IntN(300))})
			}
		}
	}
	w.Targets = append(w.Targets, domain.Target{PlanCode: "P", UnitCode: "G00", Indicator: domain.MembersAdmitted, Target: 9})
	plan := &domain.Plan{Code: "P", Name: "Kế hoạch 2022", UnitCode: "R", Start: domain.NewDate(2022, 1, 1), End: domain.NewDate(2022, 12, 31), Threshold: 5}
	camp := &domain.Campaign{Code: "C", Name: "Đợt 1", PlanCode: "P", Start: domain.NewDate(2022, 4, 15), End: domain.NewDate(2022, 5, 31)}
	return w, plan, camp
}

// load writes a world through the store's write API and gives the world
// the IDs the database chose.
func load(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
	t.Helper()
	err := st.Write(context.Background(), func(tx *store.Tx) error {
		ids, err := putFrame(tx, w, plan, camp)
		if err != nil {
			return err
		}
		return saveMembers(tx, w, ids)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// putFrame writes all of a world but its members: the units, the
// enterprises, the plan with its targets and the campaign. It returns the
// IDs the database gave the units, by code.
func putFrame(tx *store.Tx, w *engine.World, plan *domain.Plan, camp *domain.Campaign) (map[string]int64, error) {
	ids := map[string]int64{}
	for i := range w.Units {
		if err := tx.PutUnit(&w.Units[i]); err != nil {
			return nil, err
		}
		ids[w.Units[i].Code] = w.Units[i].ID
	}
	var es []*domain.Enterprise
	for tax, own := range w.Enterprises {
		es = append(es, &domain.Enterprise{TaxCode: tax, Name: tax, Ownership: own, Employees: 30, UnitCode: "R"})
	}
	if err := tx.PutEnterprises(es); err != nil {
		return nil, err
	}
	if err := tx.PutPlan(plan); err != nil {
		return nil, err
	}
	for i := range w.Targets {
		tg := &w.Targets[i]
		if err := tx.PutTarget(plan.ID, ids[tg.UnitCode], tg); err != nil {
			return nil, err
		}
	}
	return ids, tx.PutCampaign(plan.ID, camp)
}

func nationalIDs(w *engine.World) []string {
	var ids []string
	for _, m := range w.Members {
		ids = append(ids, m.NationalID)
	}
	return ids
}

// compare checks that the store's aggregated path gives the report the
// member-by-member reference gives, for many units, dates and campaigns.
func compare(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
	t.Helper()
	ctx := context.Background()
	asOfs := []domain.Date{domain.NewDate(2021, 6, 1), domain.NewDate(2022, 1, 1), domain.NewDate(2022, 5, 31),
		domain.NewDate(2022, 7, 8), domain.NewDate(2022, 12, 31), domain.NewDate(2023, 3, 1)}
	compareUnits(t, st, w, plan, camp, []string{"R", "R-A", "R-A-1", "R-B", "G00", "G05"}, asOfs)
	// Each union's members today, kept beside its counters (migration 016).
	if drift, err := store.ActiveDrift(ctx, st); err != nil || len(drift) > 0 {
		t.Errorf("union_active out of step with the counters (%v): %v", err, drift)
	}
	// The test must compare something that is not all zeros.
	u, _ := st.Unit(ctx, "R")
	in, _ := st.ReportInput(ctx, engine.Query{Plan: *plan, AsOf: domain.NewDate(2022, 12, 31)}, u)
	r := engine.Compute(in)
	for _, i := range r.Indicators {
		if i.Actual == 0 && i.Code != domain.MembersNetGrowth {
			t.Errorf("%s is 0 in the root report: the data set does not exercise it", i.Code)
		}
	}
}

// compareUnits checks that the store's report of each unit of codes, as
// of each day of asOfs, with and without the campaign, is the reference
// engine's report of the world.
func compareUnits(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign, codes []string, asOfs []domain.Date) {
	t.Helper()
	ctx := context.Background()
	for _, code := range codes {
		u, err := st.Unit(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range asOfs {
			for _, c := range []*domain.Campaign{nil, camp} {
				q := engine.Query{Plan: *plan, AsOf: a, Campaign: c}
				in, err := st.ReportInput(ctx, q, u)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := json.Marshal(engine.Compute(in))
				want, _ := json.Marshal(engine.Compute(engine.FromWorld(w, q, code)))
				if string(got) != string(want) {
					t.Fatalf("%s as of %s campaign %v:\n got %s\nwant %s", code, a, c != nil, got, want)
				}
				if c == nil {
					compareMonths(t, st, w, q, u, in)
				}
			}
		}
	}
}

// compareMonths checks that the report of each month of a plan report's
// window, read by MonthInput from the plan report's input, is the
// reference engine's report of that month.
//
// -short checks the first and the last month of each window (the ones cut
// by the window's ends) and every third month between, a third chosen by
// the unit and the day so that the calls of a test together still cover
// every month: the months were a third of this package's time.
func compareMonths(t *testing.T, st *store.Store, w *engine.World, q engine.Query, u *domain.Unit, full *engine.Input) {
	t.Helper()
	_, s, a := q.Window()
	shift := int(q.AsOf)
	for _, c := range u.Code {
		shift += int(c)
	}
	for i, m := 0, s.MonthStart(); m <= a; i, m = i+1, m.MonthEnd()+1 {
		if testing.Short() && m != s.MonthStart() && m.MonthEnd() < a && (i+shift)%3 != 0 {
			continue
		}
		mq := q
		mq.Campaign = &domain.Campaign{Code: m.MonthKey(), Start: max(s, m), End: min(a, m.MonthEnd())}
		in, err := st.MonthInput(context.Background(), mq, u, full)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(engine.Compute(in))
		want, _ := json.Marshal(engine.Compute(engine.FromWorld(w, mq, u.Code)))
		if string(got) != string(want) {
			t.Fatalf("%s as of %s, month %s from the window's input:\n got %s\nwant %s", u.Code, q.AsOf, m.MonthKey(), got, want)
		}
	}
}

// eachWorld runs body on each engine, the engines in parallel, with
// randomWorld(seed) loaded.
func eachWorld(t *testing.T, seed uint64, body func(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		w, plan, camp := randomWorld(seed)
		load(t, st, w, plan, camp)
		body(t, st, w, plan, camp)
	})
}

func TestCountersMatchReference(t *testing.T) {
	eachWorld(t, 1, func(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
		compare(t, st, w, plan, camp)
	})
}

// Changing members (unit, dates, how they joined, a new transfer) keeps the
// counters equal to a recomputation.
func TestCountersFollowUpdates(t *testing.T) {
	eachWorld(t, 2, func(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
		ctx := context.Background()
		ids := map[string]int64{}
		for _, u := range w.Units {
			ids[u.Code] = u.ID
		}
		err := st.Write(ctx, func(tx *store.Tx) error {
			var changed []*domain.Member
			for i := 0; i < len(w.Members); i += 7 {
				m := &w.Members[i]
				if len(w.Transfers[m.NationalID]) == 0 {
					m.UnitCode, m.UnitID = "G03", ids["G03"]
					m.JoinedOn = domain.NewDate(2022, 3, 1+i%28)
					m.LeftOn = 0
				}
				m.JoinedHow = domain.JoinedAdmitted
				m.PartyIntroducedOn = 0
				changed = append(changed, m)
			}
			if err := tx.SaveMembers(changed); err != nil {
				return err
			}
			// A new transfer for a member still active.
			for i := range w.Members {
				m := &w.Members[i]
				if m.LeftOn.IsZero() && m.JoinedOn < domain.NewDate(2022, 1, 1) && len(w.Transfers[m.NationalID]) == 0 {
					t := domain.Transfer{NationalID: m.NationalID, ToUnitCode: "G07", ToUnitID: ids["G07"], Date: domain.NewDate(2022, 6, 15)}
					w.Transfers[m.NationalID] = []domain.Transfer{t}
					return tx.SaveTransfers([]domain.Transfer{t})
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		compare(t, st, w, plan, camp)
	})
}

// Changing a unit's parent in units.csv corrects its whole history.
func TestCountersFollowAMovedUnit(t *testing.T) {
	eachWorld(t, 3, func(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
		ctx := context.Background()
		var moved *domain.Unit
		for i := range w.Units {
			if w.Units[i].Code == "R-A-1" {
				moved = &w.Units[i]
			}
		}
		moved.ParentCode = "R-B"
		err := st.Write(ctx, func(tx *store.Tx) error { return tx.PutUnit(moved) })
		if err != nil {
			t.Fatal(err)
		}
		for i := range w.Units {
			if w.Units[i].Code == "R-B" {
				moved.ParentID = w.Units[i].ID
			}
		}
		for i := range w.Units {
			w.Units[i].ParentID = w.Units[i].BaseParentID
		}
		moved.ParentID = moved.BaseParentID
		compare(t, st, w, plan, camp)
		// A unit cannot move below itself.
		ra := *moved
		ra.Code, ra.ParentCode = "R-B", "R-A-1"
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.PutUnit(&ra) }); err == nil {
			t.Error("R-B moved under its own descendant R-A-1")
		}
	})
}

func TestMigrationsAreIdempotent(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			url := storetest.URL(t, e)
			for i := 0; i < 2; i++ {
				st, err := store.Open(context.Background(), url)
				if err != nil {
					t.Fatalf("open #%d: %v", i+1, err)
				}
				empty, err := st.IsEmpty(context.Background())
				if err != nil || !empty {
					t.Errorf("new database: empty=%v err=%v", empty, err)
				}
				st.Close()
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, e1 := st.Unit(ctx, "NOPE")
		_, e2 := st.Plan(ctx, "NOPE")
		_, e3 := st.Campaign(ctx, "NOPE")
		for _, err := range []error{e1, e2, e3} {
			if !isNotFound(err) {
				t.Errorf("want a not-found error, got %v", err)
			}
		}
	})
}

func isNotFound(err error) bool { return errors.Is(err, domain.ErrNotFound) }

// CountMembers stops counting at its limit, so that a city-wide list does
// not read every record to print its size.
func TestCountMembersUpTo(t *testing.T) {
	eachWorld(t, 4, func(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
		ctx := context.Background()
		all, err := st.CountMembers(ctx, store.MemberFilter{}, 0)
		if err != nil || all != len(w.Members) {
			t.Fatalf("count %d (%v), want %d", all, err, len(w.Members))
		}
		if n, err := st.CountMembers(ctx, store.MemberFilter{}, 100); err != nil || n != 100 {
			t.Errorf("up to 100: %d (%v)", n, err)
		}
		if n, _ := st.CountMembers(ctx, store.MemberFilter{}, all+5); n != all {
			t.Errorf("up to more than all: %d, want %d", n, all)
		}
	})
}

// saveMembers writes the world's members and transfers, giving them the
// IDs of their units.
func saveMembers(tx *store.Tx, w *engine.World, ids map[string]int64) error {
	ts := placeMembers(w, ids)
	var ms []*domain.Member
	for i := range w.Members {
		ms = append(ms, &w.Members[i])
	}
	if err := tx.SaveMembers(ms); err != nil {
		return err
	}
	return tx.SaveTransfers(ts)
}

// placeMembers gives the world's members and their transfers the IDs of
// their units (ids, by code), and returns all the transfers.
func placeMembers(w *engine.World, ids map[string]int64) []domain.Transfer {
	var ts []domain.Transfer
	for i := range w.Members {
		m := &w.Members[i]
		m.UnitID = ids[m.UnitCode]
		for k := range w.Transfers[m.NationalID] {
			w.Transfers[m.NationalID][k].ToUnitID = ids[w.Transfers[m.NationalID][k].ToUnitCode]
		}
		ts = append(ts, w.Transfers[m.NationalID]...)
	}
	return ts
}

// A union's members on a day come from its row (units.active) when
// nothing changed after that day, else from its daily counters: both ways
// give the same counts, in the registry's summary as in the reports
// (TestCountersMatchReference covers those, as-of days before and after
// the last change).
func TestUnionMembersOnADay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		g, member := store.PutRG(t, st)
		err := st.Write(ctx, func(tx *store.Tx) error {
			if err := tx.PutEnterprises([]*domain.Enterprise{{TaxCode: "0101234567", Name: "Công ty A", Ownership: domain.OwnPrivate, Employees: 40, UnitCode: "R"}}); err != nil {
				return err
			}
			g.EnterpriseTaxCode, g.FoundedOn = "0101234567", domain.NewDate(2020, 1, 1)
			if err := tx.PutUnit(g); err != nil {
				return err
			}
			late := member("late")
			late.JoinedOn, late.LeftOn = domain.NewDate(2021, 6, 1), domain.NewDate(2022, 1, 1)
			return tx.SaveMembers([]*domain.Member{member("a"), member("b"), member("c"), late})
		})
		if err != nil {
			t.Fatal(err)
		}
		r, err := st.Unit(ctx, "R")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			day  domain.Date
			want int64
		}{{domain.NewDate(2019, 12, 31), 0}, {domain.NewDate(2020, 6, 1), 3}, {domain.NewDate(2021, 7, 1), 4}, {domain.NewDate(2023, 1, 1), 3}} {
			classes, err := st.EnterpriseClasses(ctx, r.Path, c.day)
			if err != nil {
				t.Fatal(err)
			}
			var got int64
			for _, k := range classes {
				got += k.Members
			}
			if c.day >= g.FoundedOn && got != c.want {
				t.Errorf("members of the enterprise's union on %s: %d, want %d", c.day, got, c.want)
			}
		}
		if drift, err := store.ActiveDrift(ctx, st); err != nil || len(drift) > 0 {
			t.Errorf("union_active out of step with the counters (%v): %v", err, drift)
		}
	})
}

// storetest.Filled: each test gets its own copy of a template (kept here,
// not in storetest: a test binary of its own would link the whole store
// for this one test): what one writes, another does
// not see, and the fill runs at most once.
func TestFilledCopies(t *testing.T) {
	ctx := context.Background()
	fills := 0
	fill := func(ctx context.Context, st *store.Store) error {
		fills++
		return st.Write(ctx, func(tx *store.Tx) error {
			return tx.PutUnit(&domain.Unit{Code: "HN", Name: "Liên đoàn Lao động thành phố Hà Nội", Kind: domain.KindFederation})
		})
	}
	a := storetest.Filled(t, store.SQLite, "storetest-one-unit", fill)
	b := storetest.Filled(t, store.SQLite, "storetest-one-unit", fill)
	if fills > 1 {
		t.Errorf("the fill ran %d times", fills)
	}
	for _, st := range []*store.Store{a, b} {
		if _, err := st.Unit(ctx, "HN"); err != nil {
			t.Fatalf("a copy lacks what the fill wrote: %v", err)
		}
	}
	err := a.Write(ctx, func(tx *store.Tx) error {
		return tx.PutUnit(&domain.Unit{Code: "HN-CG", Name: "LĐLĐ quận Cầu Giấy", Kind: domain.KindUpper, ParentCode: "HN"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Unit(ctx, "HN-CG"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("one copy sees what the other wrote: %v", err)
	}
}

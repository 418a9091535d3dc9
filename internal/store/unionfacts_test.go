package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// The report reads a union's founding day, ownership, method and path
// from union_active (migration 018), which the triggers keep in step with
// every write of units and enterprises. After an enterprise's ownership
// changes, a union drops its own ownership for an enterprise recorded
// after it, a union's method and founding day change, a union moves, a
// unit becomes a grassroots union and another stops being one, every
// report is still the member-by-member reference's, and ActiveDrift finds
// no row out of step.
func TestUnionFactsFollowWrites(t *testing.T) {
	eachWorld(t, 9, func(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
		ctx := context.Background()
		unit := func(code string) *domain.Unit {
			for i := range w.Units {
				if w.Units[i].Code == code {
					return &w.Units[i]
				}
			}
			t.Fatalf("no unit %s", code)
			return nil
		}
		var linked, owned []*domain.Unit
		for i := range w.Units {
			u := &w.Units[i]
			if u.Kind != domain.KindGrassroots {
				continue
			}
			if u.Ownership == "" {
				linked = append(linked, u)
			} else {
				owned = append(owned, u)
			}
		}
		if len(linked) < 2 || len(owned) < 3 {
			t.Fatalf("the world has %d unions linked to an enterprise, %d with an ownership of their own", len(linked), len(owned))
		}
		err := st.Write(ctx, func(tx *store.Tx) error {
			// An enterprise's ownership edited: its unions follow.
			tax := linked[0].EnterpriseTaxCode
			w.Enterprises[tax] = map[string]string{domain.OwnState: domain.OwnFDI}[w.Enterprises[tax]]
			if w.Enterprises[tax] == "" {
				w.Enterprises[tax] = domain.OwnState
			}
			if err := tx.PutEnterprises([]*domain.Enterprise{{TaxCode: tax, Name: tax, Ownership: w.Enterprises[tax], Employees: 30, UnitCode: "R"}}); err != nil {
				return err
			}
			// A union gives up its own ownership for an enterprise
			// recorded after it.
			u := owned[0]
			u.Ownership, u.EnterpriseTaxCode = "", "T-NEW"
			u.FoundedOn = domain.NewDate(2022, 3, 14)
			if err := tx.PutUnit(u); err != nil {
				return err
			}
			w.Enterprises["T-NEW"] = domain.OwnPrivate
			if err := tx.PutEnterprises([]*domain.Enterprise{{TaxCode: "T-NEW", Name: "T-NEW", Ownership: domain.OwnPrivate, Employees: 30, UnitCode: "R"}}); err != nil {
				return err
			}
			// Another changes its method and founding day.
			u = owned[1]
			u.Method = map[string]string{domain.MethodNew: domain.MethodStandard}[u.Method]
			if u.Method == "" {
				u.Method = domain.MethodNew
			}
			u.FoundedOn = domain.NewDate(2022, 5, 2)
			if err := tx.PutUnit(u); err != nil {
				return err
			}
			// A union moves (its parent of units.csv: its whole history).
			u = owned[2]
			u.ParentCode = map[string]string{"R-B": "R-C"}[u.ParentCode]
			if u.ParentCode == "" {
				u.ParentCode = "R-B"
			}
			u.FoundedOn = domain.NewDate(2022, 2, 20)
			if err := tx.PutUnit(u); err != nil {
				return err
			}
			// A unit without members becomes a grassroots union founded in
			// the plan's year; another is added as one and then stops.
			w.Units = append(w.Units, domain.Unit{Code: "R-NEW", Name: "Đơn vị R-NEW", ParentCode: "R-A", Kind: domain.KindUpper, Method: domain.MethodNew},
				domain.Unit{Code: "R-GONE", Name: "Đơn vị R-GONE", ParentCode: "R-B", Kind: domain.KindGrassroots, Method: domain.MethodNew,
					Ownership: domain.OwnPrivate, FoundedOn: domain.NewDate(2022, 4, 1)})
			for _, code := range []string{"R-NEW", "R-GONE"} {
				if err := tx.PutUnit(unit(code)); err != nil {
					return err
				}
			}
			n := unit("R-NEW")
			n.Kind, n.Ownership, n.FoundedOn = domain.KindGrassroots, domain.OwnFDI, domain.NewDate(2022, 6, 30)
			if err := tx.PutUnit(n); err != nil {
				return err
			}
			g := unit("R-GONE")
			g.Kind = domain.KindUpper
			return tx.PutUnit(g)
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range w.Units {
			w.Units[i].ParentID = w.Units[i].BaseParentID
		}
		compare(t, st, w, plan, camp)
		// The changes show: on the founding days of R-NEW, of the moved
		// union and of R-GONE, the store counts the grassroots units the
		// world says were founded that day (R-NEW and the moved union
		// among them, R-GONE not).
		r, _ := st.Unit(ctx, "R")
		for _, day := range []domain.Date{unit("R-NEW").FoundedOn, owned[2].FoundedOn, unit("R-GONE").FoundedOn} {
			var want int64
			for _, u := range w.Units {
				if u.Kind == domain.KindGrassroots && u.FoundedOn == day {
					want++
				}
			}
			q := engine.Query{Plan: *plan, AsOf: domain.NewDate(2022, 12, 31), Campaign: &domain.Campaign{Code: "D", Start: day, End: day}}
			_, got := foundedInput(t, st, q, r)
			if got != want || (day != unit("R-GONE").FoundedOn && want == 0) {
				t.Errorf("unions founded on %s: %d, the world's %d", day, got, want)
			}
		}
	})
}

// The busiest month's input (PeakInput) gives, for each month of a plan
// report, the unions founded and members admitted of the unit and of each
// child that MonthInput gives, on both engines.
func TestPeakInputMatchesMonths(t *testing.T) {
	eachWorld(t, 10, func(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
		ctx := context.Background()
		for _, code := range []string{"R", "R-A"} {
			u, err := st.Unit(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			q := engine.Query{Plan: *plan, AsOf: domain.NewDate(2022, 9, 15)}
			full, err := st.ReportInput(ctx, q, u)
			if err != nil {
				t.Fatal(err)
			}
			_, s, a := q.Window()
			for m := s.MonthStart(); m <= a; m = m.MonthEnd() + 1 {
				mq := q
				mq.Campaign = &domain.Campaign{Code: m.MonthKey(), Start: max(s, m), End: min(a, m.MonthEnd())}
				month, err := st.MonthInput(ctx, mq, u, full)
				if err != nil {
					t.Fatal(err)
				}
				peak, err := st.PeakInput(ctx, mq, u, full)
				if err != nil {
					t.Fatal(err)
				}
				want, got := shown(engine.Compute(month)), shown(engine.Compute(peak))
				if got != want {
					t.Errorf("%s, %s: the peak's input gives\n%s\nthe month's\n%s", code, m.MonthKey(), got, want)
				}
			}
		}
	})
}

// shown is what the peak of a report shows: its unions founded and
// members admitted, and each child's.
func shown(r *engine.Report) string {
	keep := map[string]bool{domain.UnionsFounded: true, domain.MembersAdmitted: true}
	type line struct {
		Unit   string
		Values map[string]int64
	}
	pick := func(code string, get func(string) (int64, bool)) line {
		l := line{Unit: code, Values: map[string]int64{}}
		for c := range keep {
			if v, ok := get(c); ok {
				l.Values[c] = v
			}
		}
		return l
	}
	lines := []line{pick(r.Unit.Code, func(c string) (int64, bool) {
		for _, i := range r.Indicators {
			if i.Code == c {
				return i.Actual, true
			}
		}
		return 0, false
	})}
	for _, ch := range r.Children {
		lines = append(lines, pick(ch.Unit.Code, func(c string) (int64, bool) {
			for _, v := range ch.Indicators {
				if v.Code == c {
					return v.Actual, true
				}
			}
			return 0, false
		}))
	}
	b, _ := json.Marshal(lines)
	return string(b)
}

// The store reads the units founded in a report's window by class
// (engine.Classes): one per month, child line, ownership, method and side
// of the plan's member threshold. Units at the threshold and one below
// it, founded in the same month under the same line, fall in two classes
// and only the first counts as an enterprise union with enough members;
// units of one kind founded in two months are two classes, each counted
// in its month; a campaign that cuts a month reads its units anew. On
// both engines, the figures are those written here and the reference's.
func TestFoundedClassesKeepEveryRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		ctx := context.Background()
		const threshold = 5
		w := &engine.World{Enterprises: map[string]string{"T1": domain.OwnFDI}, Transfers: map[string][]domain.Transfer{}}
		unit := func(code, parent, kind, own, founded, method string) {
			u := domain.Unit{Code: code, Name: "Đơn vị " + code, ParentCode: parent, Kind: kind, Ownership: own, Method: method}
			if founded != "" {
				u.FoundedOn, _ = domain.ParseDate(founded)
			}
			if own == "" && kind == domain.KindGrassroots {
				u.EnterpriseTaxCode = "T1"
			}
			w.Units = append(w.Units, u)
		}
		unit("R", "", domain.KindFederation, "", "", "")
		unit("R-A", "R", domain.KindUpper, "", "", "")
		unit("R-B", "R", domain.KindUpper, "", "", "")
		// R-A: in March, two private unions at the threshold, one just
		// below it; in April one more at it; a state union with many.
		unit("GA1", "R-A", domain.KindGrassroots, domain.OwnPrivate, "2022-03-02", domain.MethodStandard)
		unit("GA2", "R-A", domain.KindGrassroots, domain.OwnPrivate, "2022-03-30", domain.MethodStandard)
		unit("GA3", "R-A", domain.KindGrassroots, domain.OwnPrivate, "2022-03-15", domain.MethodStandard)
		unit("GA4", "R-A", domain.KindGrassroots, domain.OwnPrivate, "2022-04-01", domain.MethodStandard)
		unit("GA5", "R-A", domain.KindGrassroots, domain.OwnState, "2022-03-20", domain.MethodNew)
		// R-B: an FDI union by its enterprise, and a public one (no
		// enterprise union); R itself: a union of its own (no line).
		unit("GB1", "R-B", domain.KindGrassroots, "", "2022-03-05", domain.MethodNew)
		unit("GB2", "R-B", domain.KindGrassroots, domain.OwnPublic, "2022-03-05", domain.MethodStandard)
		unit("GR1", "R", domain.KindGrassroots, domain.OwnPrivate, "2022-05-10", domain.MethodStandard)
		n := 0
		members := func(code string, count int, left string) {
			for i := 0; i < count; i++ {
				n++
				m := domain.Member{NationalID: fmt.Sprintf("%012d", n), FullName: "Nguyễn Văn A", IDType: "cccd",
					DateOfBirth: domain.NewDate(1990, 1, 1), UnitCode: code, JoinedHow: domain.JoinedAdmitted, JoinedOn: domain.NewDate(2022, 5, 20)}
				if left != "" {
					m.LeftOn, _ = domain.ParseDate(left)
				}
				w.Members = append(w.Members, m)
			}
		}
		// As of 2022-07-08: GA1 and GA4 have 5 (one of GA4's leaves
		// the day after), GA2 5 of which one left on the day (4 active),
		// GA3 4, GA5 9, GB1 6, GR1 5.
		members("GA1", threshold, "")
		members("GA2", threshold-1, "")
		members("GA2", 1, "2022-07-08")
		members("GA3", threshold-1, "")
		members("GA4", threshold-1, "")
		members("GA4", 1, "2022-07-09")
		members("GA5", 9, "")
		members("GB1", 6, "")
		members("GR1", threshold, "")
		plan := &domain.Plan{Code: "P", Name: "Kế hoạch", UnitCode: "R", Start: domain.NewDate(2022, 1, 1), End: domain.NewDate(2022, 12, 31), Threshold: threshold}
		camp := &domain.Campaign{Code: "C", Name: "Đợt", PlanCode: "P", Start: domain.NewDate(2022, 3, 10), End: domain.NewDate(2022, 4, 20)}
		load(t, st, w, plan, camp)
		for i := range w.Units {
			w.Units[i].ParentID = w.Units[i].BaseParentID
		}

		r, err := st.Unit(ctx, "R")
		if err != nil {
			t.Fatal(err)
		}
		q := engine.Query{Plan: *plan, AsOf: domain.NewDate(2022, 7, 8)}
		// GA1 with GA2? No: GA2 is below the threshold; GA1 is alone in
		// its class, GA2 with GA3 (both private, March, R-A, below).
		in, units := foundedInput(t, st, q, r)
		if units != 8 || len(in.Founded) != 7 {
			t.Errorf("%d units in %d classes, want 8 in 7: %+v", units, len(in.Founded), in.Founded)
		}
		rep := engine.Compute(in)
		want := map[string]int64{
			domain.UnionsFounded:          8,
			domain.EnterpriseUnions25Plus: 5, // GA1, GA4, GA5, GB1, GR1; not GA2, GA3
			domain.NonStateUnionsFounded:  6, // GA1-GA4, GB1, GR1
			domain.NonStateUnionMembers:   5 + 4 + 4 + 5 + 6 + 5,
			domain.NewMethodUnionsFounded: 2,
		}
		for _, ind := range rep.Indicators {
			if v, ok := want[ind.Code]; ok && ind.Actual != v {
				t.Errorf("%s = %d, want %d", ind.Code, ind.Actual, v)
			}
		}
		months := map[string]int64{"2022-03": 6, "2022-04": 1, "2022-05": 1}
		for _, m := range rep.Months {
			for _, v := range m.Indicators {
				if v.Code == domain.UnionsFounded && v.Actual != months[m.Month] {
					t.Errorf("%s: %d unions founded, want %d", m.Month, v.Actual, months[m.Month])
				}
			}
		}
		// A plan's threshold of 4 puts GA2 and GA3 over it.
		p4 := *plan
		p4.Threshold = threshold - 1
		in4, err := st.ReportInput(ctx, engine.Query{Plan: p4, AsOf: q.AsOf}, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, ind := range engine.Compute(in4).Indicators {
			if ind.Code == domain.EnterpriseUnions25Plus && ind.Actual != 7 {
				t.Errorf("threshold %d: %d enterprise unions, want 7", p4.Threshold, ind.Actual)
			}
		}
		// Every unit, day and campaign (cutting March and April), and
		// every month from the window's classes, as the reference.
		compareUnits(t, st, w, plan, camp, []string{"R", "R-A", "R-B", "GA2"},
			[]domain.Date{domain.NewDate(2022, 3, 15), domain.NewDate(2022, 7, 8), domain.NewDate(2022, 12, 31)})
	})
}

// foundedInput is the store's report input of q for unit, and the number
// of units founded its classes hold.
func foundedInput(t *testing.T, st *store.Store, q engine.Query, unit *domain.Unit) (*engine.Input, int64) {
	t.Helper()
	in, err := st.ReportInput(context.Background(), q, unit)
	if err != nil {
		t.Fatal(err)
	}
	var units int64
	for _, f := range in.Founded {
		units += f.Units
	}
	return in, units
}

package importer_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// movesStory is the story of testdata/ with two more upper units: a ward
// union founded on 1 July 2022 and an old one dissolved in 2021.
func movesStory(t *testing.T, st *store.Store) {
	t.Helper()
	loadAll(t, st)
	mustCSV(t, st, "units", "code,name,parent_code,kind,founded_on,dissolved_on\n"+
		"HN-P1,Công đoàn phường Ngọc Hà,HN,upper,2022-07-01,\n"+
		"HN-X,Công đoàn cũ,HN,upper,2000-01-01,2021-01-01\n")
}

func moves(t *testing.T, st *store.Store, code string) []domain.Move {
	t.Helper()
	u := unit(t, st, code)
	ms, err := st.UnitMoves(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// A move with Vietnamese headers lands; reports before its date stay as
// they were, those after follow it; re-importing the file changes nothing.
func TestMovesImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		movesStory(t, st)
		past := func() string {
			r, err := report.Build(ctx, st, report.Request{Plan: "HN-2022", Unit: "HN-BD", AsOf: "2022-06-30"})
			if err != nil {
				t.Fatal(err)
			}
			return repJSON(t, r)
		}
		before := past()
		file := "Mã đơn vị,Mã đơn vị cấp trên mới,Ngày hiệu lực,Số quyết định\n" +
			"BD-C,HN-P1,01/07/2022,1940/QĐ-LĐLĐ\n"
		sum := mustCSV(t, st, "moves", file)
		if sum.Rows != 1 {
			t.Errorf("summary %+v, want 1 row", sum)
		}
		if got := past(); got != before {
			t.Errorf("the report of HN-BD before the move changed:\n got %s\nwant %s", got, before)
		}
		ms := moves(t, st, "BD-C")
		if len(ms) != 1 || ms[0].NewParentCode != "HN-P1" || ms[0].MovedOn != day(2022, time.July, 1) || ms[0].DecisionNo != "1940/QĐ-LĐLĐ" {
			t.Fatalf("moves of BD-C: %+v", ms)
		}
		if u := unit(t, st, "BD-C"); u.ParentCode != "HN-P1" || u.BaseParentCode != "HN-BD" {
			t.Errorf("BD-C: parent %s (today's tree), base %s; want HN-P1, HN-BD", u.ParentCode, u.BaseParentCode)
		}
		hist, err := st.ParentHistory(ctx, unit(t, st, "BD-C").ID)
		if err != nil || len(hist) != 2 || hist[0].ParentCode != "HN-BD" || hist[0].To != day(2022, time.July, 1) ||
			hist[1].ParentCode != "HN-P1" || hist[1].From != day(2022, time.July, 1) || !hist[1].To.IsZero() {
			t.Errorf("history of BD-C: %+v (%v)", hist, err)
		}
		after := repJSON(t, rep(t, st, "HN-2022", ""))
		mustCSV(t, st, "moves", file)
		if got := repJSON(t, rep(t, st, "HN-2022", "")); got != after {
			t.Errorf("re-import changed the report:\n got %s\nwant %s", got, after)
		}
		if len(moves(t, st, "BD-C")) != 1 {
			t.Error("re-import added a move")
		}
		// A row with an existing code and date updates that move.
		mustCSV(t, st, "moves", "code,new_parent_code,moved_on,decision_no\nBD-C,HN-CG,2022-07-01,2/QĐ\n")
		if ms := moves(t, st, "BD-C"); len(ms) != 1 || ms[0].NewParentCode != "HN-CG" || ms[0].DecisionNo != "2/QĐ" {
			t.Errorf("updated move: %+v", ms)
		}
		if got := past(); got != before {
			t.Errorf("the report of HN-BD before the move changed after the update")
		}
	})
}

// The same move as an XLSX file with a date cell, imported before the
// members, gives the same reports as imported after them.
func TestMovesXLSXBeforeMembers(t *testing.T) {
	var reports [2]string
	for i, movesFirst := range []bool{true, false} {
		storetest.Each(t, func(t *testing.T, st *store.Store) {
			for _, k := range []string{"units", "enterprises"} {
				load(t, st, k)
			}
			mustCSV(t, st, "units", "code,name,parent_code,kind,founded_on\nHN-P1,Công đoàn phường Ngọc Hà,HN,upper,2022-01-01\n")
			file := xlsxRows(t, "moves.xlsx", [][]any{
				{"Mã đơn vị", "Mã đơn vị cấp trên mới", "Ngày hiệu lực", "Số quyết định"},
				{"CG-A", "HN-P1", time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), "5/QĐ"},
				{"BD-C", "HN-P1", "15/04/2022", nil},
			})
			importMoves := func() {
				if _, err := newImporter(st).File(ctx, "moves", file, "moves.xlsx"); err != nil {
					t.Fatal(err)
				}
			}
			if movesFirst {
				importMoves()
			}
			for _, k := range []string{"members", "transfers", "plans", "targets", "campaigns"} {
				load(t, st, k)
			}
			if !movesFirst {
				importMoves()
			}
			got := ""
			for _, u := range []string{"", "HN-CG", "HN-BD", "HN-P1"} {
				got += repJSON(t, rep(t, st, "HN-2022", u))
			}
			if reports[i] != "" && reports[i] != got {
				t.Errorf("%s: reports differ between engines", st.Engine())
			}
			reports[i] = got
		})
	}
	if reports[0] != reports[1] {
		t.Errorf("moves imported before the members give other reports than after:\n%s\n%s", reports[0], reports[1])
	}
}

// Every bad row is reported with its column; nothing is written.
func TestMovesBadRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		movesStory(t, st)
		// HN-CG sits under HN-P1 from 1 September 2022: moving HN-P1 under
		// HN-CG from any day on makes a cycle from then on.
		mustCSV(t, st, "moves", "code,new_parent_code,moved_on\nHN-CG,HN-P1,2022-09-01\n")
		report0 := repJSON(t, rep(t, st, "HN-2022", ""))
		file, want := rowsFile("code,new_parent_code,moved_on,decision_no",
			row{"BD-C,CG-A,2022-07-01,", "new_parent_code", "CĐCS"},         // a grassroots parent
			row{"BD-C,HN-P1,2022-06-30,", "new_parent_code", "thành lập"},   // the parent is not founded yet
			row{"BD-C,HN-X,2022-07-03,", "new_parent_code", "giải thể"},     // the parent is dissolved
			row{"BD-OLD,HN-CG,2022-01-01,", "code", "giải thể"},             // the unit was dissolved before
			row{"HN,HN-CG,2022-07-01,", "new_parent_code", "HN-CG"},         // a cycle today
			row{"HN-P1,HN-CG,2022-08-01,", "new_parent_code", "01/09/2022"}, // a cycle from 1 September on
			row{"NOPE,HN-CG,2022-07-01,", "code", "NOPE"},                   // unknown unit
			row{"BD-C,NOPE,2022-07-04,", "new_parent_code", "NOPE"},         // unknown parent
			row{"BD-C,HN-CG,31/02/2022,", "moved_on", "31/02/2022"},         // impossible date
			row{"CG-A,HN-BD,2022-01-10,", "moved_on", "10/01/2022"},         // on its founding day
			row{"BD-C,HN-CG,2022-07-02,", "", ""},                           // fine
			row{"BD-C,HN-CG,2022-07-02,", "moved_on", "hai lần"},            // the same unit and date again
			row{"HN-BD,HN-BD,2022-07-01,", "new_parent_code", "chính nó"},   // under itself
			row{",,,", "", ""}, // nothing but blanks: skipped
		)
		wantErrs(t, csvErr(t, st, "moves", file), "moves.csv", want...)
		for _, c := range []string{"BD-C", "HN", "HN-P1", "CG-A", "BD-OLD"} {
			if ms := moves(t, st, c); len(ms) != 0 {
				t.Errorf("a failed import saved moves of %s: %+v", c, ms)
			}
		}
		if got := repJSON(t, rep(t, st, "HN-2022", "")); got != report0 {
			t.Error("a failed import changed the report")
		}
	})
}

// A unit linked to an enterprise takes it off its responsible unit's gap
// list: the importer asks Allow about that unit too (column
// enterprise_tax_code), so a manager of one district cannot link another
// district's enterprise.
func TestLinkedEnterpriseUnitAsked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		for _, k := range []string{"units", "enterprises"} {
			load(t, st, k)
		}
		im := newImporter(st)
		var heard []string
		im.Allow = func(kind, column string, u *domain.Unit) error {
			if u != nil && column == "enterprise_tax_code" {
				heard = append(heard, u.Code)
				if u.Code == "HN-BD" {
					return errors.New("ngoài phạm vi đơn vị")
				}
			}
			return nil
		}
		file := "code,name,parent_code,kind,enterprise_tax_code,founded_on\n" +
			"CG-NEW,CĐCS mới,HN-CG,grassroots,0100109106-001,2022-06-01\n" +
			"CG-NEW2,CĐCS mới 2,HN-CG,grassroots,0300123450,2022-06-01\n"
		_, err := im.File(ctx, "units", put(t, "units.csv", []byte(file)), "units.csv")
		wantErrs(t, err, "units.csv", loc{2, "enterprise_tax_code", ""})
		if !slices.Equal(heard, []string{"HN-BD", "HN-CG"}) {
			t.Errorf("Allow heard %q about enterprises' units", heard)
		}
		noUnits(t, st, "CG-NEW", "CG-NEW2")
	})
}

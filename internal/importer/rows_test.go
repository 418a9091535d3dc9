package importer

// Tests of Rows (rows from memory), the Allow hook and the audit entry of
// an import, on both engines. Package-internal so as to stay out of the
// way of importer_test.go.

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

const rowsUnits = `code,name,parent_code,kind,founded_on
HN,Liên đoàn Lao động thành phố Hà Nội,,federation,
HN-CG,LĐLĐ quận Cầu Giấy,HN,upper,
HN-BD,LĐLĐ quận Ba Đình,HN,upper,
CG-A,CĐCS Công ty An Phát,HN-CG,grassroots,2022-01-10
BD-C,CĐCS Trường Ba Đình,HN-BD,grassroots,2015-06-01
`

const rowsMembers = `national_id,full_name,date_of_birth,gender,unit_code,joined_on
001090000001,Nguyễn Văn An,1990-05-12,male,CG-A,2022-02-01
12345,,1990-05-12,male,CG-A,2022-02-01
001091000003,Lê Văn Cường,1991-01-01,male,NOPE,2022-02-01
001092000004,Phạm Văn Dũng,1992-01-01,male,BD-C,2030-01-01
`

var rowsToday = domain.NewDate(2022, 7, 8)

func parseCSV(t *testing.T, s string) ([]string, [][]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[0], recs[1:]
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Rows gives what File gives for the same rows: the summary, and the same
// errors on the same rows.
func TestRowsMatchesFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		im := &Importer{Store: st, Today: rowsToday}
		h, rows := parseCSV(t, rowsUnits)
		sum, err := im.Rows(ctx, "units", "units.csv", h, rows)
		if err != nil || sum.Rows != 5 || sum.String() != "units.csv: đã nhập 5 dòng đơn vị" {
			t.Fatalf("units: %v %v", sum, err)
		}
		_, fileErr := im.File(ctx, "members", writeTemp(t, "members.csv", rowsMembers), "members.csv")
		h, rows = parseCSV(t, rowsMembers)
		_, rowsErr := im.Rows(ctx, "members", "members.csv", h, rows)
		if fileErr == nil || rowsErr == nil || fileErr.Error() != rowsErr.Error() {
			t.Errorf("File:\n%v\nRows:\n%v", fileErr, rowsErr)
		}
		// Vietnamese headers, and a row of empty cells is a row.
		_, err = im.Rows(ctx, "members", "form", []string{"Số CCCD", "Họ và tên"}, [][]string{{"", ""}})
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Errors[0].Row != 2 || ve.Errors[0].Field != "national_id" {
			t.Errorf("empty row: %v", err)
		}
		if c, ok := Column("members", "MÃ CĐCS"); !ok || c != "unit_code" {
			t.Errorf("Column: %q %v", c, ok)
		}
		if n, _ := st.CountMembers(ctx, store.MemberFilter{}, 0); n != 0 {
			t.Errorf("%d members written", n)
		}
	})
}

// Allow hears of every unit a row touches, by column, and its refusal
// fails the row on that column; the audit entry names the lowest unit
// common to the rows.
func TestAllowAndAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		im := &Importer{Store: st, Today: rowsToday, Actor: "cli"}
		if _, err := im.File(ctx, "units", writeTemp(t, "units.csv", rowsUnits), "units.csv"); err != nil {
			t.Fatal(err)
		}
		var heard []string
		refuse := "BD-C"
		im = &Importer{Store: st, Today: rowsToday, Actor: "lan", Allow: func(kind, column string, u *domain.Unit) error {
			code := "<root>"
			if u != nil {
				code = u.Code
			}
			heard = append(heard, kind+" "+column+" "+code)
			if code == refuse {
				return errors.New("outside your unit")
			}
			return nil
		}}
		h, rows := parseCSV(t, "national_id,full_name,date_of_birth,unit_code,joined_on\n"+
			"001090000001,Nguyễn Văn An,1990-05-12,CG-A,2022-02-01\n"+
			"001091000002,Trần Văn Bình,1991-05-12,BD-C,2022-02-01\n")
		_, err := im.Rows(ctx, "members", "members.csv", h, rows)
		if err == nil || err.Error() != "members.csv:3: unit_code: outside your unit" {
			t.Errorf("refused: %v", err)
		}
		if want := []string{"members unit_code CG-A", "members unit_code BD-C"}; !slices.Equal(heard, want) {
			t.Errorf("heard %q, want %q", heard, want)
		}
		// Rewriting a member asks about the units on record; transfers about
		// the member's units and the new one.
		// asks imports the CSV text as kind and checks what Allow was asked
		// about.
		asks := func(what, kind, text string, want ...string) {
			t.Helper()
			heard = nil
			h, rows := parseCSV(t, text)
			if _, err := im.Rows(ctx, kind, kind+".csv", h, rows); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(heard, want) {
				t.Errorf("%s: heard %q, want %q", what, heard, want)
			}
		}
		refuse = ""
		const an = "national_id,full_name,date_of_birth,unit_code,joined_on\n001090000001,Nguyễn Văn An,1990-05-12,CG-A,2022-02-01\n"
		asks("admission", "members", an, "members unit_code CG-A")
		asks("rewrite", "members", an, "members unit_code CG-A", "members national_id CG-A")
		asks("transfer", "transfers", "national_id,to_unit_code,date\n001090000001,BD-C,2022-06-01\n",
			"transfers to_unit_code BD-C", "transfers national_id CG-A")
		// A new root, a plan, a campaign's plan.
		asks("units", "units", "code,name,parent_code,kind\nHCM,LĐLĐ TP Hồ Chí Minh,,federation\nCG-Z,Mới,HN-CG,upper\n",
			"units parent_code <root>", "units parent_code HN-CG")
		asks("plans", "plans", "code,name,unit_code,start,end\nP1,Kế hoạch,HN-CG,2022-01-01,2022-12-31\n", "plans unit_code HN-CG")
		asks("campaigns", "campaigns", "code,name,plan_code,start,end\nD1,Đợt 1,P1,2022-05-01,2022-05-31\n", "campaigns plan_code HN-CG")
		es, err := st.AuditLog(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range es {
			got = append(got, e.Actor+" "+e.Action+" "+e.UnitCode+" "+e.Detail)
		}
		want := []string{
			"lan import.campaigns HN-CG campaigns.csv: 1 rows",
			"lan import.plans HN-CG plans.csv: 1 rows",
			"lan import.units  units.csv: 2 rows",           // two roots have no common unit
			"lan import.transfers HN transfers.csv: 1 rows", // from Cầu Giấy to Ba Đình
			"lan import.members CG-A members.csv: 1 rows",
			"lan import.members CG-A members.csv: 1 rows",
			"cli import.units HN units.csv: 5 rows",
		}
		if !slices.Equal(got, want) {
			t.Errorf("audit\n%q\nwant\n%q", got, want)
		}
	})
}

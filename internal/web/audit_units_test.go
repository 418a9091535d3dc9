package web_test

import (
	"slices"
	"strings"
	"testing"

	"congdoan/internal/store"
)

// An import's audit entry is read by the managers of every unit whose
// members or transfers it changed, on the API and on the /audit page,
// and not by the manager of an unaffected sibling.
func TestAuditEntryUnderEveryUnit(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		// Managers of the grassroots units.
		for name, unit := range map[string]string{"an": "CG-A", "bich": "CG-B", "cuong": "BD-C"} {
			f.addUser(name, "manager", unit)
		}
		reads := func(user string) []string {
			t.Helper()
			status, b := f.get("/api/v1/audit", user)
			if status != 200 {
				t.Fatalf("audit as %s: %d %s", user, status, b)
			}
			var out []string
			for _, e := range decode[auditBody](t, b).Entries {
				if e.Actor != "test" {
					out = append(out, e.Action+" "+e.UnitCode+" "+e.Detail)
				}
			}
			return out
		}
		// The city's admin imports members of CG-A (Cầu Giấy) and BD-C (Ba
		// Đình): one entry, filed under their common ancestor HN.
		if status, b := f.upload("members", "admin", "members.csv", "national_id,full_name,date_of_birth,unit_code,joined_on\n"+
			"001195000701,Lý Thị Mai,1995-01-01,CG-A,2022-06-10\n001096000702,Trịnh Văn Nam,1996-02-02,BD-C,2022-06-11\n"); status != 200 {
			t.Fatalf("import: %d %s", status, b)
		}
		members := "import.members HN members.csv: 2 rows"
		// Then moves a member of CG-A to BD-C.
		if status, b := f.upload("transfers", "admin", "transfers.csv", "national_id,to_unit_code,date\n001195000002,BD-C,2022-06-01\n"); status != 200 {
			t.Fatalf("transfer: %d %s", status, b)
		}
		transfers := "import.transfers HN transfers.csv: 1 rows"
		for user, want := range map[string][]string{
			"admin": {transfers, members},
			"lan":   {transfers, members}, // HN-CG, above CG-A
			"binh":  {transfers, members}, // HN-BD, above BD-C
			"an":    {transfers, members},
			"cuong": {transfers, members},
			"bich":  nil, // CG-B: neither import touched it
		} {
			if got := reads(user); !slices.Equal(got, want) {
				t.Errorf("%s reads %q, want %q", user, got, want)
			}
		}
		// The /audit page agrees.
		if _, page := f.loggedIn("an").get("/audit"); !strings.Contains(page, "Nhập 2 đoàn viên từ tệp members.csv") || !strings.Contains(page, "Nhập 1 lần chuyển sinh hoạt từ tệp transfers.csv") {
			t.Errorf("CG-A's audit page lacks the imports: %.600s", page)
		}
		if _, page := f.loggedIn("bich").get("/audit"); strings.Contains(page, "members.csv") || strings.Contains(page, "transfers.csv") {
			t.Errorf("CG-B's audit page shows another unit's imports")
		}
	})
}

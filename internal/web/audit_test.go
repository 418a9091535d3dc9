package web_test

import (
	"net/http"
	"path/filepath"
	"slices"
	"testing"

	"congdoan/internal/importer"
	"congdoan/internal/store"
)

type auditBody struct {
	Entries []struct {
		ID       int64  `json:"id"`
		At       string `json:"at"`
		Actor    string `json:"actor"`
		Action   string `json:"action"`
		UnitCode string `json:"unit_code"`
		Detail   string `json:"detail"`
	} `json:"entries"`
}

func (a auditBody) lines() []string {
	var out []string
	for _, e := range a.Entries {
		if e.Actor == "test" { // the fixture's users and tokens
			continue
		}
		out = append(out, e.Actor+" "+e.Action+" "+e.UnitCode)
	}
	return out
}

// Every change lands with its audit entry (who, what, when, which unit),
// imports included; each user reads the entries of their own subtree,
// newest first.
func TestAuditLog(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		audit := func(user string) auditBody {
			t.Helper()
			status, b := f.get("/api/v1/audit", user)
			if status != 200 {
				t.Fatalf("audit as %s: %d %s", user, status, b)
			}
			return decode[auditBody](t, b)
		}
		// The fixture's own imports have no actor, hence no entry (its
		// users and tokens have actor "test", left out by lines).
		if got := audit("admin").lines(); len(got) != 0 {
			t.Fatalf("entries before any change: %q", got)
		}
		steps := []struct {
			name string
			do   func() int
			want int
		}{
			{"a manager adds a member", func() int {
				s, _ := f.postJSON("/api/v1/members", "lan", newMember("001195000601", "Ngô Thị Hoa"))
				return s
			}, 201},
			{"a manager imports members", func() int {
				s, _ := f.upload("members", "lan", "members.csv", "national_id,full_name,date_of_birth,unit_code,joined_on\n"+
					"001195000602,Lý Thị Mai,1995-01-01,CG-A,2022-06-10\n001096000603,Trịnh Văn Nam,1996-02-02,CG-B,2022-06-11\n")
				return s
			}, 200},
			{"a failed import leaves no entry", func() int {
				s, _ := f.upload("members", "lan", "members.csv", "national_id,full_name\n1,x\n")
				return s
			}, 422},
			{"another district adds a member", func() int {
				s, _ := f.postJSON("/api/v1/members", "binh", map[string]any{"national_id": "001090000604", "full_name": "Đỗ Văn Hùng",
					"date_of_birth": "1990-01-01", "unit_code": "BD-C", "joined_on": "2022-06-02"})
				return s
			}, 201},
			{"the command line imports", func() int {
				im := &importer.Importer{Store: st, Actor: "cli"}
				if _, err := im.File(ctx, "targets", filepath.Join("testdata", "targets.csv"), "targets.csv"); err != nil {
					t.Error(err)
					return 500
				}
				return 200
			}, 200},
			{"a manager logs in", func() int {
				b := f.browser()
				b.hdr.Set("X-Forwarded-For", "10.4.0.1")
				return b.login("lan", password).StatusCode
			}, http.StatusSeeOther},
		}
		for _, s := range steps {
			if got := s.do(); got != s.want {
				t.Fatalf("%s: %d, want %d", s.name, got, s.want)
			}
		}
		all := audit("admin")
		want := []string{
			"lan session.login HN-CG",
			"cli import.targets HN",
			"binh member.save BD-C",
			"lan import.members HN-CG",
			"lan member.save CG-A",
		}
		if got := all.lines(); !slices.Equal(got, want) {
			t.Errorf("the admin reads\n%q\nwant\n%q", got, want)
		}
		for _, e := range all.Entries {
			if e.At == "" {
				t.Errorf("entry without a time: %+v", e)
			}
		}
		if d := all.Entries[3].Detail; d != "members.csv: 2 rows" {
			t.Errorf("import detail %q", d)
		}
		if d := all.Entries[4].Detail; d != "001195000601 Ngô Thị Hoa" {
			t.Errorf("member detail %q", d)
		}
		// Cầu Giấy's manager reads Cầu Giấy's entries only, the targets
		// import included: it set targets of HN-CG (and of HN-BD), so it is
		// linked to both districts though filed under HN.
		if got, want := audit("lan").lines(), []string{want[0], want[1], want[3], want[4]}; !slices.Equal(got, want) {
			t.Errorf("the manager reads\n%q\nwant\n%q", got, want)
		}
		if got := audit("binh").lines(); !slices.Equal(got, []string{want[1], want[2]}) {
			t.Errorf("Ba Đình reads %q", got)
		}
		// Paging.
		status, b := f.get("/api/v1/audit?limit=2&offset=1", "admin")
		if got := decode[auditBody](t, b).lines(); status != 200 || !slices.Equal(got, want[1:3]) {
			t.Errorf("page: %d %q", status, got)
		}
		// Viewers read no audit log.
		if status, _ := f.get("/api/v1/audit", "xem"); status != 403 {
			t.Errorf("viewer: %d", status)
		}
		if status, _ := f.get("/api/v1/audit", ""); status != 401 {
			t.Errorf("no token: %d", status)
		}
	})
}

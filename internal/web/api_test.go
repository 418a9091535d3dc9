package web_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"congdoan/internal/store"
)

type fieldError struct {
	File    string `json:"file"`
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

type errorBody struct {
	Error  string       `json:"error"`
	Errors []fieldError `json:"errors"`
}

func fields(t *testing.T, b []byte) []string {
	t.Helper()
	var out []string
	for _, e := range decode[errorBody](t, b).Errors {
		out = append(out, e.Field)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

type memberJSON struct {
	NationalID      string `json:"national_id"`
	FullName        string `json:"full_name"`
	UnitCode        string `json:"unit_code"`
	CurrentUnitCode string `json:"current_unit_code"`
	CardNo          string `json:"card_no"`
}

type membersBody struct {
	Unit    string       `json:"unit"`
	Total   int          `json:"total"`
	Limit   int          `json:"limit"`
	Order   string       `json:"order"`
	Members []memberJSON `json:"members"`
}

// newMember is a valid member of CG-A for POST /api/v1/members.
func newMember(nid, name string) map[string]any {
	return map[string]any{"national_id": nid, "full_name": name, "date_of_birth": "1995-06-01", "gender": "female",
		"unit_code": "CG-A", "joined_on": "2022-06-01"}
}

// Every API route for every role: 401 without a valid token, 403 outside
// the subtree or for a viewer writing, 404 for the unknown, 422 with the
// invalid fields, 200/201 otherwise. The cases run in order on one
// database: the writes come last.
func TestAPIAccess(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		type tc struct {
			name   string
			method string
			path   string
			user   string
			body   any // JSON body of a POST
			want   int
			check  func(t *testing.T, b []byte)
		}
		wantFields := func(want ...string) func(*testing.T, []byte) {
			return func(t *testing.T, b []byte) {
				if got := fields(t, b); !slices.Equal(got, want) {
					t.Errorf("fields %v, want %v: %s", got, want, b)
				}
			}
		}
		bad := map[string]any{"national_id": "123", "full_name": "", "date_of_birth": "31/02/2000", "unit_code": "CG-A", "joined_on": "2022-06-01"}
		cases := []tc{
			{name: "report without token", path: "/api/v1/report?plan=HN-2022", want: 401},
			{name: "report with a bad token", path: "/api/v1/report?plan=HN-2022", user: "nobody", want: 401},
			{name: "report of the admin", path: "/api/v1/report?plan=HN-2022&as_of=2022-07-08", user: "admin", want: 200,
				check: func(t *testing.T, b []byte) {
					r := decode[struct {
						Unit       struct{ Code string }
						Indicators []struct {
							Code   string
							Actual int64
						}
						Children []struct{ Unit struct{ Code string } }
					}](t, b)
					if r.Unit.Code != "HN" || r.Indicators[0].Code != "members_admitted" || r.Indicators[0].Actual != 6 || len(r.Children) != 2 {
						t.Errorf("report: %s", b)
					}
				}},
			{name: "report of a manager defaults to their unit", path: "/api/v1/report?plan=HN-2022&as_of=2022-07-08", user: "lan", want: 200,
				check: func(t *testing.T, b []byte) {
					if r := decode[struct{ Unit struct{ Code string } }](t, b); r.Unit.Code != "HN-CG" {
						t.Errorf("unit %q, want HN-CG", r.Unit.Code)
					}
				}},
			{name: "report above the manager", path: "/api/v1/report?plan=HN-2022&unit=HN", user: "lan", want: 403},
			{name: "report of a sibling", path: "/api/v1/report?plan=HN-2022&unit=HN-BD", user: "xem", want: 403},
			{name: "report of an unknown plan", path: "/api/v1/report?plan=NOPE", user: "admin", want: 404},
			{name: "report of an unknown unit", path: "/api/v1/report?plan=HN-2022&unit=NOPE", user: "admin", want: 404},
			{name: "report with a bad date", path: "/api/v1/report?plan=HN-2022&as_of=32/13/2022", user: "admin", want: 422, check: wantFields("as_of")},

			{name: "unit without token", path: "/api/v1/units/HN", want: 401},
			{name: "unit with a bad token", path: "/api/v1/units/HN", user: "nobody", want: 401},
			{name: "unit of the admin", path: "/api/v1/units/HN", user: "admin", want: 200, check: func(t *testing.T, b []byte) {
				u := decode[struct {
					Code, Name, Kind string
					Children         []struct{ Code string }
				}](t, b)
				if u.Code != "HN" || u.Kind != "federation" || len(u.Children) != 2 || u.Children[0].Code != "HN-BD" || u.Children[1].Code != "HN-CG" {
					t.Errorf("unit: %s", b)
				}
			}},
			{name: "unit in the manager's subtree", path: "/api/v1/units/CG-A", user: "lan", want: 200, check: func(t *testing.T, b []byte) {
				u := decode[struct {
					Code       string `json:"code"`
					ParentCode string `json:"parent_code"`
					FoundedOn  string `json:"founded_on"`
				}](t, b)
				if u.ParentCode != "HN-CG" || u.FoundedOn != "2022-01-10" {
					t.Errorf("unit: %s", b)
				}
			}},
			{name: "unit above the manager", path: "/api/v1/units/HN", user: "lan", want: 403},
			{name: "unit beside the viewer", path: "/api/v1/units/BD-C", user: "xem", want: 403},
			{name: "unknown unit", path: "/api/v1/units/NOPE", user: "admin", want: 404},

			{name: "members without token", path: "/api/v1/members", want: 401},
			{name: "members with a bad token", path: "/api/v1/members", user: "nobody", want: 401},
			{name: "members beside the manager", path: "/api/v1/members?unit=HN-BD", user: "lan", want: 403},
			{name: "members of an unknown unit", path: "/api/v1/members?unit=NOPE", user: "admin", want: 404},
			{name: "members with a bad limit", path: "/api/v1/members?limit=abc&offset=-1", user: "admin", want: 422, check: wantFields("limit", "offset")},
			{name: "members of the manager's unit by default", path: "/api/v1/members", user: "lan", want: 200, check: func(t *testing.T, b []byte) {
				if r := decode[membersBody](t, b); r.Unit != "HN-CG" || r.Total != 6 || len(r.Members) != 6 || r.Limit != 50 {
					t.Errorf("members: %s", b)
				}
			}},
			{name: "members paged, limit capped", path: "/api/v1/members?unit=HN&limit=100000&offset=6", user: "admin", want: 200, check: func(t *testing.T, b []byte) {
				if r := decode[membersBody](t, b); r.Total != 8 || len(r.Members) != 2 || r.Limit != 500 {
					t.Errorf("members: %s", b)
				}
			}},

			{name: "member posted without token", method: "POST", path: "/api/v1/members", body: newMember("001195000101", "Ngô Thị Hoa"), want: 401},
			{name: "member posted by a viewer", method: "POST", path: "/api/v1/members", user: "xem", body: newMember("001195000101", "Ngô Thị Hoa"), want: 403},
			{name: "member posted into another subtree", method: "POST", path: "/api/v1/members", user: "binh", body: newMember("001195000101", "Ngô Thị Hoa"), want: 403},
			{name: "member of another subtree rewritten", method: "POST", path: "/api/v1/members", user: "lan",
				body: map[string]any{"national_id": "001180000007", "full_name": "Đặng Thị Ánh", "date_of_birth": "1980-07-07", "gender": "female", "unit_code": "CG-A", "joined_on": "2022-06-01"}, want: 403},
			{name: "member with invalid fields", method: "POST", path: "/api/v1/members", user: "lan", body: bad, want: 422,
				check: wantFields("date_of_birth", "full_name", "national_id")},
			{name: "member with an unknown field", method: "POST", path: "/api/v1/members", user: "lan",
				body: map[string]any{"national_id": "001195000101", "ho_ten_sai": "x"}, want: 422, check: wantFields("ho_ten_sai")},
			{name: "member of an unknown unit", method: "POST", path: "/api/v1/members", user: "lan",
				body: map[string]any{"national_id": "001195000101", "full_name": "Ngô Thị Hoa", "date_of_birth": "1995-06-01", "unit_code": "NOPE", "joined_on": "2022-06-01"},
				want: 422, check: wantFields("unit_code")},
			{name: "member in an upper union", method: "POST", path: "/api/v1/members", user: "lan",
				body: map[string]any{"national_id": "001195000101", "full_name": "Ngô Thị Hoa", "date_of_birth": "1995-06-01", "unit_code": "HN-CG", "joined_on": "2022-06-01"},
				want: 422, check: wantFields("unit_code")},
			{name: "empty member", method: "POST", path: "/api/v1/members", user: "lan", body: map[string]any{}, want: 422,
				check: wantFields("date_of_birth", "full_name", "joined_on", "national_id", "unit_code")},
			{name: "member created", method: "POST", path: "/api/v1/members", user: "lan", body: newMember("001195000101", "Ngô Thị Hoa"), want: 201,
				check: func(t *testing.T, b []byte) {
					if m := decode[memberJSON](t, b); m.NationalID != "001195000101" || m.FullName != "Ngô Thị Hoa" || m.CurrentUnitCode != "CG-A" {
						t.Errorf("member: %s", b)
					}
				}},
			{name: "member updated", method: "POST", path: "/api/v1/members", user: "lan",
				body: map[string]any{"Số CCCD": "001195000101", "Họ và tên": "Ngô Thị Hoa", "Ngày sinh": "01/06/1995", "Giới tính": "Nữ",
					"Mã CĐCS": "CG-A", "Ngày vào công đoàn": "01/06/2022", "card_no": "CG-0101"}, want: 200,
				check: func(t *testing.T, b []byte) {
					if m := decode[memberJSON](t, b); m.CardNo != "CG-0101" {
						t.Errorf("member: %s", b)
					}
				}},
			{name: "member created by the admin anywhere", method: "POST", path: "/api/v1/members", user: "admin",
				body: map[string]any{"national_id": "001090000102", "full_name": "Đỗ Văn Hùng", "date_of_birth": "1990-01-01", "gender": "male", "unit_code": "BD-C", "joined_on": "2022-06-02"}, want: 201},

			{name: "import without token", method: "POST", path: "/api/v1/import/members", want: 401},
			{name: "import by a viewer", method: "POST", path: "/api/v1/import/members", user: "xem", want: 403},
			{name: "import of an unknown kind", method: "POST", path: "/api/v1/import/nope", user: "lan", want: 404},
			{name: "import without a file", method: "POST", path: "/api/v1/import/members", user: "lan", want: 422, check: wantFields("file")},
		}
		for _, c := range cases {
			method := c.method
			if method == "" {
				method = "GET"
			}
			var status int
			var body []byte
			if c.body != nil {
				status, body = f.postJSON(c.path, c.user, c.body)
			} else {
				status, body = f.call(method, c.path, c.user, nil, "")
			}
			t.Run(c.name, func(t *testing.T) {
				if status != c.want {
					t.Fatalf("%s %s as %q: %d, want %d: %s", method, c.path, c.user, status, c.want, body)
				}
				if status >= 400 {
					// Every error is JSON with a message, and no internals.
					if e := decode[errorBody](t, body); e.Error == "" || strings.Contains(e.Error, "sql") || strings.Contains(e.Error, "SQLSTATE") {
						t.Errorf("error body: %s", body)
					}
				}
				if c.check != nil {
					c.check(t, body)
				}
			})
		}
		// 10 members now: the 8 of the files, Ngô Thị Hoa and Đỗ Văn Hùng.
		if n := f.memberCount(); n != 10 {
			t.Errorf("%d members, want 10", n)
		}
	})
}

// The member list: diacritics-insensitive search, the Vietnamese order
// (given name, then middle, then family name; d before đ), national IDs
// masked for viewers only.
func TestMembersSearch(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		names := func(user, query string) ([]string, membersBody) {
			t.Helper()
			status, b := f.get("/api/v1/members?"+query, user)
			if status != 200 {
				t.Fatalf("%s: %d %s", query, status, b)
			}
			r := decode[membersBody](t, b)
			var out []string
			for _, m := range r.Members {
				out = append(out, m.FullName)
			}
			return out, r
		}
		cases := []struct {
			user, query string
			want        []string
		}{
			// Given name first: An, Bình, Dung, Dũng, Đức (Anh before Văn).
			{"lan", "", []string{"Nguyễn Văn An", "Trần Thị Bình", "Vũ Thị Dung", "Phạm Minh Dũng", "Hoàng Anh Đức", "Lê Văn Đức"}},
			{"admin", "unit=HN", []string{"Nguyễn Văn An", "Nguyễn Văn Anh", "Đặng Thị Ánh", "Trần Thị Bình", "Vũ Thị Dung", "Phạm Minh Dũng", "Hoàng Anh Đức", "Lê Văn Đức"}},
			{"admin", "unit=HN&q=nguyen+van+a", []string{"Nguyễn Văn An", "Nguyễn Văn Anh"}},
			{"lan", "q=nguyen%20van%20a", []string{"Nguyễn Văn An"}},
			{"lan", "q=NGUYỄN+VĂN+AN", []string{"Nguyễn Văn An"}},
			// "d" finds đ as well as d.
			{"lan", "q=d", []string{"Vũ Thị Dung", "Phạm Minh Dũng", "Hoàng Anh Đức", "Lê Văn Đức"}},
			{"lan", "q=duc", []string{"Hoàng Anh Đức", "Lê Văn Đức"}},
			{"lan", "q=%C4%90%E1%BB%A9c", []string{"Hoàng Anh Đức", "Lê Văn Đức"}},
			{"xem", "unit=CG-B", []string{"Phạm Minh Dũng", "Hoàng Anh Đức"}},
			{"lan", "q=zzz", nil},
			{"lan", "q=%25", nil}, // LIKE wildcards match themselves
			{"lan", "limit=2&offset=2", []string{"Vũ Thị Dung", "Phạm Minh Dũng"}},
			// Managers may look a national ID up.
			{"lan", "q=001088000003", []string{"Lê Văn Đức"}},
			{"xem", "q=001088000003", nil},
		}
		for _, c := range cases {
			t.Run(c.user+"?"+c.query, func(t *testing.T) {
				got, _ := names(c.user, c.query)
				if !slices.Equal(got, c.want) {
					t.Errorf("got %q\nwant %q", got, c.want)
				}
			})
		}
		t.Run("masked for viewers", func(t *testing.T) {
			_, r := names("xem", "q=nguyen")
			if len(r.Members) != 1 || r.Members[0].NationalID != "*********001" {
				t.Errorf("viewer sees %+v", r.Members)
			}
			_, r = names("lan", "q=nguyen")
			if len(r.Members) != 1 || r.Members[0].NationalID != "001090000001" {
				t.Errorf("manager sees %+v", r.Members)
			}
		})
		t.Run("current unit after a transfer", func(t *testing.T) {
			// Bình moves from CG-A (Cầu Giấy) to BD-C (Ba Đình).
			status, b := f.upload("transfers", "admin", "transfers.csv", "national_id,to_unit_code,date\n001195000002,BD-C,2022-06-01\n")
			if status != 200 {
				t.Fatalf("transfer: %d %s", status, b)
			}
			if got, _ := names("lan", "q=binh"); got != nil {
				t.Errorf("Cầu Giấy still lists %q", got)
			}
			if got, _ := names("binh", "q=binh"); !slices.Equal(got, []string{"Trần Thị Bình"}) {
				t.Errorf("Ba Đình lists %q", got)
			}
		})
	})
}

// Import through the API: the rules of the command, all or nothing, every
// row error as {file,row,field,message}, and the subtree checked on every
// unit a row touches.
func TestImportAPI(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		const header = "national_id,id_type,full_name,date_of_birth,gender,unit_code,joined_on,joined_how,left_on,party_introduced_on,card_no\n"
		good := header +
			"001195000201,,Lý Thị Mai,1995-01-01,female,CG-A,2022-06-10,,,,\n" +
			"001096000202,,Trịnh Văn Nam,1996-02-02,male,CG-B,2022-06-11,,,,\n"

		t.Run("success", func(t *testing.T) {
			status, b := f.upload("members", "lan", "đoàn viên.csv", good)
			if status != 200 {
				t.Fatalf("%d %s", status, b)
			}
			r := decode[struct {
				Kind, File string
				Rows       int
			}](t, b)
			if r.Kind != "members" || r.File != "đoàn viên.csv" || r.Rows != 2 {
				t.Errorf("summary %s", b)
			}
			if n := f.memberCount(); n != 10 {
				t.Errorf("%d members, want 10", n)
			}
		})
		t.Run("row errors, nothing written", func(t *testing.T) {
			before := f.memberCount()
			bad := header +
				"001195000301,,Cao Thị Lan,1995-01-01,female,CG-A,2022-06-10,,,,\n" +
				"12345,,,1995-01-01,female,CG-A,2022-06-10,,,,\n" +
				"001095000303,,Mai Văn Tú,1995-01-01,male,NOPE,2022-06-10,,,,\n"
			status, b := f.upload("members", "lan", "members.csv", bad)
			if status != 422 {
				t.Fatalf("%d %s", status, b)
			}
			var got []string
			for _, e := range decode[errorBody](t, b).Errors {
				got = append(got, fmt.Sprintf("%s:%d:%s", e.File, e.Row, e.Field))
				if e.Message == "" {
					t.Errorf("no message: %+v", e)
				}
			}
			want := []string{"members.csv:3:national_id", "members.csv:3:full_name", "members.csv:4:unit_code"}
			sort.Strings(got)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Errorf("errors %q, want %q", got, want)
			}
			if n := f.memberCount(); n != before {
				t.Errorf("%d members after a failed import, want %d", n, before)
			}
		})
		t.Run("outside the subtree", func(t *testing.T) {
			before := f.memberCount()
			rows := header +
				"001195000401,,Bùi Thị Thu,1995-01-01,female,CG-A,2022-06-10,,,,\n" +
				"001095000402,,Tạ Văn Long,1995-01-01,male,BD-C,2022-06-10,,,,\n"
			status, b := f.upload("members", "lan", "members.csv", rows)
			if status != 422 {
				t.Fatalf("%d %s", status, b)
			}
			errs := decode[errorBody](t, b).Errors
			if len(errs) != 1 || errs[0].Row != 3 || errs[0].Field != "unit_code" || !strings.Contains(errs[0].Message, "outside your unit") {
				t.Errorf("errors %+v", errs)
			}
			if n := f.memberCount(); n != before {
				t.Errorf("%d members, want %d", n, before)
			}
		})
		t.Run("structure only below a manager's unit", func(t *testing.T) {
			cases := []struct {
				kind, content string
				want          int
				field         string
			}{
				{"units", "code,name,parent_code,kind,founded_on\nCG-N,CĐCS Mới,HN-CG,grassroots,2022-06-01\n", 200, ""},
				{"units", "code,name,parent_code,kind,founded_on\nBD-N,CĐCS Mới,HN-BD,grassroots,2022-06-01\n", 422, "parent_code"},
				{"units", "code,name,parent_code,kind\nHN-CG,LĐLĐ Cầu Giấy (đổi tên),HN,upper\n", 422, "parent_code"},
				{"units", "code,name,parent_code,kind,founded_on\nBD-C,CĐCS chiếm,HN-CG,grassroots,2015-06-01\n", 422, "code"},
				{"units", "code,name,parent_code,kind\nCG-X,Gốc mới,,federation\n", 422, "parent_code"},
				{"units", "code,name,parent_code,kind,founded_on\nCG-A,CĐCS An Phát,HN-BD,grassroots,2022-01-10\n", 422, "parent_code"},
				{"plans", "code,name,unit_code,start,end\nCG-2022,Kế hoạch,HN-CG,2022-01-01,2022-12-31\n", 422, "unit_code"},
				{"plans", "code,name,unit_code,start,end\nHN-2022,Kế hoạch chiếm,CG-A,2022-01-01,2022-12-31\n", 422, "code"},
				{"targets", "plan_code,unit_code,indicator,target\nHN-2022,CG-A,members_admitted,4\n", 200, ""},
				{"targets", "plan_code,unit_code,indicator,target\nHN-2022,HN-CG,members_admitted,60\n", 422, "unit_code"},
				{"campaigns", "code,name,plan_code,start,end\nD1,Đợt 1,HN-2022,2022-05-01,2022-05-31\n", 422, "plan_code"},
				{"transfers", "national_id,to_unit_code,date\n001180000007,CG-A,2022-06-01\n", 422, "national_id"},
				{"enterprises", "tax_code,name,ownership,employees,unit_code\n0100109106,Công ty An Phát,private,120,HN-CG\n", 200, ""},
				{"enterprises", "tax_code,name,ownership,employees,unit_code\n0100109106,Công ty An Phát,private,120,HN-BD\n", 422, "unit_code"},
			}
			for _, c := range cases {
				status, b := f.upload(c.kind, "lan", c.kind+".csv", c.content)
				if status != c.want {
					t.Errorf("%s %q: %d, want %d: %s", c.kind, c.content, status, c.want, b)
					continue
				}
				if c.field != "" {
					if got := fields(t, b); !slices.Contains(got, c.field) {
						t.Errorf("%s %q: fields %v, want %s", c.kind, c.content, got, c.field)
					}
				}
			}
			// The admin of the root may do what the manager may not.
			status, b := f.upload("campaigns", "admin", "campaigns.csv", "code,name,plan_code,start,end\nD1,Đợt 1,HN-2022,2022-05-01,2022-05-31\n")
			if status != 200 {
				t.Errorf("admin campaign: %d %s", status, b)
			}
			status, b = f.upload("units", "admin", "units.csv", "code,name,parent_code,kind\nHN-X,Gốc mới,,federation\n")
			if status != 422 {
				t.Errorf("admin new root: %d %s", status, b)
			}
		})
		t.Run("xlsx and bad files", func(t *testing.T) {
			status, b := f.upload("members", "lan", "members.txt", good)
			if status != 422 || !slices.Equal(fields(t, b), []string{"file"}) {
				t.Errorf("txt: %d %s", status, b)
			}
			status, b = f.upload("members", "lan", "members.xlsx", "not a workbook")
			if status != 422 {
				t.Errorf("bad xlsx: %d %s", status, b)
			}
			status, b = f.upload("members", "lan", "members.csv", "")
			if status != 422 {
				t.Errorf("empty: %d %s", status, b)
			}
		})
	})
}

package importer_test

// The tests of the import files of docs/import-formats.md. Each test runs on SQLite and on
// PostgreSQL (storetest.Each). The story of testdata/: the Hanoi federation
// (HN) with two district unions, Cầu Giấy (HN-CG) and Ba Đình (HN-BD); two
// grassroots unions founded in 2022 in Cầu Giấy (CG-A, private; CG-B, FDI,
// founded by the new method), an old school union in Ba Đình (BD-C) and one
// dissolved in 2020 (BD-OLD); seven members, one of whom left in March 2022.
// "Today" is fixed at 8 July 2022, the as-of date of every report here.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/importer"
	"congdoan/internal/msg"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

var (
	ctx   = context.Background()
	today = domain.NewDate(2022, 7, 8)
)

func day(y int, m time.Month, d int) domain.Date { return domain.NewDate(y, m, d) }

func newImporter(st *store.Store) *importer.Importer {
	return &importer.Importer{Store: st, Today: today}
}

// put writes content to a new file called name in a fresh temporary folder
// and returns its path.
func put(t *testing.T, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// importCSV imports content as KIND.csv (the name errors carry).
func importCSV(t *testing.T, st *store.Store, kind, content string) (importer.Summary, error) {
	t.Helper()
	name := kind + ".csv"
	return newImporter(st).File(ctx, kind, put(t, name, []byte(content)), name)
}

func mustCSV(t *testing.T, st *store.Store, kind, content string) importer.Summary {
	t.Helper()
	sum, err := importCSV(t, st, kind, content)
	if err != nil {
		t.Fatalf("import %s: %v", kind, err)
	}
	return sum
}

// load imports testdata/KIND.csv, copied to a temporary folder.
func load(t *testing.T, st *store.Store, kind string) importer.Summary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", kind+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	return mustCSV(t, st, kind, string(b))
}

// loadAll imports the whole story of testdata/, in the order of importer.Kinds.
func loadAll(t *testing.T, st *store.Store) {
	t.Helper()
	for _, k := range importer.Kinds {
		load(t, st, k)
	}
}

// loc is an expected error: its row and column ("" for any column) and a
// piece of its message ("" for any message).
type loc struct {
	row   int
	field string
	msg   string
}

// validationErr is err as a *domain.ValidationError; an import that
// succeeded, or failed otherwise, ends the test (want says what was
// expected).
func validationErr(t *testing.T, err error, want string) *domain.ValidationError {
	t.Helper()
	if err == nil {
		t.Fatalf("the import succeeded; want %s", want)
	}
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T %q is not a *domain.ValidationError", err, err)
	}
	return ve
}

// wantErrs checks that err is a *domain.ValidationError naming file, that it
// holds every expected error, and that no other row is reported.
func wantErrs(t *testing.T, err error, file string, want ...loc) []domain.FieldError {
	t.Helper()
	ve := validationErr(t, err, fmt.Sprintf("errors at %v", want))
	if len(ve.Errors) == 0 {
		t.Fatalf("a ValidationError without FieldErrors")
	}
	rows := map[int]bool{}
	for _, w := range want {
		rows[w.row] = true
	}
	for _, fe := range ve.Errors {
		if fe.File != file {
			t.Errorf("error %q names file %q, want %q", fe.Error(), fe.File, file)
		}
		if !rows[fe.Row] {
			t.Errorf("unexpected error on row %d: %s", fe.Row, fe.Error())
		}
		if fe.Message == "" {
			t.Errorf("error without a message: %+v", fe)
		}
		if !msg.Has(fe.Text.Key) {
			t.Errorf("error without a typed message: %+v", fe)
		}
	}
	for _, w := range want {
		found := false
		for _, fe := range ve.Errors {
			if fe.Row == w.row && (w.field == "" || fe.Field == w.field) && saysIn(fe, w.msg) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("missing error at row %d column %q (message containing %q); got:\n%s", w.row, w.field, w.msg, ve.Error())
		}
	}
	return ve.Errors
}

// saysIn reports whether an error's typed message says s (in any case) in
// Vietnamese or in English: the tests name what a message must say in
// either language; the CLI shows the Vietnamese, the web either.
func saysIn(fe domain.FieldError, s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(strings.ToLower(fe.Text.In("vi")), s) || strings.Contains(strings.ToLower(fe.Text.In("en")), s)
}

// wantFileErr checks an error about the whole file: a ValidationError with
// one FieldError naming the file, whose message contains msg.
func wantFileErr(t *testing.T, err error, file string, row int, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("the import of %s succeeded; want an error", file)
	}
	errs := wantErrs(t, err, file, loc{row: row})
	if !saysIn(errs[0], msg) {
		t.Errorf("message %q (%q) does not contain %q", errs[0].In("vi"), errs[0].In("en"), msg)
	}
	if !strings.HasPrefix(err.Error(), fmt.Sprintf("%s:%d: ", file, row)) {
		t.Errorf("error %q does not start with %s:%d:", err, file, row)
	}
}

var errPeek = errors.New("peek: roll back")

// peek runs fn in a write transaction that is always rolled back: the
// store's reads of members, transfers and enterprises live on store.Tx.
func peek(t *testing.T, st *store.Store, fn func(tx *store.Tx) error) {
	t.Helper()
	err := st.Write(ctx, func(tx *store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errPeek
	})
	if !errors.Is(err, errPeek) {
		t.Fatalf("peek: %v", err)
	}
}

func members(t *testing.T, st *store.Store, ids ...string) (map[string]*domain.Member, map[string][]domain.Transfer) {
	t.Helper()
	var ms map[string]*domain.Member
	var ts map[string][]domain.Transfer
	peek(t, st, func(tx *store.Tx) error {
		var err error
		ms, ts, err = tx.Members(ids)
		return err
	})
	return ms, ts
}

func member(t *testing.T, st *store.Store, id string) *domain.Member {
	t.Helper()
	ms, _ := members(t, st, id)
	if ms[id] == nil {
		t.Fatalf("member %s not found", id)
	}
	return ms[id]
}

// noMembers checks that none of the members exist.
func noMembers(t *testing.T, st *store.Store, ids ...string) {
	t.Helper()
	ms, _ := members(t, st, ids...)
	for id := range ms {
		t.Errorf("member %s was written by a failed import", id)
	}
}

func enterprise(t *testing.T, st *store.Store, taxCode string) (*domain.Enterprise, error) {
	t.Helper()
	var e *domain.Enterprise
	var lookErr error
	peek(t, st, func(tx *store.Tx) error {
		e, lookErr = tx.Enterprise(taxCode)
		if lookErr != nil && !errors.Is(lookErr, domain.ErrNotFound) {
			return lookErr
		}
		return nil
	})
	return e, lookErr
}

func noEnterprises(t *testing.T, st *store.Store, codes ...string) {
	t.Helper()
	absent(t, "enterprise", func(_ context.Context, c string) (*domain.Enterprise, error) { return enterprise(t, st, c) }, codes...)
}

func unit(t *testing.T, st *store.Store, code string) *domain.Unit {
	t.Helper()
	return found(t, "unit", st.Unit, code)
}

// noUnits checks that the units do not exist.
func noUnits(t *testing.T, st *store.Store, codes ...string) {
	t.Helper()
	absent(t, "unit", st.Unit, codes...)
}

func isEmpty(t *testing.T, st *store.Store) {
	t.Helper()
	empty, err := st.IsEmpty(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !empty {
		t.Errorf("the store holds units after a failed import")
	}
}

// rep builds the report of plan for unit ("" for the plan's unit) as of today.
func rep(t *testing.T, st *store.Store, planCode, unitCode string) *engine.Report {
	t.Helper()
	r, err := report.Build(ctx, st, report.Request{Plan: planCode, Unit: unitCode, AsOf: today.String()})
	if err != nil {
		t.Fatalf("report %s/%s: %v", planCode, unitCode, err)
	}
	return r
}

func repJSON(t *testing.T, r *engine.Report) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ind(t *testing.T, r *engine.Report, code string) engine.Indicator {
	t.Helper()
	for _, i := range r.Indicators {
		if i.Code == code {
			return i
		}
	}
	t.Fatalf("no indicator %s in the report", code)
	return engine.Indicator{}
}

// actuals maps each indicator of the report's unit to its actual.
func actuals(r *engine.Report) map[string]int64 {
	out := map[string]int64{}
	for _, i := range r.Indicators {
		out[i.Code] = i.Actual
	}
	return out
}

// childActuals maps each child's code to its indicators' actuals.
func childActuals(r *engine.Report) map[string]map[string]int64 {
	out := map[string]map[string]int64{}
	for _, c := range r.Children {
		m := map[string]int64{}
		for _, i := range c.Indicators {
			m[i.Code] = i.Actual
		}
		out[c.Unit.Code] = m
	}
	return out
}

// wantActuals compares the listed actuals (the others are not checked).
func wantActuals(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s = %d, want %d", what, k, got[k], v)
		}
	}
}

const (
	planPlanHN = "code,name,unit_code,start,end\nHN-2022,Kế hoạch 2022,HN,2022-01-01,2022-12-31\n"
)

// The base story's actuals as of 8 July 2022 (see the package comment).
var (
	baseHN = map[string]int64{
		domain.MembersAdmitted: 3, domain.MembersNetGrowth: 3, domain.UnionsFounded: 2,
		domain.EnterpriseUnions25Plus: 0, domain.NonStateUnionsFounded: 2, domain.NonStateUnionMembers: 4,
		domain.NewMethodUnionsFounded: 1, domain.PartyIntroductions: 1,
	}
	baseCG = map[string]int64{
		domain.MembersAdmitted: 3, domain.MembersNetGrowth: 4, domain.UnionsFounded: 2,
		domain.NonStateUnionsFounded: 2, domain.NonStateUnionMembers: 4, domain.NewMethodUnionsFounded: 1,
		domain.PartyIntroductions: 1,
	}
	baseBD = map[string]int64{
		domain.MembersAdmitted: 0, domain.MembersNetGrowth: -1, domain.UnionsFounded: 0, domain.PartyIntroductions: 0,
	}
)

// ---------------------------------------------------------------- checks of
// the test helpers themselves

// taxCheck computes the check digit of docs/import-formats.md for 9 digits; ok is false
// when the formula gives 10 (no valid code has that base).
func taxCheck(base string) (digit int, ok bool) {
	w := []int{31, 29, 23, 19, 17, 13, 7, 5, 3}
	sum := 0
	for i, c := range base {
		sum += int(c-'0') * w[i]
	}
	d := 10 - sum%11
	return d, d <= 9
}

// validTax returns the valid tax code of a 9-digit base.
func validTax(t *testing.T, base string) string {
	t.Helper()
	d, ok := taxCheck(base)
	if !ok {
		t.Fatalf("base %s has no valid check digit", base)
	}
	return fmt.Sprintf("%s%d", base, d)
}

// wrongTax returns base with a wrong check digit.
func wrongTax(t *testing.T, base string) string {
	t.Helper()
	d, _ := taxCheck(base)
	return fmt.Sprintf("%s%d", base, (d+1)%10)
}

func TestTaxCheckHelper(t *testing.T) {
	t.Parallel()
	// Computed by hand: 0*31+1*29+0*23+0*19+1*17+0*13+9*7+1*5+0*3 = 114;
	// 114 mod 11 = 4; 10-4 = 6.
	if got := validTax(t, "010010910"); got != "0100109106" {
		t.Fatalf("validTax = %s, want 0100109106", got)
	}
}

// ---------------------------------------------------------------- headers

func TestHeadersMatchVietnameseAndCanonicalNames(t *testing.T) {
	t.Parallel()
	// Each header row names the same ten columns of units.csv, in another
	// spelling and order; each creates its own grassroots unit under HN-CG.
	nfd := "Ma\u0303 \u0111o\u031b\u0302n vi\u0323" // "Mã đơn vị" decomposed (NFD)
	variants := []struct{ name, header string }{
		{"canonical", "code,name,parent_code,kind,ownership,enterprise_tax_code,founded_on,decision_no,method,dissolved_on"},
		{"vietnamese", "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại,Loại hình,Mã số thuế doanh nghiệp,Ngày thành lập,Số quyết định,Phương thức thành lập,Ngày giải thể"},
		{"no diacritics", "Ma don vi,Ten don vi,Ma don vi cap tren,Loai,Loai hinh,Ma so thue doanh nghiep,Ngay thanh lap,So quyet dinh,Phuong thuc thanh lap,Ngay giai the"},
		{"upper case", "MÃ ĐƠN VỊ,TÊN ĐƠN VỊ,MÃ ĐƠN VỊ CẤP TRÊN,LOẠI,LOẠI HÌNH,MÃ SỐ THUẾ DOANH NGHIỆP,NGÀY THÀNH LẬP,SỐ QUYẾT ĐỊNH,PHƯƠNG THỨC THÀNH LẬP,NGÀY GIẢI THỂ"},
		{"extra spaces", "  Mã  đơn vị ,Tên   đơn vị,  Mã đơn vị   cấp trên,  Loại  , Loại hình , Mã số thuế doanh  nghiệp, Ngày thành lập ,Số quyết định, Phương thức thành lập ,Ngày giải thể  "},
		{"mixed canonical case", "CODE,Name,Parent_Code,KIND,Ownership,Enterprise_Tax_Code,Founded_On,DECISION_NO,Method,Dissolved_On"},
		{"decomposed unicode", nfd + ",Tên đơn vị,Mã đơn vị cấp trên,Loại,Loại hình,Mã số thuế doanh nghiệp,Ngày thành lập,Số quyết định,Phương thức thành lập,Ngày giải thể"},
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		mustCSV(t, st, "units", "code,name,parent_code,kind\nHN,Hà Nội,,federation\nHN-CG,Cầu Giấy,HN,upper\n")
		for i, v := range variants {
			code := fmt.Sprintf("V%d", i)
			row := fmt.Sprintf("%s,Đơn vị %s,HN-CG,grassroots,private,,2022-0%d-15,QĐ-%d,new,2022-12-0%d", code, v.name, i+1, i, i+1)
			sum, err := importCSV(t, st, "units", v.header+"\n"+row+"\n")
			if err != nil {
				t.Errorf("%s: %v", v.name, err)
				continue
			}
			if sum.Rows != 1 {
				t.Errorf("%s: summary %d rows, want 1", v.name, sum.Rows)
			}
			u := unit(t, st, code)
			want := domain.Unit{Code: code, Name: "Đơn vị " + v.name, ParentCode: "HN-CG", Kind: domain.KindGrassroots,
				Ownership: domain.OwnPrivate, FoundedOn: day(2022, time.Month(i+1), 15), DecisionNo: fmt.Sprintf("QĐ-%d", i),
				Method: domain.MethodNew, DissolvedOn: day(2022, 12, i+1)}
			if u.Code != want.Code || u.Name != want.Name || u.ParentCode != want.ParentCode || u.Kind != want.Kind ||
				u.Ownership != want.Ownership || u.FoundedOn != want.FoundedOn || u.DecisionNo != want.DecisionNo ||
				u.Method != want.Method || u.DissolvedOn != want.DissolvedOn {
				t.Errorf("%s: unit %+v, want %+v", v.name, *u, want)
			}
		}
	})
}

func TestHeadersColumnsInAnyOrder(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		mustCSV(t, st, "units", "kind,parent_code,name,code\nfederation,,Hà Nội,HN\nupper,HN,Cầu Giấy,HN-CG\n")
		mustCSV(t, st, "units", "dissolved_on,founded_on,Loại,code,Tên đơn vị,method,parent_code,ownership\n"+
			",2022-01-10,grassroots,CG-A,Công ty A,,HN-CG,fdi\n")
		u := unit(t, st, "HN-CG")
		if u.Name != "Cầu Giấy" || u.Kind != domain.KindUpper || u.ParentCode != "HN" {
			t.Errorf("HN-CG = %+v", *u)
		}
		a := unit(t, st, "CG-A")
		if a.Name != "Công ty A" || a.Ownership != domain.OwnFDI || a.FoundedOn != day(2022, 1, 10) || a.Method != domain.MethodStandard {
			t.Errorf("CG-A = %+v", *a)
		}
		// Members with the columns reversed and only the required ones.
		mustCSV(t, st, "members", "joined_on,unit_code,gender,date_of_birth,full_name,national_id\n"+
			"2022-02-01,CG-A,Nam,1990-05-12,Nguyễn Văn An,001090000001\n")
		m := member(t, st, "001090000001")
		if m.FullName != "Nguyễn Văn An" || m.UnitCode != "CG-A" || m.JoinedOn != day(2022, 2, 1) ||
			m.DateOfBirth != day(1990, 5, 12) || m.Gender != "male" || m.IDType != "cccd" || m.JoinedHow != domain.JoinedAdmitted {
			t.Errorf("member = %+v", *m)
		}
	})
}

func TestHeadersTaxCodeSpellings(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		mustCSV(t, st, "units", "code,name,parent_code,kind\nHN,Hà Nội,,federation\n")
		for i, h := range []string{"Ma so thue", "MÃ SỐ THUẾ", "mã_số_thuế", "tax_code", "TAX CODE"} {
			tax := validTax(t, fmt.Sprintf("0100000%02d", i+10))
			_, err := importCSV(t, st, "enterprises", h+",Tên doanh nghiệp,LOAI HINH,Số lao động,Đơn vị quản lý\n"+
				tax+",Công ty "+h+",private,10,HN\n")
			if err != nil {
				t.Errorf("header %q: %v", h, err)
				continue
			}
			e, err := enterprise(t, st, tax)
			if err != nil {
				t.Errorf("header %q: enterprise %s: %v", h, tax, err)
				continue
			}
			if e.Name != "Công ty "+h || e.Employees != 10 || e.Ownership != domain.OwnPrivate || e.UnitCode != "HN" {
				t.Errorf("header %q: enterprise %+v", h, *e)
			}
		}
	})
}

func TestHeadersUnknownColumnRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		// A typo must not silently drop a column: parent_cod and Mau are
		// unknown; tax_code belongs to enterprises, not units. Every valid
		// row is then not written.
		err := csvErr(t, st, "units", "code,name,parent_cod,kind,Màu,tax_code\nHN,Hà Nội,,federation,đỏ,\nHN-CG,Cầu Giấy,HN,upper,,\n")
		wantNErrs(t, 3, err, "units.csv", loc{1, "parent_cod", ""}, loc{1, "Màu", ""}, loc{1, "tax_code", ""})
		if !strings.Contains(err.Error(), "units.csv:1: parent_cod: ") {
			t.Errorf("error %q does not read FILE:ROW: column: message", err)
		}
		isEmpty(t, st)

		mustCSV(t, st, "units", "code,name,parent_code,kind,founded_on\nHN,Hà Nội,,federation,\nG,CĐCS G,HN,grassroots,2022-01-01\n")
		_, err = importCSV(t, st, "members", "national_id,full_name,date_of_birth,unit_code,joined_on,email\n"+
			"001090000001,An,1990-05-12,G,2022-02-01,an@example.com\n")
		wantErrs(t, err, "members.csv", loc{1, "email", ""})
		noMembers(t, st, "001090000001")
	})
}

// A file whose columns the importer refuses writes none of its rows.
func TestHeaderColumnsRefused(t *testing.T) {
	cases := []struct {
		name, content string
		n             int // how many errors; 0: any
		want          loc
	}{
		// code and Mã đơn vị name the same column; so do name and NAME.
		{"duplicate column", "code,Mã đơn vị,name,kind,NAME\nHN,HN,Hà Nội,federation,Hà Nội\n", 2, loc{1, "", ""}},
		{"value without header", "code,name,kind,\nHN,Hà Nội,federation,\nHN-CG,Cầu Giấy,upper,lạc cột\n", 0, loc{3, "column 4", ""}},
		// A header below titles, naming columns and one unknown column, is
		// still the header: the unknown column is an error on its row (3),
		// not a missing header.
		{"unknown column below titles", "DANH SÁCH CÔNG ĐOÀN\n\nMã đơn vị,Tên đơn vị,Loại,Màu\nHN,Hà Nội,federation,đỏ\n", 1, loc{3, "Màu", "unknown column"}},
	}
	eachEngine(t, func(t *testing.T, st *store.Store) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				errs := wantErrs(t, csvErr(t, st, "units", c.content), "units.csv", c.want)
				if c.n > 0 && len(errs) != c.n {
					t.Errorf("%d errors, want %d: %v", len(errs), c.n, errs)
				}
				isEmpty(t, st)
			})
		}
	})
}

// ---------------------------------------------------------------- file formats

func TestCSVWithBOMAndCRLF(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		content := "\ufeffMã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại,Ngày thành lập\r\n" +
			"HN,Hà Nội,,Liên đoàn,\r\n" +
			"HN-CG,\"Cầu Giấy\r\n(quận)\",HN,cấp trên cơ sở,\r\n" +
			"CG-A,Công ty A,HN-CG,cơ sở,10/01/2022\r\n"
		sum, err := newImporter(st).File(ctx, "units", put(t, "units.csv", []byte(content)), "upload/units.csv")
		if err != nil {
			t.Fatal(err)
		}
		if sum.Rows != 3 || sum.Kind != "units" || sum.File != "upload/units.csv" {
			t.Errorf("summary %+v", sum)
		}
		hn := unit(t, st, "HN") // the BOM is not part of the first header
		if hn.Kind != domain.KindFederation || hn.Name != "Hà Nội" {
			t.Errorf("HN = %+v", *hn)
		}
		if u := unit(t, st, "HN-CG"); u.Name != "Cầu Giấy\r\n(quận)" && u.Name != "Cầu Giấy\n(quận)" {
			t.Errorf("quoted name with a line break = %q", u.Name)
		}
		a := unit(t, st, "CG-A")
		if a.FoundedOn != day(2022, 1, 10) || strings.ContainsAny(a.Code+a.Name, "\r\n") {
			t.Errorf("CG-A = %+v", *a)
		}

		// Errors in a BOM + CRLF file name the line in the file: the quoted
		// name spans lines 3 and 4, so the bad unit is on line 6, after a
		// blank line 5.
		bad := "\ufeffcode,name,parent_code,kind\r\n" +
			"X1,Một,HN,upper\r\n" +
			"X2,\"Hai\r\ndòng\",HN,upper\r\n" +
			"\r\n" +
			"X3,Ba,HN,hợp tác\r\n"
		_, err = newImporter(st).File(ctx, "units", put(t, "bad.csv", []byte(bad)), "bad.csv")
		wantErrs(t, err, "bad.csv", loc{6, "kind", ""})
		noUnits(t, st, "X1", "X2", "X3")
	})
}

func TestHeaderOnlyFileImportsNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		sum := mustCSV(t, st, "units", "code,name,parent_code,kind\n")
		if sum.Rows != 0 {
			t.Errorf("rows = %d", sum.Rows)
		}
		isEmpty(t, st)
	})
}

func TestBadFilesGiveClearErrors(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		try := unitsFileErr(t, st)
		units := []byte("code,name,parent_code,kind\nHN,Hà Nội,,federation\n")

		wantFileErr(t, try("units.txt", units), "units.txt", 1, ".csv or .xlsx")
		wantFileErr(t, try("units.xlsx", units), "units.xlsx", 1, "xlsx")
		wantFileErr(t, try("empty.xlsx", nil), "empty.xlsx", 1, "xlsx")
		wantFileErr(t, try("empty.csv", nil), "empty.csv", 1, "empty")
		wantFileErr(t, try("bom-only.csv", []byte("\ufeff")), "bom-only.csv", 1, "empty")
		wantFileErr(t, try("zip.xlsx", []byte("PK\x03\x04 not really a zip archive")), "zip.xlsx", 1, "xlsx")

		// Malformed CSV: an unterminated quote and a bare quote, on line 3.
		err := try("quote.csv", []byte("code,name,parent_code,kind\nHN,Hà Nội,,federation\n\"HN-CG,Cầu Giấy,HN,upper\nHN-BD,Ba Đình,HN,upper\n"))
		wantFileErr(t, err, "quote.csv", 3, "malformed CSV")
		err = try("bare.csv", []byte("code,name,parent_code,kind\nHN,Hà Nội,,federation\nHN-CG,Cầu \"Giấy\",HN,upper\n"))
		wantFileErr(t, err, "bare.csv", 3, "malformed CSV")
		// A malformed header.
		err = try("head.csv", []byte("code,\"name,kind\nHN,Hà Nội,federation\n"))
		if err == nil {
			t.Errorf("a header with an open quote was accepted")
		} else {
			var ve *domain.ValidationError
			if !errors.As(err, &ve) || ve.Errors[0].File != "head.csv" {
				t.Errorf("malformed header: %v", err)
			}
		}

		// A missing file is an error, not a panic.
		if _, err := newImporter(st).File(ctx, "units", filepath.Join(t.TempDir(), "none.csv"), "none.csv"); err == nil {
			t.Errorf("a missing file was imported")
		} else if !strings.Contains(err.Error(), "none.csv") {
			t.Errorf("error %q does not name the file", err)
		}
		// An unknown kind is an error naming the kind.
		if _, err := newImporter(st).File(ctx, "widgets", put(t, "w.csv", units), "w.csv"); err == nil || !strings.Contains(err.Error(), "widgets") {
			t.Errorf("unknown kind: err %v", err)
		}
		isEmpty(t, st)
	})
}

// ---------------------------------------------------------------- XLSX

// workbookOf is a workbook whose first sheet, called sheet, holds rows (a nil
// row is left out, a nil value is an empty cell); time.Time values become
// date cells formatted dd/mm/yyyy, listed in dateCells.
func workbookOf(t *testing.T, sheet string, rows [][]any) (f *excelize.File, dateCells []string) {
	t.Helper()
	f = excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	numFmt := "dd/mm/yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
			if _, ok := v.(time.Time); ok {
				if err := f.SetCellStyle(sheet, cell, cell, dateStyle); err != nil {
					t.Fatal(err)
				}
				dateCells = append(dateCells, cell)
			}
		}
	}
	return f, dateCells
}

// xlsxRows builds a workbook whose first sheet ("Dữ liệu") holds rows (a nil
// row is left out, so the sheet has no row element there); time.Time
// values become real date cells formatted dd/mm/yyyy, ints and floats
// numeric cells, nil values empty cells. A second sheet of notes, made the
// active one, must be ignored.
func xlsxRows(t *testing.T, name string, rows [][]any) string {
	t.Helper()
	const sheet = "Dữ liệu"
	f, dateCells := workbookOf(t, sheet, rows)
	defer f.Close()
	notes, err := f.NewSheet("Ghi chú")
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("Ghi chú", "A1", "không phải dữ liệu")
	f.SetCellValue("Ghi chú", "B1", "cột lạ")
	f.SetActiveSheet(notes)
	p := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	// The fixture's date cells really are numbers shown as dd/mm/yyyy.
	g, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for _, cell := range dateCells {
		shown, _ := g.GetCellValue(sheet, cell)
		raw, _ := g.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if len(shown) != 10 || shown[2] != '/' || shown[5] != '/' || strings.Contains(raw, "/") {
			t.Fatalf("cell %s is not a date cell dd/mm/yyyy: shown %q, raw %q", cell, shown, raw)
		}
	}
	return p
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestXLSXFirstSheetWithDateAndNumberCells(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		im := newImporter(st)
		units := xlsxRows(t, "units.xlsx", [][]any{
			{"Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Loại", "Loại hình", "Ngày thành lập", "Phương thức thành lập", "Ngày giải thể"},
			{"HN", "Liên đoàn Lao động thành phố Hà Nội", nil, "Liên đoàn"},
			{"HN-CG", "LĐLĐ quận Cầu Giấy", "HN", "Cấp trên cơ sở"},
			{"CG-A", "CĐCS Công ty A", "HN-CG", "Cơ sở", "private", date(2022, 1, 10), "phương thức mới"},
			{"CG-B", "CĐCS Công ty B", "HN-CG", "Cơ sở", "fdi", "05/03/2022", nil, date(2022, 12, 31)},
			{"CG-C", "CĐCS Công ty C", "HN-CG", "Cơ sở", "state", "2021-02-28"},
		})
		sum, err := im.File(ctx, "units", units, "units.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if sum.Rows != 5 {
			t.Errorf("rows = %d, want 5", sum.Rows)
		}
		if a := unit(t, st, "CG-A"); a.FoundedOn != day(2022, 1, 10) || a.Method != domain.MethodNew || a.Ownership != domain.OwnPrivate || a.Kind != domain.KindGrassroots {
			t.Errorf("CG-A = %+v", *a)
		}
		if b := unit(t, st, "CG-B"); b.FoundedOn != day(2022, 3, 5) || b.DissolvedOn != day(2022, 12, 31) {
			t.Errorf("CG-B = %+v", *b)
		}
		if c := unit(t, st, "CG-C"); c.FoundedOn != day(2021, 2, 28) {
			t.Errorf("CG-C = %+v", *c)
		}
		if hn := unit(t, st, "HN"); hn.Kind != domain.KindFederation || hn.ParentCode != "" {
			t.Errorf("HN = %+v", *hn)
		}

		// Enterprises: employees as numeric cells, integer and float.
		e1, e2 := validTax(t, "010010910"), validTax(t, "030012345")
		ents := xlsxRows(t, "enterprises.xlsx", [][]any{
			{"Mã số thuế", "Tên doanh nghiệp", "Loại hình", "Số lao động", "Đơn vị quản lý"},
			{e1, "Công ty A", "private", 120, "HN-CG"},
			{e2, "Công ty B", "fdi", 450.0, "HN-CG"},
		})
		if _, err := im.File(ctx, "enterprises", ents, "enterprises.xlsx"); err != nil {
			t.Fatal(err)
		}
		if e, err := enterprise(t, st, e1); err != nil || e.Employees != 120 {
			t.Errorf("enterprise %s = %+v, %v", e1, e, err)
		}
		if e, err := enterprise(t, st, e2); err != nil || e.Employees != 450 {
			t.Errorf("enterprise %s = %+v, %v", e2, e, err)
		}

		// Members: dates as date cells, as text in either form.
		mems := xlsxRows(t, "members.xlsx", [][]any{
			{"Số CCCD", "Họ và tên", "Ngày sinh", "Giới tính", "Mã CĐCS", "Ngày vào công đoàn", "Ngày ra khỏi công đoàn", "Ngày giới thiệu cho Đảng", "Số thẻ đoàn viên"},
			{"001090000001", "Nguyễn Văn An", date(1990, 5, 12), "Nam", "CG-A", date(2022, 2, 1), nil, date(2022, 6, 15), 1234},
			{"001195000002", "Trần Thị Bình", "30/11/1995", "Nữ", "CG-B", "2022-03-10", date(2022, 6, 30)},
		})
		if _, err := im.File(ctx, "members", mems, "members.xlsx"); err != nil {
			t.Fatal(err)
		}
		a := member(t, st, "001090000001")
		if a.DateOfBirth != day(1990, 5, 12) || a.JoinedOn != day(2022, 2, 1) || a.PartyIntroducedOn != day(2022, 6, 15) ||
			a.Gender != "male" || a.CardNo != "1234" || a.UnitCode != "CG-A" {
			t.Errorf("member An = %+v", *a)
		}
		b := member(t, st, "001195000002")
		if b.DateOfBirth != day(1995, 11, 30) || b.JoinedOn != day(2022, 3, 10) || b.LeftOn != day(2022, 6, 30) || b.Gender != "female" {
			t.Errorf("member Bình = %+v", *b)
		}

		// Plans, targets and campaigns with date and number cells.
		plans := xlsxRows(t, "plans.xlsx", [][]any{
			{"Mã kế hoạch", "Tên kế hoạch", "Đơn vị", "Từ ngày", "Đến ngày", "Ngưỡng đoàn viên"},
			{"HN-2022", "Kế hoạch 2022", "HN", date(2022, 1, 1), date(2022, 12, 31), 30},
		})
		if _, err := im.File(ctx, "plans", plans, "plans.xlsx"); err != nil {
			t.Fatal(err)
		}
		if p := found(t, "plan", st.Plan, "HN-2022"); p.Start != day(2022, 1, 1) || p.End != day(2022, 12, 31) || p.Threshold != 30 || p.UnitCode != "HN" {
			t.Errorf("plan = %+v", *p)
		}
		targets := xlsxRows(t, "targets.xlsx", [][]any{
			{"Mã kế hoạch", "Đơn vị", "Chỉ tiêu", "Chỉ tiêu giao"},
			{"HN-2022", "HN", "members_admitted", 750},
			{"HN-2022", "HN-CG", "members_admitted", 20.0},
		})
		if _, err := im.File(ctx, "targets", targets, "targets.xlsx"); err != nil {
			t.Fatal(err)
		}
		r := rep(t, st, "HN-2022", "")
		if i := ind(t, r, domain.MembersAdmitted); i.Target == nil || *i.Target != 750 || i.Assigned == nil || *i.Assigned != 20 {
			t.Errorf("members_admitted = %+v", i)
		}
		camps := xlsxRows(t, "campaigns.xlsx", [][]any{
			{"Mã đợt", "Tên đợt", "Mã kế hoạch", "Từ ngày", "Đến ngày", "Tên lớp đoàn viên"},
			{"D1", "Đợt cao điểm 1 năm 2022", "HN-2022", date(2022, 5, 1), date(2022, 5, 31), "Lớp đoàn viên tháng 5"},
		})
		if _, err := im.File(ctx, "campaigns", camps, "campaigns.xlsx"); err != nil {
			t.Fatal(err)
		}
		c, err := st.Campaign(ctx, "D1")
		if err != nil || c.Start != day(2022, 5, 1) || c.End != day(2022, 5, 31) || c.PlanCode != "HN-2022" || c.ClassName != "Lớp đoàn viên tháng 5" {
			t.Errorf("campaign = %+v, %v", c, err)
		}
	})
}

func TestXLSXErrorsNameTheSheetRow(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		load(t, st, "units")
		// Rows 3 and 4 are absent from the sheet: the errors must carry the
		// row numbers Excel shows (5 and 6), and every bad row is reported.
		p := xlsxRows(t, "members.xlsx", [][]any{
			{"national_id", "full_name", "date_of_birth", "gender", "unit_code", "joined_on"},
			{"001090000001", "Nguyễn Văn An", date(1990, 5, 12), "male", "CG-A", date(2022, 2, 1)},
			nil,
			nil,
			{"001195000002", "Trần Thị Bình", date(1995, 11, 30), "female", "CG-A", date(2022, 7, 9)}, // joined in the future
			{"001302000004", "Phạm Thị Dung", "hôm qua", "female", "CG-A", date(2022, 5, 2)},          // not a date
			{"001185000005", "Hoàng Thị Em", date(1985, 4, 4), "female", "HN-CG", date(2022, 5, 2)},   // not grassroots
		})
		_, err := newImporter(st).File(ctx, "members", p, "members.xlsx")
		wantErrs(t, err, "members.xlsx", loc{5, "joined_on", ""}, loc{6, "date_of_birth", ""}, loc{7, "unit_code", ""})
		noMembers(t, st, "001090000001", "001195000002", "001302000004", "001185000005")

		// An unknown header in an XLSX file is reported on row 1 too (Ghi
		// chú, notes, is skipped; màu is not a column).
		p = xlsxRows(t, "units.xlsx", [][]any{{"code", "name", "kind", "ghi chú", "màu"}, {"HN2", "Hà Nội 2", "federation", "x", "đỏ"}})
		_, err = newImporter(st).File(ctx, "units", p, "units.xlsx")
		wantErrs(t, err, "units.xlsx", loc{1, "màu", ""})
		noUnits(t, st, "HN2")
	})
}

// ---------------------------------------------------------------- dates

func TestDates(t *testing.T) {
	t.Parallel()
	good := []struct {
		in   string
		want domain.Date
	}{
		{"2022-05-01", day(2022, 5, 1)},
		{"01/05/2022", day(2022, 5, 1)}, // dd/mm: 1 May, not 5 January
		{"05/01/2022", day(2022, 1, 5)},
		{"1/5/2022", day(2022, 5, 1)},
		{"9/12/2022", day(2022, 12, 9)},
		{"31/12/2022", day(2022, 12, 31)},
		{"29/02/2024", day(2024, 2, 29)},
		{" 2022-06-30 ", day(2022, 6, 30)},
	}
	bad := []string{"31/02/2022", "2022-13-01", "hôm qua", "2022/01/01", "29/02/2022", "2022-02-30",
		"01-05-2022", "2022-5-1", "05/01/22", "0/1/2022", "32/01/2022", "01/13/2022", "20220501", "2022-05-01T00:00:00", "1.5.2022"}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		mustCSV(t, st, "units", "code,name,kind\nHN,Hà Nội,federation\n")
		var b strings.Builder
		b.WriteString("code,name,unit_code,start,end\n")
		for i, g := range good {
			fmt.Fprintf(&b, "P%d,Kế hoạch %d,HN,%s,31/12/2024\n", i, i, g.in)
		}
		mustCSV(t, st, "plans", b.String())
		for i, g := range good {
			if p := found(t, "plan", st.Plan, fmt.Sprintf("P%d", i)); p.Start != g.want || p.End != day(2024, 12, 31) {
				t.Errorf("%q: start %s end %s, want %s", g.in, p.Start, p.End, g.want)
			}
		}

		b.Reset()
		b.WriteString("code,name,unit_code,start,end\nQ-OK,Hợp lệ,HN,2022-01-01,2022-12-31\n")
		var want []loc
		for i, s := range bad {
			fmt.Fprintf(&b, "Q%d,Kế hoạch %d,HN,%q,2022-12-31\n", i, i, s)
			want = append(want, loc{i + 3, "start", ""})
		}
		_, err := importCSV(t, st, "plans", b.String())
		errs := wantErrs(t, err, "plans.csv", want...)
		if len(errs) != len(bad) {
			t.Errorf("%d errors for %d bad dates:\n%v", len(errs), len(bad), err)
		}
		absent(t, "plan", st.Plan, "Q-OK", "Q0")
	})
}

// ---------------------------------------------------------------- units

func TestUnitsImport(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		if sum := load(t, st, "units"); sum.Rows != 7 || sum.Kind != "units" || sum.File != "units.csv" {
			t.Errorf("summary %+v", sum)
		}
		want := []domain.Unit{
			{Code: "HN", Name: "Liên đoàn Lao động thành phố Hà Nội", Kind: domain.KindFederation, Method: domain.MethodStandard},
			{Code: "HN-BD", Name: "LĐLĐ quận Ba Đình", ParentCode: "HN", Kind: domain.KindUpper, Method: domain.MethodStandard},
			{Code: "HN-CG", Name: "LĐLĐ quận Cầu Giấy", ParentCode: "HN", Kind: domain.KindUpper, Method: domain.MethodStandard},
			{Code: "CG-A", Name: "CĐCS Công ty TNHH An Phát", ParentCode: "HN-CG", Kind: domain.KindGrassroots, Ownership: domain.OwnPrivate,
				FoundedOn: day(2022, 1, 10), DecisionNo: "15/QĐ-LĐLĐ", Method: domain.MethodStandard},
			{Code: "CG-B", Name: "CĐCS Công ty Bình Minh Việt Nam", ParentCode: "HN-CG", Kind: domain.KindGrassroots, Ownership: domain.OwnFDI,
				FoundedOn: day(2022, 3, 5), Method: domain.MethodNew},
			{Code: "BD-C", Name: "CĐCS Trường THCS Ba Đình", ParentCode: "HN-BD", Kind: domain.KindGrassroots, Ownership: domain.OwnPublic,
				FoundedOn: day(2015, 6, 1), Method: domain.MethodStandard},
			{Code: "BD-OLD", Name: "CĐCS Xí nghiệp Cơ khí cũ", ParentCode: "HN-BD", Kind: domain.KindGrassroots, Ownership: domain.OwnState,
				FoundedOn: day(2010, 1, 1), Method: domain.MethodStandard, DissolvedOn: day(2020, 12, 31)},
		}
		for _, w := range want {
			u := unit(t, st, w.Code)
			got := *u
			got.ID, got.ParentID, got.Path = 0, 0, ""
			got.BaseParentID, got.BaseParentCode = 0, ""
			if got != w {
				t.Errorf("unit %s:\n got %+v\nwant %+v", w.Code, got, w)
			}
		}
		// The tree: each unit sits below its parent (a row refers to the
		// parent created by a row above it).
		for _, w := range want {
			if w.ParentCode == "" {
				continue
			}
			u, p := unit(t, st, w.Code), unit(t, st, w.ParentCode)
			if u.ParentID != p.ID || !strings.HasPrefix(u.Path, p.Path) || u.Path == p.Path {
				t.Errorf("%s (path %s) is not below %s (path %s)", u.Code, u.Path, p.Code, p.Path)
			}
		}
	})
}

// A unit's kind, ownership and method in Vietnamese, in any case, with or
// without diacritics, as a clerk writes them (with the headers in
// Vietnamese too).
func TestUnitsVietnameseValues(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		mustCSV(t, st, "units", "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại,Loại hình,Ngày thành lập,Phương thức thành lập\n"+
			"HN,Hà Nội,,Liên đoàn,,,\n"+
			"HN2,Hà Nội 2,,LIÊN ĐOÀN,,,\n"+
			"HN-CG,Cầu Giấy,HN,cấp trên cơ sở,,,\n"+
			"HN-X,Công đoàn ngành,HN,CẤP TRÊN CƠ SỞ,,,\n"+
			"HN-Y,Công đoàn viên chức,HN,Cấp Trên Cơ Sở,,,\n"+
			"HN-BD,Ba Đình,HN,cap tren  co so,,,\n"+
			"CG-1,Một,HN-CG,cơ sở,private,2022-01-01,phương thức mới\n"+
			"CG-2,Hai,HN-CG,Cơ Sở,nghiệp đoàn,2022-01-01,Phuong thuc moi\n"+
			"CG-3,Ba,HN-CG,co so,cooperative,2022-01-01,standard\n"+
			"CG-4,Bốn,HN-CG,grassroots,public,2022-01-01,new\n"+
			"CG-5,Năm,HN-CG,GRASSROOTS,informal,2022-01-01,\n"+
			"CG-A,A,HN-CG,Cơ sở,,2022-01-01,PHƯƠNG THỨC MỚI\n"+
			"CG-B,B,HN-CG,công đoàn cơ sở,,2022-01-01,phuong thuc moi\n"+
			"CG-C,C,HN-CG,CO SO,,2022-01-01,\n")
		for code, want := range map[string][3]string{
			"HN":    {domain.KindFederation, "", domain.MethodStandard},
			"HN2":   {domain.KindFederation, "", domain.MethodStandard},
			"HN-CG": {domain.KindUpper, "", domain.MethodStandard},
			"HN-X":  {domain.KindUpper, "", domain.MethodStandard},
			"HN-Y":  {domain.KindUpper, "", domain.MethodStandard},
			"HN-BD": {domain.KindUpper, "", domain.MethodStandard},
			"CG-A":  {domain.KindGrassroots, "", domain.MethodNew},
			"CG-B":  {domain.KindGrassroots, "", domain.MethodNew},
			"CG-C":  {domain.KindGrassroots, "", domain.MethodStandard},
			"CG-1":  {domain.KindGrassroots, domain.OwnPrivate, domain.MethodNew},
			"CG-2":  {domain.KindGrassroots, domain.OwnInformal, domain.MethodNew},
			"CG-3":  {domain.KindGrassroots, domain.OwnCooperative, domain.MethodStandard},
			"CG-4":  {domain.KindGrassroots, domain.OwnPublic, domain.MethodNew},
			"CG-5":  {domain.KindGrassroots, domain.OwnInformal, domain.MethodStandard},
		} {
			u := unit(t, st, code)
			if got := [3]string{u.Kind, u.Ownership, u.Method}; got != want {
				t.Errorf("%s: kind, ownership, method = %v, want %v", code, got, want)
			}
		}
	})
}

func TestUnitsInvalidRowsAllReportedNothingWritten(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		file := "code,name,parent_code,kind,ownership,enterprise_tax_code,founded_on,decision_no,method,dissolved_on\n" +
			"HN,Hà Nội,,federation,,,,,,\n" + // 2 ok
			"HN-CG,Cầu Giấy,HN,upper,,,,,,\n" + // 3 ok
			"HN CG2,Mã có dấu cách,HN,upper,,,,,,\n" + // 4 code charset
			"HN/CG3,Mã có gạch chéo,HN,upper,,,,,,\n" + // 5 code charset
			"Hà-Nội,Mã có dấu,HN,upper,,,,,,\n" + // 6 code charset
			"HN-CG,Trùng mã,HN,upper,,,,,,\n" + // 7 duplicate code
			"X-1,Cấp trên không có,HN-XX,upper,,,,,,\n" + // 8 unknown parent
			"CG-A,Công ty A,HN-CG,grassroots,private,,2022-01-10,,,\n" + // 9 ok
			"CG-A1,Dưới cơ sở,CG-A,grassroots,private,,2022-02-01,,,\n" + // 10 parent is grassroots
			"CG-N,Không ngày thành lập,HN-CG,grassroots,private,,,,,\n" + // 11 founded_on required
			"CG-D,Giải thể trước khi lập,HN-CG,grassroots,private,,2022-05-01,,,2022-04-30\n" + // 12 dissolved before founded
			"CG-E,Doanh nghiệp không có,HN-CG,grassroots,,0100109106,2022-01-01,,,\n" + // 13 unknown enterprise
			"CG-K,Loại lạ,HN-CG,company,,,2022-01-01,,,\n" + // 14 bad kind
			"CG-M,Phương thức lạ,HN-CG,grassroots,private,,2022-01-01,,old,\n" + // 15 bad method
			",Không mã,HN,upper,,,,,,\n" + // 16 code required
			"CG-NN,,HN-CG,grassroots,private,,2022-01-01,,,\n" + // 17 name required
			"CG-O,Loại hình lạ,HN-CG,grassroots,charity,,2022-01-01,,,\n" + // 18 bad ownership
			"CG-F,Ngày sai,HN-CG,grassroots,private,,31/02/2022,,,\n" + // 19 impossible date
			"HN-BD,Thiếu loại,HN,,,,,,,\n" + // 20 kind required
			"CG-S,Giải thể cùng ngày,HN-CG,grassroots,state,,2022-05-01,,,2022-05-01\n" + // 21 ok: not before
			"BD-1,Cấp trên ở dưới,HN-BD2,grassroots,state,,2022-05-01,,,\n" + // 22 parent below, not above
			"HN-BD2,Ba Đình 2,HN,upper,,,,,,\n" // 23 ok
		wantErrs(t, csvErr(t, st, "units", file), "units.csv",
			loc{4, "code", ""}, loc{5, "code", ""}, loc{6, "code", ""}, loc{7, "code", "twice"},
			loc{8, "parent_code", "HN-XX"}, loc{10, "parent_code", ""}, loc{11, "founded_on", ""},
			loc{12, "dissolved_on", ""}, loc{13, "enterprise_tax_code", ""}, loc{14, "kind", ""},
			loc{15, "method", ""}, loc{16, "code", ""}, loc{17, "name", ""}, loc{18, "ownership", ""},
			loc{19, "founded_on", ""}, loc{20, "kind", ""}, loc{22, "parent_code", "HN-BD2"})
		isEmpty(t, st)
		noUnits(t, st, "HN", "HN-CG", "CG-A", "CG-S", "HN-BD2")
	})
}

func TestUnitsEnterpriseLink(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadKinds(t, st, "units", "enterprises", "plans")
		// A grassroots unit linked to a registered enterprise, ownership
		// left empty: taken from the enterprise (private: non-state).
		mustCSV(t, st, "units", "code,name,parent_code,kind,ownership,enterprise_tax_code,founded_on\n"+
			"CG-E,CĐCS Hộ kinh doanh An,HN-CG,grassroots,,001090000001,2022-06-01\n"+
			"CG-F,CĐCS Chi nhánh An Phát,HN-CG,grassroots,,0100109106-001,2022-06-02\n")
		u := unit(t, st, "CG-E")
		if u.EnterpriseTaxCode != "001090000001" || u.Ownership != "" {
			t.Errorf("CG-E = %+v", *u)
		}
		r := rep(t, st, "HN-2022", "")
		wantActuals(t, "HN", actuals(r), map[string]int64{domain.UnionsFounded: 4, domain.NonStateUnionsFounded: 4})
		_, err := importCSV(t, st, "units", "code,name,parent_code,kind,enterprise_tax_code,founded_on\n"+
			"CG-G,Không có trong sổ,HN-CG,grassroots,0101234565,2022-06-01\n")
		wantErrs(t, err, "units.csv", loc{2, "enterprise_tax_code", "0101234565"})
		noUnits(t, st, "CG-G")
	})
}

func TestUnitsUpsert(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadKinds(t, st, "units", "members", "plans")
		before := unit(t, st, "CG-B")
		// Rename CG-B, give it a decision number, switch its method and
		// ownership, and move BD-C from Ba Đình to Cầu Giấy.
		mustCSV(t, st, "units", "code,name,parent_code,kind,ownership,founded_on,decision_no,method\n"+
			"CG-B,CĐCS Công ty Bình Minh,HN-CG,grassroots,private,2022-03-05,QĐ-99,standard\n"+
			"BD-C,CĐCS Trường THCS Ba Đình,HN-CG,grassroots,public,2015-06-01,,\n")
		after := unit(t, st, "CG-B")
		if after.ID != before.ID || after.Name != "CĐCS Công ty Bình Minh" || after.DecisionNo != "QĐ-99" ||
			after.Method != domain.MethodStandard || after.Ownership != domain.OwnPrivate {
			t.Errorf("CG-B after the update = %+v (before %+v)", *after, *before)
		}
		cg, bdc := unit(t, st, "HN-CG"), unit(t, st, "BD-C")
		if bdc.ParentCode != "HN-CG" || !strings.HasPrefix(bdc.Path, cg.Path) {
			t.Errorf("BD-C did not move under HN-CG: %+v", *bdc)
		}
		r := rep(t, st, "HN-2022", "")
		wantActuals(t, "HN", actuals(r), map[string]int64{
			domain.MembersAdmitted: 3, domain.MembersNetGrowth: 3, domain.UnionsFounded: 2, domain.NewMethodUnionsFounded: 0,
		})
		// BD-C's members (C1 left, C2, C3 stay) now count under Cầu Giấy.
		ch := childActuals(r)
		wantActuals(t, "HN-CG", ch["HN-CG"], map[string]int64{domain.MembersAdmitted: 3, domain.MembersNetGrowth: 3})
		wantActuals(t, "HN-BD", ch["HN-BD"], map[string]int64{domain.MembersAdmitted: 0, domain.MembersNetGrowth: 0})
		if n := len(r.Children); n != 2 {
			t.Errorf("%d children, want 2", n)
		}
	})
}

func TestUnitsMoveUnderOwnSubtreeRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		mustCSV(t, st, "units", "code,name,parent_code,kind\nHN,Hà Nội,,federation\nHN-CG,Cầu Giấy,HN,upper\nCG-X,Cụm,HN-CG,upper\n")
		wantErrs(t, csvErr(t, st, "units", "code,name,parent_code,kind\nHN-CG,Cầu Giấy,CG-X,upper\n"), "units.csv", loc{2, "parent_code", ""})
		if u := unit(t, st, "HN-CG"); u.ParentCode != "HN" {
			t.Errorf("HN-CG moved to %s", u.ParentCode)
		}
	})
}

func TestUnitsKindChangeGuards(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadKinds(t, st, "units", "members")
		// A grassroots unit with members cannot become an upper union; an
		// upper union with units below it cannot become grassroots.
		_, err := importCSV(t, st, "units", "code,name,parent_code,kind,founded_on\n"+
			"CG-A,CĐCS Công ty TNHH An Phát,HN-CG,upper,2022-01-10\n"+
			"HN-BD,LĐLĐ quận Ba Đình,HN,grassroots,2000-01-01\n")
		wantErrs(t, err, "units.csv", loc{2, "kind", ""}, loc{3, "kind", ""})
		if u := unit(t, st, "CG-A"); u.Kind != domain.KindGrassroots {
			t.Errorf("CG-A kind %s", u.Kind)
		}
		if u := unit(t, st, "HN-BD"); u.Kind != domain.KindUpper {
			t.Errorf("HN-BD kind %s", u.Kind)
		}
	})
}

func TestUnitsUpperBecomesFederation(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadKinds(t, st, "units", "members")
		// HN-CG has no members of its own (its grassroots unions do): an
		// upper union may become a federation-level union (a parent may be
		// federation or upper), and a row with an existing key updates it.
		_, err := importCSV(t, st, "units", "code,name,parent_code,kind\nHN-CG,LĐLĐ quận Cầu Giấy,HN,federation\n")
		if err != nil {
			t.Fatalf("an upper union whose grassroots unions have members cannot change kind: %v "+
				"(unitsHandler.row asks tx.HasMembers, which counts the unit_day rows rolled up from the whole subtree)", err)
		}
		if u := unit(t, st, "HN-CG"); u.Kind != domain.KindFederation {
			t.Errorf("HN-CG kind %s, want federation", u.Kind)
		}
	})
}

// ---------------------------------------------------------------- enterprises

func TestEnterprisesImport(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		load(t, st, "units")
		loadRows(t, st, "enterprises", 4)
		want := []domain.Enterprise{
			{TaxCode: "0100109106", Name: "Công ty TNHH An Phát", Ownership: domain.OwnPrivate, Employees: 120,
				Address: "Số 1 Duy Tân, Cầu Giấy", Area: "Dịch Vọng Hậu", UnitCode: "HN-CG", Source: "bhxh"},
			{TaxCode: "0100109106-001", Name: "Chi nhánh Công ty TNHH An Phát tại Ba Đình", Ownership: domain.OwnPrivate, Employees: 35,
				Area: "Ba Đình", UnitCode: "HN-BD", Source: "tax"},
			{TaxCode: "0300123450", Name: "Công ty Bình Minh Việt Nam", Ownership: domain.OwnFDI, Employees: 450,
				Area: "Nghĩa Đô", UnitCode: "HN-CG", Source: "survey"},
			{TaxCode: "001090000001", Name: "Hộ kinh doanh Nguyễn Văn An", Ownership: domain.OwnPrivate, Employees: 0,
				UnitCode: "HN-CG", Source: "ward"},
		}
		for _, w := range want {
			e, err := enterprise(t, st, w.TaxCode)
			if err != nil {
				t.Errorf("%s: %v", w.TaxCode, err)
				continue
			}
			if *e != w {
				t.Errorf("enterprise %s:\n got %+v\nwant %+v", w.TaxCode, *e, w)
			}
		}
	})
}

func TestEnterprisesTaxCodeCheckDigit(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		mustCSV(t, st, "units", "code,name,kind\nHN,Hà Nội,federation\n")
		// Valid codes computed with docs/import-formats.md's formula, and the same bases
		// with any other last digit.
		bases := []string{"010010910", "030012345", "010123456", "020000001", "070000007", "123456789", "456789123"}
		var good, bad []string
		for _, b := range bases {
			if _, ok := taxCheck(b); !ok {
				continue
			}
			good = append(good, validTax(t, b))
			bad = append(bad, wrongTax(t, b))
		}
		if len(good) < 5 {
			t.Fatalf("only %d usable bases", len(good))
		}
		var f strings.Builder
		f.WriteString("tax_code,name,ownership,employees,unit_code\n")
		for i, c := range good {
			fmt.Fprintf(&f, "%s,Công ty %d,state,%d,HN\n", c, i, i)
			fmt.Fprintf(&f, "%s-%03d,Chi nhánh %d,state,%d,HN\n", c, i+1, i, i)
		}
		mustCSV(t, st, "enterprises", f.String())
		for _, c := range good {
			if _, err := enterprise(t, st, c); err != nil {
				t.Errorf("valid code %s: %v", c, err)
			}
		}

		f.Reset()
		f.WriteString("tax_code,name,ownership,employees,unit_code\n")
		var want []loc
		for i, c := range bad {
			fmt.Fprintf(&f, "%s,Sai số kiểm tra %d,state,1,HN\n", c, i)
			want = append(want, loc{i + 2, "tax_code", ""})
		}
		_, err := importCSV(t, st, "enterprises", f.String())
		if errs := wantErrs(t, err, "enterprises.csv", want...); len(errs) != len(bad) {
			t.Errorf("%d errors for %d bad codes", len(errs), len(bad))
		}
		noEnterprises(t, st, bad...)
	})
}

func TestEnterprisesInvalidRowsAllReportedNothingWritten(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		load(t, st, "units")
		ok1, ok2 := validTax(t, "010010910"), validTax(t, "030012345")
		file := "tax_code,name,ownership,employees,address,area,unit_code,source\n" +
			ok1 + ",Hợp lệ,private,10,,,HN-CG,\n" + // 2 ok
			wrongTax(t, "010123456") + ",Sai số kiểm tra,private,10,,,HN-CG,\n" + // 3
			ok1 + "-01,Nhánh 2 chữ số,private,10,,,HN-CG,\n" + // 4
			ok1 + "-0001,Nhánh 4 chữ số,private,10,,,HN-CG,\n" + // 5
			"010010910,Chín chữ số,private,10,,,HN-CG,\n" + // 6
			"01001091061,Mười một chữ số,private,10,,,HN-CG,\n" + // 7
			"999090000001,Cá nhân mã tỉnh lạ,private,1,,,HN-CG,\n" + // 8
			"01OO1O91O6,Chữ cái,private,10,,,HN-CG,\n" + // 9
			ok1 + ",Trùng mã,private,10,,,HN-CG,\n" + // 10 duplicate
			validTax(t, "020000001") + ",Âm,private,-5,,,HN-CG,\n" + // 11
			validTax(t, "070000007") + ",Chữ,private,nhiều,,,HN-CG,\n" + // 12
			validTax(t, "123456789") + ",Thiếu,private,,,,HN-CG,\n" + // 13
			validTax(t, "456789123") + ",Lẻ,private,12.5,,,HN-CG,\n" + // 14
			validTax(t, "010123456") + ",Đơn vị lạ,private,10,,,HN-XX,\n" + // 15
			validTax(t, "010000011") + ",Đơn vị cơ sở,fdi,10,,,CG-A,\n" + // 16 grassroots
			validTax(t, "010000012") + ",Thiếu đơn vị,fdi,10,,,,\n" + // 17
			validTax(t, "010000013") + ",Loại hình lạ,public,10,,,HN-CG,\n" + // 18 enterprises: state, private, fdi
			",Thiếu mã,private,10,,,HN-CG,\n" + // 19
			ok2 + ",,fdi,10,,,HN-CG,\n" + // 20 name required
			ok2 + "-001,Chi nhánh,fdi,0,,,HN-BD,\n" + // 21 ok
			"001090000001,Hộ kinh doanh,private,2,,,HN-CG,\n" // 22 ok: 12-digit personal
		wantErrs(t, csvErr(t, st, "enterprises", file), "enterprises.csv",
			loc{3, "tax_code", ""}, loc{4, "tax_code", ""}, loc{5, "tax_code", ""}, loc{6, "tax_code", ""},
			loc{7, "tax_code", ""}, loc{8, "tax_code", ""}, loc{9, "tax_code", ""}, loc{10, "tax_code", "twice"},
			loc{11, "employees", ""}, loc{12, "employees", ""}, loc{13, "employees", ""}, loc{14, "employees", ""},
			loc{15, "unit_code", "HN-XX"}, loc{16, "unit_code", ""}, loc{17, "unit_code", ""}, loc{18, "ownership", ""},
			loc{19, "tax_code", ""}, loc{20, "name", ""})
		noEnterprises(t, st, ok1, ok2+"-001", "001090000001")
	})
}

func TestEnterprisesEmployeesWithThousandsSeparator(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		load(t, st, "units")
		// "1.000" is one thousand written the Vietnamese way. docs/import-formats.md wants
		// an integer: either refuse it or read 1000, never store 1.
		tax := validTax(t, "010010910")
		_, err := importCSV(t, st, "enterprises", "tax_code,name,ownership,employees,unit_code\n"+tax+",Công ty,private,1.000,HN-CG\n")
		if err != nil {
			wantErrs(t, err, "enterprises.csv", loc{2, "employees", ""})
			noEnterprises(t, st, tax)
			return
		}
		e, err := enterprise(t, st, tax)
		if err != nil {
			t.Fatal(err)
		}
		if e.Employees != 1000 {
			t.Fatalf("employees %q in a CSV file was stored as %d (row.integer falls back to ParseFloat for every file, not only XLSX)", "1.000", e.Employees)
		}
	})
}

func TestEnterprisesUpsert(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadKinds(t, st, "units", "enterprises", "enterprises")
		mustCSV(t, st, "enterprises", "tax_code,name,ownership,employees,address,area,unit_code,source\n"+
			"0100109106,Công ty Cổ phần An Phát,state,150,,Yên Hòa,HN-BD,tax\n")
		e, err := enterprise(t, st, "0100109106")
		if err != nil {
			t.Fatal(err)
		}
		want := domain.Enterprise{TaxCode: "0100109106", Name: "Công ty Cổ phần An Phát", Ownership: domain.OwnState,
			Employees: 150, Area: "Yên Hòa", UnitCode: "HN-BD", Source: "tax"}
		if *e != want {
			t.Errorf("after the update:\n got %+v\nwant %+v", *e, want)
		}
		if e, _ := enterprise(t, st, "0300123450"); e == nil || e.Employees != 450 {
			t.Errorf("another enterprise changed: %+v", e)
		}
	})
}

// ---------------------------------------------------------------- members

func TestMembersImport(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		load(t, st, "units")
		loadRows(t, st, "members", 7)
		want := []domain.Member{
			{NationalID: "001090000001", IDType: "cccd", FullName: "Nguyễn Văn An", DateOfBirth: day(1990, 5, 12), Gender: "male",
				UnitCode: "CG-A", JoinedOn: day(2022, 2, 1), JoinedHow: domain.JoinedAdmitted, PartyIntroducedOn: day(2022, 6, 15), CardNo: "CG-0001"},
			{NationalID: "001195000002", IDType: "cccd", FullName: "Trần Thị Bình", DateOfBirth: day(1995, 11, 30), Gender: "female",
				UnitCode: "CG-A", JoinedOn: day(2022, 3, 10), JoinedHow: domain.JoinedAdmitted},
			{NationalID: "079088000003", IDType: "cccd", FullName: "Lê Văn Cường", DateOfBirth: day(1988, 1, 1), Gender: "male",
				UnitCode: "CG-B", JoinedOn: day(2022, 4, 1), JoinedHow: domain.JoinedTransferred},
			{NationalID: "001302000004", IDType: "cccd", FullName: "Phạm Thị Dung", DateOfBirth: day(2002, 8, 20), Gender: "female",
				UnitCode: "CG-B", JoinedOn: day(2022, 5, 2), JoinedHow: domain.JoinedAdmitted},
			{NationalID: "001185000005", IDType: "cccd", FullName: "Hoàng Thị Em", DateOfBirth: day(1985, 4, 4), Gender: "female",
				UnitCode: "BD-C", JoinedOn: day(2016, 9, 1), JoinedHow: domain.JoinedAdmitted, LeftOn: day(2022, 3, 1)},
			{NationalID: "012345678", IDType: "cmnd", FullName: "Vũ Văn Giang", DateOfBirth: day(1980, 2, 2), Gender: "male",
				UnitCode: "BD-C", JoinedOn: day(2018, 1, 1), JoinedHow: domain.JoinedAdmitted},
			{NationalID: "B1234567", IDType: "passport", FullName: "Kim Min Ho", DateOfBirth: day(1979, 12, 12), Gender: "male",
				UnitCode: "BD-C", JoinedOn: day(2019, 5, 5), JoinedHow: domain.JoinedTransferred},
		}
		var ids []string
		for _, w := range want {
			ids = append(ids, w.NationalID)
		}
		ms, _ := members(t, st, ids...)
		for _, w := range want {
			m := ms[w.NationalID]
			if m == nil {
				t.Errorf("member %s missing", w.NationalID)
				continue
			}
			got := *m
			got.ID, got.UnitID = 0, 0
			if got != w {
				t.Errorf("member %s:\n got %+v\nwant %+v", w.NationalID, got, w)
			}
		}
	})
}

func TestMembersNationalIDRules(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		load(t, st, "units")
		head := "national_id,id_type,full_name,date_of_birth,gender,unit_code,joined_on\n"
		okRows := "001090000101,,CCCD hợp lệ,1990-01-01,male,CG-A,2022-02-01\n" +
			"012345678,cmnd,CMND hợp lệ,1980-02-02,male,CG-A,2022-02-01\n" +
			"012345679,CMND,CMND chữ hoa,1980-02-02,Nam,CG-A,2022-02-01\n" +
			"C7654321,passport,Hộ chiếu,1985-03-03,female,CG-A,2022-02-01\n" +
			"001090000110,cccd,CCCD khai loại,1990-01-01,,CG-A,2022-02-01\n" +
			"079305000111,,Nữ sinh năm 2005,2005-01-01,Nữ,CG-A,2022-02-01\n" +
			"096204000112,,Nam sinh năm 2004 ở Cà Mau,2004-06-30,Nam,CG-A,2022-02-01\n"
		okIDs := []string{"001090000101", "012345678", "012345679", "C7654321", "001090000110", "079305000111", "096204000112"}
		bad := "003090000102,,Mã tỉnh 003,1990-01-01,male,CG-A,2022-02-01\n" + // 9 province 003 does not exist
			"100090000103,,Mã tỉnh 100,1990-01-01,male,CG-A,2022-02-01\n" + // 10 nor 100
			"001090000104,,Số nam khai nữ,1990-01-01,female,CG-A,2022-02-01\n" + // 11 digit 0: a man
			"001190000105,,Số nữ khai nam,1990-01-01,Nam,CG-A,2022-02-01\n" + // 12 digit 1: a woman
			"001290000106,,Thế kỷ sai,1990-01-01,male,CG-A,2022-02-01\n" + // 13 digit 2: born in the 2000s
			"001091000107,,Năm sai,1990-01-01,male,CG-A,2022-02-01\n" + // 14 year digits 91, born 1990
			"00109000010,,Mười một chữ số,1990-01-01,male,CG-A,2022-02-01\n" + // 15
			"01234567,cmnd,CMND tám chữ số,1980-02-02,male,CG-A,2022-02-01\n" + // 16
			"012345678,cmnd,Trùng số CMND,1980-02-02,male,CG-A,2022-02-02\n" + // 17 duplicate of row 3
			"C7654322,,Hộ chiếu không khai loại,1985-03-03,female,CG-A,2022-02-01\n" + // 18
			"001090000101,,Trùng số CCCD,1990-01-01,male,CG-A,2022-02-01\n" + // 19 duplicate of row 2
			",,Thiếu số,1990-01-01,male,CG-A,2022-02-01\n" + // 20
			"001090000109,bằng lái,Loại giấy lạ,1990-01-01,male,CG-A,2022-02-01\n" + // 21
			"00109000010A,,Có chữ cái,1990-01-01,male,CG-A,2022-02-01\n" // 22
		wantErrs(t, csvErr(t, st, "members", head+okRows+bad), "members.csv",
			loc{9, "national_id", "003"}, loc{10, "national_id", ""}, loc{11, "national_id", ""}, loc{12, "national_id", ""},
			loc{13, "national_id", ""}, loc{14, "national_id", ""}, loc{15, "national_id", ""}, loc{16, "national_id", ""},
			loc{17, "national_id", "twice"}, loc{18, "national_id", ""}, loc{19, "national_id", "twice"}, loc{20, "national_id", ""},
			loc{21, "id_type", ""}, loc{22, "national_id", ""})
		noMembers(t, st, okIDs...)

		mustCSV(t, st, "members", head+okRows)
		ms, _ := members(t, st, okIDs...)
		if len(ms) != len(okIDs) {
			t.Fatalf("%d of %d members written", len(ms), len(okIDs))
		}
		for id, typ := range map[string]string{"012345678": "cmnd", "012345679": "cmnd", "C7654321": "passport", "001090000110": "cccd", "001090000101": "cccd"} {
			if ms[id].IDType != typ {
				t.Errorf("%s: id_type %q, want %q", id, ms[id].IDType, typ)
			}
		}
		if ms["079305000111"].Gender != "female" || ms["096204000112"].Gender != "male" {
			t.Errorf("Nam/Nữ: %q, %q", ms["096204000112"].Gender, ms["079305000111"].Gender)
		}
	})
}

func TestMembersDateAndUnitRules(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		load(t, st, "units")
		head := "national_id,full_name,date_of_birth,gender,unit_code,joined_on,joined_how,left_on,party_introduced_on\n"
		// Rows that sit right on a boundary and must be accepted.
		okRows := "001207000202,Tròn 15 tuổi hôm vào,2007-07-08,male,CG-A,2022-07-08,,,\n" + // 2
			"001090000204,Vào hôm nay,1990-01-01,male,CG-A,2022-07-08,,,\n" + // 3
			"001090000207,Ra hôm sau,1990-01-01,male,CG-A,2022-02-01,,2022-02-02,\n" + // 4
			"001090000210,Giới thiệu Đảng hôm vào,1990-01-01,male,CG-A,2022-02-01,,,2022-02-01\n" + // 5
			"001090000211,Giới thiệu Đảng trước hôm ra,1990-01-01,male,CG-A,2022-02-01,,2022-05-01,2022-04-30\n" + // 6
			"001090000215,Vào hôm CĐCS thành lập,1990-01-01,male,CG-B,2022-03-05,,,\n" + // 7
			"001090000217,Vào trước khi giải thể,1990-01-01,male,BD-OLD,2019-01-01,,2020-12-31,\n" + // 8
			"001190000224,Nữ,1990-01-01,Nữ,CG-A,2022-02-01,kết nạp,,\n" + // 9
			"001090000225,Chuyển đến,1990-01-01,Nam,CG-A,2022-02-01,Chuyển đến,,\n" + // 10
			"001090000226,Kết nạp,1990-01-01,male,CG-A,2022-02-01,KẾT NẠP,,\n" // 11
		okIDs := []string{"001207000202", "001090000204", "001090000207", "001090000210", "001090000211",
			"001090000215", "001090000217", "001190000224", "001090000225", "001090000226"}
		bad := "001207000201,Chưa đủ 15 tuổi,2007-07-09,male,CG-A,2022-07-08,,,\n" + // 12
			"001090000203,Vào ngày mai,1990-01-01,male,CG-A,2022-07-09,,,\n" + // 13
			"001090000205,Ra cùng ngày vào,1990-01-01,male,CG-A,2022-02-01,,2022-02-01,\n" + // 14
			"001090000206,Ra trước khi vào,1990-01-01,male,CG-A,2022-02-01,,2022-01-31,\n" + // 15
			"001090000208,Giới thiệu Đảng trước khi vào,1990-01-01,male,CG-A,2022-02-01,,,2022-01-31\n" + // 16
			"001090000209,Giới thiệu Đảng hôm ra,1990-01-01,male,CG-A,2022-02-01,,2022-05-01,2022-05-01\n" + // 17
			"001090000212,Đơn vị cấp trên,1990-01-01,male,HN-CG,2022-02-01,,,\n" + // 18
			"001090000213,Đơn vị không có,1990-01-01,male,CG-XX,2022-02-01,,,\n" + // 19
			"001090000214,Vào trước khi CĐCS thành lập,1990-01-01,male,CG-B,2022-03-04,,,\n" + // 20
			"001090000216,Vào sau khi giải thể,1990-01-01,male,BD-OLD,2021-01-01,,,\n" + // 21
			"001090000218,Thiếu ngày sinh,,male,CG-A,2022-02-01,,,\n" + // 22
			"001090000219,Thiếu ngày vào,1990-01-01,male,CG-A,,,,\n" + // 23
			"001090000220,Thiếu đơn vị,1990-01-01,male,,2022-02-01,,,\n" + // 24
			"001090000221,,1990-01-01,male,CG-A,2022-02-01,,,\n" + // 25 name required
			"001090000222,Giới tính lạ,1990-01-01,khác,CG-A,2022-02-01,,,\n" + // 26
			"001090000223,Hình thức lạ,1990-01-01,male,CG-A,2022-02-01,xin vào,,\n" + // 27
			"001090000227,Ngày vào sai,1990-01-01,male,CG-A,hôm qua,,,\n" + // 28
			"001090000228,Ngày ra sai,1990-01-01,male,CG-A,2022-02-01,,31/02/2022,\n" // 29
		wantErrs(t, csvErr(t, st, "members", head+okRows+bad), "members.csv",
			loc{12, "date_of_birth", ""}, loc{13, "joined_on", ""}, loc{14, "left_on", ""}, loc{15, "left_on", ""},
			loc{16, "party_introduced_on", ""}, loc{17, "party_introduced_on", ""}, loc{18, "unit_code", ""},
			loc{19, "unit_code", "CG-XX"}, loc{20, "unit_code", ""}, loc{21, "unit_code", ""}, loc{22, "date_of_birth", ""},
			loc{23, "joined_on", ""}, loc{24, "unit_code", ""}, loc{25, "full_name", ""}, loc{26, "gender", ""},
			loc{27, "joined_how", ""}, loc{28, "joined_on", ""}, loc{29, "left_on", ""})
		noMembers(t, st, okIDs...)
		noMembers(t, st, "001207000201", "001090000203")

		mustCSV(t, st, "members", head+okRows)
		ms, _ := members(t, st, okIDs...)
		if len(ms) != len(okIDs) {
			t.Fatalf("%d of %d members written", len(ms), len(okIDs))
		}
		if m := ms["001190000224"]; m.Gender != "female" || m.JoinedHow != domain.JoinedAdmitted {
			t.Errorf("Nữ / kết nạp: %+v", *m)
		}
		if m := ms["001090000225"]; m.Gender != "male" || m.JoinedHow != domain.JoinedTransferred {
			t.Errorf("Nam / chuyển đến: %+v", *m)
		}
		if m := ms["001090000226"]; m.JoinedHow != domain.JoinedAdmitted {
			t.Errorf("KẾT NẠP: %+v", *m)
		}
		if m := ms["001090000211"]; m.LeftOn != day(2022, 5, 1) || m.PartyIntroducedOn != day(2022, 4, 30) {
			t.Errorf("left and party dates: %+v", *m)
		}
	})
}

func TestMembersFailedImportLeavesCountersAlone(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadKinds(t, st, "units", "members", "plans")
		before := repJSON(t, rep(t, st, "HN-2022", ""))
		// The first rows are valid changes and additions; the last is bad.
		_, err := importCSV(t, st, "members", "national_id,full_name,date_of_birth,gender,unit_code,joined_on,party_introduced_on\n"+
			"001090000001,Nguyễn Văn An,1990-05-12,male,BD-C,2022-02-01,\n"+
			"001090000301,Người mới,1990-01-01,male,CG-A,2022-06-01,2022-06-02\n"+
			"001090000302,Người lỗi,1990-01-01,male,CG-A,2022-08-01,\n")
		wantErrs(t, err, "members.csv", loc{4, "joined_on", ""})
		noMembers(t, st, "001090000301")
		if m := member(t, st, "001090000001"); m.UnitCode != "CG-A" || m.PartyIntroducedOn != day(2022, 6, 15) {
			t.Errorf("member changed by a failed import: %+v", *m)
		}
		if after := repJSON(t, rep(t, st, "HN-2022", "")); after != before {
			t.Errorf("the report changed after a failed import:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// ---------------------------------------------------------------- re-import and upsert

func TestReimportChangesNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadKinds(t, st, "units", "members", "plans")
		r1 := rep(t, st, "HN-2022", "")
		wantActuals(t, "HN", actuals(r1), baseHN)
		wantActuals(t, "HN-CG", childActuals(r1)["HN-CG"], baseCG)
		wantActuals(t, "HN-BD", childActuals(r1)["HN-BD"], baseBD)
		cg1 := repJSON(t, rep(t, st, "HN-2022", "HN-CG"))

		loadKinds(t, st, "units", "members", "members", "plans")
		r2 := rep(t, st, "HN-2022", "")
		if a, b := repJSON(t, r1), repJSON(t, r2); a != b {
			t.Errorf("re-importing the same files changed the report:\nbefore %s\nafter  %s", a, b)
		}
		if cg2 := repJSON(t, rep(t, st, "HN-2022", "HN-CG")); cg1 != cg2 {
			t.Errorf("re-importing changed the HN-CG report:\nbefore %s\nafter  %s", cg1, cg2)
		}

		// Phạm Thị Dung moves from CG-B (Cầu Giấy) to BD-C (Ba Đình), under
		// a new name: the totals stay, the districts shift by one.
		change := "national_id,full_name,date_of_birth,gender,unit_code,joined_on\n" +
			"001302000004,Phạm Thị Thùy Dung,2002-08-20,female,BD-C,2022-05-02\n"
		for i := 0; i < 2; i++ {
			mustCSV(t, st, "members", change)
			r3 := rep(t, st, "HN-2022", "")
			wantActuals(t, fmt.Sprintf("HN after change %d", i+1), actuals(r3), map[string]int64{
				domain.MembersAdmitted: 3, domain.MembersNetGrowth: 3, domain.UnionsFounded: 2,
				domain.NonStateUnionMembers: 3, domain.PartyIntroductions: 1,
			})
			ch := childActuals(r3)
			wantActuals(t, fmt.Sprintf("HN-CG after change %d", i+1), ch["HN-CG"], map[string]int64{
				domain.MembersAdmitted: 2, domain.MembersNetGrowth: 3, domain.NonStateUnionMembers: 3})
			wantActuals(t, fmt.Sprintf("HN-BD after change %d", i+1), ch["HN-BD"], map[string]int64{
				domain.MembersAdmitted: 1, domain.MembersNetGrowth: 0})
		}
		m := member(t, st, "001302000004")
		if m.UnitCode != "BD-C" || m.FullName != "Phạm Thị Thùy Dung" {
			t.Errorf("member after the update: %+v", *m)
		}
		// Another member is untouched by that file.
		if m := member(t, st, "001090000001"); m.UnitCode != "CG-A" || m.PartyIntroducedOn != day(2022, 6, 15) || m.CardNo != "CG-0001" {
			t.Errorf("an untouched member changed: %+v", *m)
		}
	})
}

func TestReimportEveryKindChangesNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadAll(t, st)
		full := func() string {
			out := repJSON(t, rep(t, st, "HN-2022", ""))
			out += repJSON(t, rep(t, st, "HN-2022", "HN-CG"))
			r, err := report.Build(ctx, st, report.Request{Plan: "HN-2022", AsOf: today.String(), Campaign: "HN-2022-D1"})
			if err != nil {
				t.Fatal(err)
			}
			return out + repJSON(t, r)
		}
		first := full()
		r := rep(t, st, "HN-2022", "")
		// With the transfer of Trần Thị Bình to BD-C on 1 June 2022.
		wantActuals(t, "HN", actuals(r), map[string]int64{
			domain.MembersAdmitted: 3, domain.MembersNetGrowth: 3, domain.UnionsFounded: 2, domain.NonStateUnionMembers: 3,
			domain.PartyIntroductions: 1,
		})
		if i := ind(t, r, domain.MembersAdmitted); i.Target == nil || *i.Target != 10 || i.Assigned == nil || *i.Assigned != 9 ||
			i.Unassigned == nil || *i.Unassigned != 1 {
			t.Errorf("members_admitted target/assigned/unassigned = %+v", i)
		}
		loadAll(t, st)
		loadAll(t, st)
		if second := full(); first != second {
			t.Errorf("re-importing every file changed the reports:\nbefore %s\nafter  %s", first, second)
		}
	})
}

func TestMembersUpdateMustFitTransfersOnRecord(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadAll(t, st) // Trần Thị Bình joined CG-A on 10 March, moved to BD-C on 1 June
		head := "national_id,full_name,date_of_birth,gender,unit_code,joined_on,left_on\n"
		_, err := importCSV(t, st, "members", head+
			"001195000002,Trần Thị Bình,1995-11-30,female,CG-A,2022-03-10,2022-05-31\n"+ // left before the transfer
			"001090000001,Nguyễn Văn An,1990-05-12,male,CG-A,2022-02-01,2022-06-30\n") // a valid change
		wantErrs(t, err, "members.csv", loc{2, "left_on", ""})
		_, err = importCSV(t, st, "members", head+
			"001195000002,Trần Thị Bình,1995-11-30,female,CG-A,2022-06-01,\n"+ // joined on the transfer day
			"079088000003,Lê Văn Cường,1988-01-01,male,CG-B,2022-04-01,\n"+
			"001195000002,Trần Thị Bình,1995-11-30,female,CG-A,2022-06-15,\n") // duplicate, and after the transfer
		wantErrs(t, err, "members.csv", loc{2, "joined_on", ""}, loc{4, "national_id", "twice"})
		if m := member(t, st, "001090000001"); !m.LeftOn.IsZero() {
			t.Errorf("a failed import set left_on: %+v", *m)
		}
		// A change that still fits: Bình leaves BD-C on 30 June.
		mustCSV(t, st, "members", head+"001195000002,Trần Thị Bình,1995-11-30,female,CG-A,2022-03-10,2022-06-30\n")
		r := rep(t, st, "HN-2022", "")
		wantActuals(t, "HN", actuals(r), map[string]int64{domain.MembersAdmitted: 3, domain.MembersNetGrowth: 2})
		ch := childActuals(r)
		wantActuals(t, "HN-CG", ch["HN-CG"], map[string]int64{domain.MembersAdmitted: 3, domain.MembersNetGrowth: 3})
		wantActuals(t, "HN-BD", ch["HN-BD"], map[string]int64{domain.MembersNetGrowth: -1})
	})
}

// ---------------------------------------------------------------- transfers

func TestTransfersImportReimportAndUpsert(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadKinds(t, st, "units", "members", "plans")
		const binh = "001195000002"
		check := func(what string, toUnit string, cg, bd int64) {
			t.Helper()
			_, ts := members(t, st, binh)
			if len(ts[binh]) != 1 || ts[binh][0].ToUnitCode != toUnit || ts[binh][0].Date != day(2022, 6, 1) {
				t.Errorf("%s: transfers of %s = %+v, want one to %s on 2022-06-01", what, binh, ts[binh], toUnit)
			}
			r := rep(t, st, "HN-2022", "")
			wantActuals(t, what+": HN", actuals(r), map[string]int64{domain.MembersAdmitted: 3, domain.MembersNetGrowth: 3, domain.PartyIntroductions: 1})
			ch := childActuals(r)
			wantActuals(t, what+": HN-CG", ch["HN-CG"], map[string]int64{domain.MembersAdmitted: 3, domain.MembersNetGrowth: cg})
			wantActuals(t, what+": HN-BD", ch["HN-BD"], map[string]int64{domain.MembersAdmitted: 0, domain.MembersNetGrowth: bd})
		}
		loadRows(t, st, "transfers", 1)
		check("first import", "BD-C", 3, 0)
		loadKinds(t, st, "transfers", "transfers")
		check("re-import", "BD-C", 3, 0)
		// Same key (member and day), another unit: the transfer is updated.
		mustCSV(t, st, "transfers", "Số CCCD,Chuyển đến đơn vị,Ngày chuyển\n"+binh+",CG-B,01/06/2022\n")
		check("update", "CG-B", 4, -1)
		// A second transfer, later, from CG-B to BD-C.
		mustCSV(t, st, "transfers", "national_id,to_unit_code,date\n"+binh+",BD-C,2022-06-20\n")
		_, ts := members(t, st, binh)
		if len(ts[binh]) != 2 || ts[binh][1].ToUnitCode != "BD-C" || ts[binh][1].Date != day(2022, 6, 20) {
			t.Errorf("transfers after a second one: %+v", ts[binh])
		}
		r := rep(t, st, "HN-2022", "")
		wantActuals(t, "HN", actuals(r), map[string]int64{domain.MembersNetGrowth: 3})
		wantActuals(t, "HN-BD", childActuals(r)["HN-BD"], map[string]int64{domain.MembersNetGrowth: 0})
	})
}

func TestTransfersInvalidRowsAllReportedNothingWritten(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadKinds(t, st, "units", "members", "plans")
		before := repJSON(t, rep(t, st, "HN-2022", ""))
		file := "national_id,to_unit_code,date\n" +
			"001195000002,BD-C,2022-06-01\n" + // 2 ok
			"999999999,BD-C,2022-06-01\n" + // 3 unknown member
			"001090000099,BD-C,2022-06-01\n" + // 4 unknown member
			"001302000004,BD-C,2022-05-02\n" + // 5 on joined_on: not a member the day before
			"001302000004,BD-C,2022-04-01\n" + // 6 before joining
			"001185000005,CG-A,2022-03-01\n" + // 7 on left_on
			"001185000005,CG-A,2022-04-01\n" + // 8 after left_on
			"001090000001,BD-OLD,2022-06-01\n" + // 9 dissolved unit
			"001090000001,CG-B,2022-03-01\n" + // 10 before CG-B was founded (5 March)
			"001090000001,HN-CG,2022-06-02\n" + // 11 not a grassroots unit
			"001090000001,CG-XX,2022-06-03\n" + // 12 unknown unit
			"001195000002,CG-B,2022-06-01\n" + // 13 same member and day as row 2
			",BD-C,2022-06-05\n" + // 14 national_id required
			"001090000001,,2022-06-04\n" + // 15 to_unit_code required
			"001090000001,BD-C,\n" + // 16 date required
			"001090000001,BD-C,31/02/2022\n" + // 17 impossible date
			"001090000001,BD-C,2022-03-05\n" + // 18 ok
			"001185000005,CG-A,2022-02-28\n" // 19 ok: the day before leaving
		wantErrs(t, csvErr(t, st, "transfers", file), "transfers.csv",
			loc{3, "national_id", ""}, loc{4, "national_id", ""}, loc{5, "date", ""}, loc{6, "date", ""},
			loc{7, "date", ""}, loc{8, "date", ""}, loc{9, "to_unit_code", ""}, loc{10, "to_unit_code", ""},
			loc{11, "to_unit_code", ""}, loc{12, "to_unit_code", "CG-XX"}, loc{13, "", ""}, loc{14, "national_id", ""},
			loc{15, "to_unit_code", ""}, loc{16, "date", ""}, loc{17, "date", ""})
		_, ts := members(t, st, "001195000002", "001090000001", "001185000005", "001302000004")
		for id, list := range ts {
			t.Errorf("transfers of %s written by a failed import: %+v", id, list)
		}
		if after := repJSON(t, rep(t, st, "HN-2022", "")); after != before {
			t.Errorf("a failed transfers import changed the report")
		}
		// The valid rows alone go through.
		mustCSV(t, st, "transfers", "national_id,to_unit_code,date\n001195000002,BD-C,2022-06-01\n001090000001,BD-C,2022-03-05\n001185000005,CG-A,2022-02-28\n")
		_, ts = members(t, st, "001195000002", "001090000001", "001185000005")
		if len(ts) != 3 {
			t.Errorf("transfers after the valid import: %+v", ts)
		}
	})
}

// ---------------------------------------------------------------- plans, targets, campaigns

// spanFile is a file of coded, named spans of days under a parent (plans
// under a unit, campaigns under a plan), of columns code, name, parent,
// start, end and one more, left empty: two valid rows (S-OK, S-SAME),
// then a row breaking each rule both kinds keep. want are the errors the
// rows must give; next is the number the file's next row would have.
func spanFile(header, parent, parentCol string) (file string, want []loc, next int) {
	rows := []row{
		{"S-OK,Hợp lệ,P,2022-05-01,2022-05-31,", "", ""},
		{"S-SAME,Một ngày,P,2022-06-01,2022-06-01,", "", ""}, // end = start
		{"S-END,Kết thúc trước khi bắt đầu,P,2022-05-31,2022-05-01,", "end", ""},
		{"S-PAR,Cấp trên lạ,XX-9,2022-05-01,2022-05-31,", parentCol, "XX-9"},
		{"S-OK,Trùng mã,P,2022-05-01,2022-05-31,", "code", "twice"},
		{",Thiếu mã,P,2022-05-01,2022-05-31,", "code", ""},
		{"S-NN,,P,2022-05-01,2022-05-31,", "name", ""},
		{"S-NP,Thiếu cấp trên,,2022-05-01,2022-05-31,", parentCol, ""},
		{"S-NS,Thiếu ngày bắt đầu,P,,2022-05-31,", "start", ""},
		{"S-BS,Ngày sai,P,hôm qua,2022-05-31,", "start", ""},
		{"S-NE,Thiếu ngày kết thúc,P,2022-05-01,,", "end", ""},
	}
	for i := range rows {
		rows[i].csv = strings.Replace(rows[i].csv, ",P,", ","+parent+",", 1)
	}
	file, want = rowsFile(header, rows...)
	return file, want, len(rows) + 2
}

// A row is a line of a test file with the error it must give: in its
// column field, with a message containing msg; field "": no error.
type row struct{ csv, field, msg string }

// rowsFile is a file of the header and rows, and the errors the rows must
// give, numbered as the file's rows (the header is row 1).
func rowsFile(header string, rows ...row) (file string, want []loc) {
	var b strings.Builder
	b.WriteString(header + "\n")
	for i, r := range rows {
		b.WriteString(r.csv + "\n")
		if r.field != "" {
			want = append(want, loc{i + 2, r.field, r.msg})
		}
	}
	return b.String(), want
}

func TestPlans(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		load(t, st, "units")
		loadRows(t, st, "plans", 1)
		p := found(t, "plan", st.Plan, "HN-2022")
		if p.Name != "Kế hoạch phát triển đoàn viên năm 2022" || p.UnitCode != "HN" || p.Start != day(2022, 1, 1) ||
			p.End != day(2022, 12, 31) || p.Threshold != domain.DefaultThreshold {
			t.Errorf("plan = %+v", *p)
		}
		// Upsert: the same code updates the plan.
		mustCSV(t, st, "plans", "code,name,unit_code,start,end,threshold_members\nHN-2022,Kế hoạch sửa,HN-CG,2022-02-01,2022-11-30,30\n")
		p2 := found(t, "plan", st.Plan, "HN-2022")
		if p2.ID != p.ID || p2.Name != "Kế hoạch sửa" || p2.UnitCode != "HN-CG" || p2.Start != day(2022, 2, 1) ||
			p2.End != day(2022, 11, 30) || p2.Threshold != 30 {
			t.Errorf("plan after the update = %+v", *p2)
		}

		file, want, n := spanFile("code,name,unit_code,start,end,threshold_members", "HN", "unit_code")
		file += "P-ZERO,Ngưỡng không,HN,2022-01-01,2022-12-31,0\n" + // n ok
			"P-NEG,Ngưỡng âm,HN,2022-01-01,2022-12-31,-1\n" + // n+1
			"P-TXT,Ngưỡng chữ,HN,2022-01-01,2022-12-31,hai lăm\n" // n+2
		want = append(want, loc{n + 1, "threshold_members", ""}, loc{n + 2, "threshold_members", ""})
		wantErrs(t, csvErr(t, st, "plans", file), "plans.csv", want...)
		absent(t, "plan", st.Plan, "S-OK", "S-SAME", "P-ZERO")
		if p3 := found(t, "plan", st.Plan, "HN-2022"); *p3 != *p2 {
			t.Errorf("a failed import changed HN-2022: %+v", *p3)
		}
	})
}

func TestTargets(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadKinds(t, st, "units", "plans")
		mustCSV(t, st, "plans", "code,name,unit_code,start,end\nCG-2022,Kế hoạch Cầu Giấy,HN-CG,2022-01-01,2022-12-31\n")
		file := "plan_code,unit_code,indicator,target\n" +
			"CG-2022,HN-CG,members_admitted,10\n" + // 2 ok
			"CG-2022,CG-A,members_admitted,4\n" + // 3 ok: a unit below the plan's
			"CG-2022,HN-BD,members_admitted,3\n" + // 4 a sibling, outside the subtree
			"CG-2022,HN,members_admitted,30\n" + // 5 the parent, outside the subtree
			"CG-2022,BD-C,unions_founded,1\n" + // 6 a grassroots unit of another district
			"KH-XX,HN-CG,members_admitted,1\n" + // 7 unknown plan
			"CG-2022,CG-XX,members_admitted,1\n" + // 8 unknown unit
			"CG-2022,HN-CG,members_joined,1\n" + // 9 unknown indicator
			"CG-2022,HN-CG,enterprise_unions_25plus,-1\n" + // 10 negative
			"CG-2022,HN-CG,party_introductions,mười\n" + // 11 not a number
			"CG-2022,HN-CG,members_admitted,12\n" + // 12 same key as row 2
			"HN-2022,HN-CG,members_admitted,12\n" + // 13 ok: another plan
			"CG-2022,HN-CG,unions_founded,0\n" + // 14 ok: zero
			",HN-CG,members_net_growth,1\n" + // 15 plan_code required
			"CG-2022,HN-CG,,1\n" + // 16 indicator required
			"CG-2022,HN-CG,new_method_unions_founded,\n" + // 17 target required
			"CG-2022,,non_state_unions_founded,1\n" // 18 unit_code required
		wantErrs(t, csvErr(t, st, "targets", file), "targets.csv", loc{4, "unit_code", ""}, loc{5, "unit_code", ""}, loc{6, "unit_code", ""},
			loc{7, "plan_code", "KH-XX"}, loc{8, "unit_code", "CG-XX"}, loc{9, "indicator", "members_joined"},
			loc{10, "target", ""}, loc{11, "target", ""}, loc{12, "", ""}, loc{15, "plan_code", ""},
			loc{16, "indicator", ""}, loc{17, "target", ""}, loc{18, "unit_code", ""})
		r := rep(t, st, "CG-2022", "")
		for _, i := range r.Indicators {
			if i.Target != nil {
				t.Errorf("a failed import wrote the target of %s: %d", i.Code, *i.Target)
			}
		}

		// Every indicator code of docs/indicators.md is accepted.
		var b strings.Builder
		b.WriteString("Mã kế hoạch,Đơn vị,Chỉ tiêu,Chỉ tiêu giao\n")
		for i, code := range engine.Codes {
			fmt.Fprintf(&b, "CG-2022,HN-CG,%s,%d\n", code, 10*(i+1))
		}
		b.WriteString("CG-2022,CG-A,members_admitted,4\nHN-2022,HN-CG,members_admitted,12\n")
		mustCSV(t, st, "targets", b.String())
		r = rep(t, st, "CG-2022", "")
		for i, code := range engine.Codes {
			if got := ind(t, r, code); got.Target == nil || *got.Target != int64(10*(i+1)) {
				t.Errorf("target of %s = %v, want %d", code, got.Target, 10*(i+1))
			}
		}
		if i := ind(t, rep(t, st, "HN-2022", "HN-CG"), domain.MembersAdmitted); i.Target == nil || *i.Target != 12 {
			t.Errorf("HN-2022 target of HN-CG = %v, want 12", i.Target)
		}
		// Upsert: the same key updates the target; other targets stay.
		mustCSV(t, st, "targets", "plan_code,unit_code,indicator,target\nCG-2022,HN-CG,members_admitted,15\n")
		r = rep(t, st, "CG-2022", "")
		if i := ind(t, r, domain.MembersAdmitted); i.Target == nil || *i.Target != 15 {
			t.Errorf("target after the update = %v, want 15", i.Target)
		}
		if i := ind(t, r, domain.UnionsFounded); i.Target == nil || *i.Target != 30 {
			t.Errorf("unions_founded target = %v, want 30", i.Target)
		}
	})
}

func TestCampaigns(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		loadKinds(t, st, "units", "plans")
		loadRows(t, st, "campaigns", 1)
		c, err := st.Campaign(ctx, "HN-2022-D1")
		if err != nil {
			t.Fatal(err)
		}
		want := domain.Campaign{ID: c.ID, Code: "HN-2022-D1", Name: "Đợt cao điểm 1 năm 2022", PlanCode: "HN-2022",
			Start: day(2022, 5, 1), End: day(2022, 5, 31), ClassName: "Lớp đoàn viên tháng 5"}
		if *c != want {
			t.Errorf("campaign = %+v", *c)
		}
		// Upsert.
		mustCSV(t, st, "campaigns", "code,name,plan_code,start,end,class_name\nHN-2022-D1,Đợt cao điểm tháng Năm,HN-2022,2022-05-02,2022-05-30,\n")
		c2, err := st.Campaign(ctx, "HN-2022-D1")
		if err != nil {
			t.Fatal(err)
		}
		want = domain.Campaign{ID: c.ID, Code: "HN-2022-D1", Name: "Đợt cao điểm tháng Năm", PlanCode: "HN-2022",
			Start: day(2022, 5, 2), End: day(2022, 5, 30)}
		if *c2 != want {
			t.Errorf("campaign after the update = %+v", *c2)
		}

		file, errs, _ := spanFile("code,name,plan_code,start,end,class_name", "HN-2022", "plan_code")
		wantErrs(t, csvErr(t, st, "campaigns", file), "campaigns.csv", errs...)
		absent(t, "campaign", st.Campaign, "S-OK", "S-SAME")
	})
}

// ---------------------------------------------------------------- a whole data set with Vietnamese headers

var vietnameseHeaders = map[string]string{
	"units":       "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại,Loại hình,Mã số thuế doanh nghiệp,Ngày thành lập,Số quyết định,Phương thức thành lập,Ngày giải thể",
	"enterprises": "MÃ SỐ THUẾ,TÊN DOANH NGHIỆP,LOẠI HÌNH,SỐ LAO ĐỘNG,ĐỊA CHỈ,ĐỊA BÀN,ĐƠN VỊ QUẢN LÝ,NGUỒN",
	"members":     "So CCCD,Loai giay to,Ho va ten,Ngay sinh,Gioi tinh,Ma CDCS,Ngay vao cong doan,Hinh thuc,Ngay ra khoi cong doan,Ngay gioi thieu cho Dang,So the doan vien",
	"transfers":   "Số CCCD, Chuyển đến đơn vị , Ngày  chuyển",
	"plans":       "Mã kế hoạch,Tên kế hoạch,Đơn vị,Từ ngày,Đến ngày,Ngưỡng đoàn viên",
	"targets":     "mã kế hoạch,đơn vị,chỉ tiêu,chỉ tiêu giao",
	"campaigns":   "Mã đợt,Tên đợt,Mã kế hoạch,Từ ngày,Đến ngày,Tên lớp đoàn viên",
	"moves":       "Mã đơn vị,Mã đơn vị cấp trên mới,Ngày hiệu lực,Số quyết định",
}

func TestWholeDataSetWithVietnameseHeaders(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		// The reference: the same files with the canonical headers.
		ref := storetest.Open(t, st.Engine())
		loadAll(t, ref)
		for _, k := range importer.Kinds {
			b, err := os.ReadFile(filepath.Join("testdata", k+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			_, body, _ := strings.Cut(string(b), "\n")
			mustCSV(t, st, k, vietnameseHeaders[k]+"\n"+body)
		}
		for _, u := range []string{"", "HN-CG", "HN-BD"} {
			want, got := repJSON(t, rep(t, ref, "HN-2022", u)), repJSON(t, rep(t, st, "HN-2022", u))
			if got != want {
				t.Errorf("report %q with Vietnamese headers:\n got %s\nwant %s", u, got, want)
			}
		}
		e, err := enterprise(t, st, "0100109106")
		if err != nil || e.Address != "Số 1 Duy Tân, Cầu Giấy" || e.Area != "Dịch Vọng Hậu" || e.Source != "bhxh" {
			t.Errorf("enterprise = %+v, %v", e, err)
		}
		if m := member(t, st, "001090000001"); m.CardNo != "CG-0001" || m.PartyIntroducedOn != day(2022, 6, 15) {
			t.Errorf("member = %+v", *m)
		}
		if c, err := st.Campaign(ctx, "HN-2022-D1"); err != nil || c.ClassName != "Lớp đoàn viên tháng 5" {
			t.Errorf("campaign = %+v, %v", c, err)
		}
	})
}

func TestUnitsParentsInTheDatabase(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		load(t, st, "units")
		_, err := importCSV(t, st, "units", "code,name,parent_code,kind,founded_on\n"+
			"CG-Z,CĐCS mới,HN-CG,grassroots,2022-06-01\n"+ // 2 ok: parent from an earlier import
			"CG-A-1,Dưới CĐCS có sẵn,CG-A,grassroots,2022-06-01\n"+ // 3 parent is grassroots
			"HN-BD,LĐLĐ quận Ba Đình,BD-C,upper,\n"+ // 4 moving under a grassroots unit
			"CG-Y,Dưới CĐCS mới,CG-Z,upper,\n") // 5 parent is grassroots (created above)
		wantErrs(t, err, "units.csv", loc{3, "parent_code", "CG-A"}, loc{4, "parent_code", "BD-C"}, loc{5, "parent_code", "CG-Z"})
		noUnits(t, st, "CG-Z", "CG-A-1", "CG-Y")
		if u := unit(t, st, "HN-BD"); u.ParentCode != "HN" {
			t.Errorf("HN-BD moved by a failed import: %+v", *u)
		}
	})
}

func TestXLSXNumberThatIsNotADateCell(t *testing.T) {
	eachEngine(t, func(t *testing.T, st *store.Store) {
		mustCSV(t, st, "units", "code,name,kind\nHN,Hà Nội,federation\n")
		// 2022 typed as a plain number (General format), not a date cell:
		// docs/import-formats.md accepts real date cells, and "anything else is an error".
		p := xlsxRows(t, "plans.xlsx", [][]any{
			{"code", "name", "unit_code", "start", "end"},
			{"P1", "Kế hoạch", "HN", 2022, date(2022, 12, 31)},
		})
		_, err := newImporter(st).File(ctx, "plans", p, "plans.xlsx")
		if err == nil {
			got := found(t, "plan", st.Plan, "P1")
			t.Fatalf("the number 2022 in a General-format XLSX cell of a date column was read as the date %s "+
				"(row.date treats every number of an XLSX date column as a date serial, without looking at the cell's number format or a sane range)", got.Start)
		}
		wantErrs(t, err, "plans.xlsx", loc{2, "start", ""})
	})
}

// TestLargeFilesAcrossBatches runs past the importer's batches of 1000
// member and transfer rows: errors in the first and the last batch are
// all reported, nothing is written, and re-imports do not double counts.
func TestLargeFilesAcrossBatches(t *testing.T) {
	t.Parallel()
	const n = 2100
	id := func(i int) string { return fmt.Sprintf("001090%06d", 100000+i) }
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		loadKinds(t, st, "units", "plans")
		var b strings.Builder
		b.WriteString("national_id,full_name,date_of_birth,gender,unit_code,joined_on\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "%s,Đoàn viên %d,1990-01-01,male,CG-A,%s\n", id(i), i, day(2022, 2, 1).AddDays(i%150))
		}
		good := b.String()
		bad := strings.Replace(good, id(0)+",Đoàn viên 0,1990-01-01,male,CG-A", id(0)+",Đoàn viên 0,1990-01-01,male,HN-CG", 1) +
			id(1500) + ",Trùng,1990-01-01,male,CG-A,2022-02-01\n" + // row n+2: a duplicate from another batch
			"001090999999,Ngày mai,1990-01-01,male,CG-A,2022-07-09\n" // row n+3
		wantErrs(t, csvErr(t, st, "members", bad), "members.csv", loc{2, "unit_code", ""}, loc{n + 2, "national_id", "twice"}, loc{n + 3, "joined_on", ""})
		noMembers(t, st, id(1), id(999), id(1000), id(n-1))

		if sum := mustCSV(t, st, "members", good); sum.Rows != n {
			t.Errorf("rows = %d, want %d", sum.Rows, n)
		}
		mustCSV(t, st, "members", good)
		r := rep(t, st, "HN-2022", "")
		wantActuals(t, "HN", actuals(r), map[string]int64{domain.MembersAdmitted: n, domain.MembersNetGrowth: n})

		// Every member moves to BD-C on 5 July; twice.
		b.Reset()
		b.WriteString("national_id,to_unit_code,date\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "%s,BD-C,2022-07-05\n", id(i))
		}
		mustCSV(t, st, "transfers", b.String())
		mustCSV(t, st, "transfers", b.String())
		r = rep(t, st, "HN-2022", "")
		wantActuals(t, "HN", actuals(r), map[string]int64{domain.MembersAdmitted: n, domain.MembersNetGrowth: n})
		ch := childActuals(r)
		wantActuals(t, "HN-CG", ch["HN-CG"], map[string]int64{domain.MembersAdmitted: n, domain.MembersNetGrowth: 0})
		wantActuals(t, "HN-BD", ch["HN-BD"], map[string]int64{domain.MembersNetGrowth: n})
	})
}

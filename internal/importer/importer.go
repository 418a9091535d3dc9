// Package importer loads the import files of docs/import-formats.md (CSV or XLSX) into the
// store. An import is all or nothing: every row is checked, every invalid
// row is reported as FILE:ROW: column: message, and nothing is written
// unless all rows are valid.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/metrics"
	"congdoan/internal/msg"
	"congdoan/internal/store"
	"congdoan/internal/vn"
)

// Kinds are the import kinds, in the order a data set is loaded.
var Kinds = []string{"units", "enterprises", "members", "transfers", "plans", "targets", "campaigns", "moves"}

// column is one column of an import kind: its canonical name and its
// Vietnamese header.
type column struct {
	name, vi string
	date     bool
}

var columns = map[string][]column{
	"units": {{name: "code", vi: "Mã đơn vị"}, {name: "name", vi: "Tên đơn vị"}, {name: "parent_code", vi: "Mã đơn vị cấp trên"},
		{name: "kind", vi: "Loại"}, {name: "ownership", vi: "Loại hình"}, {name: "enterprise_tax_code", vi: "Mã số thuế doanh nghiệp"},
		{name: "founded_on", vi: "Ngày thành lập", date: true}, {name: "decision_no", vi: "Số quyết định"},
		{name: "method", vi: "Phương thức thành lập"}, {name: "dissolved_on", vi: "Ngày giải thể", date: true}},
	"enterprises": {{name: "tax_code", vi: "Mã số thuế"}, {name: "name", vi: "Tên doanh nghiệp"}, {name: "ownership", vi: "Loại hình"},
		{name: "employees", vi: "Số lao động"}, {name: "address", vi: "Địa chỉ"}, {name: "area", vi: "Địa bàn"},
		{name: "unit_code", vi: "Đơn vị quản lý"}, {name: "source", vi: "Nguồn"}},
	"members": {{name: "national_id", vi: "Số CCCD"}, {name: "id_type", vi: "Loại giấy tờ"}, {name: "full_name", vi: "Họ và tên"},
		{name: "date_of_birth", vi: "Ngày sinh", date: true}, {name: "gender", vi: "Giới tính"}, {name: "unit_code", vi: "Mã CĐCS"},
		{name: "joined_on", vi: "Ngày vào công đoàn", date: true}, {name: "joined_how", vi: "Hình thức"},
		{name: "left_on", vi: "Ngày ra khỏi công đoàn", date: true}, {name: "party_introduced_on", vi: "Ngày giới thiệu cho Đảng", date: true},
		{name: "card_no", vi: "Số thẻ đoàn viên"}},
	"transfers": {{name: "national_id", vi: "Số CCCD"}, {name: "to_unit_code", vi: "Chuyển đến đơn vị"}, {name: "date", vi: "Ngày chuyển", date: true}},
	"plans": {{name: "code", vi: "Mã kế hoạch"}, {name: "name", vi: "Tên kế hoạch"}, {name: "unit_code", vi: "Đơn vị"},
		{name: "start", vi: "Từ ngày", date: true}, {name: "end", vi: "Đến ngày", date: true}, {name: "threshold_members", vi: "Ngưỡng đoàn viên"}},
	"targets": {{name: "plan_code", vi: "Mã kế hoạch"}, {name: "unit_code", vi: "Đơn vị"}, {name: "indicator", vi: "Chỉ tiêu"},
		{name: "target", vi: "Chỉ tiêu giao"}},
	"campaigns": {{name: "code", vi: "Mã đợt"}, {name: "name", vi: "Tên đợt"}, {name: "plan_code", vi: "Mã kế hoạch"},
		{name: "start", vi: "Từ ngày", date: true}, {name: "end", vi: "Đến ngày", date: true}, {name: "class_name", vi: "Tên lớp đoàn viên"}},
	"moves": {{name: "code", vi: "Mã đơn vị"}, {name: "new_parent_code", vi: "Mã đơn vị cấp trên mới"},
		{name: "moved_on", vi: "Ngày hiệu lực", date: true}, {name: "decision_no", vi: "Số quyết định"}},
}

// otherNames are the other headers clerks give a column (docs/import-formats.md,
// "Spreadsheets as people keep them"), in every kind that has the column.
var otherNames = map[string][]string{
	"full_name":     {"Họ tên"},
	"date_of_birth": {"Ngày tháng năm sinh"},
	"gender":        {"Nam/Nữ"},
	"national_id":   {"Số CCCD/CMND", "Số định danh cá nhân"},
	"joined_on":     {"Ngày kết nạp"},
	"card_no":       {"Số thẻ"},
	"decision_no":   {"Số QĐ"},
	"tax_code":      {"MST"},
	"employees":     {"Tổng số lao động"},
}

// otherNamesOf are the other headers of a column in one kind only: the
// import page's help names the unit column of members "Công đoàn cơ sở".
var otherNamesOf = map[string]map[string][]string{
	"members": {"unit_code": {"Công đoàn cơ sở"}},
}

// ignoredHeaders head the columns that are not data and are skipped: row
// numbers (STT, TT, Số TT, Số thứ tự) and notes (Ghi chú), as HeaderKey
// gives them.
var ignoredHeaders = map[string]bool{"stt": true, "tt": true, "sott": true, "sothutu": true, "ghichu": true}

// headerKeys maps every accepted header of kind's columns, as HeaderKey
// gives it, to the column's canonical name.
func headerKeys(kind string) map[string]string {
	byKey := map[string]string{}
	for _, c := range columns[kind] {
		byKey[vn.HeaderKey(c.name)] = c.name
		byKey[vn.HeaderKey(c.vi)] = c.name
		for _, h := range otherNames[c.name] {
			byKey[vn.HeaderKey(h)] = c.name
		}
		for _, h := range otherNamesOf[kind][c.name] {
			byKey[vn.HeaderKey(h)] = c.name
		}
	}
	return byKey
}

// Column returns the canonical name of a column of kind named by header,
// which may be the canonical name, the Vietnamese header or another name
// clerks give it, in any case and with or without diacritics ("Số CCCD",
// "so cccd" -> "national_id").
func Column(kind, header string) (string, bool) {
	c, ok := headerKeys(kind)[vn.HeaderKey(strings.TrimSpace(header))]
	return c, ok
}

// Summary says what an import did (or, for a dry run, would do).
type Summary struct {
	Kind string
	File string
	Rows int
	// Skipped names the columns skipped: row numbers and notes (as headed
	// in the file), and columns without a header ("cột 5").
	Skipped []string
	// Mended counts the cells, ID numbers and tax codes typed as numbers,
	// that got their leading zeros back.
	Mended int
	// Header is the header row as found in the file, HeaderRow its row.
	Header    []string
	HeaderRow int
	// Columns says how each cell of the header was understood.
	Columns []ColumnUse
	// Preview holds the first Importer.PreviewRows data rows as they will
	// be saved.
	Preview []PreviewRow
}

// How a header cell is understood.
const (
	UseKnown   = "known"   // a column of the kind (by any of its names)
	UseMapped  = "mapped"  // an unknown header the user mapped to a column
	UseSkipped = "skipped" // STT, Ghi chú, or an unknown header the user skipped
	UseBlank   = "blank"   // no header (its cells must be empty)
	UseUnknown = "unknown" // a header the importer does not know: an error
	UseTwice   = "twice"   // a second header of the same column: an error
)

// ColumnUse is how one cell of the header was understood.
type ColumnUse struct {
	// Index is the cell's position (0 for the first column).
	Index int
	// Header is the cell as written, Key its HeaderKey (the key of a
	// mapping).
	Header, Key string
	// Column is the kind's column it fills ("" for none).
	Column string
	// Use is one of the Use constants.
	Use string
}

// PreviewRow is one data row as it will be saved: the record's values by
// column, written the way the import files write them (dates dd/mm/yyyy,
// choices by their canonical value).
type PreviewRow struct {
	Row    int
	Values map[string]string
	// Bad: the row has errors.
	Bad bool
}

// String is the summary in Vietnamese (the command line and the pages
// build theirs from the catalogs, in the user's language).
func (s Summary) String() string {
	out := fmt.Sprintf("%s: đã nhập %s dòng %s", s.File, vn.Int(int64(s.Rows)), kindsVI[s.Kind])
	if len(s.Skipped) > 0 {
		out += fmt.Sprintf("; bỏ qua cột %s", strings.Join(s.Skipped, ", "))
	}
	if s.Mended > 0 {
		out += fmt.Sprintf("; thêm lại số 0 ở đầu %s ô nhập dạng số (số CCCD/CMND, mã số thuế)", vn.Int(int64(s.Mended)))
	}
	return out
}

// kindsVI names the import kinds in Vietnamese.
var kindsVI = map[string]string{
	"units": "đơn vị", "enterprises": "doanh nghiệp", "members": "đoàn viên", "transfers": "chuyển sinh hoạt",
	"plans": "kế hoạch", "targets": "chỉ tiêu", "campaigns": "đợt cao điểm", "moves": "chuyển đơn vị",
}

// Importer loads files into a store.
type Importer struct {
	Store *store.Store
	// Today is the latest date a member may have joined; zero means today
	// in Vietnam.
	Today domain.Date
	// Allow, when set, is asked about every unit a row refers to or would
	// change: column is the row's column that names it (parent_code,
	// unit_code, to_unit_code; code for a unit, plan or campaign the row
	// rewrites; plan_code for a campaign's plan; national_id for the units
	// of an existing member; tax_code for an existing enterprise's unit), u
	// is the unit, nil for a unit that would become a root. A non-nil error
	// fails the row on that column with the error's text. The web
	// application checks a user's subtree with it.
	Allow func(kind, column string, u *domain.Unit) error
	// Actor, when set, is recorded in the audit log with every import that
	// lands, in the import's own transaction, with Action (default
	// "import.KIND") and Detail (default "FILE: N rows").
	Actor, Action, Detail string
	// Unit, when set, is the grassroots unit members are imported into:
	// a row without a unit_code (or a file without the column) goes to
	// it, and a row naming another unit is an error. Allow is asked about it.
	// Members only.
	Unit string
	// Mapping maps headers the importer does not know (as vn.HeaderKey
	// gives them) to a column of the kind, or to "" to skip the column:
	// the choices a user made on the import page.
	Mapping map[string]string
	// DryRun checks everything, the rules that read the database
	// included, in a transaction that is rolled back: nothing is written.
	// An unknown column is then one more error rather than the end of the
	// check, so that every error shows at once.
	DryRun bool
	// PreviewRows is how many data rows the summary shows as they will be
	// saved.
	PreviewRows int
	// MaxRows is the most rows a file may have, blank rows included; zero
	// means DefaultMaxRows. Only the command line raises it (a national
	// members file); uploads keep the default.
	MaxRows int
	// Before, when set, runs in the import's write transaction before the
	// rows are read (small imports only: Rows of at most 100 rows): the
	// web's member edit renames a record there (store.Tx.RenameMember) so
	// that its row rewrites the record under the new national ID, all in
	// one transaction. An error fails the import.
	Before func(tx *store.Tx) error
}

// row is one data row: its cells by column name, with the helpers that parse
// them and record what is wrong.
type row struct {
	file  string
	line  int
	cells map[string]string
	// numbers holds the columns whose cell was an XLSX number cell.
	numbers map[string]bool
	excel   bool
	errs    *[]domain.FieldError
	bad     bool
	sc      *scope
	// mended counts the cells of the import that got leading zeros back.
	mended *int
}

// scope follows the units the rows of one import touch: it asks
// Importer.Allow about each and keeps their lowest common ancestor, the
// unit the audit entry of the import concerns, and the units themselves,
// so that the manager of each reads the entry too.
type scope struct {
	kind  string
	allow func(kind, column string, u *domain.Unit) error
	// path is the common ancestor's path; "/" when the units share none.
	path string
	// units are the IDs of the units touched (one per unit, not per row:
	// a members import links at most the grassroots units it names).
	units map[int64]bool
	// err is the first database error met looking a unit up (a restart,
	// a lost connection): the import fails with it, as the database being
	// unavailable, rather than with row errors quoting its words.
	err error
}

// touch checks that the row may touch u (nil: a new root) through column
// col, failing the row otherwise.
func (r *row) touch(col string, u *domain.Unit) {
	r.ask(col, u)
	if u != nil {
		r.sc.note(u)
	}
}

// link checks that the row may touch u through column col, failing the row
// otherwise, and links the import's audit entry to u without moving its
// common ancestor (an enterprise of u linked to a union elsewhere).
func (r *row) link(col string, u *domain.Unit) {
	r.ask(col, u)
	r.sc.link(u)
}

// ask checks that the row may touch u through column col, failing the row
// otherwise.
func (r *row) ask(col string, u *domain.Unit) {
	if r.sc.allow != nil {
		if err := r.sc.allow(r.sc.kind, col, u); err != nil {
			r.failText(col, msg.Of(err))
		}
	}
}

// note records that the import changes something of u.
func (sc *scope) note(u *domain.Unit) {
	switch {
	case sc.path == "":
		sc.path = u.Path
	default:
		sc.path = commonPath(sc.path, u.Path)
	}
	sc.link(u)
}

// link records that the import concerns u, which reads its audit entry.
func (sc *scope) link(u *domain.Unit) {
	if id := pathID(u.Path); id != 0 {
		if sc.units == nil {
			sc.units = map[int64]bool{}
		}
		sc.units[id] = true
	}
}

// unitIDs lists the units linked to the import, in no particular order.
func (sc *scope) unitIDs() []int64 {
	ids := make([]int64, 0, len(sc.units))
	for id := range sc.units {
		ids = append(ids, id)
	}
	return ids
}

// unitID is the ID of the common ancestor, or 0.
func (sc *scope) unitID() int64 { return pathID(sc.path) }

// pathID is the ID of the unit a path ends with ("/1/7/42/" gives 42), or 0.
func pathID(path string) int64 {
	p := strings.TrimSuffix(path, "/")
	id, err := strconv.ParseInt(p[strings.LastIndexByte(p, '/')+1:], 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// commonPath is the longest common ancestor path of two unit paths
// ("/1/7/42/" and "/1/7/9/" give "/1/7/").
func commonPath(a, b string) string {
	n := 0
	for i := 0; i < len(a) && i < len(b) && a[i] == b[i]; i++ {
		if a[i] == '/' {
			n = i + 1
		}
	}
	return a[:n]
}

// fail records an error of the row on a column: the message of key
// (internal/msg) with args.
func (r *row) fail(col, key string, args ...any) { r.failText(col, msg.New(key, args...)) }

func (r *row) failText(col string, t msg.Text) {
	*r.errs = append(*r.errs, fieldError(r.file, r.line, col, t))
	r.bad = true
}

// fieldError is an error of a file's row.
func fieldError(file string, line int, col string, t msg.Text) domain.FieldError {
	fe := domain.Invalid(col, t)
	fe.File, fe.Row = file, line
	return fe
}

func (r *row) str(col string) string { return strings.TrimSpace(r.cells[col]) }

// zeros gives back the leading zeros of a code typed as a number: an XLSX
// number cell of digits shorter than n (a 12-digit CCCD, a 9-digit CMND, a
// 10-digit tax code) is padded to n digits, and counted as mended.
func (r *row) zeros(col, v string, n int) string {
	if !r.numbers[col] || len(v) >= n || !allDigits.MatchString(v) || strings.HasPrefix(v, "-") {
		return v
	}
	if r.mended != nil {
		*r.mended++
	}
	return strings.Repeat("0", n-len(v)) + v
}

func (r *row) required(col string) string {
	v := r.str(col)
	if v == "" {
		r.fail(col, "required")
	}
	return v
}

func (r *row) date(col string, required bool) domain.Date {
	v := r.str(col)
	if v == "" {
		if required {
			r.fail(col, "required")
		}
		return 0
	}
	// Real XLSX date cells arrive here as YYYY-MM-DD (see dateCell).
	d, err := domain.ParseDate(v)
	if err != nil {
		r.failText(col, msg.Of(err))
	}
	return d
}

var vnThousands = regexp.MustCompile(`^-?[0-9]{1,3}(\.[0-9]{3})+$`)

func (r *row) integer(col string, required bool, def int64) int64 {
	v := r.str(col)
	if v == "" {
		if required {
			r.fail(col, "required")
		}
		return def
	}
	// Vietnamese write thousands with dots: "1.000" is one thousand.
	if vnThousands.MatchString(v) {
		v = strings.ReplaceAll(v, ".", "")
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil && r.excel {
		// An XLSX number cell holding a whole number, e.g. "25.0".
		if f, ferr := strconv.ParseFloat(v, 64); ferr == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
			n, err = int64(f), nil
		}
	}
	if err != nil {
		r.fail(col, "cell.not_integer", v)
		return def
	}
	if n < 0 {
		r.fail(col, "cell.negative")
	}
	return n
}

// choice maps a value to its canonical form, accepting the Vietnamese words
// without regard to case and diacritics.
func (r *row) choice(col string, def string, options map[string]string) string {
	v := r.str(col)
	if v == "" {
		return def
	}
	if c, ok := options[strings.Join(strings.Fields(vn.Fold(v)), " ")]; ok {
		return c
	}
	var names []string
	for _, c := range options {
		if !slices.Contains(names, c) {
			names = append(names, c)
		}
	}
	sort.Strings(names)
	r.fail(col, "cell.not_one_of", v, strings.Join(names, ", "))
	return def
}

// handler processes the rows of one kind inside the write transaction, in
// three steps: parse reads the cells into the kind's record (a cell that
// cannot be read is an error on its column: required, not a date, not a
// number, not one of the values); check applies the rules on the record
// alone and on the file (a code twice); save applies the rules that read
// the database and writes the record, or buffers it for flush.
type handler interface {
	parse(r *row) any
	check(r *row, rec any)
	save(r *row, rec any) error
	flush() error
}

// headerRows is how many rows of a file may stand above its header (title
// rows, merged cells).
const headerRows = 10

// opened is a table positioned after its header.
type opened struct {
	t      table
	header []string
	line   int // the header's row in the file
}

// errUnknownKind is the error of an import kind that does not exist.
func errUnknownKind(kind string) error {
	return msg.Errorf("import.unknown_kind", kind, strings.Join(Kinds, ", "))
}

// fileError is an error about a whole file, on its row line.
func fileError(name string, line int, t msg.Text) error {
	return &domain.ValidationError{Errors: []domain.FieldError{fieldError(name, line, "file", t)}}
}

// File imports a file of the given kind. name is how errors name the file
// (the path given on the command line, or an upload's file name). The
// header is the first row, among the first 10, that names columns of the
// kind (docs/import-formats.md, "Spreadsheets as people keep them").
func (im *Importer) File(ctx context.Context, kind, path, name string) (Summary, error) {
	if _, ok := columns[kind]; !ok {
		return Summary{Kind: kind, File: name}, errUnknownKind(kind)
	}
	open := func() (opened, error) {
		t, line, header, err := im.openFile(kind, path, name)
		return opened{t: t, header: header, line: line}, err
	}
	return im.load(ctx, kind, name, open, true)
}

// Header reads the header row of a file of kind, as File finds it: the
// cells and the row. Unknown columns are no error here; a file without a
// header is.
func (im *Importer) Header(kind, path, name string) ([]string, int, error) {
	if _, ok := columns[kind]; !ok {
		return nil, 0, errUnknownKind(kind)
	}
	t, line, header, err := im.openFile(kind, path, name)
	if err != nil {
		return nil, 0, err
	}
	t.close()
	return header, line, nil
}

// openFile opens a file and reads it up to its header.
func (im *Importer) openFile(kind, path, name string) (table, int, []string, error) {
	t, err := openTable(path, im.maxRows())
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, 0, nil, fileError(name, 1, msg.New("file.empty"))
		}
		return nil, 0, nil, fileError(name, 1, msg.Of(err))
	}
	header, line, exact, err := findHeader(kind, t, im.Mapping)
	if err == nil && !exact {
		// The header was found after reading on: start again, and stop
		// right after it.
		t.close()
		if t, err = openTable(path, im.maxRows()); err != nil {
			return nil, 0, nil, fileError(name, 1, msg.Of(err))
		}
		for {
			_, l, err := t.next()
			if err != nil {
				t.close()
				return nil, 0, nil, fileError(name, 1, msg.Of(err))
			}
			if l >= line {
				break
			}
		}
	}
	if err != nil {
		t.close()
		var ve *domain.ValidationError
		if errors.As(err, &ve) {
			for i := range ve.Errors {
				ve.Errors[i].File = name
			}
			return nil, 0, nil, ve
		}
		return nil, 0, nil, fileError(name, line, msg.Of(err))
	}
	return t, line, header, nil
}

// maxRows is the most rows a file may have.
func (im *Importer) maxRows() int {
	if im.MaxRows > 0 {
		return im.MaxRows
	}
	return DefaultMaxRows
}

// HeaderSignature is the key of a header row for the mappings users save:
// its non-empty cells as vn.HeaderKey gives them, in order. Files with the
// same headers (in any case, with or without diacritics) share it.
func HeaderSignature(header []string) string {
	var keys []string
	for _, h := range header {
		if k := vn.HeaderKey(strings.TrimSpace(h)); k != "" {
			keys = append(keys, k)
		}
	}
	return strings.Join(keys, "|")
}

// findHeader reads the rows of t up to its header: the first row among the
// first headerRows whose non-empty cells all name columns of kind (or
// ignored columns, or columns the mapping knows) and that names at least
// two. Without one, the row naming the most columns (at least two) is the
// header, its unknown columns then being errors; without that either, one
// error says which columns are expected.
//
// exact reports a header found at once, the table positioned right after
// it; otherwise the table was read on beyond it.
func findHeader(kind string, t table, mapping map[string]string) (header []string, line int, exact bool, err error) {
	byKey := headerKeys(kind)
	var best []string
	bestLine, bestKnown, rows := 0, 0, 0
	for {
		cells, line, err := t.next()
		if err == io.EOF {
			if rows == 0 {
				return nil, 1, false, msg.Errorf("file.no_header_empty")
			}
			break
		}
		rows++
		if err != nil {
			if line == 0 {
				line = 1
			}
			return nil, line, false, err
		}
		if line > headerRows {
			break
		}
		known, unknown := 0, 0
		for _, c := range cells {
			k := vn.HeaderKey(strings.TrimSpace(c))
			m, mapped := mapping[k]
			switch {
			case k == "":
			case byKey[k] != "":
				known++
			case mapped && m != "":
				known++
			case !ignoredHeaders[k] && !mapped:
				unknown++
			}
		}
		if known >= 2 && unknown == 0 {
			return append([]string(nil), cells...), line, true, nil
		}
		if known > bestKnown {
			best, bestLine, bestKnown = append([]string(nil), cells...), line, known
		}
	}
	if bestKnown >= 2 {
		return best, bestLine, false, nil
	}
	var vi, en []string
	for _, c := range columns[kind] {
		vi = append(vi, c.vi)
		en = append(en, c.name)
	}
	return nil, 1, false, &domain.ValidationError{Errors: []domain.FieldError{fieldError("", 1, "file",
		msg.New("file.no_header", headerRows, strings.Join(vi, ", "), strings.Join(en, ", ")))}}
}

// Rows imports rows held in memory, with the rules of File: header names
// the columns (canonical or Vietnamese), rows[i] is reported as row i+2
// (the header being row 1) of source. Small imports (a form, one API
// record) look their units up one by one instead of reading them all.
func (im *Importer) Rows(ctx context.Context, kind, source string, header []string, rows [][]string) (Summary, error) {
	if _, ok := columns[kind]; !ok {
		return Summary{Kind: kind, File: source}, errUnknownKind(kind)
	}
	open := func() (opened, error) { return opened{t: &memTable{rows: rows}, header: header, line: 1}, nil }
	return im.load(ctx, kind, source, open, len(rows) > 100)
}

// memTable is a table of rows held in memory; every row counts, even one
// of empty cells (a form sent empty is an invalid record, not nothing).
type memTable struct {
	rows [][]string
	i    int
}

func (t *memTable) next() ([]string, int, error) {
	if t.i >= len(t.rows) {
		return nil, 0, io.EOF
	}
	t.i++
	return t.rows[t.i-1], t.i + 1, nil
}

func (t *memTable) kind(int) cellKind { return cellText }
func (t *memTable) excel() bool       { return false }
func (t *memTable) form() bool        { return true }
func (t *memTable) close() error      { return nil }

// columnLayout is how a header maps the cells of a row.
type columnLayout struct {
	index   []string // the column of each cell position; "" for none
	ignored []bool   // a position whose cells are not read (STT, Ghi chú, skipped or unknown columns)
	skipped []string // the skipped columns, for the summary
	uses    []ColumnUse
}

// layout matches a header's cells to kind's columns: canonical names,
// Vietnamese headers and the other names clerks give them alike, then the
// mapping. Unknown and repeated columns are errors on the header's row.
func layout(kind, name string, header []string, line int, mapping map[string]string) (columnLayout, []domain.FieldError) {
	byKey := headerKeys(kind)
	l := columnLayout{index: make([]string, len(header)), ignored: make([]bool, len(header))}
	var herrs []domain.FieldError
	seen := map[string]bool{}
	last := -1
	for i, h := range header {
		if strings.TrimSpace(h) != "" {
			last = i
		}
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		key := vn.HeaderKey(h)
		use := ColumnUse{Index: i, Header: h, Key: key}
		if h == "" {
			use.Use = UseBlank
			if i < last {
				l.skipped = append(l.skipped, fmt.Sprintf("cột %d", i+1))
				l.uses = append(l.uses, use)
			}
			continue
		}
		c, ok := byKey[key]
		how := UseKnown
		if m, mapped := mapping[key]; !ok && mapped {
			if m == "" {
				l.ignored[i] = true
				l.skipped = append(l.skipped, h)
				use.Use = UseSkipped
				l.uses = append(l.uses, use)
				continue
			}
			if mc := byKey[vn.HeaderKey(m)]; mc != "" {
				c, ok, how = mc, true, UseMapped
			}
		}
		switch {
		case !ok && ignoredHeaders[key]:
			l.ignored[i] = true
			l.skipped = append(l.skipped, h)
			use.Use = UseSkipped
		case !ok:
			l.ignored[i] = true
			herrs = append(herrs, fieldError(name, line, h, msg.New("header.unknown")))
			use.Use = UseUnknown
		case seen[c]:
			l.ignored[i] = true
			herrs = append(herrs, fieldError(name, line, h, msg.New("header.twice", c)))
			use.Use, use.Column = UseTwice, c
		default:
			seen[c] = true
			l.index[i] = c
			use.Use, use.Column = how, c
		}
		l.uses = append(l.uses, use)
	}
	return l, herrs
}

// errDryRun rolls the transaction of a dry run back.
var errDryRun = errors.New("dry run")

// errUnstaged: the import runs in one write transaction throughout.
var errUnstaged = errors.New("unstaged")

// load checks the header, then checks and writes every row in one write
// transaction. open gives the table positioned after its header; it is
// called again when the store runs the transaction a second time (after a
// deadlock with a concurrent writer). loadUnits reads every unit up front.
// Large imports of members and transfers (loadUnits) check their rows
// without holding the writer and take it only for a short merge
// (loadStaged).
func (im *Importer) load(ctx context.Context, kind, name string, open func() (opened, error), loadUnits bool) (Summary, error) {
	sum := Summary{Kind: kind, File: name}
	if im.Unit != "" && kind != "members" {
		return sum, msg.Errorf("import.unit_members_only", kind)
	}
	o, err := open()
	if err != nil {
		return sum, err
	}
	t := o.t
	defer func() { t.close() }()
	l, herrs := layout(kind, name, o.header, o.line, im.Mapping)
	sum.Header, sum.HeaderRow, sum.Columns = o.header, o.line, l.uses
	if len(herrs) > 0 && !im.DryRun {
		return sum, &domain.ValidationError{Errors: herrs}
	}
	sum.Skipped = l.skipped
	today := im.Today
	if today.IsZero() {
		today = domain.Today()
	}
	if loadUnits && (kind == "members" || kind == "transfers") {
		// Large imports of members and transfers are checked without the
		// writer and written in one short transaction (loadStaged). When
		// the database changed meanwhile in a way the checks depend on,
		// they run again; after a few times, the import holds the writer
		// throughout, as the other kinds do.
		for attempt := 1; ; attempt++ {
			if err = im.loadStaged(ctx, kind, name, t, l, herrs, today, &sum); !errors.Is(err, store.ErrStale) {
				break
			}
			t.close()
			no, oerr := open()
			if oerr != nil {
				err = oerr
				break
			}
			t = no.t
			if attempt == 3 {
				err = errUnstaged
				break
			}
		}
	} else {
		err = errUnstaged
	}
	if errors.Is(err, errUnstaged) && kind != "members" && kind != "transfers" {
		err = im.loadParsed(ctx, kind, name, t, l, herrs, today, loadUnits, &sum)
	}
	attempt := 0
	if errors.Is(err, errUnstaged) {
		err = im.Store.Write(ctx, func(tx *store.Tx) error {
			// A second run of the transaction starts from the first row again.
			if attempt++; attempt > 1 {
				t.close()
				no, err := open()
				if err != nil {
					return err
				}
				t = no.t
			}
			sum.Rows, sum.Mended, sum.Preview = 0, 0, nil
			errs := append([]domain.FieldError(nil), herrs...)
			sc := &scope{kind: kind, allow: im.Allow}
			h, err := im.begin(tx, kind, name, today, loadUnits)
			if err != nil {
				return err
			}
			if err := im.readRows(t, l, name, kind, h, &sum, &errs, sc); err != nil {
				return err
			}
			return im.finish(tx, kind, name, sum.Rows, sc, errs)
		})
	}
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if !im.DryRun {
		metrics.ImportDone(kind, sum.Rows, err)
	}
	return sum, err
}

// readRows reads the data rows of t, parses, checks and saves each with
// h, and flushes h. The errors of the rows go to errs.
func (im *Importer) readRows(t table, l columnLayout, name, kind string, h handler, sum *Summary, errs *[]domain.FieldError, sc *scope) error {
	err := im.eachRow(t, l, name, h, sum, errs, sc, func(r *row, rec any) error {
		if err := h.save(r, rec); err != nil {
			return err
		}
		im.preview(kind, r, rec, sum)
		return nil
	})
	if err != nil {
		return err
	}
	if err := h.flush(); err != nil {
		return err
	}
	return sc.err
}

// preview keeps a saved row for the summary, up to Importer.PreviewRows.
func (im *Importer) preview(kind string, r *row, rec any, sum *Summary) {
	if len(sum.Preview) < im.PreviewRows {
		sum.Preview = append(sum.Preview, PreviewRow{Row: r.line, Values: recordValues(kind, rec), Bad: r.bad})
	}
}

// parsedRow is a data row read, parsed and checked before the writer is
// taken: the row, its record, and whether parse or check failed it.
type parsedRow struct {
	r   *row
	rec any
	bad bool
}

// loadParsed imports a file of units, enterprises, plans, targets,
// campaigns or moves: every row is read, parsed and checked on
// its own and against the file (parse, check) before the writer is taken,
// however long the file takes to read (a sheet of a million empty rows);
// the write transaction then only applies the rules that read the
// database and writes, all or nothing. These files are small (some 130 000
// units nationally), so their records are held in memory meanwhile; the
// cells are dropped once parsed.
func (im *Importer) loadParsed(ctx context.Context, kind, name string, t table, l columnLayout, herrs []domain.FieldError, today domain.Date, loadUnits bool, sum *Summary) error {
	sum.Rows, sum.Mended, sum.Preview = 0, 0, nil
	read := append([]domain.FieldError(nil), herrs...)
	h, err := newHandler(kind, nil, today, false)
	if err != nil {
		return err
	}
	var rows []parsedRow
	err = im.eachRow(t, l, name, h, sum, &read, &scope{kind: kind, allow: im.Allow}, func(r *row, rec any) error {
		r.cells, r.numbers = nil, nil // no save reads them
		rows = append(rows, parsedRow{r: r, rec: rec, bad: r.bad})
		return nil
	})
	if err != nil {
		return err
	}
	// Reading every unit up front spares a query or two a row, and costs
	// more than it spares for a few rows.
	loadUnits = loadUnits && len(rows) > 100
	return im.Store.Write(ctx, func(tx *store.Tx) error {
		// A second run of the transaction starts from the parsed rows again.
		sum.Preview = nil
		errs := append([]domain.FieldError(nil), read...)
		sc := &scope{kind: kind, allow: im.Allow}
		h, err := im.begin(tx, kind, name, today, loadUnits)
		if err != nil {
			return err
		}
		for _, p := range rows {
			p.r.errs, p.r.sc, p.r.bad = &errs, sc, p.bad
			if err := h.save(p.r, p.rec); err != nil {
				return err
			}
			im.preview(kind, p.r, p.rec, sum)
		}
		if err := h.flush(); err != nil {
			return err
		}
		if sc.err != nil {
			return sc.err
		}
		// The rules of the database come after those of the file: give the
		// errors in the file's order, as a reader meets them.
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Row < errs[j].Row })
		return im.finish(tx, kind, name, sum.Rows, sc, errs)
	})
}

// begin starts an import's write transaction: the unit members go to
// (Importer.Unit), Importer.Before, then the kind's handler.
func (im *Importer) begin(tx *store.Tx, kind, name string, today domain.Date, loadUnits bool) (handler, error) {
	if im.Unit != "" {
		if err := im.checkUnit(tx, name); err != nil {
			return nil, err
		}
	}
	if im.Before != nil {
		if err := im.Before(tx); err != nil {
			return nil, err
		}
	}
	return newHandler(kind, tx, today, loadUnits)
}

// finish ends an import's write transaction: the rows' errors fail it;
// otherwise the audit entry is written, and a dry run rolled back.
func (im *Importer) finish(tx *store.Tx, kind, name string, rows int, sc *scope, errs []domain.FieldError) error {
	if len(errs) > 0 {
		return &domain.ValidationError{Errors: errs}
	}
	if err := im.audit(tx, kind, name, rows, sc); err != nil {
		return err
	}
	if im.DryRun {
		return errDryRun
	}
	return nil
}

// eachRow reads the data rows of t, parses and checks each with h, and
// hands it to do. The errors of the rows go to errs.
func (im *Importer) eachRow(t table, l columnLayout, name string, h handler, sum *Summary, errs *[]domain.FieldError, sc *scope, do func(r *row, rec any) error) error {
	for {
		cells, line, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			*errs = append(*errs, fieldError(name, line, errColumn(err, l.index), msg.Of(err)))
			break
		}
		r := &row{file: name, line: line, cells: make(map[string]string, len(l.index)), excel: t.excel(), errs: errs, sc: sc, mended: &sum.Mended}
		blank := true
		for i, v := range cells {
			if i < len(l.ignored) && l.ignored[i] {
				continue
			}
			if i >= len(l.index) || l.index[i] == "" {
				if strings.TrimSpace(v) != "" {
					r.fail(fmt.Sprintf("column %d", i+1), "cell.no_header")
				}
				continue
			}
			col := l.index[i]
			switch t.kind(i) {
			case cellNumber:
				if r.numbers == nil {
					r.numbers = map[string]bool{}
				}
				r.numbers[col] = true
			case cellNoValue:
				r.fail(col, "cell.formula_no_value")
			case cellError:
				r.fail(col, "cell.formula_error", v)
			}
			if strings.TrimSpace(v) != "" {
				blank = false
			}
			r.cells[col] = r.cell(col, v)
		}
		// A row with nothing but row numbers or notes is blank.
		if blank && !r.bad && !t.form() {
			continue
		}
		if im.Unit != "" {
			switch v := strings.TrimSpace(r.cells["unit_code"]); {
			case v == "":
				r.cells["unit_code"] = im.Unit
			case v != im.Unit:
				r.fail("unit_code", "import.unit_other", im.Unit, v)
			}
		}
		sum.Rows++
		rec := h.parse(r)
		h.check(r, rec)
		if err := do(r, rec); err != nil {
			return err
		}
	}
	return nil
}

// audit records the import in the audit log, when it has an actor.
func (im *Importer) audit(tx *store.Tx, kind, name string, rows int, sc *scope) error {
	if im.Actor == "" {
		return nil
	}
	e := store.AuditEntry{Actor: im.Actor, Action: im.Action, UnitID: sc.unitID(), Units: sc.unitIDs(), Detail: im.Detail}
	if e.Action == "" {
		e.Action = "import." + kind
	}
	if e.Detail == "" {
		e.Detail = fmt.Sprintf("%s: %d rows", name, rows)
	}
	return tx.Audit(e)
}

// stager is a handler that can check its rows in a read-only snapshot and
// keep them in a store.Stage, then check again and write in the stage's
// commit what could have changed since (members on record, transfers).
type stager interface {
	setStage(*store.Stage)
	commit(tx *store.Tx, name string, sc *scope, errs *[]domain.FieldError) error
}

// loadStaged imports a large file of members or transfers without holding
// the writer while it reads and checks (store.Stage): every row is read
// and checked in a read-only snapshot, the rows that pass go to a stage,
// and one short write transaction merges the stage, checking again what
// could have changed meanwhile. It returns store.ErrStale when the
// database changed in a way that needs the checks run again.
func (im *Importer) loadStaged(ctx context.Context, kind, name string, t table, l columnLayout, herrs []domain.FieldError, today domain.Date, sum *Summary) error {
	stage, err := im.Store.NewStage(ctx)
	if err != nil {
		return err
	}
	defer stage.Close()
	sum.Rows, sum.Mended, sum.Preview = 0, 0, nil
	errs := append([]domain.FieldError(nil), herrs...)
	sc := &scope{kind: kind, allow: im.Allow}
	var h handler
	err = im.Store.Read(ctx, func(tx *store.Tx) error {
		if im.Unit != "" {
			if err := im.checkUnit(tx, name); err != nil {
				return err
			}
		}
		var err error
		if h, err = newHandler(kind, tx, today, true); err != nil {
			return err
		}
		h.(stager).setStage(stage)
		return im.readRows(t, l, name, kind, h, sum, &errs, sc)
	})
	if err != nil {
		return err
	}
	if mh, ok := h.(*membersHandler); ok {
		// The national IDs repeated in the file, found in the stage.
		if err := mh.twice(name, &errs, sum.Preview); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return &domain.ValidationError{Errors: errs}
	}
	if im.DryRun {
		return nil
	}
	return stage.Commit(ctx, func(tx *store.Tx) error {
		if err := h.(stager).commit(tx, name, sc, &errs); err != nil {
			return err
		}
		if sc.err != nil {
			return sc.err
		}
		if len(errs) > 0 {
			return &domain.ValidationError{Errors: errs}
		}
		return im.audit(tx, kind, name, sum.Rows, sc)
	})
}

// checkUnit checks, once for the whole file, the unit members are
// imported into: it exists, is a grassroots unit, and Allow lets the
// import touch it.
func (im *Importer) checkUnit(tx *store.Tx, name string) error {
	fail := func(t msg.Text) error {
		return &domain.ValidationError{Errors: []domain.FieldError{fieldError(name, 1, "unit", t)}}
	}
	u, err := tx.Unit(im.Unit)
	if isNotFound(err) {
		return fail(msg.New("unit.unknown", im.Unit))
	}
	if err != nil {
		return err
	}
	if u.Kind != domain.KindGrassroots {
		return fail(msg.New("import.unit_not_grassroots", im.Unit))
	}
	if im.Allow != nil {
		if err := im.Allow("members", "unit_code", u); err != nil {
			return fail(msg.Of(err))
		}
	}
	return nil
}

// newHandler makes the handler of kind. Without a transaction (tx nil)
// it only parses and checks (ParseRow).
func newHandler(kind string, tx *store.Tx, today domain.Date, loadUnits bool) (handler, error) {
	load := func() error {
		if loadUnits && tx != nil {
			return tx.LoadUnits()
		}
		return nil
	}
	switch kind {
	case "units":
		return &unitsHandler{newFileRows(tx)}, load()
	case "enterprises":
		return &enterprisesHandler{tx: tx, seen: newKeySet()}, load()
	case "members":
		fresh := false
		if tx != nil {
			var err error
			if fresh, err = tx.NoMembers(); err != nil {
				return nil, err
			}
		}
		return &membersHandler{tx: tx, today: today, seen: newKeySet(), fresh: fresh}, load()
	case "transfers":
		return &transfersHandler{tx: tx, seen: newKeySet()}, load()
	case "plans":
		return &plansHandler{newFileRows(tx)}, nil
	case "targets":
		return &targetsHandler{newPlanRows(tx)}, nil
	case "campaigns":
		return &campaignsHandler{newPlanRows(tx)}, nil
	case "moves":
		return &movesHandler{newFileRows(tx)}, load()
	}
	return nil, errUnknownKind(kind)
}

func isNotFound(err error) bool { return errors.Is(err, domain.ErrNotFound) }

// unit looks a unit up for a row, reporting an unknown code on col.
func unit(tx *store.Tx, r *row, col, code string) *domain.Unit {
	if code == "" {
		return nil
	}
	u, err := tx.Unit(code)
	if err != nil {
		if isNotFound(err) {
			r.fail(col, "unit.unknown", code)
		} else {
			if r.sc.err == nil {
				r.sc.err = err
			}
			r.bad = true
		}
		return nil
	}
	r.touch(col, u)
	return u
}

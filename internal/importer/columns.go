package importer

import (
	"fmt"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/msg"
	"congdoan/internal/vn"
)

// ColumnType is what a column holds, for the help, the templates and the
// exports: how a spreadsheet must format it so that it reads back as it
// was written.
type ColumnType int

const (
	// TypeText is free text (names, addresses, decision numbers).
	TypeText ColumnType = iota
	// TypeCode is an identifier that is text even when it is all digits:
	// a unit or plan code, an ID number, a tax code, a card number.
	// Spreadsheets keep it as text (number format "@") so that Excel keeps
	// its leading zeros.
	TypeCode
	// TypeDate is a date (dd/mm/yyyy in the files people keep).
	TypeDate
	// TypeInteger is a whole number >= 0.
	TypeInteger
)

// Choice is one value of a column that takes one of a few values: the
// canonical value and the Vietnamese word the importer accepts for it (the
// word the templates' drop-down lists offer and the exports write).
type Choice struct {
	Value string
	Label string
}

// ColumnInfo describes one column of an import kind (docs/import-formats.md). It is the
// one list the import page's help, the templates and the exports are made
// from, so that none of them can contradict the importer.
type ColumnInfo struct {
	// Name is the canonical name (national_id), Header the Vietnamese
	// header (Số CCCD); the importer accepts both.
	Name, Header string
	// Help says what the column holds, in Vietnamese and in English.
	Help, HelpEN string
	// Required: a row without a value in this column is refused (for
	// founded_on: for grassroots units).
	Required bool
	Type     ColumnType
	// ID: an ID number or a tax code, whose leading zeros matter.
	ID bool
	// Choices are the values of a column that takes one of a few, in a
	// fixed order; nil for others.
	Choices []Choice
}

// Columns returns the columns of an import kind in the order of docs/import-formats.md;
// nil for an unknown kind.
func Columns(kind string) []ColumnInfo {
	cols, ok := columns[kind]
	if !ok {
		return nil
	}
	out := make([]ColumnInfo, 0, len(cols))
	for _, c := range cols {
		ci := ColumnInfo{Name: c.name, Header: c.vi, Type: TypeText}
		if c.date {
			ci.Type = TypeDate
		}
		h := columnHelp[kind+"."+c.name]
		if h.vi == "" {
			h = columnHelp[c.name]
		}
		ci.Help, ci.HelpEN, ci.Required = h.vi, h.en, h.required
		switch {
		case ci.Type == TypeDate:
		case integerColumns[c.name]:
			ci.Type = TypeInteger
		case idColumns[c.name]:
			ci.Type, ci.ID = TypeCode, true
		case codeColumns[c.name]:
			ci.Type = TypeCode
		}
		ci.Choices = choicesOf(kind, c.name)
		out = append(out, ci)
	}
	return out
}

// ChoiceLabel is the Vietnamese word for a canonical value of a column
// ("grassroots" -> "Công đoàn cơ sở"), or the value itself where the
// column has no such word.
func ChoiceLabel(kind, column, value string) string {
	for _, c := range choicesOf(kind, column) {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}

// idColumns hold ID numbers and tax codes.
var idColumns = map[string]bool{"national_id": true, "tax_code": true, "enterprise_tax_code": true}

// codeColumns hold identifiers that are text although often all digits.
var codeColumns = map[string]bool{
	"code": true, "parent_code": true, "unit_code": true, "to_unit_code": true, "plan_code": true,
	"new_parent_code": true, "card_no": true, "decision_no": true, "indicator": true,
}

// integerColumns hold whole numbers.
var integerColumns = map[string]bool{"employees": true, "threshold_members": true, "target": true}

// choiceLabels are the Vietnamese words the drop-down lists offer, in
// their order; each must be a word of the column's value map (checked by
// choicesOf), so that the importer reads it back as the value.
// Unit kinds, ownerships and how members joined are named as everywhere
// else (the shared vocabulary of the msg catalogs: the pages, the XLSX and
// PDF reports).
var choiceLabels = map[string][]Choice{
	"kind":       vocabulary("kind.", domain.KindFederation, domain.KindUpper, domain.KindGrassroots),
	"ownership":  vocabulary("ownership.", domain.OwnState, domain.OwnPrivate, domain.OwnFDI, domain.OwnPublic, domain.OwnCooperative, domain.OwnInformal),
	"method":     {{domain.MethodStandard, "Thông thường"}, {domain.MethodNew, "Phương thức mới"}},
	"gender":     {{"male", "Nam"}, {"female", "Nữ"}},
	"id_type":    {{"cccd", "CCCD"}, {"cmnd", "CMND"}, {"passport", "Hộ chiếu"}},
	"joined_how": vocabulary("joined.", domain.JoinedAdmitted, domain.JoinedTransferred),
}

// vocabulary are the choices of values named by the msg catalogs under
// prefix, in Vietnamese.
func vocabulary(prefix string, values ...string) []Choice {
	out := make([]Choice, len(values))
	for i, v := range values {
		out[i] = Choice{Value: v, Label: msg.New(prefix + v).In(msg.VI)}
	}
	return out
}

// choicesOf gives the choices of a column from the importer's value maps:
// every value the map leads to, with its Vietnamese word.
func choicesOf(kind, column string) []Choice {
	var words map[string]string
	switch column {
	case "kind":
		words = kindWords
	case "ownership":
		words = unitOwnershipWords
		if kind == "enterprises" {
			words = enterpriseOwnershipWords
		}
	case "method":
		words = methodWords
	case "gender":
		words = genderWords
	case "id_type":
		words = idTypeWords
	case "joined_how":
		words = joinedWords
	case "indicator":
		out := make([]Choice, len(engine.Codes))
		for i, code := range engine.Codes {
			out[i] = Choice{Value: code, Label: code}
		}
		return out
	default:
		return nil
	}
	values := map[string]bool{}
	for _, v := range words {
		values[v] = true
	}
	var out []Choice
	for _, c := range choiceLabels[column] {
		if !values[c.Value] {
			continue // a value this kind does not take (public for enterprises)
		}
		if words[strings.Join(strings.Fields(vn.Fold(c.Label)), " ")] != c.Value {
			panic(fmt.Sprintf("importer: the word %q of %s is not read back as %q", c.Label, column, c.Value))
		}
		out = append(out, c)
		delete(values, c.Value)
	}
	for v := range values {
		panic(fmt.Sprintf("importer: no Vietnamese word for the value %q of %s", v, column))
	}
	return out
}

// help is the text of one column of the import page and the templates.
type help struct {
	vi, en   string
	required bool
}

// columnHelp says what each column holds (docs/import-formats.md), by "kind.column" or,
// where the same in every kind, by column.
var columnHelp = map[string]help{
	"units.code":                {"Mã duy nhất của đơn vị: chữ cái không dấu, chữ số, '-', '_' và '.'", "The unit's unique code: letters, digits, '-', '_' and '.'", true},
	"units.name":                {"Tên đơn vị", "The unit's name", true},
	"units.parent_code":         {"Mã đơn vị cấp trên (trước lần sắp xếp đầu tiên); để trống với liên đoàn cấp cao nhất. Đơn vị cấp trên phải có trước, ở dòng trên hoặc trong cơ sở dữ liệu", "The parent unit's code (before any move); empty for a root. The parent must exist: above in the file or already recorded", false},
	"units.kind":                {"Liên đoàn lao động, Công đoàn cấp trên cơ sở hoặc Công đoàn cơ sở", "Federation, upper union or grassroots union", true},
	"units.ownership":           {"Chỉ với CĐCS: Nhà nước, Ngoài nhà nước – trong nước, Có vốn đầu tư nước ngoài, Cơ quan, đơn vị sự nghiệp, Hợp tác xã, Nghiệp đoàn; để trống: lấy theo doanh nghiệp", "Grassroots only: state, private, FDI, public, cooperative, informal; empty: taken from the linked enterprise", false},
	"units.enterprise_tax_code": {"Mã số thuế của doanh nghiệp (đã có trong danh sách doanh nghiệp)", "The enterprise's tax code (already in the registry)", false},
	"units.founded_on":          {"Ngày thành lập (dd/mm/yyyy); bắt buộc với CĐCS", "Founding date (dd/mm/yyyy); required for a grassroots union", false},
	"units.decision_no":         {"Số quyết định thành lập", "Founding decision number", false},
	"units.method":              {"Thông thường (mặc định) hoặc Phương thức mới (Điều 14 Điều lệ)", "Standard (default) or the new method (Article 14 of the Charter)", false},
	"units.dissolved_on":        {"Ngày giải thể, không trước ngày thành lập", "Dissolution date, not before the founding date", false},

	"enterprises.tax_code":  {"Mã số thuế: 10 chữ số (có thể thêm -XXX cho chi nhánh) hoặc số CCCD 12 chữ số của hộ kinh doanh", "Tax code: 10 digits (with -XXX for a branch) or a household business's 12-digit ID", true},
	"enterprises.name":      {"Tên doanh nghiệp", "The enterprise's name", true},
	"enterprises.ownership": {"Nhà nước, Ngoài nhà nước hoặc Có vốn đầu tư nước ngoài", "State, private or FDI", true},
	"enterprises.employees": {"Số lao động, số nguyên không âm", "Number of workers, a whole number >= 0", true},
	"enterprises.address":   {"Địa chỉ", "Address", false},
	"enterprises.area":      {"Phường, xã, quận, huyện", "Ward, commune or district", false},
	"enterprises.unit_code": {"Mã liên đoàn hoặc công đoàn cấp trên cơ sở quản lý", "The responsible federation or upper union's code", true},
	"enterprises.source":    {"Nguồn: bhxh, tax, ward, survey hoặc ghi tự do", "Source: bhxh, tax, ward, survey or free text", false},

	"members.national_id":         {"Số CCCD 12 chữ số (hoặc CMND 9 chữ số, số hộ chiếu); giữ nguyên các số 0 ở đầu", "12-digit CCCD (or 9-digit CMND, passport number); keep the leading zeros", true},
	"members.id_type":             {"CCCD (mặc định), CMND hoặc Hộ chiếu", "CCCD (default), CMND or passport", false},
	"members.full_name":           {"Họ và tên", "Full name", true},
	"members.date_of_birth":       {"Ngày sinh (dd/mm/yyyy); đủ 15 tuổi vào ngày vào công đoàn", "Date of birth (dd/mm/yyyy); at least 15 on joining", true},
	"members.gender":              {"Nam hoặc Nữ", "Male or female", false},
	"members.unit_code":           {"Mã CĐCS, đã thành lập và chưa giải thể vào ngày vào công đoàn", "The grassroots union's code, open on the joining date", true},
	"members.joined_on":           {"Ngày vào công đoàn, không sau hôm nay", "Joining date, not in the future", true},
	"members.joined_how":          {"Kết nạp (mặc định) hoặc Chuyển đến", "Admitted (default) or transferred in", false},
	"members.left_on":             {"Ngày ra khỏi công đoàn, sau ngày vào công đoàn", "Date of leaving, after the joining date", false},
	"members.party_introduced_on": {"Ngày giới thiệu cho Đảng, trong thời gian là đoàn viên", "Date of the introduction to the Party, while a member", false},
	"members.card_no":             {"Số thẻ đoàn viên", "Membership card number", false},

	"transfers.national_id":  {"Số CCCD của đoàn viên đã có", "The national ID of a recorded member", true},
	"transfers.to_unit_code": {"Mã CĐCS chuyển đến, đang hoạt động vào ngày chuyển", "The grassroots union moved to, open on that date", true},
	"transfers.date":         {"Ngày chuyển sinh hoạt; người này là đoàn viên vào ngày hôm trước", "Date of the transfer; a member on the day before", true},

	"plans.code":              {"Mã kế hoạch", "Plan code", true},
	"plans.name":              {"Tên kế hoạch", "Plan name", true},
	"plans.unit_code":         {"Mã đơn vị của kế hoạch", "The plan's unit", true},
	"plans.start":             {"Ngày bắt đầu", "Start date", true},
	"plans.end":               {"Ngày kết thúc, không trước ngày bắt đầu", "End date, not before the start", true},
	"plans.threshold_members": {"Ngưỡng đoàn viên của chỉ tiêu CĐCS từ 25 đoàn viên (mặc định 25)", "Member threshold of the 25+ indicator (default 25)", false},

	"targets.plan_code": {"Mã kế hoạch", "Plan code", true},
	"targets.unit_code": {"Mã đơn vị: đơn vị của kế hoạch hoặc đơn vị trực thuộc", "The plan's unit or a unit below it", true},
	"targets.indicator": {"Mã chỉ tiêu: " + strings.Join(engine.Codes, ", "), "Indicator code: " + strings.Join(engine.Codes, ", "), true},
	"targets.target":    {"Chỉ tiêu giao, số nguyên không âm", "The target, a whole number >= 0", true},

	"campaigns.code":       {"Mã đợt", "Campaign code", true},
	"campaigns.name":       {"Tên đợt, ví dụ Đợt cao điểm 1 năm 2022", "Campaign name, e.g. Đợt cao điểm 1 năm 2022", true},
	"campaigns.plan_code":  {"Mã kế hoạch", "Plan code", true},
	"campaigns.start":      {"Ngày bắt đầu", "Start date", true},
	"campaigns.end":        {"Ngày kết thúc", "End date", true},
	"campaigns.class_name": {"Tên lớp đoàn viên, ví dụ Lớp đoàn viên tháng 5", "Member class name, e.g. Lớp đoàn viên tháng 5", false},

	"moves.code":            {"Mã đơn vị được chuyển (cùng các đơn vị trực thuộc)", "The unit moved (with the units below it)", true},
	"moves.new_parent_code": {"Mã đơn vị cấp trên mới: liên đoàn hoặc công đoàn cấp trên cơ sở", "The new parent: a federation or an upper union", true},
	"moves.moved_on":        {"Ngày hiệu lực, sau ngày thành lập đơn vị", "Effective date, after the unit's founding", true},
	"moves.decision_no":     {"Số quyết định, ví dụ 1940/QĐ-LĐLĐ", "Decision number, e.g. 1940/QĐ-LĐLĐ", false},
}

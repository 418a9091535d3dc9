package importer

import (
	"encoding/json"
	"strconv"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
)

// recordValues writes a parsed record by column, the way the import files
// write it: dates dd/mm/yyyy, numbers in digits, choices by their
// canonical value; an empty value is left out. The record's JSON names
// are the kind's column names.
func recordValues(kind string, rec any) map[string]string {
	b, err := json.Marshal(rec)
	if err != nil {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil
	}
	out := map[string]string{}
	for _, c := range columns[kind] {
		v, ok := m[c.name]
		if !ok || v == nil {
			continue
		}
		switch x := v.(type) {
		case string:
			if c.date {
				if d, err := domain.ParseDate(x); err == nil {
					x = d.VN()
				}
			}
			if x != "" {
				out[c.name] = x
			}
		case float64:
			out[c.name] = strconv.FormatInt(int64(x), 10)
		}
	}
	return out
}

// ParseRow runs the first two steps of an import on one row given by
// column (canonical names or any header the importer accepts), without a
// database: the cells are parsed into the kind's record (*domain.Unit,
// *domain.Member, ...) and the rules on the record alone are checked
// (rules that need the database, such as an unknown unit, are not). The
// errors name row 2 of "row". today is the latest joining date (zero:
// today in Vietnam).
func ParseRow(kind string, cells map[string]string, today domain.Date) (any, []domain.FieldError, error) {
	if _, ok := columns[kind]; !ok {
		return nil, nil, errUnknownKind(kind)
	}
	if today.IsZero() {
		today = domain.Today()
	}
	h, err := newHandler(kind, nil, today, false)
	if err != nil {
		return nil, nil, err
	}
	var errs []domain.FieldError
	r := &row{file: "row", line: 2, cells: map[string]string{}, errs: &errs, sc: &scope{kind: kind}}
	for k, v := range cells {
		c, ok := Column(kind, k)
		if !ok {
			errs = append(errs, fieldError("row", 1, k, msg.New("header.unknown")))
			continue
		}
		r.cells[c] = v
	}
	rec := h.parse(r)
	h.check(r, rec)
	return rec, errs, nil
}

// HeaderUses says how the importer understands each cell of a header of
// kind by itself, without a mapping.
func HeaderUses(kind string, header []string) []ColumnUse {
	l, _ := layout(kind, "", header, 0, nil)
	return l.uses
}

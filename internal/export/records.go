package export

import (
	"context"
	"fmt"
	"io"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// Records: every import kind written out in its import format (docs/import-formats.md),
// with the Vietnamese headers and words of importer.Columns, so that
// export then import into an empty database gives the same database.

// SheetNames name the sheet of each kind's records.
var SheetNames = map[string]string{
	"units": "Đơn vị", "enterprises": "Doanh nghiệp", "members": "Đoàn viên", "transfers": "Chuyển sinh hoạt",
	"plans": "Kế hoạch", "targets": "Chỉ tiêu", "campaigns": "Đợt cao điểm", "moves": "Chuyển đơn vị",
}

// RecordOptions select the records an export writes.
type RecordOptions struct {
	// Path: the records of this subtree (today's tree; see the store's
	// Export reads for what belongs to it); empty: all.
	Path string
	// Only selects units: "upper" (every unit that is not a grassroots
	// unit) or "grassroots"; empty: all. Units linked to enterprises are
	// loaded as upper units, enterprises, then grassroots units.
	Only string
	// Members narrows the members (Q); its UnitPath is Path.
	Members store.MemberFilter
	// Enterprises narrows the enterprises (Q, head-count, union); its
	// UnitPath is Path.
	Enterprises store.EnterpriseFilter
	// MaskID, when set, rewrites every national ID (for viewers).
	MaskID func(string) string
}

// WriteRecords writes the records of kind as a list in format on w.
func WriteRecords(ctx context.Context, w io.Writer, format string, st *store.Store, kind string, opts RecordOptions) error {
	cols := ListColumns(kind)
	if cols == nil {
		return fmt.Errorf("không có loại dữ liệu %[1]q (unknown kind %[1]q)", kind)
	}
	return writeList(w, format, SheetNames[kind], cols, func(l ListWriter) error { return Records(ctx, st, kind, opts, l) })
}

// writeList writes a list on w: its header, the rows fill writes, and its
// end. When fill fails the list is still closed, and fill's error returned.
func writeList(w io.Writer, format, sheet string, cols []ListColumn, fill func(ListWriter) error) error {
	l, err := NewList(w, format, sheet, cols)
	if err != nil {
		return err
	}
	err = fill(l)
	if cerr := l.Close(); err == nil {
		err = cerr
	}
	return err
}

// records writes the rows of one import kind in the columns of its import
// format (importer.Columns).
type records struct {
	l     ListWriter
	names []string
	vals  []any
}

func newRecords(l ListWriter, kind string) *records {
	cols := importer.Columns(kind)
	r := &records{l: l, names: make([]string, len(cols)), vals: make([]any, len(cols))}
	for i, c := range cols {
		r.names[i] = c.Name
	}
	return r
}

// row writes one record given as pairs of a column's name and its value.
// Pairs given in the columns' order are found at once; a column no pair
// names is left empty.
func (r *records) row(pairs ...any) error {
	j := 0
	for i, n := range r.names {
		r.vals[i] = nil
		if j+1 < len(pairs) && pairs[j] == n {
			r.vals[i] = pairs[j+1]
			j += 2
			continue
		}
		for k := 0; k+1 < len(pairs); k += 2 {
			if pairs[k] == n {
				r.vals[i] = pairs[k+1]
				break
			}
		}
	}
	return r.l.Row(r.vals...)
}

// Records writes the records of kind to l, a row each, in the columns of
// ListColumns(kind).
func Records(ctx context.Context, st *store.Store, kind string, opts RecordOptions, l ListWriter) error {
	rec := newRecords(l, kind)
	word := func(col, v string) string { return importer.ChoiceLabel(kind, col, v) }
	mask := func(id string) string {
		if opts.MaskID != nil {
			return opts.MaskID(id)
		}
		return id
	}
	switch kind {
	case "units":
		return st.ExportUnits(ctx, store.UnitExport{Path: opts.Path, Only: opts.Only}, func(u *domain.Unit) error {
			method := word("method", u.Method)
			if u.Kind != domain.KindGrassroots && u.Method == domain.MethodStandard {
				method = "" // the default, and meaningless above grassroots
			}
			return rec.row("code", u.Code, "name", u.Name, "parent_code", u.BaseParentCode, "kind", word("kind", u.Kind),
				"ownership", word("ownership", u.Ownership), "enterprise_tax_code", u.EnterpriseTaxCode,
				"founded_on", u.FoundedOn, "decision_no", u.DecisionNo, "method", method, "dissolved_on", u.DissolvedOn)
		})
	case "enterprises":
		f := opts.Enterprises
		f.UnitPath = opts.Path
		return st.ExportEnterprises(ctx, f, rec.enterprise)
	case "members":
		f := opts.Members
		f.UnitPath = opts.Path
		return st.ExportMembers(ctx, f, func(r *store.MemberRecord) error {
			m := &r.Member
			return rec.row("national_id", mask(m.NationalID), "id_type", word("id_type", m.IDType), "full_name", m.FullName,
				"date_of_birth", m.DateOfBirth, "gender", word("gender", m.Gender), "unit_code", m.UnitCode,
				"joined_on", m.JoinedOn, "joined_how", word("joined_how", m.JoinedHow), "left_on", m.LeftOn,
				"party_introduced_on", m.PartyIntroducedOn, "card_no", m.CardNo)
		})
	case "transfers":
		return st.ExportTransfers(ctx, opts.Path, func(t *domain.Transfer) error {
			return rec.row("national_id", mask(t.NationalID), "to_unit_code", t.ToUnitCode, "date", t.Date)
		})
	case "plans":
		return st.ExportPlans(ctx, opts.Path, rec.plan)
	case "targets":
		return st.ExportTargets(ctx, opts.Path, rec.target)
	case "campaigns":
		return st.ExportCampaigns(ctx, opts.Path, rec.campaign)
	case "moves":
		return st.ExportMoves(ctx, opts.Path, rec.move)
	}
	return fmt.Errorf("không có loại dữ liệu %[1]q (unknown kind %[1]q)", kind)
}

// enterprise writes an enterprise in the columns of enterprises.csv.
func (r *records) enterprise(e *domain.Enterprise) error {
	return r.row("tax_code", e.TaxCode, "name", e.Name, "ownership", importer.ChoiceLabel("enterprises", "ownership", e.Ownership),
		"employees", e.Employees, "address", e.Address, "area", e.Area, "unit_code", e.UnitCode, "source", e.Source)
}

// plan writes a plan in the columns of plans.csv.
func (r *records) plan(p *domain.Plan) error {
	return r.row("code", p.Code, "name", p.Name, "unit_code", p.UnitCode, "start", p.Start, "end", p.End,
		"threshold_members", p.Threshold)
}

// target writes a target in the columns of targets.csv.
func (r *records) target(t *domain.Target) error {
	return r.row("plan_code", t.PlanCode, "unit_code", t.UnitCode, "indicator", t.Indicator, "target", t.Target)
}

// campaign writes a campaign in the columns of campaigns.csv.
func (r *records) campaign(cp *domain.Campaign) error {
	return r.row("code", cp.Code, "name", cp.Name, "plan_code", cp.PlanCode, "start", cp.Start, "end", cp.End,
		"class_name", cp.ClassName)
}

// move writes a move in the columns of moves.csv.
func (r *records) move(m *domain.Move) error {
	return r.row("code", m.UnitCode, "new_parent_code", m.NewParentCode, "moved_on", m.MovedOn, "decision_no", m.DecisionNo)
}

// WriteGapList writes the gap list (store.GapEnterprises: the enterprises
// of unit's subtree with minEmployees workers or more and no union open on
// asOf, largest first) in the format of enterprises.csv.
func WriteGapList(ctx context.Context, w io.Writer, format string, st *store.Store, unit *domain.Unit, asOf domain.Date, minEmployees int64) error {
	return writeList(w, format, "DN chưa có công đoàn", ListColumns("enterprises"), func(l ListWriter) error {
		rec := newRecords(l, "enterprises")
		return st.GapEnterprises(ctx, unit, asOf, minEmployees, func(g *store.GapEnterprise) error { return rec.enterprise(&g.Enterprise) })
	})
}

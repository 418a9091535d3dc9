package export

import (
	"context"
	"fmt"
	"io"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// Records: every import kind written out in its import format (DATA.md),
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
	l, err := NewList(w, format, SheetNames[kind], cols)
	if err != nil {
		return err
	}
	if err := Records(ctx, st, kind, opts, l); err != nil {
		l.Close()
		return err
	}
	return l.Close()
}

// recordRow writes one record: get gives the value of a column.
func recordRow(l ListWriter, names []string, vals []any, get func(string) any) error {
	for i, n := range names {
		vals[i] = get(n)
	}
	return l.Row(vals...)
}

// Records writes the records of kind to l, a row each, in the columns of
// ListColumns(kind).
func Records(ctx context.Context, st *store.Store, kind string, opts RecordOptions, l ListWriter) error {
	cols := importer.Columns(kind)
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	vals := make([]any, len(cols))
	row := func(get func(string) any) error { return recordRow(l, names, vals, get) }
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
			return row(func(c string) any {
				switch c {
				case "code":
					return u.Code
				case "name":
					return u.Name
				case "parent_code":
					return u.BaseParentCode
				case "kind":
					return word("kind", u.Kind)
				case "ownership":
					return word("ownership", u.Ownership)
				case "enterprise_tax_code":
					return u.EnterpriseTaxCode
				case "founded_on":
					return u.FoundedOn
				case "decision_no":
					return u.DecisionNo
				case "method":
					return method
				case "dissolved_on":
					return u.DissolvedOn
				}
				return nil
			})
		})
	case "enterprises":
		f := opts.Enterprises
		f.UnitPath = opts.Path
		return st.ExportEnterprises(ctx, f, func(e *domain.Enterprise) error { return enterpriseRow(row, e) })
	case "members":
		f := opts.Members
		f.UnitPath = opts.Path
		return st.ExportMembers(ctx, f, func(r *store.MemberRecord) error {
			m := &r.Member
			return row(func(c string) any {
				switch c {
				case "national_id":
					return mask(m.NationalID)
				case "id_type":
					return word("id_type", m.IDType)
				case "full_name":
					return m.FullName
				case "date_of_birth":
					return m.DateOfBirth
				case "gender":
					return word("gender", m.Gender)
				case "unit_code":
					return m.UnitCode
				case "joined_on":
					return m.JoinedOn
				case "joined_how":
					return word("joined_how", m.JoinedHow)
				case "left_on":
					return m.LeftOn
				case "party_introduced_on":
					return m.PartyIntroducedOn
				case "card_no":
					return m.CardNo
				}
				return nil
			})
		})
	case "transfers":
		return st.ExportTransfers(ctx, opts.Path, func(t *domain.Transfer) error {
			return row(func(c string) any {
				switch c {
				case "national_id":
					return mask(t.NationalID)
				case "to_unit_code":
					return t.ToUnitCode
				case "date":
					return t.Date
				}
				return nil
			})
		})
	case "plans":
		return st.ExportPlans(ctx, opts.Path, func(p *domain.Plan) error {
			return row(func(c string) any {
				switch c {
				case "code":
					return p.Code
				case "name":
					return p.Name
				case "unit_code":
					return p.UnitCode
				case "start":
					return p.Start
				case "end":
					return p.End
				case "threshold_members":
					return p.Threshold
				}
				return nil
			})
		})
	case "targets":
		return st.ExportTargets(ctx, opts.Path, func(t *domain.Target) error {
			return row(func(c string) any {
				switch c {
				case "plan_code":
					return t.PlanCode
				case "unit_code":
					return t.UnitCode
				case "indicator":
					return t.Indicator
				case "target":
					return t.Target
				}
				return nil
			})
		})
	case "campaigns":
		return st.ExportCampaigns(ctx, opts.Path, func(cp *domain.Campaign) error {
			return row(func(c string) any {
				switch c {
				case "code":
					return cp.Code
				case "name":
					return cp.Name
				case "plan_code":
					return cp.PlanCode
				case "start":
					return cp.Start
				case "end":
					return cp.End
				case "class_name":
					return cp.ClassName
				}
				return nil
			})
		})
	case "moves":
		return st.ExportMoves(ctx, opts.Path, func(m *domain.Move) error {
			return row(func(c string) any {
				switch c {
				case "code":
					return m.UnitCode
				case "new_parent_code":
					return m.NewParentCode
				case "moved_on":
					return m.MovedOn
				case "decision_no":
					return m.DecisionNo
				}
				return nil
			})
		})
	}
	return fmt.Errorf("không có loại dữ liệu %[1]q (unknown kind %[1]q)", kind)
}

func enterpriseRow(row func(func(string) any) error, e *domain.Enterprise) error {
	return row(func(c string) any {
		switch c {
		case "tax_code":
			return e.TaxCode
		case "name":
			return e.Name
		case "ownership":
			return importer.ChoiceLabel("enterprises", "ownership", e.Ownership)
		case "employees":
			return e.Employees
		case "address":
			return e.Address
		case "area":
			return e.Area
		case "unit_code":
			return e.UnitCode
		case "source":
			return e.Source
		}
		return nil
	})
}

// WriteGapList writes the gap list (store.GapEnterprises: the enterprises
// of unit's subtree with minEmployees workers or more and no union open on
// asOf, largest first) in the format of enterprises.csv.
func WriteGapList(ctx context.Context, w io.Writer, format string, st *store.Store, unit *domain.Unit, asOf domain.Date, minEmployees int64) error {
	cols := importer.Columns("enterprises")
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	l, err := NewList(w, format, "DN chưa có công đoàn", ListColumns("enterprises"))
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	err = st.GapEnterprises(ctx, unit, asOf, minEmployees, func(g *store.GapEnterprise) error {
		return enterpriseRow(func(get func(string) any) error { return recordRow(l, names, vals, get) }, &g.Enterprise)
	})
	if err != nil {
		l.Close()
		return err
	}
	return l.Close()
}

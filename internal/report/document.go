package report

import (
	"context"
	"fmt"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/store"
	"congdoan/internal/summary"
)

// Document is everything the XLSX and PDF documents of a report show
// (internal/export): the report itself and what a federation attaches to
// it.
type Document struct {
	Report *engine.Report
	// Threshold is the plan's member threshold of enterprise_unions_25plus.
	Threshold int64
	// Standings ranks the direct children by percent of their
	// summary.RankedBy target, with their pace.
	Standings []summary.Standing
	// Peak is the busiest month and the units that led it (plan reports;
	// nil where there is none).
	Peak *summary.Peak
	// Exemplary are the units the document praises: the leaders of the
	// peak month, or of the campaign in a campaign report.
	Exemplary []summary.Leader
	// ExemplaryWhen says over which days Exemplary were the leaders
	// ("tháng 5/2022", or the campaign's name).
	ExemplaryWhen string
	// Campaigns holds one report per campaign of the plan, by start date,
	// for the same unit and as-of date.
	Campaigns []*engine.Report
	// Gaps are the enterprises of the unit's subtree with at least
	// domain.GapMinWorkers workers and no open grassroots union on the
	// as-of date (the gap list of the web page and the report's funnel),
	// largest first; GapWorkers sums their workers.
	Gaps       []store.GapEnterprise
	GapWorkers int64
	// Generated is when the document was made.
	Generated time.Time
	// Dissolved holds, by code, the children dissolved on or before the
	// as-of date (a district dissolved in the window), for the ranking to
	// mark them.
	Dissolved map[string]domain.Date
	// Upper is the name of the body right above the unit (its parent
	// today), "" for a root: the first line of the PDF's letterhead.
	Upper string
	// UnitKind is the unit's kind (domain.KindFederation…), which words
	// its letterhead and signature.
	UnitKind string
	// Letter is what the PDF's letterhead and signature block say; its
	// empty fields take defaults (export.PDF).
	Letter Letter
}

// Letter is what a report sent up the line carries besides its figures:
// the number, where and when it is signed, to whom it goes and who signs.
// The web form and `congdoan report --format pdf` fill it (Validate).
type Letter struct {
	Number      string      // "15/BC-LĐLĐ"
	Place       string      // "Hà Nội"
	Date        domain.Date // signing date; zero: the day the document is made
	Recipients  []string    // "Nơi nhận"
	SignerTitle string      // "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH": one line per row
	Signer      string      // the signer's name
}

// ChildName is a child's name as the ranking shows it: marked where it was
// dissolved by the as-of date ("LĐLĐ quận Cầu Giấy (đã giải thể
// 01/07/2025)").
func (d *Document) ChildName(code, name string) string {
	if on, ok := d.Dissolved[code]; ok {
		return name + " (đã giải thể " + on.VN() + ")"
	}
	return name
}

// DissolvedChildren finds, by code, the report's children dissolved on or
// before its as-of date, for the rankings (documents and dashboard) to
// mark them.
func DissolvedChildren(ctx context.Context, st *store.Store, unit *domain.Unit, r *engine.Report) (map[string]domain.Date, error) {
	out := map[string]domain.Date{}
	if len(r.Children) == 0 {
		return out, nil
	}
	kids, err := st.ChildrenOn(ctx, unit.ID, r.AsOf)
	if err != nil {
		return nil, err
	}
	byCode := map[string]*domain.Unit{}
	for _, k := range kids {
		byCode[k.Code] = k
	}
	for _, c := range r.Children {
		k := byCode[c.Unit.Code]
		if k == nil {
			// A child of the window that left before its last day.
			if k, err = st.Unit(ctx, c.Unit.Code); err != nil {
				return nil, err
			}
		}
		if !k.DissolvedOn.IsZero() && k.DissolvedOn <= r.AsOf {
			out[c.Unit.Code] = k.DissolvedOn
		}
	}
	return out, nil
}

// BuildDocument computes the report of a request and everything its
// documents show. Errors are those of Build.
func BuildDocument(ctx context.Context, st *store.Store, req Request) (*Document, error) {
	b, err := build(ctx, st, req)
	if err != nil {
		return nil, err
	}
	r := b.report
	doc := &Document{Report: r, Threshold: b.plan.MemberThreshold(), Standings: summary.Standings(r), Peak: b.peak, Generated: time.Now()}
	if doc.Dissolved, err = DissolvedChildren(ctx, st, b.unit, r); err != nil {
		return nil, err
	}
	doc.UnitKind = b.unit.Kind
	if anc, err := st.Ancestors(ctx, b.unit.Path); err != nil {
		return nil, err
	} else if len(anc) > 1 {
		doc.Upper = anc[len(anc)-2].Name
	}
	if b.peak != nil {
		doc.Exemplary, doc.ExemplaryWhen = b.peak.Leaders, "tháng "+summary.MonthYear(b.peak.Start)
	} else if r.Campaign != nil {
		doc.Exemplary, doc.ExemplaryWhen = summary.Leaders(r, summary.MaxLeaders), r.Campaign.Name
	}

	campaigns, err := st.PlanCampaigns(ctx, b.plan.Code)
	if err != nil {
		return nil, err
	}
	for _, c := range campaigns {
		if r.Campaign != nil && c.Code == r.Campaign.Code {
			doc.Campaigns = append(doc.Campaigns, r)
			continue
		}
		// The campaign's report uses the effective as-of date, so that
		// every part of the document is computed for the same day.
		cb, err := build(ctx, st, Request{Plan: b.plan.Code, Unit: b.unit.Code, AsOf: r.AsOf.String(), Campaign: c.Code})
		if err != nil {
			return nil, fmt.Errorf("campaign %s: %w", c.Code, err)
		}
		doc.Campaigns = append(doc.Campaigns, cb.report)
	}

	err = st.GapEnterprises(ctx, b.unit, r.AsOf, domain.GapMinWorkers, func(g *store.GapEnterprise) error {
		doc.Gaps = append(doc.Gaps, *g)
		doc.GapWorkers += g.Employees
		return nil
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

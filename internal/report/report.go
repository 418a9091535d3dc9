// Package report assembles a progress report: it resolves the plan, the
// unit and the campaign, gathers the facts from the store and lets the
// indicator engine compute.
package report

import (
	"context"
	"fmt"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/msg"
	"congdoan/internal/store"
	"congdoan/internal/summary"
)

// Request names a report the way the command line and the API do.
type Request struct {
	Plan     string
	Unit     string // default: the plan's unit
	AsOf     string // YYYY-MM-DD or dd/mm/yyyy; default: today in Vietnam
	Campaign string
}

// Build computes the report of a request. Unknown plans, units and
// campaigns are errors wrapping domain.ErrNotFound; bad arguments are
// *domain.ValidationError.
func Build(ctx context.Context, st *store.Store, req Request) (*engine.Report, error) {
	b, err := build(ctx, st, req)
	if err != nil {
		return nil, err
	}
	return b.report, nil
}

// BuildPeak is Build with the busiest month of a plan report and the
// units that led it, computed from the report's own reads (nil in a
// campaign report, a grassroots union's, or where there is none).
func BuildPeak(ctx context.Context, st *store.Store, req Request) (*engine.Report, *summary.Peak, error) {
	b, err := build(ctx, st, req)
	if err != nil {
		return nil, nil, err
	}
	return b.report, b.peak, nil
}

// built is a computed report with what was resolved on the way.
type built struct {
	plan   *domain.Plan
	unit   *domain.Unit
	report *engine.Report
	peak   *summary.Peak
}

func build(ctx context.Context, st *store.Store, req Request) (*built, error) {
	var errs []domain.FieldError
	if strings.TrimSpace(req.Plan) == "" {
		errs = append(errs, domain.Invalid("plan", msg.New("required")))
	}
	asOf, err := domain.ParseDate(req.AsOf)
	if err != nil {
		errs = append(errs, domain.Invalid("as_of", msg.Of(err)))
	}
	if len(errs) > 0 {
		return nil, &domain.ValidationError{Errors: errs}
	}
	plan, err := st.Plan(ctx, req.Plan)
	if err != nil {
		return nil, err
	}
	code := req.Unit
	if code == "" {
		code = plan.UnitCode
	}
	unit, err := st.Unit(ctx, code)
	if err != nil {
		return nil, err
	}
	// The plan's own unit is most reports' unit: one read for both.
	root := unit
	if code != plan.UnitCode {
		if root, err = st.Unit(ctx, plan.UnitCode); err != nil {
			return nil, err
		}
	}
	if !strings.HasPrefix(unit.Path, root.Path) {
		return nil, &domain.ValidationError{Errors: []domain.FieldError{domain.Invalid("unit",
			msg.New("report.unit_outside_plan", code, plan.UnitCode, plan.Code))}}
	}
	q := engine.Query{Plan: *plan, AsOf: asOf}
	if req.Campaign != "" {
		c, err := st.Campaign(ctx, req.Campaign)
		if err != nil {
			return nil, err
		}
		if c.PlanCode != plan.Code {
			return nil, &domain.ValidationError{Errors: []domain.FieldError{domain.Invalid("campaign",
				msg.New("report.campaign_other_plan", c.Code, c.PlanCode, plan.Code))}}
		}
		q.Campaign = c
	}
	in, err := st.ReportInput(ctx, q, unit)
	if err != nil {
		return nil, fmt.Errorf("gather the report's figures: %w", err)
	}
	b := &built{plan: plan, unit: unit, report: engine.Compute(in)}
	_, wstart, wend := q.Window()
	if b.report.Organising, err = st.Organising(ctx, unit, wstart, wend); err != nil {
		return nil, fmt.Errorf("gather the organising funnel: %w", err)
	}
	grassroots := unit.Kind == domain.KindGrassroots
	if !grassroots {
		if b.peak, err = peak(ctx, st, q, unit, in, b.report); err != nil {
			return nil, fmt.Errorf("gather the figures of the busiest month: %w", err)
		}
	}
	b.report.SummaryVI = summary.Text(summary.Facts{Report: b.report, Threshold: plan.Threshold, Peak: b.peak, Grassroots: grassroots})
	return b, nil
}

// peak finds the busiest month of a plan report and computes its children
// over that month's days (as the report of a campaign of that month: one
// more read of daily totals, no member), to name the units that led it.
// It reuses the report's own reads (in), its units founded above all.
func peak(ctx context.Context, st *store.Store, q engine.Query, unit *domain.Unit, in *engine.Input, r *engine.Report) (*summary.Peak, error) {
	start, end, ok := summary.PeakMonth(r)
	if !ok {
		return nil, nil
	}
	q.Campaign = &domain.Campaign{Code: start.MonthKey(), Start: start, End: end}
	month, err := st.PeakInput(ctx, q, unit, in)
	if err != nil {
		return nil, err
	}
	return summary.NewPeak(r, engine.Compute(month)), nil
}

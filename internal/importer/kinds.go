package importer

import (
	"errors"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/msg"
	"congdoan/internal/store"
)

var kindWords = map[string]string{
	"federation": domain.KindFederation, "lien doan": domain.KindFederation,
	"upper": domain.KindUpper, "cap tren co so": domain.KindUpper, "cap tren truc tiep co so": domain.KindUpper,
	"grassroots": domain.KindGrassroots, "co so": domain.KindGrassroots, "cdcs": domain.KindGrassroots,
	"lien doan lao dong": domain.KindFederation, "cong doan cap tren co so": domain.KindUpper,
	"cong doan cap tren truc tiep co so": domain.KindUpper, "cong doan co so": domain.KindGrassroots,
}

// enterpriseOwnershipWords are the ways staff write an enterprise's
// ownership in Vietnamese lists (folded: no diacritics, lower case).
var enterpriseOwnershipWords = map[string]string{
	"state": domain.OwnState, "nha nuoc": domain.OwnState, "doanh nghiep nha nuoc": domain.OwnState,
	"dnnn": domain.OwnState, "von nha nuoc": domain.OwnState,
	"private": domain.OwnPrivate, "tu nhan": domain.OwnPrivate, "ngoai nha nuoc": domain.OwnPrivate,
	"doanh nghiep tu nhan": domain.OwnPrivate, "ngoai khu vuc nha nuoc": domain.OwnPrivate,
	"doanh nghiep ngoai nha nuoc": domain.OwnPrivate, "dan doanh": domain.OwnPrivate,
	"ngoai nha nuoc – trong nuoc": domain.OwnPrivate, "ngoai nha nuoc - trong nuoc": domain.OwnPrivate,
	"ngoai nha nuoc trong nuoc": domain.OwnPrivate, "tu nhan trong nuoc": domain.OwnPrivate,
	"fdi": domain.OwnFDI, "von dau tu nuoc ngoai": domain.OwnFDI, "co von dau tu nuoc ngoai": domain.OwnFDI,
	"doanh nghiep co von dau tu nuoc ngoai": domain.OwnFDI, "dau tu nuoc ngoai": domain.OwnFDI,
}

// unitOwnershipWords add the kinds of grassroots units that are not
// enterprises.
var unitOwnershipWords = func() map[string]string {
	m := map[string]string{
		"public": domain.OwnPublic, "hanh chinh su nghiep": domain.OwnPublic, "co quan": domain.OwnPublic,
		"don vi su nghiep": domain.OwnPublic, "co quan nha nuoc": domain.OwnPublic, "hcsn": domain.OwnPublic,
		"co quan, don vi su nghiep": domain.OwnPublic, "co quan don vi su nghiep": domain.OwnPublic,
		"cooperative": domain.OwnCooperative, "hop tac xa": domain.OwnCooperative, "htx": domain.OwnCooperative,
		"informal": domain.OwnInformal, "nghiep doan": domain.OwnInformal, "nghiep doan co so": domain.OwnInformal,
		"phi chinh thuc": domain.OwnInformal, "khu vuc phi chinh thuc": domain.OwnInformal,
	}
	for k, v := range enterpriseOwnershipWords {
		m[k] = v
	}
	return m
}()

var methodWords = map[string]string{
	"standard": domain.MethodStandard, "thong thuong": domain.MethodStandard, "tieu chuan": domain.MethodStandard,
	"new": domain.MethodNew, "phuong thuc moi": domain.MethodNew, "moi": domain.MethodNew,
}

// fileRows is what the handlers of the small kinds hold: the import's
// transaction, and the keys the file gave so far, so that a row given
// twice is refused.
type fileRows struct {
	tx   *store.Tx
	seen map[string]bool
}

func newFileRows(tx *store.Tx) fileRows { return fileRows{tx: tx, seen: map[string]bool{}} }

// planRows adds the plans the rows named, looked up once an import.
type planRows struct {
	fileRows
	plans map[string]*domain.Plan
}

func newPlanRows(tx *store.Tx) planRows {
	return planRows{fileRows: newFileRows(tx), plans: map[string]*domain.Plan{}}
}

// units: rows are written one by one, so a row may name a parent created by
// a row above it.
type unitsHandler struct{ fileRows }

func (h *unitsHandler) parse(r *row) any {
	u := &domain.Unit{
		Code:              r.required("code"),
		Name:              r.required("name"),
		ParentCode:        r.str("parent_code"),
		Kind:              r.choice("kind", "", kindWords),
		Ownership:         r.choice("ownership", "", unitOwnershipWords),
		EnterpriseTaxCode: r.str("enterprise_tax_code"),
		FoundedOn:         r.date("founded_on", false),
		DecisionNo:        r.str("decision_no"),
		Method:            r.choice("method", domain.MethodStandard, methodWords),
		DissolvedOn:       r.date("dissolved_on", false),
	}
	u.EnterpriseTaxCode = r.zeros("enterprise_tax_code", u.EnterpriseTaxCode, 10) // typed as a number
	return u
}

func (h *unitsHandler) check(r *row, rec any) {
	u := rec.(*domain.Unit)
	if u.Code != "" {
		if !domain.ValidCode(u.Code) {
			r.fail("code", "code.chars", u.Code)
		}
		if h.seen[u.Code] {
			r.fail("code", "file.twice", u.Code)
		}
		h.seen[u.Code] = true
	}
	if r.str("kind") == "" {
		r.fail("kind", "unit.kind_required")
	}
	if u.Kind == domain.KindGrassroots && u.FoundedOn.IsZero() && r.str("founded_on") == "" {
		r.fail("founded_on", "unit.required_grassroots")
	}
	if u.Kind != domain.KindGrassroots && u.Ownership != "" {
		r.fail("ownership", "unit.ownership_grassroots_only")
	}
	if !u.DissolvedOn.IsZero() && !u.FoundedOn.IsZero() && u.DissolvedOn < u.FoundedOn {
		r.fail("dissolved_on", "unit.dissolved_before_founded", u.DissolvedOn.VN(), u.FoundedOn.VN())
	}
	if u.ParentCode == "" {
		if u.Kind == domain.KindGrassroots {
			r.fail("parent_code", "unit.required_grassroots")
		}
	} else if u.ParentCode == u.Code {
		r.fail("parent_code", "unit.own_parent")
	}
}

func (h *unitsHandler) save(r *row, rec any) error {
	u := rec.(*domain.Unit)
	if u.ParentCode != "" && u.ParentCode != u.Code {
		if p := unit(h.tx, r, "parent_code", u.ParentCode); p != nil && p.Kind == domain.KindGrassroots {
			r.fail("parent_code", "unit.parent_grassroots", u.ParentCode)
		}
	}
	if u.EnterpriseTaxCode != "" {
		if e, err := h.tx.Enterprise(u.EnterpriseTaxCode); err != nil {
			if !isNotFound(err) {
				return err
			}
			r.fail("enterprise_tax_code", "enterprise.unknown", u.EnterpriseTaxCode)
		} else {
			// Linking an enterprise takes it off its responsible unit's gap
			// list: that unit must be in the user's scope too.
			if eu, err := h.tx.Unit(e.UnitCode); err != nil {
				return err
			} else {
				r.link("enterprise_tax_code", eu)
			}
		}
	}
	if r.bad {
		return nil
	}
	if old, err := h.tx.Unit(u.Code); err == nil {
		r.touch("code", old)
		if u.ParentCode == "" && old.ParentID != 0 {
			r.touch("parent_code", nil)
		}
		if old.Kind != u.Kind {
			if has, err := h.tx.HasChildren(old.ID); err != nil {
				return err
			} else if has && u.Kind == domain.KindGrassroots {
				r.fail("kind", "unit.has_children", u.Code)
			}
			// Members belong to grassroots units only; the counters of an
			// upper unit roll up its subtree's, so ask only of a grassroots one.
			has := false
			if old.Kind == domain.KindGrassroots {
				var err error
				if has, err = h.tx.HasMembers(old.ID); err != nil {
					return err
				}
			}
			if has {
				r.fail("kind", "unit.has_members", u.Code)
			}
		}
	} else if !isNotFound(err) {
		return err
	} else if u.ParentCode == "" {
		r.touch("parent_code", nil)
	}
	if r.bad {
		return nil
	}
	if err := h.tx.PutUnit(u); err != nil {
		if errors.Is(err, domain.ErrBelowItself) {
			r.fail("parent_code", "unit.below_itself", u.Code, u.ParentCode)
			return nil
		}
		return err
	}
	r.sc.note(u)
	return nil
}

func (h *unitsHandler) flush() error { return nil }

type enterprisesHandler struct {
	tx    *store.Tx
	seen  *keySet
	batch []*domain.Enterprise
}

func (h *enterprisesHandler) parse(r *row) any {
	e := &domain.Enterprise{
		TaxCode:   r.required("tax_code"),
		Name:      r.required("name"),
		Ownership: r.choice("ownership", "", enterpriseOwnershipWords),
		Employees: r.integer("employees", true, 0),
		Address:   r.str("address"),
		Area:      r.str("area"),
		UnitCode:  r.required("unit_code"),
		Source:    r.str("source"),
	}
	e.TaxCode = r.zeros("tax_code", e.TaxCode, 10) // typed as a number
	return e
}

func (h *enterprisesHandler) check(r *row, rec any) {
	e := rec.(*domain.Enterprise)
	if e.TaxCode != "" {
		if err := domain.ValidateTaxCode(e.TaxCode); err != nil {
			r.failText("tax_code", msg.Of(err))
		}
		if !h.seen.add(e.TaxCode) {
			r.fail("tax_code", "file.twice", e.TaxCode)
		}
	}
	if r.str("ownership") == "" {
		r.fail("ownership", "enterprise.ownership_required")
	}
}

func (h *enterprisesHandler) save(r *row, rec any) error {
	e := rec.(*domain.Enterprise)
	if u := unit(h.tx, r, "unit_code", e.UnitCode); u != nil && u.Kind == domain.KindGrassroots {
		r.fail("unit_code", "enterprise.unit_grassroots", e.UnitCode)
	}
	if r.sc.allow != nil && e.TaxCode != "" {
		// Rewriting an enterprise takes it from its unit.
		if old, err := h.tx.Enterprise(e.TaxCode); err == nil {
			unit(h.tx, r, "tax_code", old.UnitCode)
		} else if !isNotFound(err) {
			return err
		}
	}
	if r.bad {
		return nil
	}
	h.batch = append(h.batch, e)
	if len(h.batch) >= 1000 {
		return h.flush()
	}
	return nil
}

func (h *enterprisesHandler) flush() error {
	err := h.tx.PutEnterprises(h.batch)
	h.batch = h.batch[:0]
	return err
}

type plansHandler struct{ fileRows }

func (h *plansHandler) parse(r *row) any {
	return &domain.Plan{
		Code:      r.required("code"),
		Name:      r.required("name"),
		UnitCode:  r.required("unit_code"),
		Start:     r.date("start", true),
		End:       r.date("end", true),
		Threshold: r.integer("threshold_members", false, domain.DefaultThreshold),
	}
}

// checkCodePeriod checks a plan's or campaign's code (its characters, and
// once in the file) and its period (not ending before it starts).
func (h *fileRows) checkCodePeriod(r *row, code string, start, end domain.Date) {
	if code != "" {
		if !domain.ValidCode(code) {
			r.fail("code", "code.chars", code)
		}
		if h.seen[code] {
			r.fail("code", "file.twice", code)
		}
		h.seen[code] = true
	}
	if !start.IsZero() && !end.IsZero() && end < start {
		r.fail("end", "period.end_before_start", end.VN(), start.VN())
	}
}

func (h *plansHandler) check(r *row, rec any) {
	p := rec.(*domain.Plan)
	h.checkCodePeriod(r, p.Code, p.Start, p.End)
}

func (h *plansHandler) save(r *row, rec any) error {
	p := rec.(*domain.Plan)
	unit(h.tx, r, "unit_code", p.UnitCode)
	if p.Code != "" {
		// Rewriting a plan takes it from its unit.
		if old, err := h.tx.Plan(p.Code); err == nil {
			if old.UnitCode != p.UnitCode {
				unit(h.tx, r, "code", old.UnitCode)
			}
		} else if !isNotFound(err) {
			return err
		}
	}
	if r.bad {
		return nil
	}
	return h.tx.PutPlan(p)
}

func (h *plansHandler) flush() error { return nil }

// plan looks a plan up for a row, once an import.
func (h *planRows) plan(r *row, code string) (*domain.Plan, error) {
	if code == "" {
		return nil, nil
	}
	if p, ok := h.plans[code]; ok {
		if p == nil {
			r.fail("plan_code", "plan.unknown", code)
		}
		return p, nil
	}
	p, err := h.tx.Plan(code)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	h.plans[code] = p
	if p == nil {
		r.fail("plan_code", "plan.unknown", code)
	}
	return p, nil
}

type targetsHandler struct{ planRows }

func (h *targetsHandler) parse(r *row) any {
	return &domain.Target{
		PlanCode:  r.required("plan_code"),
		UnitCode:  r.required("unit_code"),
		Indicator: r.required("indicator"),
		Target:    r.integer("target", true, 0),
	}
}

func (h *targetsHandler) check(r *row, rec any) {
	t := rec.(*domain.Target)
	if t.Indicator != "" && engine.Index(t.Indicator) < 0 {
		r.fail("indicator", "target.unknown_indicator", t.Indicator, strings.Join(engine.Codes, ", "))
	}
	key := t.PlanCode + "\x00" + t.UnitCode + "\x00" + t.Indicator
	if h.seen[key] {
		r.fail("indicator", "target.twice", t.Indicator, t.UnitCode, t.PlanCode)
	}
	h.seen[key] = true
}

func (h *targetsHandler) save(r *row, rec any) error {
	t := rec.(*domain.Target)
	p, err := h.plan(r, t.PlanCode)
	if err != nil {
		return err
	}
	u := unit(h.tx, r, "unit_code", t.UnitCode)
	if p != nil && u != nil {
		root, err := h.tx.Unit(p.UnitCode)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(u.Path, root.Path) {
			r.fail("unit_code", "target.unit_outside_plan", t.UnitCode, p.UnitCode)
		}
	}
	if r.bad {
		return nil
	}
	return h.tx.PutTarget(p.ID, u.ID, t)
}

func (h *targetsHandler) flush() error { return nil }

type campaignsHandler struct{ planRows }

func (h *campaignsHandler) parse(r *row) any {
	return &domain.Campaign{
		Code:      r.required("code"),
		Name:      r.required("name"),
		PlanCode:  r.required("plan_code"),
		Start:     r.date("start", true),
		End:       r.date("end", true),
		ClassName: r.str("class_name"),
	}
}

func (h *campaignsHandler) check(r *row, rec any) {
	c := rec.(*domain.Campaign)
	h.checkCodePeriod(r, c.Code, c.Start, c.End)
}

func (h *campaignsHandler) save(r *row, rec any) error {
	c := rec.(*domain.Campaign)
	p, err := h.plan(r, c.PlanCode)
	if err != nil {
		return err
	}
	if p != nil {
		unit(h.tx, r, "plan_code", p.UnitCode)
	}
	if r.sc.allow != nil && c.Code != "" {
		// Rewriting a campaign takes it from its plan.
		if old, err := h.tx.Campaign(c.Code); err == nil && old.PlanCode != c.PlanCode {
			op, err := h.tx.Plan(old.PlanCode)
			if err != nil {
				return err
			}
			unit(h.tx, r, "code", op.UnitCode)
		} else if err != nil && !isNotFound(err) {
			return err
		}
	}
	if r.bad {
		return nil
	}
	return h.tx.PutCampaign(p.ID, c)
}

func (h *campaignsHandler) flush() error { return nil }

package importer

import (
	"strings"

	"congdoan/internal/domain"
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
	"fdi": domain.OwnFDI, "von dau tu nuoc ngoai": domain.OwnFDI, "co von dau tu nuoc ngoai": domain.OwnFDI,
	"doanh nghiep co von dau tu nuoc ngoai": domain.OwnFDI, "dau tu nuoc ngoai": domain.OwnFDI,
}

// unitOwnershipWords add the kinds of grassroots units that are not
// enterprises.
var unitOwnershipWords = func() map[string]string {
	m := map[string]string{
		"public": domain.OwnPublic, "hanh chinh su nghiep": domain.OwnPublic, "co quan": domain.OwnPublic,
		"don vi su nghiep": domain.OwnPublic, "co quan nha nuoc": domain.OwnPublic, "hcsn": domain.OwnPublic,
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

// units: rows are written one by one, so a row may name a parent created by
// a row above it.
type unitsHandler struct {
	tx   *store.Tx
	seen map[string]bool
}

func (h *unitsHandler) row(r *row) error {
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
	if u.Code != "" {
		if !domain.ValidCode(u.Code) {
			r.fail("code", "%q: chỉ được dùng chữ cái không dấu, chữ số, '-', '_' và '.' (use only letters, digits, '-', '_' and '.')", u.Code)
		}
		if h.seen[u.Code] {
			r.fail("code", "%q xuất hiện hai lần trong tệp (appears twice in the file)", u.Code)
		}
		h.seen[u.Code] = true
	}
	if r.str("kind") == "" {
		r.fail("kind", "bắt buộc: liên đoàn lao động (federation), công đoàn cấp trên cơ sở (upper) hoặc CĐCS (grassroots) (required (federation, upper or grassroots))")
	}
	if u.Kind == domain.KindGrassroots && u.FoundedOn.IsZero() && r.str("founded_on") == "" {
		r.fail("founded_on", "bắt buộc với CĐCS (required for a grassroots unit)")
	}
	if u.Kind != domain.KindGrassroots && u.Ownership != "" {
		r.fail("ownership", "chỉ CĐCS mới có loại hình (only a grassroots unit has an ownership)")
	}
	if !u.DissolvedOn.IsZero() && !u.FoundedOn.IsZero() && u.DissolvedOn < u.FoundedOn {
		r.fail("dissolved_on", "ngày giải thể %s trước ngày thành lập %s (%s is before founded_on %s)", u.DissolvedOn.VN(), u.FoundedOn.VN(), u.DissolvedOn, u.FoundedOn)
	}
	if u.ParentCode == "" {
		if u.Kind == domain.KindGrassroots {
			r.fail("parent_code", "bắt buộc với CĐCS (required for a grassroots unit)")
		}
	} else if u.ParentCode == u.Code {
		r.fail("parent_code", "đơn vị không thể là cấp trên của chính nó (a unit cannot be its own parent)")
	} else if p := unit(h.tx, r, "parent_code", u.ParentCode); p != nil {
		if p.Kind == domain.KindGrassroots {
			r.fail("parent_code", "%q là CĐCS, không có đơn vị trực thuộc (is a grassroots unit, which has no units below it)", u.ParentCode)
		}
	}
	if u.EnterpriseTaxCode != "" {
		if _, err := h.tx.Enterprise(u.EnterpriseTaxCode); err != nil {
			if !isNotFound(err) {
				return err
			}
			r.fail("enterprise_tax_code", "không có doanh nghiệp mã số thuế %[1]q trong danh sách (no enterprise with tax code %[1]q in the registry)", u.EnterpriseTaxCode)
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
				r.fail("kind", "%q có đơn vị trực thuộc nên không thể thành CĐCS (has units below it and cannot become a grassroots unit)", u.Code)
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
				r.fail("kind", "%q có đoàn viên nên phải giữ là CĐCS (has members and must stay a grassroots unit)", u.Code)
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
		if strings.Contains(err.Error(), "own subtree") {
			r.fail("parent_code", "%v", err)
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

func (h *enterprisesHandler) row(r *row) error {
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
	if e.TaxCode != "" {
		if err := domain.ValidateTaxCode(e.TaxCode); err != nil {
			r.fail("tax_code", "%v", err)
		}
		if !h.seen.add(e.TaxCode) {
			r.fail("tax_code", "%q xuất hiện hai lần trong tệp (appears twice in the file)", e.TaxCode)
		}
	}
	if r.str("ownership") == "" {
		r.fail("ownership", "bắt buộc: nhà nước (state), ngoài nhà nước (private) hoặc vốn đầu tư nước ngoài (fdi) (required (state, private or fdi))")
	}
	if u := unit(h.tx, r, "unit_code", e.UnitCode); u != nil && u.Kind == domain.KindGrassroots {
		r.fail("unit_code", "%q là CĐCS; đơn vị quản lý phải là liên đoàn lao động hoặc công đoàn cấp trên cơ sở (is a grassroots unit; the responsible unit is a federation or an upper union)", e.UnitCode)
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

type plansHandler struct {
	tx   *store.Tx
	seen map[string]bool
}

func (h *plansHandler) row(r *row) error {
	p := &domain.Plan{
		Code:      r.required("code"),
		Name:      r.required("name"),
		UnitCode:  r.required("unit_code"),
		Start:     r.date("start", true),
		End:       r.date("end", true),
		Threshold: r.integer("threshold_members", false, domain.DefaultThreshold),
	}
	if p.Code != "" {
		if !domain.ValidCode(p.Code) {
			r.fail("code", "%q: chỉ được dùng chữ cái không dấu, chữ số, '-', '_' và '.' (use only letters, digits, '-', '_' and '.')", p.Code)
		}
		if h.seen[p.Code] {
			r.fail("code", "%q xuất hiện hai lần trong tệp (appears twice in the file)", p.Code)
		}
		h.seen[p.Code] = true
	}
	if !p.Start.IsZero() && !p.End.IsZero() && p.End < p.Start {
		r.fail("end", "ngày kết thúc %s trước ngày bắt đầu %s (%s is before start %s)", p.End.VN(), p.Start.VN(), p.End, p.Start)
	}
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

// plan looks a plan up for a row, with a per-import cache.
func plan(tx *store.Tx, cache map[string]*domain.Plan, r *row, code string) (*domain.Plan, error) {
	if code == "" {
		return nil, nil
	}
	if p, ok := cache[code]; ok {
		if p == nil {
			r.fail("plan_code", "không có kế hoạch %[1]q (unknown plan %[1]q)", code)
		}
		return p, nil
	}
	p, err := tx.Plan(code)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	cache[code] = p
	if p == nil {
		r.fail("plan_code", "không có kế hoạch %[1]q (unknown plan %[1]q)", code)
	}
	return p, nil
}

type targetsHandler struct {
	tx    *store.Tx
	seen  map[string]bool
	plans map[string]*domain.Plan
}

func (h *targetsHandler) row(r *row) error {
	t := &domain.Target{
		PlanCode:  r.required("plan_code"),
		UnitCode:  r.required("unit_code"),
		Indicator: r.required("indicator"),
		Target:    r.integer("target", true, 0),
	}
	if t.Indicator != "" && domain.IndicatorIndex(t.Indicator) < 0 {
		r.fail("indicator", "không có chỉ tiêu %[1]q, chọn một trong %[2]s (unknown indicator %[1]q (one of %[2]s))", t.Indicator, strings.Join(domain.Indicators, ", "))
	}
	key := t.PlanCode + "\x00" + t.UnitCode + "\x00" + t.Indicator
	if h.seen[key] {
		r.fail("indicator", "chỉ tiêu %[1]s của đơn vị %[2]s trong kế hoạch %[3]s xuất hiện hai lần trong tệp (the target of %[1]s for %[2]s in %[3]s appears twice in the file)", t.Indicator, t.UnitCode, t.PlanCode)
	}
	h.seen[key] = true
	p, err := plan(h.tx, h.plans, r, t.PlanCode)
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
			r.fail("unit_code", "%[1]q không phải là %[2]s hay đơn vị trực thuộc %[2]s (is not %[2]s nor a unit below it)", t.UnitCode, p.UnitCode)
		}
	}
	if r.bad {
		return nil
	}
	return h.tx.PutTarget(p.ID, u.ID, t)
}

func (h *targetsHandler) flush() error { return nil }

type campaignsHandler struct {
	tx    *store.Tx
	seen  map[string]bool
	plans map[string]*domain.Plan
}

func (h *campaignsHandler) row(r *row) error {
	c := &domain.Campaign{
		Code:      r.required("code"),
		Name:      r.required("name"),
		PlanCode:  r.required("plan_code"),
		Start:     r.date("start", true),
		End:       r.date("end", true),
		ClassName: r.str("class_name"),
	}
	if c.Code != "" {
		if !domain.ValidCode(c.Code) {
			r.fail("code", "%q: chỉ được dùng chữ cái không dấu, chữ số, '-', '_' và '.' (use only letters, digits, '-', '_' and '.')", c.Code)
		}
		if h.seen[c.Code] {
			r.fail("code", "%q xuất hiện hai lần trong tệp (appears twice in the file)", c.Code)
		}
		h.seen[c.Code] = true
	}
	if !c.Start.IsZero() && !c.End.IsZero() && c.End < c.Start {
		r.fail("end", "ngày kết thúc %s trước ngày bắt đầu %s (%s is before start %s)", c.End.VN(), c.Start.VN(), c.End, c.Start)
	}
	p, err := plan(h.tx, h.plans, r, c.PlanCode)
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

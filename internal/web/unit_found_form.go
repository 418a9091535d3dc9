package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// foundData is the form that founds a grassroots union under a unit.
type foundData struct {
	Parent *domain.Unit
	Form   *formState
	Gaps   []store.GapEnterprise // enterprises of the unit without a union
	// Founders is the founding group of the enterprise of ?tax_code= in
	// the organising pipeline (found from the board).
	Founders []store.Founder
}

var unitColumns = []string{"code", "name", "parent_code", "kind", "ownership", "enterprise_tax_code", "founded_on", "decision_no", "method", "dissolved_on"}

// foundForm answers GET /units/{code}/found: founding a grassroots union
// under the unit (?tax_code= and ?name= prefill it from the gap list).
func (s *Server) foundForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.foundSetup(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := d.Form.Values
	v["method"] = domain.MethodStandard
	if q.Get("method") == domain.MethodNew {
		// Founding from the organising board: the founding group's way.
		v["method"] = domain.MethodNew
	}
	v["founded_on"] = vnDate(domain.Today())
	v["code"] = s.nextCode(r, d.Parent)
	if tc := q.Get("tax_code"); tc != "" {
		v["enterprise_tax_code"] = tc
		if e, eu, err := s.enterpriseOf(r, tc); err == nil && eu != nil && s.inScope(currentUser(r), eu) {
			v["name"] = "Công đoàn " + e.Name
			if p, err := s.Store.PipelineOf(r.Context(), e.TaxCode); err == nil {
				d.Founders = p.Founders
			}
		}
	}
	return s.render(w, r, http.StatusOK, "unit_found", Page{Nav: "units", Data: d})
}

// foundSetup checks the parent unit of a founding and lists the
// enterprises the form suggests.
func (s *Server) foundSetup(r *http.Request) (*foundData, error) {
	u := currentUser(r)
	parent, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	if parent.Kind == domain.KindGrassroots {
		return nil, errText(http.StatusNotFound, "err.a_grassroots_unit_has_no_units_below_it")
	}
	d := &foundData{Parent: parent, Form: newForm("units", nil)}
	err = s.Store.GapEnterprises(r.Context(), parent, domain.Today(), 1, func(g *store.GapEnterprise) error {
		if len(d.Gaps) >= 500 {
			return errEnough
		}
		d.Gaps = append(d.Gaps, *g)
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	return d, nil
}

// errEnough stops a stream early.
var errEnough = fmt.Errorf("enough")

// nextCode suggests a code for a new unit under parent: the parent's code
// and the next number ("HN-CG-039").
func (s *Server) nextCode(r *http.Request, parent *domain.Unit) string {
	children, err := s.Store.Children(r.Context(), parent.ID)
	if err != nil {
		return ""
	}
	n := 0
	prefix := parent.Code + "-"
	for _, c := range children {
		if k, err := strconv.Atoi(strings.TrimPrefix(c.Code, prefix)); err == nil && strings.HasPrefix(c.Code, prefix) {
			n = max(n, k)
		}
	}
	// A code taken elsewhere in the tree moves on to the next number; any
	// other error (or a long run of taken codes) leaves the field empty for
	// the user to fill, rather than looping.
	for range 100 {
		n++
		code := fmt.Sprintf("%s%03d", prefix, n)
		_, err := s.Store.Unit(r.Context(), code)
		if isNotFound(err) {
			return code
		}
		if err != nil {
			return ""
		}
	}
	return ""
}

// enterpriseOf returns the enterprise with a tax code and its unit (nil if
// the unit is gone).
func (s *Server) enterpriseOf(r *http.Request, taxCode string) (*domain.Enterprise, *domain.Unit, error) {
	e, err := s.Store.Enterprise(r.Context(), taxCode)
	if err != nil {
		return nil, nil, err
	}
	eu, err := s.Store.Unit(r.Context(), e.UnitCode)
	if err != nil && !isNotFound(err) {
		return nil, nil, err
	}
	return e, eu, nil
}

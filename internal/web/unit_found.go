package web

import (
	"fmt"
	"net/http"

	"congdoan/internal/domain"
)

// minFounders is the smallest founding group (ban vận động) of a union
// founded by the new method from the organising pipeline.
const minFounders = 3

// foundCreate answers POST /units/{code}/found.
func (s *Server) foundCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.foundSetup(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	v := fromRequest(r, "code", "name", "ownership", "enterprise_tax_code", "founded_on", "decision_no", "method")
	d.Form.Values = v
	// A new unit only: an existing code is not rewritten from this form.
	if v["code"] != "" {
		if _, err := s.Store.Unit(r.Context(), v["code"]); err == nil {
			d.Form.add("code", translate(langOf(r), "found.code_taken", v["code"]))
		} else if !isNotFound(err) {
			return err
		}
	}
	// The enterprise must belong to a unit of the user's subtree: founding
	// its union takes it off that unit's gap list.
	if tc := v["enterprise_tax_code"]; tc != "" {
		_, eu, err := s.enterpriseOf(r, tc)
		switch {
		case err != nil && !isNotFound(err):
			return err
		case err == nil && (eu == nil || !s.inScope(u, eu)):
			d.Form.add("enterprise_tax_code", translate(langOf(r), "found.enterprise_outside", clip(tc, 32)))
		case err == nil && v["method"] == domain.MethodNew:
			// The new method is the workers' own founding group asking to
			// be recognised: an enterprise worked in the organising
			// pipeline needs a group of at least minFounders people.
			p, err := s.Store.PipelineOf(r.Context(), tc)
			if err != nil {
				return err
			}
			if inPipeline := !p.Since.IsZero() || len(p.Events) > 0 || len(p.Founders) > 0; inPipeline && len(p.Founders) < minFounders {
				d.Form.add("method", translate(langOf(r), "found.new_method_founders", minFounders, len(p.Founders)))
			}
		}
	}
	if !d.Form.Failed() {
		row := map[string]string{"parent_code": d.Parent.Code, "kind": domain.KindGrassroots, "dissolved_on": ""}
		for k, x := range v {
			row[k] = x
		}
		detail := fmt.Sprintf("%s %s (%s)", v["code"], v["name"], v["method"])
		err := s.importOne(r, u, "units", "unit.found", detail, row)
		if err == nil {
			// The importer links its one entry to the enterprise's unit too
			// (audit_units), so that unit's managers read it.
			redirectSaved(w, r, "/units/"+v["code"], "unit_founded")
			return nil
		}
		if !d.Form.take(err) {
			return err
		}
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "unit_found", Page{Nav: "units", Data: d})
}

package web

import (
	"errors"
	"net/http"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// The unit edit form (GET and POST /units/{code}/edit): the name, the
// founding decision (number and date), the ownership of a grassroots union
// and the enterprise it is linked to. The unit is rewritten through the
// importer (kind units) with the rest of its record as it is, its parent
// of units.csv included, so nothing moves: the rules of units.csv hold
// (a manager changes only units strictly below their own, a linked
// enterprise's unit must be in the user's subtree: importAllow). The
// parent changes by a move, the dissolution by its own form.

// unitEditFields are the fields of the form.
var unitEditFields = []string{"name", "decision_no", "founded_on", "ownership", "enterprise_tax_code"}

type unitEditData struct {
	Unit *domain.Unit
	Form *formState
}

// editableUnit reads the unit of /units/{code} for a form that changes
// it: a unit outside the user's subtree is not found.
func (s *Server) editableUnit(r *http.Request, u *store.User) (*domain.Unit, error) {
	unit, err := s.scopedUnit(r, u, r.PathValue("code"))
	if errors.Is(err, domain.ErrForbidden) {
		return nil, domain.NotFound("unit", clip(r.PathValue("code"), 32))
	}
	return unit, err
}

// unitRow is the units.csv row of a unit as it is.
func unitRow(x *domain.Unit) map[string]string {
	return map[string]string{"code": x.Code, "name": x.Name, "parent_code": x.BaseParentCode, "kind": x.Kind,
		"ownership": x.Ownership, "enterprise_tax_code": x.EnterpriseTaxCode, "founded_on": x.FoundedOn.VN(),
		"decision_no": x.DecisionNo, "method": x.Method, "dissolved_on": x.DissolvedOn.VN()}
}

// unitEdit answers GET /units/{code}/edit.
func (s *Server) unitEdit(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.editableUnit(r, currentUser(r))
	if err != nil {
		return err
	}
	return s.unitEditPage(w, r, http.StatusOK, unit, newForm("units", unitRow(unit)))
}

// unitUpdate answers POST /units/{code}/edit.
func (s *Server) unitUpdate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	unit, err := s.editableUnit(r, u)
	if err != nil {
		return err
	}
	v := fromRequest(r, unitEditFields...)
	before := unitRow(unit)
	row := overlay(unitRow(unit), v, unitEditFields)
	if unit.Kind != domain.KindGrassroots {
		// Only a grassroots union has an ownership (units.csv).
		row["ownership"] = before["ownership"]
	}
	changes := fieldChanges(unitEditFields, before, row, canon)
	if len(changes) == 0 {
		redirectSaved(w, r, "/units/"+unit.Code, "no_change")
		return nil
	}
	detail := unit.Code + " " + unit.Name + ": " + strings.Join(changes, "; ")
	// The row names the unit's parent of units.csv, which the edit does
	// not change: a unit moved since may have it outside the user's
	// subtree, and that is no reason to refuse. The audit entry is filed
	// under the unit itself, written in the import's transaction (Before:
	// rolled back with it when a row fails).
	allow := s.importAllow(u)
	im := &importer.Importer{Store: s.Store, Allow: func(kind, column string, x *domain.Unit) error {
		if column == "parent_code" && x != nil && x.Code == unit.BaseParentCode {
			return nil
		}
		return allow(kind, column, x)
	}, Before: func(tx *store.Tx) error {
		return tx.Audit(store.AuditEntry{Actor: u.Name, Action: "unit.edit", UnitID: unit.ID, Detail: detail})
	}}
	header, cells := rowCells(row)
	_, err = im.Rows(r.Context(), "units", "form", header, [][]string{cells})
	if err == nil {
		redirectSaved(w, r, "/units/"+unit.Code, "unit_edited")
		return nil
	}
	f := newForm("units", row)
	if !f.take(err) {
		return err
	}
	return s.unitEditPage(w, r, http.StatusUnprocessableEntity, unit, f)
}

// unitEditPage renders the edit form of unit: as it is (GET) or with the
// values and errors of a refused POST.
func (s *Server) unitEditPage(w http.ResponseWriter, r *http.Request, status int, unit *domain.Unit, f *formState) error {
	d := &unitEditData{Unit: unit, Form: f}
	return s.render(w, r, status, "unit_edit", Page{Nav: "units", Title: unit.Name, Data: d})
}

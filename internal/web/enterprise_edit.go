package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// Adding and editing an enterprise (GET and POST /enterprises/new and
// /enterprises/{tax}/edit): tax code (new ones only: it is the key), name,
// ownership, workers, address, area, responsible unit (a unit picker of
// federations and upper unions), source. The record is written through the
// importer (kind enterprises): the tax code's checksum, the length of each
// field, the responsible unit not a grassroots union and in the user's
// subtree, and an edited enterprise's old unit in it too (importAllow).
// The audit entry keeps each changed field, before → after.

// enterpriseFields are the fields of the form.
var enterpriseFields = []string{"tax_code", "name", "ownership", "employees", "address", "area", "unit_code", "source"}

type enterpriseEditData struct {
	New    bool
	E      *domain.Enterprise // the enterprise edited; nil for a new one
	Form   *formState
	Picker *unitPicker
}

// enterpriseRow is the enterprises.csv row of an enterprise.
func enterpriseRow(e *domain.Enterprise) map[string]string {
	return map[string]string{"tax_code": e.TaxCode, "name": e.Name, "ownership": e.Ownership, "employees": formatInt(langVI, e.Employees),
		"address": e.Address, "area": e.Area, "unit_code": e.UnitCode, "source": e.Source}
}

// editableEnterprise reads the enterprise of /enterprises/{tax}/edit: one
// whose responsible unit is outside the user's subtree is not found.
func (s *Server) editableEnterprise(r *http.Request, u *store.User) (*domain.Enterprise, error) {
	tax := r.PathValue("tax")
	if len(tax) > maxCodeLen {
		return nil, domain.NotFound("enterprise", clip(tax, 32))
	}
	e, err := s.Store.Enterprise(r.Context(), tax)
	if err != nil {
		return nil, err
	}
	if _, err := s.scopedUnit(r, u, e.UnitCode); err != nil {
		if errors.Is(err, domain.ErrForbidden) {
			return nil, domain.NotFound("enterprise", tax)
		}
		return nil, err
	}
	return e, nil
}

func (s *Server) renderEnterprise(w http.ResponseWriter, r *http.Request, status int, d *enterpriseEditData) error {
	d.Picker = s.picker(r, currentUser(r), "unit_code", "unit_code", "upper", d.Form.V("unit_code"))
	title := translate(langOf(r), "edit.ent_new_title")
	if !d.New {
		title = d.E.Name
	}
	return s.render(w, r, status, "enterprise_edit", Page{Nav: "enterprises", Title: title, Data: d})
}

// enterpriseNew answers GET /enterprises/new.
func (s *Server) enterpriseNew(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	v := map[string]string{"unit_code": u.UnitCode}
	if code := r.URL.Query().Get("unit"); code != "" && len(code) <= maxCodeLen {
		v["unit_code"] = code
	}
	return s.renderEnterprise(w, r, http.StatusOK, &enterpriseEditData{New: true, Form: newForm("enterprises", v)})
}

// enterpriseEdit answers GET /enterprises/{tax}/edit.
func (s *Server) enterpriseEdit(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editableEnterprise(r, currentUser(r))
	if err != nil {
		return err
	}
	return s.renderEnterprise(w, r, http.StatusOK, &enterpriseEditData{E: e, Form: newForm("enterprises", enterpriseRow(e))})
}

// enterpriseCreate answers POST /enterprises/new.
func (s *Server) enterpriseCreate(w http.ResponseWriter, r *http.Request) error {
	return s.enterpriseSave(w, r, nil)
}

// enterpriseUpdate answers POST /enterprises/{tax}/edit.
func (s *Server) enterpriseUpdate(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editableEnterprise(r, currentUser(r))
	if err != nil {
		return err
	}
	return s.enterpriseSave(w, r, e)
}

// enterpriseSave writes the enterprise of the form: a new one (old nil)
// or old changed.
func (s *Server) enterpriseSave(w http.ResponseWriter, r *http.Request, old *domain.Enterprise) error {
	u := currentUser(r)
	d := &enterpriseEditData{New: old == nil, E: old, Form: newForm("enterprises", fromRequest(r, enterpriseFields...))}
	f := d.Form
	if old != nil {
		// The tax code is the key: it is not changed here.
		f.Values["tax_code"] = old.TaxCode
	}
	if _, err := s.resolvePicked(r, u, f, "unit_code", "upper"); err != nil {
		return err
	}
	action, detail := "enterprise.add", ""
	if old == nil {
		if tax := f.V("tax_code"); tax != "" && len(tax) <= maxCodeLen {
			switch _, err := s.Store.Enterprise(r.Context(), tax); {
			case err == nil:
				f.add("tax_code", "edit.ent_exists")
			case !isNotFound(err):
				return err
			}
		}
		detail = f.V("tax_code") + " " + f.V("name")
	} else {
		action = "enterprise.edit"
		before := enterpriseRow(old)
		changes := fieldChanges(enterpriseFields, before, f.Values, canonEnterprise)
		if len(changes) == 0 && !f.Failed() {
			redirectSaved(w, r, "/enterprises/"+url.PathEscape(old.TaxCode)+"/edit", "no_change")
			return nil
		}
		detail = old.TaxCode + " " + old.Name + ": " + strings.Join(changes, "; ")
	}
	if !f.Failed() {
		err := s.importOne(r, u, "enterprises", action, detail, f.Values)
		if err == nil {
			redirectSaved(w, r, "/enterprises?q="+url.QueryEscape(f.V("tax_code")), "enterprise_saved")
			return nil
		}
		if !f.take(err) {
			return err
		}
	}
	return s.renderEnterprise(w, r, http.StatusUnprocessableEntity, d)
}

// canonEnterprise is a field's value as compared for a change: the
// number of workers without its thousands dots.
func canonEnterprise(field, v string) string {
	v = strings.TrimSpace(v)
	if field == "employees" {
		return strings.NewReplacer(".", "", ",", "").Replace(v)
	}
	return v
}

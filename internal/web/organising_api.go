package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// The API of the organising pipeline and of join requests (docs/interfaces.md,
// "Organising and joining (HTTP)").

const roleCollaborator = "collaborator"

// collaboratorGate keeps a collaborator to the organising board, the
// enterprises assigned to it (checked again by each handler), its account
// and the public pages: everything else answers 403.
func (s *Server) collaboratorGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		if u == nil || u.Role != roleCollaborator {
			next.ServeHTTP(w, r)
			return
		}
		p := r.URL.Path
		switch {
		case p == "/" && safeMethod(r.Method):
			http.Redirect(w, r, "/organising", http.StatusSeeOther)
			return
		case p == "/organising", strings.HasPrefix(p, "/organising/"),
			strings.HasPrefix(p, "/api/v1/enterprises/"),
			p == "/login", p == "/logout", p == "/account", strings.HasPrefix(p, "/account/"),
			strings.HasPrefix(p, "/lang/"), strings.HasPrefix(p, "/join/"), p == "/healthz":
			next.ServeHTTP(w, r)
			return
		}
		s.serveError(w, r, forbidden("a collaborator works only the enterprises assigned to it"))
	})
}

// maxTaxCodeLen bounds a tax code in a path (10 digits, "-" and 3 more, or
// a 12-digit CCCD).
const maxTaxCodeLen = 20

// enterpriseFor returns an enterprise and its responsible unit when the
// user may read it (write: change its pipeline): an admin or a manager of
// the responsible unit's subtree (viewers read), or a collaborator
// assigned to it.
func (s *Server) enterpriseFor(r *http.Request, u *store.User, taxCode string, write bool) (*domain.Enterprise, *domain.Unit, error) {
	if len(taxCode) > maxTaxCodeLen {
		return nil, nil, domain.NotFound("enterprise", clip(taxCode, 20))
	}
	e, err := s.Store.Enterprise(r.Context(), taxCode)
	if err != nil {
		return nil, nil, err
	}
	resp, err := s.Store.Unit(r.Context(), e.UnitCode)
	if err != nil {
		return nil, nil, err
	}
	if u.Role == roleCollaborator {
		ok, err := s.Store.IsOrganiser(r.Context(), u.ID, taxCode)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			return nil, nil, forbidden("enterprise %s is not assigned to you", taxCode)
		}
		return e, resp, nil
	}
	if !s.inScope(u, resp) {
		return nil, nil, outside(u, resp)
	}
	if write && !s.canWrite(u) {
		return nil, nil, forbidden("your role (%s) only reads", u.Role)
	}
	return e, resp, nil
}

// apiEnterpriseOf is the user of an API request on
// /api/v1/enterprises/{tax_code}… and the enterprise when enterpriseFor
// lets the user at it.
func (s *Server) apiEnterpriseOf(r *http.Request, write bool) (*store.User, *domain.Enterprise, error) {
	u := currentUser(r)
	e, _, err := s.enterpriseFor(r, u, r.PathValue("tax_code"), write)
	return u, e, err
}

type enterpriseJSON struct {
	*domain.Enterprise
	Union    string          `json:"union,omitempty"`
	JoinURL  string          `json:"join_url,omitempty"`
	Pipeline *store.Pipeline `json:"pipeline"`
}

// apiEnterprise answers GET /api/v1/enterprises/{tax_code}: the enterprise
// with its pipeline and, while it has no union, its join link.
func (s *Server) apiEnterprise(w http.ResponseWriter, r *http.Request) error {
	_, e, err := s.apiEnterpriseOf(r, false)
	if err != nil {
		return err
	}
	p, err := s.Store.PipelineOf(r.Context(), e.TaxCode)
	if err != nil {
		return err
	}
	out := enterpriseJSON{Enterprise: e, Pipeline: p}
	if p.Union != nil {
		out.Union = p.Union.Code
	} else if tok, err := s.Store.JoinLink(r.Context(), 0, e.TaxCode); err == nil {
		out.JoinURL = s.joinURL(r, tok)
	} else {
		// Made on first use: the enterprise still reads without it.
		s.Log.Warn("join link of an enterprise", "tax_code", e.TaxCode, "err", err)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// decodeJSON reads a JSON object body into v: 400 when it is not one.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	if err := dec.Decode(v); err != nil {
		return errAPI(http.StatusBadRequest, "the body must be one JSON object")
	}
	return nil
}

// apiPipelineSave answers POST /api/v1/enterprises/{tax_code}/pipeline
// with {"stage", "on", "note", "organisers"}: 201 with the pipeline, or 422.
func (s *Server) apiPipelineSave(w http.ResponseWriter, r *http.Request) error {
	u, e, err := s.apiEnterpriseOf(r, true)
	if err != nil {
		return err
	}
	var body struct {
		Stage      string    `json:"stage"`
		On         string    `json:"on"`
		Note       string    `json:"note"`
		Organisers *[]string `json:"organisers"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		return err
	}
	c := store.StageChange{TaxCode: e.TaxCode, Stage: strings.TrimSpace(body.Stage), Note: body.Note, Actor: u.Name}
	if body.Organisers != nil {
		if u.Role == roleCollaborator {
			return forbidden("a collaborator does not assign organisers")
		}
		c.Organisers = append([]string{}, (*body.Organisers)...)
	}
	if ve := parseDateField(&c.On, "on", body.On, c.Stage != ""); ve != nil {
		return ve
	}
	if err := s.Store.ChangeStage(r.Context(), c); err != nil {
		return err
	}
	p, err := s.Store.PipelineOf(r.Context(), e.TaxCode)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

// parseDateField parses a date field; empty is today unless required.
func parseDateField(d *domain.Date, field, v string, required bool) error {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			*d = domain.Today()
		}
		return nil
	}
	x, err := domain.ParseDate(v)
	if err != nil {
		return invalid(domain.FieldError{Field: field, Message: "join_date"})
	}
	*d = x
	return nil
}

// apiUnitJoinPNG answers GET /api/v1/units/{code}/join.png: the QR code of
// an open grassroots union's join link.
func (s *Server) apiUnitJoinPNG(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	_, tok, err := s.unitJoin(r, u)
	return s.writeJoinQR(w, r, tok, err)
}

// unitJoinToken is the join token of an open grassroots union; other
// units have none (not found).
func (s *Server) unitJoinToken(r *http.Request, unit *domain.Unit) (string, error) {
	if unit.Kind != domain.KindGrassroots || !unit.OpenOn(domain.Today()) {
		return "", domain.NotFound("join link", unit.Code)
	}
	return s.Store.JoinLink(r.Context(), unit.ID, "")
}

// apiEnterpriseJoinPNG answers GET /api/v1/enterprises/{tax_code}/join.png:
// the QR code of the join link of an enterprise with no union.
func (s *Server) apiEnterpriseJoinPNG(w http.ResponseWriter, r *http.Request) error {
	_, e, err := s.apiEnterpriseOf(r, false)
	if err != nil {
		return err
	}
	tok, err := s.enterpriseJoinToken(r, e)
	return s.writeJoinQR(w, r, tok, err)
}

// unitJoin is the unit of {code}, when in the user's scope, and its join
// token (see unitJoinToken).
func (s *Server) unitJoin(r *http.Request, u *store.User) (*domain.Unit, string, error) {
	unit, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		return nil, "", err
	}
	tok, err := s.unitJoinToken(r, unit)
	return unit, tok, err
}

// enterpriseJoinToken is the join token of an enterprise with no open
// union (one with a union: its union's link).
func (s *Server) enterpriseJoinToken(r *http.Request, e *domain.Enterprise) (string, error) {
	union, err := s.Store.OpenUnionOf(r.Context(), e.TaxCode)
	if err != nil {
		return "", err
	}
	if union != nil {
		return s.Store.JoinLink(r.Context(), union.ID, "")
	}
	return s.Store.JoinLink(r.Context(), 0, e.TaxCode)
}

// writeJoinQR answers with the QR code of the join link of tok, or with
// err when looking the token up failed.
func (s *Server) writeJoinQR(w http.ResponseWriter, r *http.Request, tok string, err error) error {
	if err != nil {
		return err
	}
	return s.writeQR(w, r, s.joinURL(r, tok))
}

func (s *Server) writeQR(w http.ResponseWriter, r *http.Request, url string) error {
	png, err := qrPNG(url)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	w.Write(png)
	return nil
}

// joinRequestsJSON is a page of the queue.
type joinRequestsJSON struct {
	Unit     string               `json:"unit"`
	Status   string               `json:"status"`
	Requests []*store.JoinRequest `json:"requests"`
	// Next is the after= of the next page, 0 at the end.
	Next int64 `json:"next"`
}

// apiJoinRequests answers GET /api/v1/join-requests?unit=&status=&after=&limit=:
// the requests decided by the unit's subtree, oldest first, a page at a
// time (keyset: after the ID given). Viewers see ID numbers masked.
func (s *Server) apiJoinRequests(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	q := newAPIQuery(r)
	limit := q.Limit(defaultLimit, maxLimit)
	after := q.Int("after", 0)
	status := q.Get("status")
	if status != "" && status != store.JoinPending && status != store.JoinApproved && status != store.JoinRejected {
		q.Bad("status", "status must be pending, approved or rejected")
	}
	if err := q.Err(); err != nil {
		return err
	}
	unit, err := s.scopedUnitParam(r, u)
	if err != nil {
		return err
	}
	list, err := s.Store.JoinRequests(r.Context(), unit.Path, status, int64(after), limit)
	if err != nil {
		return err
	}
	out := joinRequestsJSON{Unit: unit.Code, Status: status, Requests: list}
	if len(list) == limit {
		out.Next = list[len(list)-1].ID
	}
	if !s.canWrite(u) {
		for _, j := range list {
			j.NationalID = maskID(j.NationalID)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// joinRequestFor reads the request of {id} when the user may decide it:
// its deciding unit is in the user's subtree and the user writes.
func (s *Server) joinRequestFor(r *http.Request, u *store.User) (*store.JoinRequest, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, domain.NotFound("join request", clip(r.PathValue("id"), 20))
	}
	j, err := s.Store.JoinRequestByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if u.UnitPath == "" || !strings.HasPrefix(j.QueuePath(), u.UnitPath) {
		return nil, forbidden("join request %d is outside your unit %s", id, u.UnitCode)
	}
	if !s.canWrite(u) {
		return nil, forbidden("your role (%s) only reads", u.Role)
	}
	return j, nil
}

// apiJoinDecision is the user of an API decision on
// /api/v1/join-requests/{id}/…, the request when joinRequestFor lets the
// user decide it, and the decision's JSON body read into body. An
// optional body may be left out (no Content-Length, or 0).
func (s *Server) apiJoinDecision(w http.ResponseWriter, r *http.Request, body any, optional bool) (*store.User, *store.JoinRequest, error) {
	u := currentUser(r)
	j, err := s.joinRequestFor(r, u)
	if err != nil {
		return nil, nil, err
	}
	if optional && r.ContentLength == 0 {
		return u, j, nil
	}
	return u, j, decodeJSON(w, r, body)
}

// approveJoin admits the person of a pending request on joinedOn into the
// union asked (or, for an enterprise with no union, into unitCode, a
// grassroots union of the deciding unit's subtree), through the importer
// as the admission form does, so the counters stay exact; a member of
// another union is transferred instead. The request is marked approved in
// the same transaction.
func (s *Server) approveJoin(r *http.Request, u *store.User, j *store.JoinRequest, joinedOn, unitCode string) (*store.MemberRecord, error) {
	if j.Status != store.JoinPending {
		return nil, store.ErrDecided
	}
	on := domain.Today()
	if err := parseDateField(&on, "joined_on", joinedOn, true); err != nil {
		return nil, err
	}
	target := j.UnitCode
	if target == "" {
		union, err := s.Store.OpenUnionOf(r.Context(), j.TaxCode)
		if err != nil {
			return nil, err
		}
		if union != nil {
			target = union.Code
		} else if target = strings.TrimSpace(unitCode); target == "" {
			return nil, invalid(domain.FieldError{Field: "unit_code", Message: "join_pick_unit"})
		}
	}
	kind, outcome := "members", "admitted"
	row := map[string]string{"national_id": j.NationalID, "id_type": j.IDType, "full_name": j.FullName,
		"date_of_birth": j.DateOfBirth.String(), "gender": j.Gender, "unit_code": target, "joined_on": on.String(), "joined_how": domain.JoinedAdmitted}
	old, err := s.Store.Member(r.Context(), j.NationalID)
	switch {
	case err == nil:
		if !old.LeftOn.IsZero() && old.LeftOn <= on {
			return nil, invalid(domain.FieldError{Field: "national_id", Message: "join_member_left"})
		}
		if old.CurrentUnitCode == target {
			return nil, invalid(domain.FieldError{Field: "national_id", Message: "join_already_member"})
		}
		kind, outcome = "transfers", "transferred"
		row = map[string]string{"national_id": j.NationalID, "to_unit_code": target, "date": on.String()}
	case !isNotFound(err):
		return nil, err
	}
	base := s.importAllow(u)
	allow := func(k, column string, unit *domain.Unit) error {
		// The person asked to move here: their union elsewhere, outside the
		// officer's subtree, does not stop the transfer.
		if k == "transfers" && column == "national_id" {
			return nil
		}
		return base(k, column, unit)
	}
	header := make([]string, 0, len(row))
	cells := make([]string, 0, len(row))
	for k, v := range row {
		header, cells = append(header, k), append(cells, v)
	}
	im := &importer.Importer{Store: s.Store, Allow: allow, Actor: u.Name, Action: "join.approve",
		Detail: fmt.Sprintf("#%d %s %s (%s)", j.ID, j.NationalID, j.FullName, outcome),
		Before: func(tx *store.Tx) error {
			return tx.DecideJoinRequest(j.ID, store.JoinApproved, domain.Today(), u.Name, "", outcome)
		}}
	if _, err := im.Rows(r.Context(), kind, "form", header, [][]string{cells}); err != nil {
		var ve *domain.ValidationError
		if errors.As(err, &ve) {
			for i := range ve.Errors {
				ve.Errors[i].File, ve.Errors[i].Row = "", 0
				if ve.Errors[i].Field == "to_unit_code" {
					ve.Errors[i].Field = "unit_code"
				}
				if ve.Errors[i].Field == "date" {
					ve.Errors[i].Field = "joined_on"
				}
			}
		}
		return nil, err
	}
	if err := s.Store.LinkJoinMember(r.Context(), j.ID); err != nil {
		return nil, err
	}
	return s.Store.Member(r.Context(), j.NationalID)
}

// apiJoinApprove answers POST /api/v1/join-requests/{id}/approve with
// {"joined_on", "unit_code"}: 201 and the member; 409 when decided before.
func (s *Server) apiJoinApprove(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		JoinedOn string `json:"joined_on"`
		UnitCode string `json:"unit_code"`
	}
	u, j, err := s.apiJoinDecision(w, r, &body, true)
	if err != nil {
		return err
	}
	m, err := s.approveJoin(r, u, j, body.JoinedOn, body.UnitCode)
	if err != nil {
		return apiJoinFail(r, err)
	}
	writeJSON(w, http.StatusCreated, m)
	return nil
}

// apiJoinReject answers POST /api/v1/join-requests/{id}/reject with
// {"reason"}: 200 and the request; 409 when decided before.
func (s *Server) apiJoinReject(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Reason string `json:"reason"`
	}
	u, j, err := s.apiJoinDecision(w, r, &body, false)
	if err != nil {
		return err
	}
	if j.Status != store.JoinPending {
		return apiJoinFail(r, store.ErrDecided)
	}
	if err := s.Store.RejectJoinRequest(r.Context(), j, u.Name, body.Reason); err != nil {
		return apiJoinFail(r, err)
	}
	j, err = s.Store.JoinRequestByID(r.Context(), j.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// apiJoinFail is err, a request decided before saying so in the API's
// language.
func apiJoinFail(r *http.Request, err error) error {
	if errors.Is(err, store.ErrDecided) {
		return errAPI(http.StatusConflict, localMsg(apiLang(r), "join_decided"))
	}
	return err
}

package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/export"
	"congdoan/internal/store"
)

// organisingRoutes adds the organising board, an enterprise's pipeline
// page and its forms, the join-request queue, the public join page, the
// join posters and the API of "Organising and joining".
func (s *Server) organisingRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /organising", s.requireLogin(s.board))
	mux.HandleFunc("GET /organising/{tax_code}", s.requireLogin(s.pipelinePage))
	mux.HandleFunc("POST /organising/{tax_code}/stage", s.requireLogin(s.pipelineStage))
	mux.HandleFunc("POST /organising/{tax_code}/organisers", s.requireWrite(s.pipelineOrganisers))
	mux.HandleFunc("POST /organising/{tax_code}/outreach", s.requireLogin(s.pipelineOutreach))
	mux.HandleFunc("POST /organising/{tax_code}/founders", s.requireLogin(s.pipelineFounder))
	mux.HandleFunc("POST /organising/{tax_code}/founders/{id}/delete", s.requireLogin(s.pipelineFounderDelete))
	mux.HandleFunc("POST /organising/{tax_code}/join-link", s.requireWrite(s.enterpriseJoinRotate))
	mux.HandleFunc("GET /organising/{tax_code}/join.pdf", s.requireLogin(s.enterprisePoster))
	mux.HandleFunc("GET /units/{code}/join-requests", s.requireLogin(s.joinQueue))
	mux.HandleFunc("POST /units/{code}/join-link", s.requireWrite(s.unitJoinRotate))
	mux.HandleFunc("GET /units/{code}/join.pdf", s.requireLogin(s.unitPoster))
	mux.HandleFunc("POST /join-requests/{id}/approve", s.requireWrite(s.joinApprovePage))
	mux.HandleFunc("POST /join-requests/{id}/reject", s.requireWrite(s.joinRejectPage))
	mux.HandleFunc("GET /join/{token}", s.handle(s.joinPage))
	mux.HandleFunc("POST /join/{token}", s.handle(s.joinSubmit))

	mux.HandleFunc("GET /api/v1/enterprises/{tax_code}", s.api(s.apiEnterprise))
	mux.HandleFunc("POST /api/v1/enterprises/{tax_code}/pipeline", s.api(s.apiPipelineSave))
	mux.HandleFunc("GET /api/v1/enterprises/{tax_code}/join.png", s.api(s.apiEnterpriseJoinPNG))
	mux.HandleFunc("GET /api/v1/units/{code}/join.png", s.api(s.apiUnitJoinPNG))
	mux.HandleFunc("GET /api/v1/join-requests", s.api(s.apiJoinRequests))
	mux.HandleFunc("POST /api/v1/join-requests/{id}/approve", s.api(s.apiJoinApprove))
	mux.HandleFunc("POST /api/v1/join-requests/{id}/reject", s.api(s.apiJoinReject))
}

// staleDays: a card with no contact for this many days is flagged, and the
// board's filter shows only those.
const staleDays = 30

// boardData is a responsible unit's board.
type boardData struct {
	Unit       *domain.Unit
	Units      []*domain.Unit
	Columns    []boardColumn
	Capped     bool
	Areas      []string
	Users      []store.UserInfo
	Classes    [][2]int64
	Area       string
	Size       int
	Ownership  string
	Organiser  string
	Stale      bool
	StaleSince domain.Date
	Today      domain.Date
	Total      int
	// Collaborator: the board shows only the enterprises assigned to the
	// user, without filters by unit or organiser.
	Collaborator bool
	// Funnel is the organising funnel of the unit since 1 January.
	Funnel      *engine.Organising
	FunnelStart domain.Date
}

type boardColumn struct {
	Stage string
	Cards []store.BoardCard
}

// Ownerships are the ownership values the board's filter offers.
var boardOwnerships = []string{domain.OwnState, domain.OwnPrivate, domain.OwnFDI, domain.OwnCooperative}

// board answers GET /organising?unit=&area=&size=&ownership=&organiser=&stale=1:
// the enterprises of the unit's subtree on the gap list or in the
// pipeline, in columns by stage. Plain HTML: it works without a script,
// and on a phone the columns stack.
func (s *Server) board(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	ctx := r.Context()
	q := r.URL.Query()
	today := domain.Today()
	d := &boardData{Today: today, Classes: store.SizeClasses[2:], Size: -1, Area: q.Get("area"), Ownership: q.Get("ownership"),
		Organiser: q.Get("organiser"), Stale: q.Get("stale") == "1", Collaborator: u.Role == roleCollaborator}
	d.StaleSince = today.AddDays(-staleDays)
	f := store.BoardFilter{Area: d.Area, Threshold: gapThreshold, AsOf: today}
	if slices.Contains(boardOwnerships, d.Ownership) {
		f.Ownership = d.Ownership
	} else {
		d.Ownership = ""
	}
	if n, err := strconv.Atoi(q.Get("size")); err == nil && n >= 0 && n < len(d.Classes) {
		d.Size = n
		f.MinEmployees, f.MaxEmployees = d.Classes[n][0], d.Classes[n][1]
	}
	if d.Stale {
		f.StaleSince = d.StaleSince
	}
	if d.Collaborator {
		f.UnitPath, f.Organiser = "/", u.ID
	} else {
		unit, err := s.scopedUnitParam(r, u)
		if err != nil {
			return err
		}
		d.Unit, f.UnitPath = unit, unit.Path
		var err2 error
		if d.Units, err2 = s.Store.UpperUnits(ctx, u.UnitPath); err2 != nil {
			return err2
		}
		if d.Areas, d.Users, err2 = s.Store.BoardChoices(ctx, unit.Path); err2 != nil {
			return err2
		}
		y, _, _ := today.Parts()
		d.FunnelStart = domain.NewDate(y, time.January, 1)
		if d.Funnel, err2 = s.Store.Organising(ctx, unit, d.FunnelStart, today); err2 != nil {
			return err2
		}
		if d.Organiser != "" {
			f.Organiser = -1 // no such user: an empty board
			for _, x := range d.Users {
				if x.Name == d.Organiser {
					f.Organiser = x.ID
				}
			}
		}
	}
	cards, capped, err := s.Store.Board(ctx, f)
	if err != nil {
		return err
	}
	d.Capped, d.Total = capped, len(cards)
	for _, st := range store.Stages {
		col := boardColumn{Stage: st}
		for _, c := range cards {
			if c.Stage == st {
				col.Cards = append(col.Cards, c)
			}
		}
		d.Columns = append(d.Columns, col)
	}
	return s.render(w, r, http.StatusOK, "board", Page{Nav: "organising", Data: d})
}

// pipelineData is an enterprise's pipeline page.
type pipelineData struct {
	E        *domain.Enterprise
	Resp     *domain.Unit
	P        *store.Pipeline
	Stages   []string
	Channels []string
	CanEdit  bool // may change the pipeline (managers, admins, the collaborators assigned)
	CanAdmin bool // may assign organisers and rotate the join link
	Users    []store.UserInfo
	JoinURL  string
	Stage    *formState
	Outreach *formState
	Founder  *formState
	Orgs     *formState
	Today    domain.Date
	// FoundURL opens the found form filled in with the enterprise, the
	// method and the founding group.
	FoundURL string
	Pending  int
}

// IsOrganiser reports whether a user name is assigned.
func (d *pipelineData) IsOrganiser(name string) bool { return slices.Contains(d.P.Organisers, name) }

// pipelinePage answers GET /organising/{tax_code}.
func (s *Server) pipelinePage(w http.ResponseWriter, r *http.Request) error {
	return s.showPipeline(w, r, http.StatusOK, nil)
}

func (s *Server) showPipeline(w http.ResponseWriter, r *http.Request, status int, failed func(*pipelineData)) error {
	ctx := r.Context()
	u, e, resp, err := s.pageEnterprise(r, false)
	if err != nil {
		return err
	}
	p, err := s.Store.PipelineOf(ctx, e.TaxCode)
	if err != nil {
		return err
	}
	today := domain.Today()
	d := &pipelineData{E: e, Resp: resp, P: p, Stages: store.Stages, Channels: store.Channels, Today: today,
		CanEdit: s.canWrite(u) || u.Role == roleCollaborator, CanAdmin: s.canWrite(u),
		Stage:    newForm("pipeline", map[string]string{"on": vnDate(today), "stage": p.Stage}),
		Outreach: newForm("pipeline", map[string]string{"on": vnDate(today), "channel": "visit"}),
		Founder:  newForm("pipeline", nil), Orgs: newForm("pipeline", nil)}
	if d.CanAdmin {
		if d.Users, err = s.Store.UsersUnder(ctx, resp.Path); err != nil {
			return err
		}
	}
	tok, err := s.enterpriseJoinToken(r, e)
	if err != nil {
		return err
	}
	d.JoinURL = s.joinURL(r, tok)
	if p.Union == nil && s.canWrite(u) {
		method := domain.MethodStandard
		if len(p.Founders) >= 3 {
			method = domain.MethodNew
		}
		d.FoundURL = "/units/" + url.PathEscape(resp.Code) + "/found?tax_code=" + url.QueryEscape(e.TaxCode) + "&method=" + method
	}
	if failed != nil {
		failed(d)
	}
	return s.render(w, r, status, "organising", Page{Nav: "organising", Title: e.Name, Data: d})
}

// pipelineWrite reads the enterprise of a form that changes its pipeline,
// or the refusal (403/404).
func (s *Server) pipelineWrite(r *http.Request) (*domain.Enterprise, error) {
	_, e, _, err := s.pageEnterprise(r, true)
	return e, err
}

// pageEnterprise is the user of a page on /organising/{tax_code}…, and
// the enterprise and its responsible unit when enterpriseFor lets the
// user at them (write: change its pipeline); otherwise the refusal
// (403/404).
func (s *Server) pageEnterprise(r *http.Request, write bool) (*store.User, *domain.Enterprise, *domain.Unit, error) {
	u := currentUser(r)
	e, resp, err := s.enterpriseFor(r, u, r.PathValue("tax_code"), write)
	if err != nil {
		return nil, nil, nil, err
	}
	return u, e, resp, nil
}

// pipelineSaved answers a saved pipeline form, or shows its errors.
func (s *Server) pipelineSaved(w http.ResponseWriter, r *http.Request, e *domain.Enterprise, err error, flash string, v map[string]string, set func(*pipelineData, *formState)) error {
	if err == nil {
		redirectSaved(w, r, "/organising/"+url.PathEscape(e.TaxCode), flash)
		return nil
	}
	f := newForm("pipeline", v)
	if !f.take(err) {
		return err
	}
	return s.showPipeline(w, r, http.StatusUnprocessableEntity, func(d *pipelineData) { set(d, f) })
}

// pipelineStage answers POST /organising/{tax_code}/stage.
func (s *Server) pipelineStage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.pipelineWrite(r)
	if err != nil {
		return err
	}
	v := fromRequest(r, "stage", "on", "note")
	c := store.StageChange{TaxCode: e.TaxCode, Stage: v["stage"], Note: v["note"], Actor: currentUser(r).Name}
	err = parseDateField(&c.On, "on", v["on"], true)
	if c.Stage == "" {
		err = invalid(domain.FieldError{Field: "stage", Message: "required"})
	}
	if err == nil {
		err = s.Store.ChangeStage(r.Context(), c)
	}
	return s.pipelineSaved(w, r, e, err, "org_stage_saved", v, func(d *pipelineData, f *formState) { d.Stage = f })
}

// pipelineOrganisers answers POST /organising/{tax_code}/organisers (the
// checked user names).
func (s *Server) pipelineOrganisers(w http.ResponseWriter, r *http.Request) error {
	e, err := s.pipelineWrite(r)
	if err != nil {
		return err
	}
	names := r.PostForm["organiser"]
	if len(names) > 50 {
		names = names[:50]
	}
	err = s.Store.ChangeStage(r.Context(), store.StageChange{TaxCode: e.TaxCode, Organisers: append([]string{}, names...), Actor: currentUser(r).Name})
	return s.pipelineSaved(w, r, e, err, "org_organisers_saved", nil, func(d *pipelineData, f *formState) { d.Orgs = f })
}

// pipelineOutreach answers POST /organising/{tax_code}/outreach.
func (s *Server) pipelineOutreach(w http.ResponseWriter, r *http.Request) error {
	e, err := s.pipelineWrite(r)
	if err != nil {
		return err
	}
	v := fromRequest(r, "on", "channel", "note", "next_step", "next_on")
	o := store.Outreach{Channel: v["channel"], Note: v["note"], NextStep: v["next_step"]}
	err = errors.Join(parseDateField(&o.On, "on", v["on"], true), parseDateField(&o.NextOn, "next_on", v["next_on"], false))
	if err != nil {
		err = joinValidation(err)
	} else {
		err = s.Store.AddOutreach(r.Context(), e.TaxCode, currentUser(r).Name, o)
	}
	return s.pipelineSaved(w, r, e, err, "org_outreach_saved", v, func(d *pipelineData, f *formState) { d.Outreach = f })
}

// joinValidation merges the validation errors errors.Join gathered.
func joinValidation(err error) error {
	out := &domain.ValidationError{}
	var walk func(error)
	walk = func(e error) {
		var ve *domain.ValidationError
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
		} else if errors.As(e, &ve) {
			out.Errors = append(out.Errors, ve.Errors...)
		}
	}
	walk(err)
	return out
}

// pipelineFounder answers POST /organising/{tax_code}/founders.
func (s *Server) pipelineFounder(w http.ResponseWriter, r *http.Request) error {
	e, err := s.pipelineWrite(r)
	if err != nil {
		return err
	}
	v := fromRequest(r, "full_name", "position", "phone")
	err = s.Store.AddFounder(r.Context(), e.TaxCode, currentUser(r).Name, store.Founder{FullName: v["full_name"], Position: v["position"], Phone: v["phone"]})
	return s.pipelineSaved(w, r, e, err, "org_founder_saved", v, func(d *pipelineData, f *formState) { d.Founder = f })
}

// pipelineFounderDelete answers POST /organising/{tax_code}/founders/{id}/delete.
func (s *Server) pipelineFounderDelete(w http.ResponseWriter, r *http.Request) error {
	e, err := s.pipelineWrite(r)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.Store.RemoveFounder(r.Context(), e.TaxCode, currentUser(r).Name, id); err != nil {
		return err
	}
	redirectSaved(w, r, "/organising/"+url.PathEscape(e.TaxCode), "org_founder_removed")
	return nil
}

// enterpriseJoinRotate answers POST /organising/{tax_code}/join-link: a new
// join link; the old posters stop working.
func (s *Server) enterpriseJoinRotate(w http.ResponseWriter, r *http.Request) error {
	u, e, resp, err := s.pageEnterprise(r, true)
	if err != nil {
		return err
	}
	if _, err := s.Store.RotateJoinLink(r.Context(), u.Name, resp.ID, 0, e.TaxCode); err != nil {
		return err
	}
	redirectSaved(w, r, "/organising/"+url.PathEscape(e.TaxCode)+"#join", "join_rotated")
	return nil
}

// unitJoinRotate answers POST /units/{code}/join-link.
func (s *Server) unitJoinRotate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	unit, _, err := s.unitJoin(r, u)
	if err != nil {
		return err
	}
	if _, err := s.Store.RotateJoinLink(r.Context(), u.Name, unit.ID, unit.ID, ""); err != nil {
		return err
	}
	redirectSaved(w, r, "/units/"+url.PathEscape(unit.Code)+"/join-requests#join", "join_rotated")
	return nil
}

// enterprisePoster answers GET /organising/{tax_code}/join.pdf: the A4
// poster of the enterprise's join link.
func (s *Server) enterprisePoster(w http.ResponseWriter, r *http.Request) error {
	_, e, resp, err := s.pageEnterprise(r, false)
	if err != nil {
		return err
	}
	union, err := s.Store.OpenUnionOf(r.Context(), e.TaxCode)
	if err != nil {
		return err
	}
	tok, err := s.enterpriseJoinToken(r, e)
	if err != nil {
		return err
	}
	p := export.Poster{Name: e.Name, Upper: resp.Name}
	if union != nil {
		p = export.Poster{Name: union.Name}
	}
	return s.writePoster(w, r, p, tok, "gia-nhap-"+e.TaxCode+".pdf")
}

// unitPoster answers GET /units/{code}/join.pdf.
func (s *Server) unitPoster(w http.ResponseWriter, r *http.Request) error {
	unit, tok, err := s.unitJoin(r, currentUser(r))
	if err != nil {
		return err
	}
	return s.writePoster(w, r, export.Poster{Name: unit.Name}, tok, "gia-nhap-"+unit.Code+".pdf")
}

func (s *Server) writePoster(w http.ResponseWriter, r *http.Request, p export.Poster, token, file string) error {
	p.URL = s.joinURL(r, token)
	png, err := qrPNG(p.URL)
	if err != nil {
		return err
	}
	p.QR = png
	var buf bytes.Buffer
	if err := export.JoinPoster(&buf, p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", file))
	w.Write(buf.Bytes())
	return nil
}

// queueData is a unit's join-request queue.
type queueData struct {
	Unit     *domain.Unit
	Status   string
	Requests []*store.JoinRequest
	Pending  int
	Overdue  int
	Next     int64
	After    int64
	JoinURL  string // a grassroots union's own join link
	Units    []*domain.Unit
	CanWrite bool
	Masked   bool
	Today    domain.Date
	// Failed is the request whose form failed, with its errors.
	Failed     int64
	FailedForm *formState
}

const queuePage = 50

// joinQueue answers GET /units/{code}/join-requests?status=&after=: the
// requests the unit's subtree decides, oldest first, overdue flagged, with
// the approve and reject forms.
func (s *Server) joinQueue(w http.ResponseWriter, r *http.Request) error {
	return s.showQueue(w, r, http.StatusOK, nil)
}

func (s *Server) showQueue(w http.ResponseWriter, r *http.Request, status int, failed func(*queueData)) error {
	u := currentUser(r)
	ctx := r.Context()
	code := r.PathValue("code")
	if code == "" {
		code = r.PostFormValue("unit")
	}
	unit, err := s.scopedUnit(r, u, code)
	if err != nil {
		return err
	}
	st := r.URL.Query().Get("status")
	if st != store.JoinApproved && st != store.JoinRejected && st != "all" {
		st = store.JoinPending
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	d := &queueData{Unit: unit, Status: st, After: after, CanWrite: s.canWrite(u), Masked: !s.canWrite(u), Today: domain.Today()}
	filter := st
	if st == "all" {
		filter = ""
	}
	if d.Requests, err = s.Store.JoinRequests(ctx, unit.Path, filter, max(after, 0), queuePage); err != nil {
		return err
	}
	if len(d.Requests) == queuePage {
		d.Next = d.Requests[len(d.Requests)-1].ID
	}
	if d.Pending, d.Overdue, err = s.Store.JoinCounts(ctx, unit.Path); err != nil {
		return err
	}
	if d.Masked {
		for _, j := range d.Requests {
			j.NationalID = maskID(j.NationalID)
		}
	}
	if tok, err := s.unitJoinToken(r, unit); err == nil {
		d.JoinURL = s.joinURL(r, tok)
	}
	if d.CanWrite && unit.Kind != domain.KindGrassroots {
		units, err := s.Store.GrassrootsUnits(ctx, unit.Path, d.Today, maxUnitChoices)
		if err != nil {
			return err
		}
		d.Units = units
	}
	if failed != nil {
		failed(d)
	}
	return s.render(w, r, status, "join_queue", Page{Nav: "units", Title: unit.Name, Data: d})
}

// joinApprovePage answers POST /join-requests/{id}/approve (joined_on,
// unit_code for a workplace with no union yet).
func (s *Server) joinApprovePage(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	j, err := s.joinRequestFor(r, u)
	if err != nil {
		return err
	}
	v := fromRequest(r, "joined_on", "unit_code")
	m, err := s.approveJoin(r, u, j, v["joined_on"], v["unit_code"])
	if err == nil {
		redirectSaved(w, r, fmt.Sprintf("/members/%d", m.ID), "join_approved")
		return nil
	}
	return s.queueFailed(w, r, j, err, v)
}

// joinRejectPage answers POST /join-requests/{id}/reject (reason).
func (s *Server) joinRejectPage(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	j, err := s.joinRequestFor(r, u)
	if err != nil {
		return err
	}
	v := fromRequest(r, "reason")
	if j.Status != store.JoinPending {
		err = store.ErrDecided
	} else {
		err = s.Store.RejectJoinRequest(r.Context(), j, u.Name, v["reason"])
	}
	if err == nil {
		redirectSaved(w, r, "/units/"+url.PathEscape(j.QueueUnitCode)+"/join-requests", "join_rejected")
		return nil
	}
	return s.queueFailed(w, r, j, err, v)
}

// queueFailed shows the queue again with the failed form's errors: 409
// for a request decided meanwhile, 422 for bad input.
func (s *Server) queueFailed(w http.ResponseWriter, r *http.Request, j *store.JoinRequest, err error, v map[string]string) error {
	if errors.Is(err, store.ErrDecided) {
		return errText(http.StatusConflict, "msg.join_decided")
	}
	f := newForm("join", v)
	if !f.take(err) {
		return err
	}
	r.SetPathValue("code", j.QueueUnitCode)
	return s.showQueue(w, r, http.StatusUnprocessableEntity, func(d *queueData) { d.Failed, d.FailedForm = j.ID, f })
}

// StageName is a stage's name in the page's language.
func (p Page) StageName(stage string) string { return p.T("org.stage." + stage) }

// IsStale reports whether a card had no contact for staleDays.
func (d *boardData) IsStale(c store.BoardCard) bool {
	return c.Stage != store.StageFounded && (c.LastContact.IsZero() || c.LastContact < d.StaleSince)
}

// Count is the number of cards of a column.
func (c boardColumn) Count() int { return len(c.Cards) }

// FormFor is the failed form of a request, or nil.
func (d *queueData) FormFor(id int64) *formState {
	if id == d.Failed {
		return d.FailedForm
	}
	return nil
}

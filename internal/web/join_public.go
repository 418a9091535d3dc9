package web

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	qr "github.com/piglig/go-qr"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
	"congdoan/internal/store"
)

// The public join page (docs/interfaces.md, "Organising and joining"): a worker
// who scans a union's or a workplace's QR code asks to join. It asks no
// login, needs no script and weighs a few kilobytes (a cheap phone on a
// slow network), and is safe in public: requests are rate-limited per
// address and per link, a honeypot field catches form-filling robots, the
// answer is the same whether or not the ID number is known (nothing is
// looked up), and the page names nobody but the union.

// Join rate limits: requests per address and per link in an hour.
const (
	joinPerAddr = 20
	joinPerLink = 300
	joinWindow  = time.Hour
)

// joinLimiter holds the counters of one Server's join pages.
type joinLimiter struct {
	addr, link *counter
}

var joinLimiters sync.Map // *Server -> *joinLimiter

func (s *Server) joinLimits() *joinLimiter {
	if l, ok := joinLimiters.Load(s); ok {
		return l.(*joinLimiter)
	}
	l, _ := joinLimiters.LoadOrStore(s, &joinLimiter{addr: newCounter(joinPerAddr, joinWindow), link: newCounter(joinPerLink, joinWindow)})
	return l.(*joinLimiter)
}

// joinTemplate is the public page: its own small document, not the
// application's layout (no menu, no stylesheet to fetch, no script).
var joinTemplate = template.Must(template.New("join").Funcs(templateFuncs).ParseFS(templateFS, "templates/public/join.html"))

type joinData struct {
	Lang      string
	Other     string
	Path      string
	Name      string // the union's, or the workplace's
	NoUnion   bool   // an enterprise with no union yet: the upper union decides
	Upper     string
	Form      *formState
	Done      bool
	CSRFToken string
	Honeypot  string
}

func (d joinData) T(key string, args ...any) string { return translate(d.Lang, key, args...) }
func (d joinData) Msg(m any) string                 { return localMsg(d.Lang, m) }

// joinFields are the fields of the join form.
var joinFields = []string{"full_name", "national_id", "id_type", "date_of_birth", "gender", "phone", "workplace", "consent"}

// honeypotField is a field people do not see and robots fill in.
const honeypotField = "website"

func (s *Server) renderJoin(w http.ResponseWriter, r *http.Request, status int, d joinData) error {
	d.Lang = langOf(r)
	d.Other = langEN
	if d.Lang == langEN {
		d.Other = langVI
	}
	d.Path = r.URL.Path
	d.CSRFToken = csrfToken(r)
	var buf bytes.Buffer
	if err := joinTemplate.ExecuteTemplate(&buf, "join", d); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// The page is framed by nobody and sends its address to nobody.
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

// joinTarget reads the link of /join/{token}; a revoked or unknown link
// is a 404 page that says so.
func (s *Server) joinTarget(r *http.Request) (*store.JoinTarget, error) {
	tok := r.PathValue("token")
	if len(tok) > 64 {
		tok = ""
	}
	t, err := s.Store.JoinTargetOf(r.Context(), tok)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && t.Unit != nil && !t.Unit.OpenOn(domain.Today())) {
		return nil, errText(http.StatusNotFound, "err.this_join_link_is_no_longer_valid_ask_th")
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

func (s *Server) joinDataOf(r *http.Request, t *store.JoinTarget) joinData {
	d := joinData{}
	if t.Unit != nil {
		d.Name = t.Unit.Name
	} else {
		d.Name, d.NoUnion = t.Enterprise.Name, true
		if up, err := s.Store.Unit(r.Context(), t.Enterprise.UnitCode); err == nil {
			d.Upper = up.Name
		}
	}
	return d
}

// joinPage answers GET /join/{token}: the form.
func (s *Server) joinPage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.joinTarget(r)
	if err != nil {
		return err
	}
	d := s.joinDataOf(r, t)
	d.Form = newForm("join", map[string]string{"id_type": "cccd"})
	if t.Enterprise != nil {
		d.Form.Values["workplace"] = t.Enterprise.Name
	}
	return s.renderJoin(w, r, http.StatusOK, d)
}

// joinSubmit answers POST /join/{token}: 200 and the thank-you page for a
// valid request (recorded, or not when it repeats one of the last day, or
// when the honeypot was filled), 422 with the form and its errors, 429
// past the rate limits.
func (s *Server) joinSubmit(w http.ResponseWriter, r *http.Request) error {
	t, err := s.joinTarget(r)
	if err != nil {
		return err
	}
	lim := s.joinLimits()
	addr, link := "join:"+s.clientIP(r), "link:"+t.Token
	if lim.addr.full(addr) || lim.link.full(link) {
		s.Log.Warn("join requests refused: rate limit", "ip", s.clientIP(r))
		w.Header().Set("Retry-After", "3600")
		return errText(http.StatusTooManyRequests, "err.too_many_join_requests_try_again_in_an_h")
	}
	lim.addr.add(addr)
	d := s.joinDataOf(r, t)
	v := fromRequest(r, joinFields...)
	d.Form = newForm("join", v)
	if strings.TrimSpace(r.PostFormValue(honeypotField)) != "" {
		// A robot: the same thank-you as anyone, and nothing written.
		d.Done = true
		return s.renderJoin(w, r, http.StatusOK, d)
	}
	j, errs := s.checkJoin(r, t, v)
	if len(errs) > 0 {
		for _, e := range errs {
			d.Form.addErr(e)
		}
		return s.renderJoin(w, r, http.StatusUnprocessableEntity, d)
	}
	lim.link.add(link)
	if _, err := s.Store.AddJoinRequest(r.Context(), t, j); err != nil {
		return err
	}
	d.Done = true
	return s.renderJoin(w, r, http.StatusOK, d)
}

// minJoinAge is the youngest age at which a person may join (docs/import-formats.md).
const minJoinAge = 15

// checkJoin checks a join form by the rules of members.csv that apply
// before a union decides: the ID number against the birth year and the
// gender, the age, and the consent to the processing of personal data
// (Decree 13/2023/NĐ-CP).
func (s *Server) checkJoin(r *http.Request, t *store.JoinTarget, v map[string]string) (*store.JoinRequest, []domain.FieldError) {
	var errs []domain.FieldError
	bad := func(field, key string) { errs = append(errs, domain.FieldError{Field: field, Message: key}) }
	j := &store.JoinRequest{FullName: v["full_name"], NationalID: strings.ToUpper(strings.ReplaceAll(v["national_id"], " ", "")),
		IDType: v["id_type"], Gender: v["gender"], Phone: strings.ReplaceAll(v["phone"], " ", ""), Workplace: v["workplace"]}
	if j.IDType == "" {
		j.IDType = "cccd"
	}
	switch {
	case j.FullName == "":
		bad("full_name", "required")
	case utf8.RuneCountInString(j.FullName) > 120:
		bad("full_name", "org_too_long")
	}
	if j.Gender != "male" && j.Gender != "female" {
		bad("gender", "join_gender")
		j.Gender = ""
	}
	today := domain.Today()
	if v["date_of_birth"] == "" {
		bad("date_of_birth", "required")
	} else if dob, err := domain.ParseDate(v["date_of_birth"]); err != nil {
		bad("date_of_birth", "join_date")
	} else {
		j.DateOfBirth = dob
		y, m, dd := dob.Parts()
		if dob > today {
			bad("date_of_birth", "join_born_future")
		} else if domain.NewDate(y+minJoinAge, m, dd) > today {
			bad("date_of_birth", "join_too_young")
		}
	}
	switch {
	case j.NationalID == "":
		bad("national_id", "required")
	case j.IDType != "cccd" && j.IDType != "cmnd" && j.IDType != "passport":
		bad("id_type", "join_id_type")
	default:
		if err := domain.ValidateNationalID(j.NationalID, j.IDType, j.DateOfBirth, j.Gender); err != nil {
			errs = append(errs, domain.Invalid("national_id", msg.Of(err)))
		}
	}
	if !validPhone(j.Phone) {
		bad("phone", "join_phone")
	}
	if utf8.RuneCountInString(j.Workplace) > 200 {
		bad("workplace", "org_too_long")
	}
	switch strings.ToLower(v["consent"]) {
	case "1", "on", "yes", "true":
	default:
		bad("consent", "join_consent")
	}
	if t.Enterprise != nil {
		// The enterprise got a union since its poster was printed.
		if u, err := s.Store.OpenUnionOf(r.Context(), t.Enterprise.TaxCode); err == nil && u != nil {
			bad("workplace", "join_has_union")
		}
	}
	return j, errs
}

// validPhone: a Vietnamese phone number, 0 and 9 or 10 digits, or +84
// and 9 or 10 digits.
func validPhone(p string) bool {
	if rest, ok := strings.CutPrefix(p, "+84"); ok {
		p = "0" + rest
	}
	if len(p) < 10 || len(p) > 11 || p[0] != '0' {
		return false
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// joinURL is the public address of a join token.
func (s *Server) joinURL(r *http.Request, token string) string {
	base := strings.TrimRight(s.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if isTLS(r) {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/join/" + token
}

// qrPNG is the QR code of text as a PNG: medium error correction (a poster
// may get a crease), 8 pixels a module and the standard 4-module margin.
func qrPNG(text string) ([]byte, error) {
	code, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return nil, err
	}
	return code.ToPNGBytes(qr.NewQrCodeImgConfig(8, 4))
}

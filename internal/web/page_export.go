package web

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/export"
	"congdoan/internal/report"
	"congdoan/internal/store"
)

// reportRequest reads the dashboard's query of a report (plan, unit,
// as_of, campaign) and checks the unit is in the user's subtree. Without a
// unit it is report.DefaultUnit's.
func (s *Server) reportRequest(r *http.Request, u *store.User) (report.Request, *domain.Unit, error) {
	q := r.URL.Query()
	req := report.Request{Plan: q.Get("plan"), Unit: q.Get("unit"), AsOf: q.Get("as_of"), Campaign: q.Get("campaign")}
	if req.Plan == "" {
		return req, nil, invalid(domain.FieldError{Field: "plan", Message: "required"})
	}
	if req = report.Resolve(r.Context(), s.Store, req, u); req.Unit == "" {
		req.Unit = u.UnitCode // an unknown plan, which BuildDocument names
	}
	unit, err := s.scopedUnit(r, u, req.Unit)
	return req, unit, err
}

// reportDownload answers GET /report/xlsx and /report/pdf with the query of
// the dashboard (plan, unit, as_of, campaign): the same documents as
// `congdoan report --format xlsx|pdf`, for a unit in the user's subtree.
// A PDF sent from the letter form (letter=1) carries its number, place,
// date, recipients and signer; invalid ones show the form again.
func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	ext := r.PathValue("ext")
	if ext != "xlsx" && ext != "pdf" {
		return errText(http.StatusNotFound, "error.no_report_format")
	}
	req, unit, err := s.reportRequest(r, u)
	if err != nil {
		return err
	}
	var letter report.Letter
	if ext == "pdf" && r.URL.Query().Get("letter") != "" {
		f := newForm("letter", letterValues(r.URL.Query()))
		letter, err = report.ParseLetter(letterInput(f.Values))
		if err != nil {
			f.take(err)
			return s.letterPage(w, r, http.StatusUnprocessableEntity, req, unit, f)
		}
		rememberLetter(w, r, f.Values)
	}
	doc, err := report.BuildDocument(r.Context(), s.Store, req)
	if err != nil {
		return err
	}
	doc.Letter = letter
	var buf bytes.Buffer
	write, ctype := export.XLSX, export.ContentTypeXLSX
	if ext == "pdf" {
		write, ctype = export.PDF, export.ContentTypePDF
	}
	if err := write(&buf, doc); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+export.FileName(doc, ext)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
	return nil
}

// letterFields are the fields of the letter form, in order.
var letterFields = []string{"number", "place", "date", "recipients", "signer_title", "signer"}

// letterRemembered are the fields the browser keeps for the next report
// (a cookie): the same place, recipients and signer month after month;
// the number and the date change every time.
var letterRemembered = []string{"place", "recipients", "signer_title", "signer"}

const (
	letterCookie = "congdoan_letter"
	// letterCookieMax bounds the cookie (browsers keep 4 KB a cookie):
	// a longer letter is not remembered.
	letterCookieMax = 3000
)

func letterValues(q url.Values) map[string]string {
	v := map[string]string{}
	for _, k := range letterFields {
		v[k] = strings.TrimSpace(q.Get(k))
	}
	return v
}

func letterInput(v map[string]string) report.LetterInput {
	return report.LetterInput{Number: v["number"], Place: v["place"], Date: v["date"], Recipients: v["recipients"],
		SignerTitle: v["signer_title"], Signer: v["signer"]}
}

// rememberLetter keeps the remembered fields of a valid letter in a
// cookie of the report pages.
func rememberLetter(w http.ResponseWriter, r *http.Request, v map[string]string) {
	q := url.Values{}
	for _, k := range letterRemembered {
		q.Set(k, v[k])
	}
	val := base64.RawURLEncoding.EncodeToString([]byte(q.Encode()))
	if len(val) > letterCookieMax {
		return
	}
	c := cookie(r, letterCookie, val, 365*24*3600)
	c.Path = "/report"
	http.SetCookie(w, c)
}

// rememberedLetter reads the cookie of rememberLetter (nothing when it is
// missing or damaged).
func rememberedLetter(r *http.Request) url.Values {
	c, err := r.Cookie(letterCookie)
	if err != nil || len(c.Value) > letterCookieMax {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	q, err := url.ParseQuery(string(b))
	if err != nil {
		return nil
	}
	return q
}

// reportLetter answers GET /report/letter with the query of the dashboard:
// the form of the PDF's number, place, date, recipients and signer, filled
// with what this browser used last time, else with defaults (the unit's
// province or city, today, the body above, the chair).
func (s *Server) reportLetter(w http.ResponseWriter, r *http.Request) error {
	req, unit, err := s.reportRequest(r, currentUser(r))
	if err != nil {
		return err
	}
	anc, err := s.Store.Ancestors(r.Context(), unit.Path)
	if err != nil {
		return err
	}
	upper := ""
	if len(anc) > 1 {
		upper = anc[len(anc)-2].Name
	}
	d := export.DefaultLetterFor(unit.Name, upper, unit.Kind, domain.Today())
	v := map[string]string{"number": d.Number, "place": d.Place, "date": d.Date.VN(),
		"recipients": strings.Join(d.Recipients, "\n"), "signer_title": d.SignerTitle}
	if kept := rememberedLetter(r); kept != nil {
		for _, k := range letterRemembered {
			if x := strings.TrimSpace(kept.Get(k)); x != "" {
				v[k] = x
			}
		}
	}
	return s.letterPage(w, r, http.StatusOK, req, unit, newForm("letter", v))
}

// letterData is the letter form.
type letterData struct {
	Form                                 *formState
	Plan, Unit, UnitName, AsOf, Campaign string
	Back                                 string // the dashboard of the report
	Max                                  struct{ Number, Place, Recipients, SignerTitle, Signer int }
}

func (s *Server) letterPage(w http.ResponseWriter, r *http.Request, status int, req report.Request, unit *domain.Unit, f *formState) error {
	d := &letterData{Form: f, Plan: req.Plan, Unit: unit.Code, UnitName: unit.Name, AsOf: req.AsOf, Campaign: req.Campaign}
	d.Max.Number, d.Max.Place, d.Max.Recipients = report.MaxNumber, report.MaxPlace, report.MaxRecipients
	d.Max.SignerTitle, d.Max.Signer = report.MaxSignerTitle, report.MaxSigner
	q := url.Values{"plan": {req.Plan}, "unit": {unit.Code}}
	if req.AsOf != "" {
		q.Set("as_of", req.AsOf)
	}
	if req.Campaign != "" {
		q.Set("campaign", req.Campaign)
	}
	d.Back = "/?" + q.Encode()
	return s.render(w, r, status, "report_letter", Page{Title: translate(langOf(r), "report_letter.title"), Nav: "dashboard", Data: d})
}

// DownloadURL is the document of what the dashboard shows, as xlsx or pdf.
func (d *dashData) DownloadURL(ext string) string {
	q := d.query
	q.chart = ""
	if q.unit == "" && d.Unit != nil {
		q.unit = d.Unit.Code
	}
	return "/report/" + ext + d.query.url(func(x *dashQuery) { *x = q })[1:]
}

// LetterURL is the form that precedes the PDF of what the dashboard shows.
func (d *dashData) LetterURL() string {
	return strings.Replace(d.DownloadURL("pdf"), "/report/pdf", "/report/letter", 1)
}

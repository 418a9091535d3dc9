package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// The member list: any subtree (a union's 50 members or a city's 650 000)
// in a true order across pages (store.MemberList: keyset pagination on an
// index), with filters, and a true total or a labelled estimate.

const membersPerPage = 50

// maxUnitChoices bounds the grassroots units a form offers in a list; past
// it the field takes a typed code (with suggestions).
const maxUnitChoices = 1000

// memberQuery is the list's state as its URL carries it.
type memberQuery struct {
	Unit       string
	Q          string
	Status     string // "active" (default), "left", "all"
	Gender     string // "", "male", "female"
	JoinedFrom string // as typed (dd/mm/yyyy)
	JoinedTo   string
	Party      string // "", "yes", "no"
	Sort       string // store.MemberSorts
	Desc       bool
}

// values is the query of the list (without the page), for links.
func (mq memberQuery) values() url.Values {
	v := url.Values{}
	set := func(k, x string) {
		if x != "" {
			v.Set(k, x)
		}
	}
	set("unit", mq.Unit)
	set("q", mq.Q)
	if mq.Status != store.StatusActive {
		set("status", mq.Status)
	}
	set("gender", mq.Gender)
	set("joined_from", mq.JoinedFrom)
	set("joined_to", mq.JoinedTo)
	set("party", mq.Party)
	if mq.Sort != store.SortName {
		set("sort", mq.Sort)
	}
	if mq.Desc {
		v.Set("dir", "desc")
	}
	return v
}

// Download is the address of the list's download in a format (xlsx,
// csv), with the list's filters.
func (mq memberQuery) Download(format string) string {
	return "/download/members." + format + "?" + mq.values().Encode()
}

// SortLink is the URL that sorts the list by col: ascending, or the other
// way round when it is sorted by col already.
func (mq memberQuery) SortLink(col string) string {
	x := mq
	x.Desc = mq.Sort == col && !mq.Desc
	x.Sort = col
	return "/members?" + x.values().Encode()
}

// AriaSort is the aria-sort of a column header.
func (mq memberQuery) AriaSort(col string) string {
	switch {
	case mq.Sort != col:
		return "none"
	case mq.Desc:
		return "descending"
	}
	return "ascending"
}

// memberFilter reads the list's filters from the request: the filter, the
// query as shown, and the errors of the fields that were not understood
// (those filters are left out). unit is the subtree, already checked.
func memberFilter(r *http.Request, unit *domain.Unit, matchID bool) (store.MemberFilter, memberQuery, []domain.FieldError) {
	q := r.URL.Query()
	mq := memberQuery{Unit: unit.Code, Q: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Gender: q.Get("gender"),
		JoinedFrom: strings.TrimSpace(q.Get("joined_from")), JoinedTo: strings.TrimSpace(q.Get("joined_to")),
		Party: q.Get("party"), Sort: q.Get("sort"), Desc: q.Get("dir") == "desc"}
	f := store.MemberFilter{UnitPath: unit.Path, Q: mq.Q, MatchID: matchID, AsOf: domain.Today()}
	var errs []domain.FieldError
	bad := func(field, code string) { errs = append(errs, domain.FieldError{Field: field, Message: code}) }
	switch mq.Status {
	case "", store.StatusActive:
		mq.Status, f.Status = store.StatusActive, store.StatusActive
	case store.StatusLeft:
		f.Status = store.StatusLeft
	case "all":
	default:
		bad("status", "choice")
		mq.Status, f.Status = store.StatusActive, store.StatusActive
	}
	// oneOf is the choice typed when it is empty or one of allowed; any
	// other is a bad choice, cleared.
	oneOf := func(field string, typed *string, allowed ...string) string {
		if *typed != "" && !slices.Contains(allowed, *typed) {
			bad(field, "choice")
			*typed = ""
		}
		return *typed
	}
	f.Gender = oneOf("gender", &mq.Gender, "male", "female")
	f.Party = oneOf("party", &mq.Party, "yes", "no")
	for _, x := range []struct {
		field string
		typed *string
		day   *domain.Date
	}{{"joined_from", &mq.JoinedFrom, &f.JoinedFrom}, {"joined_to", &mq.JoinedTo, &f.JoinedTo}} {
		d, err := domain.ParseDate(*x.typed)
		if err != nil {
			bad(x.field, "date")
			*x.typed = ""
			continue
		}
		*x.day = d
	}
	if !slices.Contains(store.MemberSorts, mq.Sort) {
		if mq.Sort != "" {
			bad("sort", "choice")
		}
		mq.Sort = store.SortName
	}
	return f, mq, errs
}

// membersData is the member registry of a unit's subtree.
type membersData struct {
	Unit    *domain.Unit
	Picker  *unitPicker // the unit filter: any unit of the user's subtree
	Query   memberQuery
	Members []*store.MemberRecord
	Count   store.MemberCount
	// From, To: the positions of the page's rows in the list (1-based).
	From, To   int
	First      string // the link to the start of the list, "" on it
	Prev, Next string // links to the neighbouring pages, "" at an end
	Today      domain.Date
	Masked     bool
	AddUnit    string
}

// Q is the search text (the template's field).
func (d *membersData) Q() string { return d.Query.Q }

// members answers GET /members?unit=&q=&status=&gender=&joined_from=
// &joined_to=&party=&sort=&dir=&after=|before=&n=: one page of the members
// whose current unit is in the subtree of unit (default the user's),
// filtered, in the chosen order across the whole list. after (before) is
// the token of the row the page follows (precedes); n, the rows before
// the page, only numbers the rows shown.
func (s *Server) members(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	unit, picker, unitSaid, err := s.filterUnit(r, u, "f-unit")
	if err != nil {
		return err
	}
	f, mq, errs := memberFilter(r, unit, s.canWrite(u))
	d := &membersData{Unit: unit, Picker: picker, Query: mq, Today: domain.Today(), Masked: !s.canWrite(u)}
	lq := store.MemberListQuery{Filter: f, Sort: mq.Sort, Desc: mq.Desc, Limit: membersPerPage}
	tok, backward, before := keysetPlace(r.URL.Query())
	if tok != "" {
		if c, err := store.DecodeMemberCursor(tok); err == nil {
			lq.After, lq.Backward = &c, backward
		} else {
			// A token from another list or version: start over.
			errs = append(errs, domain.FieldError{Field: "page", Message: "choice"})
		}
	}
	page, err := s.Store.MemberList(r.Context(), lq)
	if err != nil {
		return err
	}
	hasPrev, hasNext, before := keysetMoves(lq.After != nil, lq.Backward, before, len(page.Members), page.More)
	// A first page that holds the whole list counts it, and so does a
	// first page read from the trigram index (a rare name's matches are
	// not read again).
	switch {
	case page.Counted:
		d.Count = store.MemberCount{N: page.Total}
	case lq.After == nil && !page.More:
		d.Count = store.MemberCount{N: int64(len(page.Members))}
	default:
		d.Count, err = s.Store.CountMemberList(r.Context(), f, unit.ID)
	}
	if err != nil {
		return err
	}
	d.Members = page.Members
	d.From, d.To = before+1, before+len(page.Members)
	link := func(k string, c store.MemberCursor, n int) string {
		return keysetLink("/members", mq.values(), k, c.Encode(), n)
	}
	if n := len(page.Members); n > 0 {
		if hasPrev {
			d.Prev = link("before", page.Cursors[0], before)
			d.First = "/members?" + mq.values().Encode()
		}
		if hasNext {
			d.Next = link("after", page.Cursors[n-1], before+n)
		}
	}
	if d.Masked {
		for _, m := range page.Members {
			m.NationalID = maskID(m.NationalID)
		}
	}
	lang := langOf(r)
	var said []string
	if unitSaid != "" {
		said = append(said, unitSaid)
	}
	for _, e := range errs {
		said = append(said, translate(lang, "mlist.bad_"+e.Field))
	}
	if unit.Kind == domain.KindGrassroots {
		d.AddUnit = unit.Code
	}
	return s.render(w, r, http.StatusOK, "members", Page{Nav: "members", Data: d, Error: strings.Join(said, " ")})
}

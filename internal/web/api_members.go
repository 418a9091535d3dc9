package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// Paging of member lists.
const (
	defaultLimit = 50
	maxLimit     = 500
	// sortAll: lists up to this long are sorted whole by name before paging;
	// longer ones are paged in the order members were recorded, each page
	// sorted by name (narrow them with unit or q).
	sortAll = 20_000
	// countCap: lists paged by offset= are counted up to this many
	// members; a longer one is paged in record order (it is never sorted
	// whole).
	countCap = sortAll
	// keysetCountCap: lists paged by keyset (the first page, after=) are
	// counted up to this many members only: counting a common name's
	// hundreds of thousands of matches country-wide would cost far more
	// than the page, and past it total_capped says "more".
	keysetCountCap = 1_000
)

type membersJSON struct {
	Unit  string `json:"unit"`
	Q     string `json:"q"`
	Total int    `json:"total"`
	// TotalCapped: there are more than Total members (Total is then the
	// cap: keysetCountCap, or countCap with offset=, where the list then
	// pages on in record order).
	TotalCapped bool                  `json:"total_capped,omitempty"`
	Limit       int                   `json:"limit"`
	Offset      int                   `json:"offset"`
	Order       string                `json:"order"` // "name", or "record" past sortAll members
	Members     []*store.MemberRecord `json:"members"`
	// Next is the token that asks for the page after this one (after=),
	// when the page was read by keyset and more members follow.
	Next string `json:"next,omitempty"`
}

// maxOffset bounds offset=: a deep offset makes the database count past
// every member before the page; after= (the next token) does not.
const maxOffset = 10_000

// apiMembers answers GET /api/v1/members?unit=CODE&q=TEXT&limit=&after=:
// the members whose current unit is in the subtree of unit (default: the
// user's), whose name contains q without regard to case and diacritics,
// in Vietnamese name order. The first page, and the page after= the token
// a page returned as next, are read by keyset (any depth costs the same);
// offset= (at most maxOffset) still pages as before. Viewers see national
// IDs masked.
func (s *Server) apiMembers(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	q := newAPIQuery(r)
	limit := q.Limit(defaultLimit, maxLimit)
	offset := q.Int("offset", 0)
	if offset > maxOffset {
		q.Bad("offset", fmt.Sprintf("%d is more than %d: page on with after=, the next token of the page before", offset, maxOffset))
	}
	var after *store.MemberCursor
	if tok := q.Get("after"); tok != "" {
		c, err := store.DecodeMemberCursor(tok)
		switch {
		case err != nil:
			q.Bad("after", "not a next token of this list")
		case offset > 0:
			q.Bad("offset", "offset and after do not go together: after is the place of the page")
		}
		after = &c
	}
	if err := q.Err(); err != nil {
		return err
	}
	unit, err := s.scopedUnitParam(r, u)
	if err != nil {
		return err
	}
	f := store.MemberFilter{UnitPath: unit.Path, Q: q.Get("q"), MatchID: s.canWrite(u)}
	var res *membersJSON
	if offset > 0 {
		res, err = s.searchMembers(r, f, limit, offset)
	} else {
		res, err = s.keysetMembers(r, f, limit, after)
	}
	if err != nil {
		return err
	}
	res.Unit, res.Q = unit.Code, q.Get("q")
	if u.Role == roleViewer {
		for _, m := range res.Members {
			m.NationalID = maskID(m.NationalID)
		}
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// keysetMembers returns the page of the members f selects after the
// member of cursor after (nil: the first page) in Vietnamese name order,
// through the store's keyset list: no page counts past the ones before.
func (s *Server) keysetMembers(r *http.Request, f store.MemberFilter, limit int, after *store.MemberCursor) (*membersJSON, error) {
	ctx := r.Context()
	lf := f
	lf.AsOf = domain.Today()
	page, err := s.Store.MemberList(ctx, store.MemberListQuery{Filter: lf, Sort: store.SortName, Limit: limit, After: after})
	if err != nil {
		return nil, err
	}
	// A first page that holds the whole list counts it, and so does a
	// first page read from the trigram index: a rare name's matches are
	// not read a second time.
	total := len(page.Members)
	if page.Counted {
		total = int(page.Total)
	} else if after != nil || page.More {
		if total, err = s.Store.CountMembers(ctx, f, keysetCountCap+1); err != nil {
			return nil, err
		}
	}
	res := &membersJSON{Total: total, Limit: limit, Order: "name", Members: []*store.MemberRecord{}}
	if total > keysetCountCap {
		res.Total, res.TotalCapped = keysetCountCap, true
	}
	if len(page.Members) > 0 {
		res.Members = page.Members
		if page.More {
			res.Next = page.Cursors[len(page.Cursors)-1].Encode()
		}
	}
	return res, nil
}

// searchMembers returns one page of the members f selects, in Vietnamese
// name order; pages of lists longer than sortAll are sorted each alone.
func (s *Server) searchMembers(r *http.Request, f store.MemberFilter, limit, offset int) (*membersJSON, error) {
	ctx := r.Context()
	total, err := s.Store.CountMembers(ctx, f, countCap+1)
	if err != nil {
		return nil, err
	}
	res := &membersJSON{Total: total, Limit: limit, Offset: offset, Order: "name", Members: []*store.MemberRecord{}}
	if total > countCap {
		res.Total, res.TotalCapped = countCap, true
	}
	if offset >= total {
		return res, nil
	}
	if total > sortAll {
		res.Order = "record"
		ms, err := s.Store.MembersPage(ctx, f, limit, offset)
		if err != nil {
			return nil, err
		}
		sortByName(ms, func(m *store.MemberRecord) string { return m.FullName })
		res.Members = ms
		return res, nil
	}
	names, err := s.Store.MemberNames(ctx, f)
	if err != nil {
		return nil, err
	}
	sort.Slice(names, func(i, j int) bool { return names[i].ID < names[j].ID })
	sortByName(names, func(n store.MemberName) string { return n.FullName })
	if offset >= len(names) {
		return res, nil
	}
	page := names[offset:min(offset+limit, len(names))]
	ids := make([]int64, len(page))
	for i, n := range page {
		ids[i] = n.ID
	}
	ms, err := s.Store.MembersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	res.Members = ms
	return res, nil
}

// apiMemberSave answers POST /api/v1/members: one member, the columns of
// members.csv as JSON fields, checked and written by the importer's rules.
// 201 with the member (200 when it replaced the record of that national
// ID), 422 with the invalid fields, 403 for viewers and units outside the
// user's subtree.
func (s *Server) apiMemberSave(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	var body map[string]any
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil || body == nil {
		return errAPI(http.StatusBadRequest, "the body must be one JSON object with the columns of members.csv")
	}
	var header, cells []string
	var errs []domain.FieldError
	for k, v := range body {
		var cell string
		switch v := v.(type) {
		case nil:
		case string:
			cell = v
		case json.Number:
			cell = v.String()
		default:
			errs = append(errs, domain.FieldError{Field: k, Message: "must be a string"})
			continue
		}
		header, cells = append(header, k), append(cells, cell)
	}
	if len(errs) > 0 {
		return invalid(errs...)
	}
	// The values by canonical column name, for the checks below.
	byCol := map[string]string{}
	for i, h := range header {
		if c, ok := importer.Column("members", h); ok {
			byCol[c] = strings.TrimSpace(cells[i])
		}
	}
	str := func(k string) string { return byCol[k] }
	nid := str("national_id")
	// The refusals the importer's Allow hook would give too, as 403.
	if code := str("unit_code"); code != "" {
		if unit, err := s.Store.Unit(r.Context(), code); err == nil && !s.inScope(u, unit) {
			return outside(u, unit)
		}
	}
	existed := false
	if nid != "" {
		if err := s.lookupFull(u); err != nil {
			return err
		}
		old, err := s.Store.Member(r.Context(), nid)
		switch {
		case err == nil:
			existed = true
			for _, code := range []string{old.UnitCode, old.CurrentUnitCode} {
				if unit, err := s.Store.Unit(r.Context(), code); err != nil || !s.inScope(u, unit) {
					// Neither the person nor the unit is named.
					s.lookups.add(lookupKey(u))
					return errAPI(http.StatusForbidden, translate(apiLang(r), "member.elsewhere"))
				}
			}
		case !isNotFound(err):
			return err
		}
	}
	im := &importer.Importer{Store: s.Store, Allow: s.importAllow(u), Actor: u.Name,
		Action: "member.save", Detail: fmt.Sprintf("%s %s", nid, str("full_name"))}
	_, err := im.Rows(r.Context(), "members", "request", header, [][]string{cells})
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		// One record: the errors name fields, not rows of a file.
		for i := range ve.Errors {
			ve.Errors[i].File, ve.Errors[i].Row = "", 0
		}
	}
	if err != nil {
		return err
	}
	m, err := s.Store.Member(r.Context(), nid)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	writeJSON(w, status, m)
	return nil
}

package web

import (
	"context"
	"net/http"
	"strings"

	"congdoan/internal/domain"
)

// treeNode is a unit of the tree page: the federation and the upper
// unions, each with the grassroots unions and members of its subtree, on
// the tree of the page's day.
type treeNode struct {
	Unit *domain.Unit
	// Grassroots counts the open grassroots unions of the subtree; Members
	// its active members, on the day.
	Grassroots, Members int64
	// Children are the units below it open on the day (or in the tree
	// anyway, a root's dissolved units aside); Dissolved those dissolved
	// by then, listed apart.
	Children, Dissolved []*treeNode
	Depth               int
}

// Gone: the unit was dissolved by the day (it stays on the tree, marked).
func (n *treeNode) Gone(d domain.Date) bool {
	return !n.Unit.DissolvedOn.IsZero() && n.Unit.DissolvedOn <= d
}

type treeData struct {
	Root  *treeNode
	Today domain.Date // the tree's day
	AsOf  string      // the form's value
	IsNow bool        // the day is today
}

// units answers GET /units?as_of=: the tree of the user's subtree on a day
// (default today), down to the upper unions (each one's page lists its
// grassroots unions). Units dissolved by then stay, marked; units founded
// later are left out.
func (s *Server) units(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	ctx := r.Context()
	page := Page{Nav: "units"}
	status := http.StatusOK
	day := domain.Today()
	asOf := strings.TrimSpace(r.URL.Query().Get("as_of"))
	if asOf != "" {
		d, err := domain.ParseDate(asOf)
		if err != nil {
			status, page.Error = http.StatusUnprocessableEntity, translate(langOf(r), "dash.bad_date", asOf)
		} else {
			day = d
		}
	}
	root, err := s.scopedUnit(r, u, u.UnitCode)
	if err != nil {
		return err
	}
	top, err := s.treeOn(ctx, root, day)
	if err != nil {
		return err
	}
	if asOf == "" || status != http.StatusOK {
		asOf = vnDate(day)
	}
	page.Data = &treeData{Root: top, Today: day, AsOf: asOf, IsNow: day == domain.Today()}
	return s.render(w, r, status, "units", page)
}

// treeOn builds the tree below root on day d, one level at a time (the
// federations and upper unions: a few hundred even for a city), with the
// open grassroots unions and the active members of every subtree.
func (s *Server) treeOn(ctx context.Context, root *domain.Unit, d domain.Date) (*treeNode, error) {
	top := &treeNode{Unit: root}
	nodes := []*treeNode{top}
	direct := map[*treeNode]int64{}
	for level := []*treeNode{top}; len(level) > 0; {
		var next []*treeNode
		for _, n := range level {
			if n.Unit.Kind == domain.KindGrassroots {
				continue
			}
			kids, err := s.Store.ChildrenOn(ctx, n.Unit.ID, d)
			if err != nil {
				return nil, err
			}
			for _, k := range kids {
				if !k.FoundedOn.IsZero() && k.FoundedOn > d {
					continue
				}
				if k.Kind == domain.KindGrassroots {
					if k.OpenOn(d) {
						direct[n]++
					}
					continue
				}
				c := &treeNode{Unit: k, Depth: n.Depth + 1}
				if c.Gone(d) {
					n.Dissolved = append(n.Dissolved, c)
				} else {
					n.Children = append(n.Children, c)
				}
				next = append(next, c)
				nodes = append(nodes, c)
			}
		}
		level = next
	}
	if root.Kind == domain.KindGrassroots && root.OpenOn(d) {
		direct[top] = 1
	}
	ids := make([]int64, len(nodes))
	for i, n := range nodes {
		ids[i] = n.Unit.ID
	}
	members, err := s.Store.ActiveMembers(ctx, ids, d)
	if err != nil {
		return nil, err
	}
	// Children come after their parents in nodes: sum bottom up.
	for i := len(nodes) - 1; i >= 0; i-- {
		n := nodes[i]
		n.Members = members[n.Unit.ID]
		n.Grassroots += direct[n]
		for _, c := range n.Children {
			n.Grassroots += c.Grassroots
		}
		for _, c := range n.Dissolved {
			n.Grassroots += c.Grassroots
		}
	}
	return top, nil
}

// family returns a unit's children on the tree of day d and the IDs of
// the unit and of each child, the set a page reads targets or counts for.
func (s *Server) family(ctx context.Context, unit *domain.Unit, d domain.Date) ([]*domain.Unit, []int64, error) {
	children, err := s.Store.ChildrenOn(ctx, unit.ID, d)
	if err != nil {
		return nil, nil, err
	}
	ids := []int64{unit.ID}
	for _, c := range children {
		ids = append(ids, c.ID)
	}
	return children, ids, nil
}

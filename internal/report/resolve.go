package report

import (
	"context"
	"strings"

	"congdoan/internal/store"
)

// DefaultUnit is the unit a report of a plan is of when the request names
// none, for user u: the plan's own unit (planCode, planPath), unless u's
// unit lies inside the plan below it, where it is u's unit (a district's
// part of the city's plan). A user outside the plan gets the plan's unit,
// which their scope then refuses. The dashboard, the plan page, the API and
// the document downloads all pick the unit here.
func DefaultUnit(planCode, planPath string, u *store.User) string {
	if u == nil || strings.HasPrefix(planPath, u.UnitPath) || !strings.HasPrefix(u.UnitPath, planPath) {
		return planCode
	}
	return u.UnitCode
}

// Resolve fills in the unit of a request that names none, by DefaultUnit.
// An unknown plan, or a unit that cannot be read, is left to Build, which
// names it.
func Resolve(ctx context.Context, st *store.Store, req Request, u *store.User) Request {
	if req.Unit != "" || strings.TrimSpace(req.Plan) == "" {
		return req
	}
	p, err := st.Plan(ctx, req.Plan)
	if err != nil {
		return req
	}
	root, err := st.Unit(ctx, p.UnitCode)
	if err != nil {
		return req
	}
	req.Unit = DefaultUnit(root.Code, root.Path, u)
	return req
}

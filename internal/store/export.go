package store

import (
	"context"
	"fmt"

	"congdoan/internal/domain"
)

// Reads for the exports (`congdoan export`, the lists' downloads): each
// streams the records of a subtree to a callback, one row at a time, in an
// order that imports back (a unit after its parent, a move after the moves
// of earlier days), so that no list, however long, is held in memory. A
// callback returning an error stops the read with that error. An empty
// path is the whole database.

// allPath is the path every unit's path starts with.
const allPath = "/"

func orAll(path string) string {
	if path == "" {
		return allPath
	}
	return path
}

// stream runs a query and hands its rows to scan, one at a time.
func (s *Store) stream(ctx context.Context, what, query string, args []any, scan func(interface{ Scan(...any) error }) error) error {
	rows, err := s.replica.QueryContext(ctx, s.rebind(query), args...)
	if err != nil {
		return fmt.Errorf("export %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export %s: %w", what, err)
	}
	return nil
}

// streamRecords runs a query and hands its rows to fn, one at a time, each
// read into a new T through the addresses fields gives.
func streamRecords[T any](ctx context.Context, s *Store, what, query string, args []any, fields func(*T) []any, fn func(*T) error) error {
	return s.stream(ctx, what, query, args, func(sc interface{ Scan(...any) error }) error {
		var v T
		if err := sc.Scan(fields(&v)...); err != nil {
			return fmt.Errorf("export %s: %w", what, err)
		}
		return fn(&v)
	})
}

// inSubtree are the arguments of a query's "path >= ? AND path < ?": the
// subtree at path, or everything for "".
func inSubtree(path string) []any {
	path = orAll(path)
	return []any{path, prefixEnd(path)}
}

// UnitExport selects the units an export writes.
type UnitExport struct {
	// Path: the units of this subtree (today's tree); empty: all.
	Path string
	// Only: "upper" for the units that are not grassroots units,
	// "grassroots" for those, "" for both. A grassroots unit may name an
	// enterprise, and an enterprise names its upper union, so a database
	// with such links is loaded as upper units, enterprises, grassroots
	// units.
	Only string
}

// ExportUnits streams units as units.csv has them: the parent is the one
// before the first move (BaseParentCode). A unit comes after its parent:
// by depth in that tree of units.csv, then by code.
func (s *Store) ExportUnits(ctx context.Context, f UnitExport, fn func(*domain.Unit) error) error {
	where := ` WHERE u.path >= ? AND u.path < ?`
	switch f.Only {
	case "":
	case "upper":
		where += ` AND u.kind <> 'grassroots'`
	case "grassroots":
		where += ` AND u.kind = 'grassroots'`
	default:
		return fmt.Errorf("export units: unknown selection %q", f.Only)
	}
	q := `WITH RECURSIVE base(id, depth) AS (
			SELECT id, 0 FROM units WHERE base_parent_id IS NULL
			UNION ALL
			SELECT c.id, base.depth + 1 FROM units c JOIN base ON c.base_parent_id = base.id)
		SELECT ` + unitCols + unitFrom + ` JOIN base ON base.id = u.id` + where + ` ORDER BY base.depth, u.code`
	return s.stream(ctx, "units", q, inSubtree(f.Path), func(sc interface{ Scan(...any) error }) error {
		u, err := scanUnit(sc)
		if err != nil {
			return fmt.Errorf("export units: %w", err)
		}
		return fn(u)
	})
}

// ExportEnterprises streams the enterprises a filter selects (its
// UnitPath empty: all), by tax code.
func (s *Store) ExportEnterprises(ctx context.Context, f EnterpriseFilter, fn func(*domain.Enterprise) error) error {
	f.UnitPath = orAll(f.UnitPath)
	if f.AsOf.IsZero() {
		f.AsOf = domain.Today()
	}
	from, args := f.where()
	q := `SELECT e.tax_code, e.name, e.ownership, e.employees, e.address, e.area, r.code, e.source` + from + ` ORDER BY e.tax_code`
	return streamRecords(ctx, s, "enterprises", q, args, func(e *domain.Enterprise) []any {
		return []any{&e.TaxCode, &e.Name, &e.Ownership, &e.Employees, &e.Address, &e.Area, &e.UnitCode, &e.Source}
	}, fn)
}

// ExportMembers streams the members a filter selects, in the order they
// were recorded. UnitCode is the unit of the first spell (members.csv);
// the transfers come with ExportTransfers.
func (s *Store) ExportMembers(ctx context.Context, f MemberFilter, fn func(*MemberRecord) error) error {
	where, args := f.where()
	q := `SELECT ` + memberRecordCols + memberRecordFrom + s.hideHeld(where, "m") + ` ORDER BY m.id`
	return s.stream(ctx, "members", q, args, func(sc interface{ Scan(...any) error }) error {
		r, err := scanMemberRecord(sc)
		if err != nil {
			return fmt.Errorf("export members: %w", err)
		}
		return fn(r)
	})
}

// ExportTransfers streams the transfers of the members whose unit today is
// in a subtree (those ExportMembers gives for that path), member by member
// in the order they were recorded, each member's in date order.
func (s *Store) ExportTransfers(ctx context.Context, path string, fn func(*domain.Transfer) error) error {
	q := `SELECT m.national_id, t.day, t.to_unit_id, tu.code FROM transfers t
		JOIN members m ON m.id = t.member_id JOIN units tu ON tu.id = t.to_unit_id JOIN units c ON c.id = m.current_unit_id
		WHERE c.path >= ? AND c.path < ? ORDER BY m.id, t.day`
	return streamRecords(ctx, s, "transfers", q, inSubtree(path), func(t *domain.Transfer) []any {
		return []any{&t.NationalID, &t.Date, &t.ToUnitID, &t.ToUnitCode}
	}, fn)
}

// ExportPlans streams the plans of the units of a subtree, by start date
// and code.
func (s *Store) ExportPlans(ctx context.Context, path string, fn func(*domain.Plan) error) error {
	q := `SELECT p.id, p.code, p.name, p.unit_id, u.code, p.start_on, p.end_on, p.threshold FROM plans p JOIN units u ON u.id = p.unit_id
		WHERE u.path >= ? AND u.path < ? ORDER BY p.start_on, p.code`
	return streamRecords(ctx, s, "plans", q, inSubtree(path), func(p *domain.Plan) []any {
		return []any{&p.ID, &p.Code, &p.Name, &p.UnitID, &p.UnitCode, &p.Start, &p.End, &p.Threshold}
	}, fn)
}

// ExportTargets streams the targets given to the units of a subtree, plan
// by plan, each plan's down its tree.
func (s *Store) ExportTargets(ctx context.Context, path string, fn func(*domain.Target) error) error {
	q := `SELECT p.code, u.code, t.indicator, t.target FROM targets t
		JOIN plans p ON p.id = t.plan_id JOIN units u ON u.id = t.unit_id
		WHERE u.path >= ? AND u.path < ? ORDER BY p.start_on, p.code, u.path, t.indicator`
	return streamRecords(ctx, s, "targets", q, inSubtree(path), func(t *domain.Target) []any {
		return []any{&t.PlanCode, &t.UnitCode, &t.Indicator, &t.Target}
	}, fn)
}

// ExportCampaigns streams the campaigns of the plans of a subtree's units,
// by start date and code.
func (s *Store) ExportCampaigns(ctx context.Context, path string, fn func(*domain.Campaign) error) error {
	q := `SELECT c.id, c.code, c.name, p.code, c.start_on, c.end_on, c.class_name FROM campaigns c
		JOIN plans p ON p.id = c.plan_id JOIN units u ON u.id = p.unit_id
		WHERE u.path >= ? AND u.path < ? ORDER BY c.start_on, c.code`
	return streamRecords(ctx, s, "campaigns", q, inSubtree(path), func(c *domain.Campaign) []any {
		return []any{&c.ID, &c.Code, &c.Name, &c.PlanCode, &c.Start, &c.End, &c.ClassName}
	}, fn)
}

// ExportMoves streams the moves of the units of a subtree (today's tree).
// They come by date, and the moves of one day by the depth the moved unit
// has on that day's tree (then by code): imported in that order, no move
// finds the tree of the moves above it making a cycle that the whole set
// does not make (a unit's new parent has all its own moves of that day
// done before it).
func (s *Store) ExportMoves(ctx context.Context, path string, fn func(*domain.Move) error) error {
	q := `SELECT u.code, m.moved_on, p.code, m.decision_no FROM unit_moves m
		JOIN units u ON u.id = m.unit_id JOIN units p ON p.id = m.new_parent_id
		WHERE u.path >= ? AND u.path < ?
		ORDER BY m.moved_on,
			(SELECT COUNT(*) FROM unit_tree t WHERE t.unit_id = m.unit_id AND t.from_day <= m.moved_on AND m.moved_on < t.to_day),
			u.code`
	return streamRecords(ctx, s, "moves", q, inSubtree(path), func(m *domain.Move) []any {
		return []any{&m.UnitCode, &m.MovedOn, &m.NewParentCode, &m.DecisionNo}
	}, fn)
}

// ExportAuditLog streams the audit entries a filter selects (its Limit
// and Offset aside), newest first, as AuditLog lists them.
func (s *Store) ExportAuditLog(ctx context.Context, f AuditFilter, fn func(*AuditEntry) error) error {
	where, args := f.where()
	q := `SELECT a.id, a.at, a.actor, a.action, COALESCE(a.unit_id, 0), COALESCE(u.code, ''), a.detail
		FROM audit_log a LEFT JOIN units u ON u.id = a.unit_id WHERE ` + where + ` ORDER BY a.id DESC`
	return streamRecords(ctx, s, "audit log", q, args, func(e *AuditEntry) []any {
		return []any{&e.ID, (*timestamp)(&e.At), &e.Actor, &e.Action, &e.UnitID, &e.UnitCode, &e.Detail}
	}, fn)
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
)

// The organising pipeline of an enterprise on the gap list (docs/interfaces.md,
// "Organising and joining"): its stage events, organisers, outreach log and
// founding group. These tables are small (one row per enterprise worked),
// so every read here goes by tax code or by a unit's subtree.

// Pipeline stages, in order; paused may come at any point.
const (
	StageMapped        = "mapped"
	StageContacted     = "contacted"
	StageFoundingGroup = "founding_group"
	StageApplications  = "applications"
	StageFounded       = "founded"
	StagePaused        = "paused"
)

// Stages are the stages of the board's columns, in order.
var Stages = []string{StageMapped, StageContacted, StageFoundingGroup, StageApplications, StageFounded, StagePaused}

// StageRank is a stage's place in the order (paused: -1, unknown: -2).
func StageRank(stage string) int {
	for i, s := range Stages[:5] {
		if s == stage {
			return i
		}
	}
	if stage == StagePaused {
		return -1
	}
	return -2
}

// Outreach channels.
var Channels = []string{"visit", "phone", "zalo", "meeting"}

// ErrDecided: a join request was already approved or rejected.
var ErrDecided = errors.New("join request already decided")

// PipelineEvent is one stage change.
type PipelineEvent struct {
	On    domain.Date `json:"on"`
	Stage string      `json:"stage"`
	Note  string      `json:"note"`
	By    string      `json:"by"`
}

// Outreach is one contact with an enterprise.
type Outreach struct {
	ID       int64       `json:"id"`
	On       domain.Date `json:"on"`
	Channel  string      `json:"channel"`
	Note     string      `json:"note"`
	NextStep string      `json:"next_step"`
	NextOn   domain.Date `json:"next_on"`
	By       string      `json:"by"`
}

// Founder is a member of an enterprise's founding group (ban vận động).
type Founder struct {
	ID       int64  `json:"id"`
	FullName string `json:"full_name"`
	Position string `json:"position"`
	Phone    string `json:"phone"`
}

// Pipeline is an enterprise's place in the organising pipeline.
type Pipeline struct {
	Stage       string          `json:"stage"`
	Since       domain.Date     `json:"since"`
	PauseReason string          `json:"pause_reason,omitempty"`
	Organisers  []string        `json:"organisers"`
	Events      []PipelineEvent `json:"events"`
	Outreach    []Outreach      `json:"outreach"`
	Founders    []Founder       `json:"founding_group"`
	// Applications counts the join requests made at the enterprise (or at
	// its union), pending or approved.
	Applications int `json:"applications"`
	// Union is the open grassroots union linked to the enterprise, if any:
	// its founding set the stage to founded.
	Union *domain.Unit `json:"-"`
	// FirstContact, LastContact: see the pipeline table.
	FirstContact domain.Date `json:"-"`
	LastContact  domain.Date `json:"-"`
}

// openUnionOf returns the open grassroots union linked to an enterprise
// today, or nil.
func (s *Store) openUnionOf(ctx context.Context, q querier, taxCode string, day domain.Date) (*domain.Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, s.rebind(`SELECT `+unitCols+unitFrom+` WHERE u.kind = 'grassroots' AND u.enterprise_tax_code = ?
		AND `+openOn("u")+` ORDER BY u.founded_on, u.code LIMIT 1`), taxCode, day, day))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return u, err
}

// querier is what both a *sql.DB and a *sql.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// OpenUnionOf returns the open grassroots union linked to an enterprise
// today, or nil.
func (s *Store) OpenUnionOf(ctx context.Context, taxCode string) (*domain.Unit, error) {
	return s.openUnionOf(ctx, s.read, taxCode, domain.Today())
}

// PipelineOf returns an enterprise's pipeline: its stage (founded when an
// open union is linked to it, mapped when nothing was recorded), events,
// organisers, outreach log and founding group.
func (s *Store) PipelineOf(ctx context.Context, taxCode string) (*Pipeline, error) {
	p := &Pipeline{Stage: StageMapped, Organisers: []string{}, Events: []PipelineEvent{}, Outreach: []Outreach{}, Founders: []Founder{}}
	var first, last sql.Null[domain.Date]
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT stage, since, pause_reason, first_contact, last_contact FROM pipeline WHERE tax_code = ?`), taxCode).
		Scan(&p.Stage, &p.Since, &p.PauseReason, &first, &last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	p.FirstContact, p.LastContact = first.V, last.V
	if p.Union, err = s.openUnionOf(ctx, s.read, taxCode, domain.Today()); err != nil {
		return nil, err
	}
	if p.Union != nil && p.Stage != StageFounded {
		p.Stage, p.Since, p.PauseReason = StageFounded, p.Union.FoundedOn, ""
	}
	err = appendRows(ctx, s, &p.Events, `SELECT on_day, stage, note, actor FROM pipeline_events WHERE tax_code = ? ORDER BY on_day, id`, []any{taxCode},
		func(e *PipelineEvent) []any { return []any{&e.On, &e.Stage, &e.Note, &e.By} })
	if err != nil {
		return nil, err
	}
	if p.Organisers, err = s.organisers(ctx, taxCode); err != nil {
		return nil, err
	}
	err = s.eachRow(ctx, `SELECT id, on_day, channel, note, next_step, next_on, actor FROM outreach_log WHERE tax_code = ? ORDER BY on_day DESC, id DESC LIMIT 200`, []any{taxCode}, func(sc func(...any) error) error {
		var o Outreach
		var next sql.Null[domain.Date]
		if err := sc(&o.ID, &o.On, &o.Channel, &o.Note, &o.NextStep, &next, &o.By); err != nil {
			return err
		}
		o.NextOn = next.V
		p.Outreach = append(p.Outreach, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = appendRows(ctx, s, &p.Founders, `SELECT id, full_name, position, phone FROM founding_group WHERE tax_code = ? ORDER BY id LIMIT 200`, []any{taxCode},
		func(f *Founder) []any { return []any{&f.ID, &f.FullName, &f.Position, &f.Phone} })
	if err != nil {
		return nil, err
	}
	err = s.read.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM join_requests WHERE tax_code = ? AND status <> 'rejected'`), taxCode).Scan(&p.Applications)
	return p, err
}

func (s *Store) organisers(ctx context.Context, taxCode string) ([]string, error) {
	out := []string{}
	err := appendRows(ctx, s, &out, `SELECT us.name FROM pipeline_organisers o JOIN users us ON us.id = o.user_id WHERE o.tax_code = ? ORDER BY us.name`, []any{taxCode},
		func(n *string) []any { return []any{n} })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// IsOrganiser reports whether a user is assigned to an enterprise.
func (s *Store) IsOrganiser(ctx context.Context, userID int64, taxCode string) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM pipeline_organisers WHERE tax_code = ? AND user_id = ?`), taxCode, userID).Scan(&n)
	return n > 0, err
}

// StageChange is a stage change asked for; Organisers, when not nil,
// replaces the assigned organisers.
type StageChange struct {
	TaxCode    string
	Stage      string
	On         domain.Date
	Note       string
	Organisers []string
	Actor      string
}

// invalid is a ValidationError of one field; msgKey is a message key of
// the web's catalogs ("msg."+key).
func invalid(field, msgKey string) error {
	return &domain.ValidationError{Errors: []domain.FieldError{{Field: field, Message: msgKey}}}
}

// ChangeStage records a stage change of an enterprise (and its organisers).
// A step backwards and a pause need a note; the enterprise's responsible
// unit is where the audit entry goes. Organisers must be users of the
// responsible unit's subtree or of the units above it.
func (s *Store) ChangeStage(ctx context.Context, c StageChange) error {
	var errs []domain.FieldError
	if c.Stage != "" && StageRank(c.Stage) == -2 {
		errs = append(errs, domain.FieldError{Field: "stage", Message: "org_stage_unknown"})
	}
	if c.Stage == "" && c.Organisers == nil {
		errs = append(errs, domain.FieldError{Field: "stage", Message: "required"})
	}
	if c.Stage != "" && c.On.IsZero() {
		errs = append(errs, domain.FieldError{Field: "on", Message: "required"})
	}
	if c.On > domain.Today() {
		errs = append(errs, domain.FieldError{Field: "on", Message: "org_date_future"})
	}
	if len([]rune(c.Note)) > 2000 {
		errs = append(errs, domain.FieldError{Field: "note", Message: "org_too_long"})
	}
	c.Note = strings.TrimSpace(c.Note)
	if len(errs) > 0 {
		return &domain.ValidationError{Errors: errs}
	}
	return s.Write(ctx, func(tx *Tx) error {
		resp, err := tx.responsibleUnit(c.TaxCode)
		if err != nil {
			return err
		}
		var cur string
		err = tx.queryRow(`SELECT stage FROM pipeline WHERE tax_code = ?`, c.TaxCode).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			cur = StageMapped
		} else if err != nil {
			return err
		}
		if c.Stage == StageFounded {
			// Founded comes with the union: the found form links it.
			union, err := tx.s.openUnionOf(tx.ctx, tx.tx, c.TaxCode, domain.Today())
			if err != nil {
				return err
			}
			if union == nil {
				return invalid("stage", "org_founded_by_form")
			}
		}
		if c.Stage != "" {
			back := StageRank(c.Stage) >= 0 && StageRank(c.Stage) < StageRank(cur)
			if (back || c.Stage == StagePaused || cur == StagePaused) && c.Note == "" && c.Stage != cur {
				key := "org_note_backwards"
				if c.Stage == StagePaused {
					key = "org_note_paused"
				} else if cur == StagePaused {
					key = "org_note_resume"
				}
				return invalid("note", key)
			}
			reason := ""
			if c.Stage == StagePaused {
				reason = c.Note
			}
			var first any
			if StageRank(c.Stage) >= 1 {
				first = c.On
			}
			if _, err := tx.exec(`INSERT INTO pipeline (tax_code, stage, since, pause_reason, first_contact, last_contact) VALUES (?,?,?,?,?,?)
				ON CONFLICT (tax_code) DO UPDATE SET stage = excluded.stage, since = excluded.since, pause_reason = excluded.pause_reason,
				first_contact = COALESCE(pipeline.first_contact, excluded.first_contact),
				last_contact = CASE WHEN pipeline.last_contact IS NULL OR pipeline.last_contact < excluded.last_contact THEN excluded.last_contact ELSE pipeline.last_contact END`,
				c.TaxCode, c.Stage, c.On, reason, first, c.On); err != nil {
				return fmt.Errorf("pipeline: %w", err)
			}
			if _, err := tx.exec(`INSERT INTO pipeline_events (tax_code, on_day, stage, note, actor, at) VALUES (?,?,?,?,?,?)`,
				c.TaxCode, c.On, c.Stage, c.Note, c.Actor, nowText()); err != nil {
				return err
			}
		}
		if c.Organisers != nil {
			if err := tx.setOrganisers(c.TaxCode, resp, c.Organisers); err != nil {
				return err
			}
		}
		detail := c.TaxCode + " " + c.Stage
		if c.Organisers != nil {
			detail += " [" + strings.Join(c.Organisers, ", ") + "]"
		}
		return tx.Audit(AuditEntry{Actor: c.Actor, Action: "pipeline.stage", UnitID: resp.ID, Detail: detail})
	})
}

func nowText() string { return time.Now().UTC().Format(time.RFC3339) }

// setOrganisers replaces the organisers of an enterprise.
func (tx *Tx) setOrganisers(taxCode string, resp *domain.Unit, names []string) error {
	var ids []int64
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		var id int64
		var path string
		err := tx.queryRow(`SELECT us.id, un.path FROM users us JOIN units un ON un.id = us.unit_id WHERE us.name = ?`, n).Scan(&id, &path)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !strings.HasPrefix(path, resp.Path) && !strings.HasPrefix(resp.Path, path)) {
			return &domain.ValidationError{Errors: []domain.FieldError{{Field: "organisers", Message: "org_organiser_unknown"}}}
		}
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if _, err := tx.exec(`DELETE FROM pipeline_organisers WHERE tax_code = ?`, taxCode); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := tx.exec(`INSERT INTO pipeline_organisers (tax_code, user_id) VALUES (?,?) ON CONFLICT DO NOTHING`, taxCode, id); err != nil {
			return err
		}
	}
	return nil
}

// AddOutreach logs a contact with an enterprise. The first contact of an
// enterprise still at mapped moves it to contacted.
func (s *Store) AddOutreach(ctx context.Context, taxCode, actor string, o Outreach) error {
	var errs []domain.FieldError
	if o.On.IsZero() {
		errs = append(errs, domain.FieldError{Field: "on", Message: "required"})
	} else if o.On > domain.Today() {
		errs = append(errs, domain.FieldError{Field: "on", Message: "org_date_future"})
	}
	ok := false
	for _, c := range Channels {
		ok = ok || c == o.Channel
	}
	if !ok {
		errs = append(errs, domain.FieldError{Field: "channel", Message: "org_channel_unknown"})
	}
	if !o.NextOn.IsZero() && !o.On.IsZero() && o.NextOn < o.On {
		errs = append(errs, domain.FieldError{Field: "next_on", Message: "org_next_before"})
	}
	if len([]rune(o.Note)) > 2000 || len([]rune(o.NextStep)) > 500 {
		errs = append(errs, domain.FieldError{Field: "note", Message: "org_too_long"})
	}
	if len(errs) > 0 {
		return &domain.ValidationError{Errors: errs}
	}
	var next any
	if !o.NextOn.IsZero() {
		next = o.NextOn
	}
	return s.Write(ctx, func(tx *Tx) error {
		resp, err := tx.responsibleUnit(taxCode)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO outreach_log (tax_code, on_day, channel, note, next_step, next_on, actor, at) VALUES (?,?,?,?,?,?,?,?)`,
			taxCode, o.On, o.Channel, strings.TrimSpace(o.Note), strings.TrimSpace(o.NextStep), next, actor, nowText()); err != nil {
			return err
		}
		var cur string
		err = tx.queryRow(`SELECT stage FROM pipeline WHERE tax_code = ?`, taxCode).Scan(&cur)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && cur == StageMapped):
			if _, err := tx.exec(`INSERT INTO pipeline (tax_code, stage, since, first_contact, last_contact) VALUES (?,?,?,?,?)
				ON CONFLICT (tax_code) DO UPDATE SET stage = excluded.stage, since = excluded.since,
				first_contact = COALESCE(pipeline.first_contact, excluded.first_contact), last_contact = excluded.last_contact`,
				taxCode, StageContacted, o.On, o.On, o.On); err != nil {
				return err
			}
			if _, err := tx.exec(`INSERT INTO pipeline_events (tax_code, on_day, stage, note, actor, at) VALUES (?,?,?,?,?,?)`,
				taxCode, o.On, StageContacted, "", actor, nowText()); err != nil {
				return err
			}
		case err == nil:
			if _, err := tx.exec(`UPDATE pipeline SET last_contact = ? WHERE tax_code = ? AND (last_contact IS NULL OR last_contact < ?)`, o.On, taxCode, o.On); err != nil {
				return err
			}
		default:
			return err
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: "pipeline.outreach", UnitID: resp.ID, Detail: taxCode + " " + o.Channel})
	})
}

// responsibleUnit is the unit responsible for an enterprise, where the
// audit entries of its pipeline go.
func (tx *Tx) responsibleUnit(taxCode string) (*domain.Unit, error) {
	ent, err := tx.Enterprise(taxCode)
	if err != nil {
		return nil, err
	}
	return tx.Unit(ent.UnitCode)
}

// AddFounder adds a member to an enterprise's founding group.
func (s *Store) AddFounder(ctx context.Context, taxCode, actor string, f Founder) error {
	f.FullName, f.Position, f.Phone = strings.TrimSpace(f.FullName), strings.TrimSpace(f.Position), strings.TrimSpace(f.Phone)
	if f.FullName == "" {
		return invalid("full_name", "required")
	}
	if len([]rune(f.FullName)) > 200 || len([]rune(f.Position)) > 200 || len(f.Phone) > 30 {
		return invalid("full_name", "org_too_long")
	}
	return s.Write(ctx, func(tx *Tx) error {
		resp, err := tx.responsibleUnit(taxCode)
		if err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM founding_group WHERE tax_code = ?`, taxCode).Scan(&n); err != nil {
			return err
		}
		if n >= 200 {
			return invalid("full_name", "org_too_many")
		}
		if _, err := tx.exec(`INSERT INTO founding_group (tax_code, full_name, position, phone) VALUES (?,?,?,?)`, taxCode, f.FullName, f.Position, f.Phone); err != nil {
			return err
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: "pipeline.founder", UnitID: resp.ID, Detail: taxCode + " " + f.FullName})
	})
}

// RemoveFounder takes a member out of an enterprise's founding group.
func (s *Store) RemoveFounder(ctx context.Context, taxCode, actor string, id int64) error {
	return s.Write(ctx, func(tx *Tx) error {
		resp, err := tx.responsibleUnit(taxCode)
		if err != nil {
			return err
		}
		res, err := tx.exec(`DELETE FROM founding_group WHERE tax_code = ? AND id = ?`, taxCode, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.NotFound("founder", fmt.Sprint(id))
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: "pipeline.founder_remove", UnitID: resp.ID, Detail: fmt.Sprintf("%s #%d", taxCode, id)})
	})
}

// BoardFilter selects the enterprises of a board.
type BoardFilter struct {
	// UnitPath: enterprises whose responsible unit is in this subtree.
	UnitPath string
	// Area: the enterprise's area, exactly; Ownership likewise.
	Area, Ownership string
	// MinEmployees, MaxEmployees (0: no bound): a head-count class.
	MinEmployees, MaxEmployees int64
	// Organiser: only the enterprises assigned to this user ID.
	Organiser int64
	// StaleSince: only those with no contact on or after this day.
	StaleSince domain.Date
	// Threshold: the head-count of the gap list (enterprises below it
	// show only when they are in the pipeline).
	Threshold int64
	AsOf      domain.Date
}

// BoardCard is one enterprise on the board.
type BoardCard struct {
	domain.Enterprise
	Stage       string
	Since       domain.Date
	LastContact domain.Date
	Organisers  []string
	Founders    int
	Requests    int
	UnionCode   string
}

// maxBoardCards bounds the cards a board shows.
const maxBoardCards = 3000

// Board returns the enterprises of a responsible unit's subtree that are
// on the gap list or in the pipeline, with their stage, largest first;
// the founded ones are those whose union was founded from the pipeline.
// It reads the enterprises of the subtree by the enterprises_unit index,
// never the members.
func (s *Store) Board(ctx context.Context, f BoardFilter) ([]BoardCard, bool, error) {
	conds := []string{`r.path >= ? AND r.path < ?`, `(p.tax_code IS NOT NULL OR (e.employees >= ? AND o.tax_code IS NULL))`}
	args := []any{f.AsOf, f.AsOf, f.UnitPath, prefixEnd(f.UnitPath), f.Threshold}
	if f.Area != "" {
		conds, args = append(conds, `e.area = ?`), append(args, f.Area)
	}
	if f.Ownership != "" {
		conds, args = append(conds, `e.ownership = ?`), append(args, f.Ownership)
	}
	if f.MinEmployees > 0 {
		conds, args = append(conds, `e.employees >= ?`), append(args, f.MinEmployees)
	}
	if f.MaxEmployees > 0 {
		conds, args = append(conds, `e.employees <= ?`), append(args, f.MaxEmployees)
	}
	if f.Organiser != 0 {
		conds, args = append(conds, `EXISTS (SELECT 1 FROM pipeline_organisers po WHERE po.tax_code = e.tax_code AND po.user_id = ?)`), append(args, f.Organiser)
	}
	if !f.StaleSince.IsZero() {
		conds, args = append(conds, `o.tax_code IS NULL AND (p.last_contact IS NULL OR p.last_contact < ?)`), append(args, f.StaleSince)
	}
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT e.tax_code, e.name, e.ownership, e.employees, e.address, e.area, r.code,
		COALESCE(p.stage, ''), p.since, p.last_contact, COALESCE(o.code, ''), o.founded_on
		FROM enterprises e JOIN units r ON r.id = e.unit_id
		LEFT JOIN pipeline p ON p.tax_code = e.tax_code
		LEFT JOIN (SELECT g.enterprise_tax_code AS tax_code, MIN(g.code) AS code, MIN(g.founded_on) AS founded_on FROM units g
			WHERE g.kind = 'grassroots' AND g.enterprise_tax_code <> ''
			AND `+openOn("g")+` GROUP BY g.enterprise_tax_code) o ON o.tax_code = e.tax_code
		WHERE `+strings.Join(conds, ` AND `)+` ORDER BY e.employees DESC, e.tax_code LIMIT ?`), append(args, maxBoardCards+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("board: %w", err)
	}
	var out []BoardCard
	byTax := map[string]int{}
	for rows.Next() {
		var c BoardCard
		var since, last, founded sql.Null[domain.Date]
		if err := rows.Scan(&c.TaxCode, &c.Name, &c.Ownership, &c.Employees, &c.Address, &c.Area, &c.UnitCode, &c.Stage, &since, &last, &c.UnionCode, &founded); err != nil {
			rows.Close()
			return nil, false, fmt.Errorf("board: %w", err)
		}
		c.Since, c.LastContact = since.V, last.V
		if c.Stage == "" {
			c.Stage = StageMapped
		}
		if c.UnionCode != "" {
			c.Stage, c.Since = StageFounded, founded.V
		}
		byTax[c.TaxCode] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	capped := len(out) > maxBoardCards
	out = out[:min(len(out), maxBoardCards)]
	// Organisers, founders and requests of the cards shown, in batches.
	for i := 0; i < len(out); i += 500 {
		part := out[i:min(i+500, len(out))]
		codes := make([]any, len(part))
		for j, c := range part {
			codes[j] = c.TaxCode
		}
		in := placeholders(1, len(codes))
		if err := s.eachRow(ctx, `SELECT o.tax_code, us.name FROM pipeline_organisers o JOIN users us ON us.id = o.user_id WHERE o.tax_code IN `+in+` ORDER BY us.name`, codes, func(sc func(...any) error) error {
			var t, n string
			if err := sc(&t, &n); err != nil {
				return err
			}
			if k, ok := byTax[t]; ok {
				out[k].Organisers = append(out[k].Organisers, n)
			}
			return nil
		}); err != nil {
			return nil, false, err
		}
		// count reads (tax_code, count) rows into the cards' field.
		count := func(q string, field func(*BoardCard) *int) error {
			return s.eachRow(ctx, q, codes, func(sc func(...any) error) error {
				var t string
				var n int
				if err := sc(&t, &n); err != nil {
					return err
				}
				if k, ok := byTax[t]; ok {
					*field(&out[k]) = n
				}
				return nil
			})
		}
		if err := count(`SELECT tax_code, COUNT(*) FROM founding_group WHERE tax_code IN `+in+` GROUP BY tax_code`,
			func(c *BoardCard) *int { return &c.Founders }); err != nil {
			return nil, false, err
		}
		if err := count(`SELECT tax_code, COUNT(*) FROM join_requests WHERE tax_code IN `+in+` AND status <> 'rejected' GROUP BY tax_code`,
			func(c *BoardCard) *int { return &c.Requests }); err != nil {
			return nil, false, err
		}
	}
	return out, capped, nil
}

// eachRow runs a query and hands each row's Scan to fn.
func (s *Store) eachRow(ctx context.Context, q string, args []any, fn func(scan func(...any) error) error) error {
	return s.eachRowTx(ctx, s.read, q, args, fn)
}

// appendRows runs a query and appends each row to *out, read into a new T
// through the addresses fields gives.
func appendRows[T any](ctx context.Context, s *Store, out *[]T, q string, args []any, fields func(*T) []any) error {
	return s.eachRow(ctx, q, args, func(sc func(...any) error) error {
		var v T
		if err := sc(fields(&v)...); err != nil {
			return err
		}
		*out = append(*out, v)
		return nil
	})
}

// BoardChoices are the values the board's filters offer: the areas of the
// subtree's enterprises and the users who may organise there.
func (s *Store) BoardChoices(ctx context.Context, unitPath string) (areas []string, users []UserInfo, err error) {
	err = appendRows(ctx, s, &areas, `SELECT DISTINCT e.area FROM enterprises e JOIN units r ON r.id = e.unit_id WHERE r.path >= ? AND r.path < ? AND e.area <> '' ORDER BY e.area LIMIT 500`,
		[]any{unitPath, prefixEnd(unitPath)}, func(a *string) []any { return []any{a} })
	if err != nil {
		return nil, nil, err
	}
	users, err = s.UsersUnder(ctx, unitPath)
	return areas, users, err
}

// Organising counts the organising funnel of a unit's subtree (today's
// tree) over a window ending on end: it reads the pipeline and join
// tables, the enterprises of the subtree and the unions founded in the
// window (units_founded index), never the members.
func (s *Store) Organising(ctx context.Context, unit *domain.Unit, start, end domain.Date) (*engine.Organising, error) {
	o := &engine.Organising{Organisers: []engine.OrganiserFounded{}}
	lo, hi := unit.Path, prefixEnd(unit.Path)
	one := func(q string, dst *int64, args ...any) error {
		if err := s.replica.QueryRowContext(ctx, s.rebind(q), args...).Scan(dst); err != nil {
			return fmt.Errorf("organising: %w", err)
		}
		return nil
	}
	gap, gerr := s.gapCount(ctx, unit, end)
	if gerr != nil {
		return nil, fmt.Errorf("organising: %w", gerr)
	}
	o.GapEnterprises = gap
	if err := one(`SELECT COUNT(*) FROM pipeline p JOIN enterprises e ON e.tax_code = p.tax_code JOIN units r ON r.id = e.unit_id
		WHERE r.path >= ? AND r.path < ? AND p.first_contact >= ? AND p.first_contact <= ?`, &o.Contacted, lo, hi, start, end); err != nil {
		return nil, err
	}
	if err := one(`SELECT COUNT(DISTINCT ev.tax_code) FROM pipeline_events ev JOIN enterprises e ON e.tax_code = ev.tax_code JOIN units r ON r.id = e.unit_id
		WHERE r.path >= ? AND r.path < ? AND ev.stage = 'founding_group' AND ev.on_day >= ? AND ev.on_day <= ?`, &o.FoundingGroup, lo, hi, start, end); err != nil {
		return nil, err
	}
	if err := one(`SELECT COUNT(*) FROM join_requests j JOIN enterprises e ON e.tax_code = j.tax_code JOIN units r ON r.id = e.unit_id
		WHERE r.path >= ? AND r.path < ? AND j.status <> 'rejected' AND j.created_on >= ? AND j.created_on <= ?`, &o.Applications, lo, hi, start, end); err != nil {
		return nil, err
	}
	err := s.replica.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN j.decided_on IS NULL OR j.decided_on > ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN (j.decided_on IS NULL OR j.decided_on > ?) AND j.due_on < ? THEN 1 ELSE 0 END), 0)
		FROM join_requests j JOIN units q ON q.id = j.queue_unit_id
		WHERE q.path >= ? AND q.path < ? AND j.created_on >= ? AND j.created_on <= ?`), end, end, end, lo, hi, start, end).
		Scan(&o.JoinRequests, &o.JoinRequestsPending, &o.JoinRequestsOverdue)
	if err != nil {
		return nil, fmt.Errorf("organising: join requests: %w", err)
	}
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT g.enterprise_tax_code, g.founded_on, p.first_contact FROM units g
		JOIN pipeline p ON p.tax_code = g.enterprise_tax_code
		WHERE g.kind = 'grassroots' AND g.founded_on >= ? AND g.founded_on <= ? AND g.path >= ? AND g.path < ?
		AND p.first_contact IS NOT NULL AND p.first_contact <= g.founded_on`), start, end, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("organising: unions founded: %w", err)
	}
	var days []int
	var taxCodes []any
	for rows.Next() {
		var tc string
		var founded, first domain.Date
		if err := rows.Scan(&tc, &founded, &first); err != nil {
			rows.Close()
			return nil, err
		}
		days = append(days, int(founded-first))
		taxCodes = append(taxCodes, tc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	o.FoundedFromPipeline = int64(len(days))
	if len(days) > 0 {
		slices.Sort(days)
		m := float64(days[len(days)/2])
		if len(days)%2 == 0 {
			m = float64(days[len(days)/2-1]+days[len(days)/2]) / 2
		}
		o.MedianDaysToFound = &m
	}
	byName := map[string]int64{}
	for i := 0; i < len(taxCodes); i += 500 {
		part := taxCodes[i:min(i+500, len(taxCodes))]
		err := s.eachRow(ctx, `SELECT us.name FROM pipeline_organisers po JOIN users us ON us.id = po.user_id WHERE po.tax_code IN `+placeholders(1, len(part)), part,
			func(sc func(...any) error) error {
				var n string
				if err := sc(&n); err != nil {
					return err
				}
				byName[n]++
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	for n, c := range byName {
		o.Organisers = append(o.Organisers, engine.OrganiserFounded{Name: n, Founded: c})
	}
	slices.SortFunc(o.Organisers, func(a, b engine.OrganiserFounded) int {
		if a.Founded != b.Founded {
			return int(b.Founded - a.Founded)
		}
		return strings.Compare(a.Name, b.Name)
	})
	return o, nil
}

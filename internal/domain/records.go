package domain

// Unit kinds.
const (
	KindFederation = "federation"
	KindUpper      = "upper"
	KindGrassroots = "grassroots"
)

// Ownership of a grassroots unit or an enterprise.
const (
	OwnState       = "state"
	OwnPrivate     = "private"
	OwnFDI         = "fdi"
	OwnPublic      = "public"
	OwnCooperative = "cooperative"
	OwnInformal    = "informal"
)

// Founding methods.
const (
	MethodStandard = "standard"
	MethodNew      = "new" // Article 14 of the Charter: workers organise, the upper union recognises
)

// How a member joined.
const (
	JoinedAdmitted    = "admitted"
	JoinedTransferred = "transferred"
)

// Unit is a node of the union hierarchy.
type Unit struct {
	ID         int64  `json:"-"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	ParentID   int64  `json:"-"`
	ParentCode string `json:"parent_code,omitempty"`
	// BaseParentID and BaseParentCode name the parent of units.csv: the
	// unit's parent before its first move. ParentID and ParentCode are the
	// parent after the latest move (today's tree).
	BaseParentID      int64  `json:"-"`
	BaseParentCode    string `json:"-"`
	Kind              string `json:"kind"`
	Ownership         string `json:"ownership,omitempty"`
	EnterpriseTaxCode string `json:"enterprise_tax_code,omitempty"`
	FoundedOn         Date   `json:"founded_on"`
	DecisionNo        string `json:"decision_no,omitempty"`
	Method            string `json:"method"`
	DissolvedOn       Date   `json:"dissolved_on"`
	// Path is the chain of ancestor IDs and the unit's own, "/1/7/42/", so
	// a subtree is a prefix match.
	Path string `json:"-"`
}

// OpenOn reports whether a unit exists on day d: founded (where a founding
// date is known) and not yet dissolved. internal/store's openOn says the
// same in SQL; change both together.
func (u *Unit) OpenOn(d Date) bool {
	if !u.FoundedOn.IsZero() && d < u.FoundedOn {
		return false
	}
	return u.DissolvedOn.IsZero() || d < u.DissolvedOn
}

// Enterprise is an employer of the labour-source map.
type Enterprise struct {
	TaxCode   string `json:"tax_code"`
	Name      string `json:"name"`
	Ownership string `json:"ownership"`
	Employees int64  `json:"employees"`
	Address   string `json:"address,omitempty"`
	Area      string `json:"area,omitempty"`
	UnitCode  string `json:"unit_code"`
	Source    string `json:"source,omitempty"`
}

// Member is one union member. UnitCode is the unit of the first spell.
type Member struct {
	ID                int64  `json:"-"`
	NationalID        string `json:"national_id"`
	IDType            string `json:"id_type"`
	FullName          string `json:"full_name"`
	DateOfBirth       Date   `json:"date_of_birth"`
	Gender            string `json:"gender"`
	UnitID            int64  `json:"-"`
	UnitCode          string `json:"unit_code"`
	JoinedOn          Date   `json:"joined_on"`
	JoinedHow         string `json:"joined_how"`
	LeftOn            Date   `json:"left_on"`
	PartyIntroducedOn Date   `json:"party_introduced_on"`
	CardNo            string `json:"card_no,omitempty"`
}

// ActiveOn reports whether the person is a member on day d.
func (m *Member) ActiveOn(d Date) bool {
	return m.JoinedOn <= d && (m.LeftOn.IsZero() || d < m.LeftOn)
}

// Transfer moves a member to another grassroots unit from Date on.
type Transfer struct {
	NationalID string `json:"national_id"`
	ToUnitID   int64  `json:"-"`
	ToUnitCode string `json:"to_unit_code"`
	Date       Date   `json:"date"`
}

// Plan is a membership-growth plan of a unit over [Start, End].
type Plan struct {
	ID        int64  `json:"-"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	UnitID    int64  `json:"-"`
	UnitCode  string `json:"unit_code"`
	Start     Date   `json:"start"`
	End       Date   `json:"end"`
	Threshold int64  `json:"threshold_members"`
}

// DefaultThreshold is the member count an enterprise union must reach to
// count for enterprise_unions_25plus when the plan sets none.
const DefaultThreshold = 25

// MemberThreshold is the plan's member threshold of
// enterprise_unions_25plus: its own, else DefaultThreshold.
func (p Plan) MemberThreshold() int64 {
	if p.Threshold <= 0 {
		return DefaultThreshold
	}
	return p.Threshold
}

// GapMinWorkers is the head-count from which an enterprise with no open
// union is on the gap list (the product's rule: "enterprises with 25 or more
// workers and no union"). It counts workers, so it is not the plan's
// member threshold of enterprise_unions_25plus: every gap list (the page,
// the report's organising funnel, the XLSX and PDF documents, the CLI
// export and the demo) uses this one number.
const GapMinWorkers = 25

// Target is the number assigned to a unit for one indicator of a plan.
type Target struct {
	PlanCode  string `json:"plan_code"`
	UnitCode  string `json:"unit_code"`
	Indicator string `json:"indicator"`
	Target    int64  `json:"target"`
}

// Campaign is a peak campaign of a plan.
type Campaign struct {
	ID        int64  `json:"-"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	PlanCode  string `json:"plan_code"`
	Start     Date   `json:"start"`
	End       Date   `json:"end"`
	ClassName string `json:"class_name,omitempty"`
}

// Indicator codes of docs/indicators.md. engine.Defs defines each indicator and
// their order, which is the order of every report.
const (
	MembersAdmitted        = "members_admitted"
	MembersNetGrowth       = "members_net_growth"
	UnionsFounded          = "unions_founded"
	EnterpriseUnions25Plus = "enterprise_unions_25plus"
	NonStateUnionsFounded  = "non_state_unions_founded"
	NonStateUnionMembers   = "non_state_union_members"
	NewMethodUnionsFounded = "new_method_unions_founded"
	PartyIntroductions     = "party_introductions"
)

// IsEnterpriseOwnership: unions of state, private and foreign-invested
// enterprises are "enterprise unions".
func IsEnterpriseOwnership(o string) bool { return o == OwnState || o == OwnPrivate || o == OwnFDI }

// IsNonState: private and foreign-invested ("ngoài khu vực Nhà nước").
func IsNonState(o string) bool { return o == OwnPrivate || o == OwnFDI }

// Move is a reorganisation: from MovedOn on, the unit and its whole subtree
// sit under NewParent (moves.csv). Reports of earlier days are unchanged.
type Move struct {
	UnitID        int64  `json:"-"`
	UnitCode      string `json:"code,omitempty"`
	NewParentID   int64  `json:"-"`
	NewParentCode string `json:"new_parent_code"`
	MovedOn       Date   `json:"moved_on"`
	DecisionNo    string `json:"decision_no"`
}

// ParentSpan is one stretch of a unit's history of parents ("Quá trình
// trực thuộc"): under Parent over [From, To); From is zero for the span
// before the first move, To is zero while it lasts. DecisionNo is the
// move's that opened the span.
type ParentSpan struct {
	ParentID   int64  `json:"-"`
	ParentCode string `json:"parent_code"`
	ParentName string `json:"parent_name"`
	From       Date   `json:"from"`
	To         Date   `json:"to"`
	DecisionNo string `json:"decision_no,omitempty"`
}

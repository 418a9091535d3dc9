// Package demo builds the demonstration data set: the Hanoi Federation of
// Labour (LĐLĐ thành phố Hà Nội) in 2022, whose plan HN-2022 reproduces, as
// of 8 July 2022, the figures of the federation's newspaper report of
// that day: 306 new grassroots unions (94 of them in May),
// 24,396 members admitted (8,307 in May), 302 non-state unions with 23,540
// members, 189 enterprise unions with 25 or more members, 35 unions founded
// by the new method and 4,950 members introduced to the Party.
//
// The data then go on to DataEnd (30 November 2026) with plans HN-2023 to
// HN-2026 and the 2025 reorganisation (reform.go): on 1 July 2025 the
// district federations and the industrial-zones union are dissolved, ward
// and commune unions founded, and the grassroots unions moved (Data.Moves).
//
// Everything else (names, identity numbers, enterprises, dates) is made up
// by a pseudo-random generator with a fixed seed, so every Build returns the
// same data, and every record obeys the import rules of docs/import-formats.md.
package demo

import (
	"slices"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
)

// Codes and dates of the demo.
const (
	RootCode      = "HN"
	PlanCode      = "HN-2022"
	Campaign1Code = "HN-2022-D1"
	Campaign2Code = "HN-2022-D2"
)

// AsOf is the date of the 2022 report ("as of 8 July 2022"); the data go
// on after it, up to DataEnd.
var AsOf = domain.NewDate(2022, time.July, 8)

// The calendar of plan HN-2022 and its two campaigns; the benchmark's
// generator (internal/bench) builds the same plan at larger scales.
var (
	PlanStart      = domain.NewDate(2022, time.January, 1)
	PlanEnd        = domain.NewDate(2022, time.December, 31)
	Campaign1Start = domain.NewDate(2022, time.April, 15)
	Campaign1End   = MayEnd
	Campaign2Start = domain.NewDate(2022, time.June, 1)
	Campaign2End   = domain.NewDate(2022, time.July, 31)
	MayStart       = domain.NewDate(2022, time.May, 1)
	MayEnd         = domain.NewDate(2022, time.May, 31)
	lastOf21       = PlanStart - 1
)

// The figures of the report, as of AsOf, for plan HN-2022 and unit HN.
const (
	WantUnionsFounded     = 306
	WantUnionsFoundedMay  = 94
	WantAdmitted          = 24396
	WantAdmittedMay       = 8307
	WantNonStateUnions    = 302
	WantNonStateMembers   = 23540
	WantEnterprise25Plus  = 189
	WantNewMethodUnions   = 35
	WantPartyIntroduction = 4950
)

// Targets is the plan's targets for the whole city (HN).
var Targets = map[string]int64{
	domain.MembersAdmitted:        47855,
	domain.MembersNetGrowth:       47855,
	domain.UnionsFounded:          750,
	domain.EnterpriseUnions25Plus: 460,
	domain.NonStateUnionsFounded:  400,
	domain.NonStateUnionMembers:   35000,
	// One union by the new method for every upper union given targets.
	domain.NewMethodUnionsFounded: int64(len(districts) + len(sectors)),
	domain.PartyIntroductions:     9453,
}

// Exemplary are the units the report praises for May 2022.
var Exemplary = []string{"HN-KCN", "HN-CG", "HN-NTL", "HN-TX", "HN-ML"}

// Data is the whole demo data set, in the order an import needs: parents
// before children, enterprises before the units that name them.
type Data struct {
	Units       []domain.Unit
	Enterprises []domain.Enterprise
	Members     []domain.Member
	Transfers   []domain.Transfer
	Plans       []domain.Plan
	Targets     []domain.Target
	Campaigns   []domain.Campaign
	// Moves are the 2025 reorganisation (reform.go), to be recorded after
	// the units.
	Moves []domain.Move
}

// Build generates the data set. It reads no files and always returns the
// same data.
func Build() *Data {
	b := newBuilder()
	b.build()
	return b.d
}

// World is the data set in the form engine.FromWorld takes.
func (d *Data) World() *engine.World {
	w := &engine.World{
		Units:       slices.Clone(d.Units),
		Enterprises: make(map[string]string, len(d.Enterprises)),
		Members:     slices.Clone(d.Members),
		Transfers:   map[string][]domain.Transfer{},
		Targets:     slices.Clone(d.Targets),
		Moves:       slices.Clone(d.Moves),
	}
	for _, e := range d.Enterprises {
		w.Enterprises[e.TaxCode] = e.Ownership
	}
	for _, t := range d.Transfers {
		w.Transfers[t.NationalID] = append(w.Transfers[t.NationalID], t)
	}
	return w
}

// Plan returns the plan HN-2022.
func (d *Data) Plan() domain.Plan {
	for _, p := range d.Plans {
		if p.Code == PlanCode {
			return p
		}
	}
	return domain.Plan{}
}

// Campaign returns a campaign by code, or nil.
func (d *Data) Campaign(code string) *domain.Campaign {
	for i := range d.Campaigns {
		if d.Campaigns[i].Code == code {
			c := d.Campaigns[i]
			return &c
		}
	}
	return nil
}

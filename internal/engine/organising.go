package engine

// Organising is the organising funnel of a report's unit and window
// (docs/interfaces.md, "Organising and joining"): the gap list, how far the
// pipeline worked it, and the self-service join requests.
type Organising struct {
	// GapEnterprises: enterprises of the subtree with domain.GapMinWorkers
	// workers or more and no union open on the report's day.
	GapEnterprises int64 `json:"gap_enterprises"`
	// Contacted: enterprises first contacted in the window; FoundingGroup:
	// those whose founding group formed in the window.
	Contacted     int64 `json:"contacted"`
	FoundingGroup int64 `json:"founding_group"`
	// Applications: join requests made in the window at enterprises of the
	// subtree (not rejected).
	Applications int64 `json:"applications"`
	// FoundedFromPipeline: grassroots unions founded in the window at an
	// enterprise contacted before; MedianDaysToFound the median days from
	// that first contact to the founding (null without any).
	FoundedFromPipeline int64    `json:"founded_from_pipeline"`
	MedianDaysToFound   *float64 `json:"median_days_to_found"`
	// JoinRequests made in the window to the subtree's unions and upper
	// unions; of those, pending on the report's day, and pending past their
	// 10 working days.
	JoinRequests        int64 `json:"join_requests"`
	JoinRequestsPending int64 `json:"join_requests_pending"`
	JoinRequestsOverdue int64 `json:"join_requests_overdue"`
	// Organisers ranks the organisers by unions founded from the pipeline
	// in the window (most first, then by name).
	Organisers []OrganiserFounded `json:"organisers"`
}

// OrganiserFounded is an organiser and the unions founded at the
// enterprises assigned to them.
type OrganiserFounded struct {
	Name    string `json:"name"`
	Founded int64  `json:"founded"`
}

package store

// openOn is "open on day" (docs/indicators.md) in SQL for the units row aliased
// alias: founded by the day where a founding date is known, and not yet
// dissolved. It is domain.Unit.OpenOn, which says the same in Go; change
// both together. The fragment binds the day twice (two ?).
func openOn(alias string) string {
	return `(` + alias + `.founded_on IS NULL OR ` + alias + `.founded_on <= ?) AND (` +
		alias + `.dissolved_on IS NULL OR ` + alias + `.dissolved_on > ?)`
}

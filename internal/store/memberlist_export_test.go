package store

// SetListLimits sets, for a test, the rows from which member list pages
// may walk their order's index (0: always, -1: by the cost rule) and the
// rows an exact count reads, and
// returns a function that puts them back. Tests that call it must not run
// in parallel with other list tests.
func SetListLimits(walk, countCap int64) (restore func()) {
	w, c := walkFrom, memberCountCap
	walkFrom, memberCountCap = walk, countCap
	return func() { walkFrom, memberCountCap = w, c }
}

// SearchFirst makes every name search the trigram index can answer read
// its matches from it, for a test; it returns a function that puts the
// cost rule back. Tests that call it must not run in parallel with other
// list tests.
func SearchFirst() (restore func()) {
	searchFirst = true
	return func() { searchFirst = false }
}

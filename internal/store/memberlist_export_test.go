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

// SetSearchProbes sets, for a test, the rows a name search's page and
// count first walk (searchProbe, countProbe), and returns a function that
// puts them back: small probes on small data take the paths that follow
// a probe that did not settle the page or the count. Tests that call it
// must not run in parallel with other list tests.
func SetSearchProbes(page, count int64) (restore func()) {
	p, c := walkProbe, countProbeRows
	walkProbe, countProbeRows = page, count
	return func() { walkProbe, countProbeRows = p, c }
}

// SetDenseShare sets, for a test, the share of the names' dictionary a
// search must match to walk it in order (namesDense: 0 walks it always,
// 2 never), and returns a function that puts it back. Tests that call it
// must not run in parallel with other list tests.
func SetDenseShare(share float64) (restore func()) {
	d := denseShare
	denseShare = share
	return func() { denseShare = d }
}

package importer

// keySet remembers the keys seen in one file, to refuse duplicates. It
// grows with the file, so keys made of digits only (national IDs, tax
// codes: nearly all of them) are kept as one uint64 each, their length
// folded in so that leading zeros still count, at about a third of the
// memory of a string. Only the files that stay small use it: units,
// enterprises, transfers, and members imported in one transaction. A
// staged members import, which may hold the whole country, checks its
// national IDs in its stage instead (membersHandler.twice), so that its
// memory does not grow with the rows.
type keySet struct {
	nums map[uint64]struct{}
	strs map[string]struct{}
}

func newKeySet() *keySet {
	return &keySet{nums: map[uint64]struct{}{}, strs: map[string]struct{}{}}
}

// add records key and reports whether it was new.
func (s *keySet) add(key string) bool {
	if n, ok := digitsKey(key); ok {
		if _, dup := s.nums[n]; dup {
			return false
		}
		s.nums[n] = struct{}{}
		return true
	}
	if _, dup := s.strs[key]; dup {
		return false
	}
	s.strs[key] = struct{}{}
	return true
}

// digitsKey packs a key of 1 to 18 digits as value*32 + length.
func digitsKey(key string) (uint64, bool) {
	if len(key) == 0 || len(key) > 18 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n<<5 | uint64(len(key)), true
}

package store

import "context"

// EnterprisePageWalking reads a page as EnterprisePage does, but a page
// of the gap list always walks the whole list's order (gap_spans_keyset),
// however few of its enterprises the subtree has: the way of the large
// subtrees, which the tests' small ones would not take.
func EnterprisePageWalking(ctx context.Context, s *Store, q EnterprisePageQuery) ([]EnterpriseRow, bool, error) {
	return s.enterprisePage(ctx, q, nil)
}

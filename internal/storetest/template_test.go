package storetest

import (
	"context"
	"errors"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// Each test gets its own copy of a template: what one writes, another does
// not see, and the fill runs at most once.
func TestFilledCopies(t *testing.T) {
	ctx := context.Background()
	fills := 0
	fill := func(ctx context.Context, st *store.Store) error {
		fills++
		return st.Write(ctx, func(tx *store.Tx) error {
			return tx.PutUnit(&domain.Unit{Code: "HN", Name: "Liên đoàn Lao động thành phố Hà Nội", Kind: domain.KindFederation})
		})
	}
	a := Filled(t, store.SQLite, "storetest-one-unit", fill)
	b := Filled(t, store.SQLite, "storetest-one-unit", fill)
	if fills > 1 {
		t.Errorf("the fill ran %d times", fills)
	}
	for _, st := range []*store.Store{a, b} {
		if _, err := st.Unit(ctx, "HN"); err != nil {
			t.Fatalf("a copy lacks what the fill wrote: %v", err)
		}
	}
	err := a.Write(ctx, func(tx *store.Tx) error {
		return tx.PutUnit(&domain.Unit{Code: "HN-CG", Name: "LĐLĐ quận Cầu Giấy", Kind: domain.KindUpper, ParentCode: "HN"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Unit(ctx, "HN-CG"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("one copy sees what the other wrote: %v", err)
	}
}

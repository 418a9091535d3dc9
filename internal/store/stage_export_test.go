package store

import (
	"context"
	"testing"

	"congdoan/internal/domain"
)

// PutRG writes units R > G (G the union of a private enterprise) and
// returns G and a maker of G's members, admitted on 1 January 2020. The
// stage tests of this package and of store_test share it.
func PutRG(t *testing.T, s *Store) (*domain.Unit, func(id string) *domain.Member) {
	t.Helper()
	ctx := context.Background()
	err := s.Write(ctx, func(tx *Tx) error {
		if err := tx.PutUnit(&domain.Unit{Code: "R", Name: "R", Kind: domain.KindFederation}); err != nil {
			return err
		}
		return tx.PutUnit(&domain.Unit{Code: "G", Name: "G", ParentCode: "R", Kind: domain.KindGrassroots, Ownership: domain.OwnPrivate})
	})
	if err != nil {
		t.Fatal(err)
	}
	g, err := s.Unit(ctx, "G")
	if err != nil {
		t.Fatal(err)
	}
	return g, func(id string) *domain.Member {
		return &domain.Member{NationalID: id, IDType: "cccd", FullName: "Lê Thị " + id, DateOfBirth: domain.NewDate(1990, 1, 1),
			Gender: "female", UnitID: g.ID, UnitCode: "G", JoinedOn: domain.NewDate(2020, 1, 1), JoinedHow: domain.JoinedAdmitted}
	}
}

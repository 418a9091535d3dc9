package importer_test

import (
	"strings"
	"testing"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// Field lengths count characters, not bytes: an address of 500 and a code
// of 64 pass; one character more is refused naming the cell, and nothing
// is written.
func TestFieldLengthLimits(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		units := "code,name,parent_code,kind\n"
		_, err := importCSV(t, st, "units", units+"HN,Hà Nội,,federation\n"+strings.Repeat("C", 65)+",Cầu Giấy,HN,upper\n")
		wantCellErr(t, err, "units.csv", 3, "code", "tối đa 64")
		isEmpty(t, st)
		code := strings.Repeat("C", 64)
		mustCSV(t, st, "units", units+"HN,Hà Nội,,federation\n"+code+",Cầu Giấy,HN,upper\n")

		tax := validTax(t, "010000001")
		ents := func(address string) string {
			return "tax_code,name,ownership,employees,unit_code,address\n" + tax + ",Công ty Đông Đô,private,10," + code + "," + address + "\n"
		}
		_, err = importCSV(t, st, "enterprises", ents(strings.Repeat("đ", 501)))
		wantCellErr(t, err, "enterprises.csv", 2, "address", "tối đa 500")
		if _, err := enterprise(t, st, tax); err == nil {
			t.Error("an enterprise was written with a refused address")
		}
		mustCSV(t, st, "enterprises", ents(strings.Repeat("đ", 500)))
		if e, err := enterprise(t, st, tax); err != nil || e.Address != strings.Repeat("đ", 500) || e.UnitCode != code {
			t.Errorf("the longest address and code: %+v %v", e, err)
		}
	})
}

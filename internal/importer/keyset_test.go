package importer

import (
	"testing"

	"congdoan/internal/domain"
)

func TestKeySet(t *testing.T) {
	s := newKeySet()
	for _, k := range []string{"001085012345", "01085012345", "1085012345", "B1234567", "001085012345-2022-01-01", "0"} {
		if !s.add(k) {
			t.Errorf("%q reported as a duplicate the first time", k)
		}
	}
	for _, k := range []string{"001085012345", "01085012345", "B1234567", "0"} {
		if s.add(k) {
			t.Errorf("%q not reported as a duplicate", k)
		}
	}
}

func TestOwnershipWords(t *testing.T) {
	cases := map[string]string{
		"Có vốn đầu tư nước ngoài": "fdi", "DOANH NGHIỆP NHÀ NƯỚC": "state", "Ngoài khu vực Nhà nước": "private",
		"Hợp tác xã": "cooperative", "Nghiệp đoàn cơ sở": "informal", "Đơn vị sự nghiệp": "public", "FDI": "fdi",
	}
	for in, want := range cases {
		errs := []domain.FieldError{}
		r := &row{cells: map[string]string{"ownership": in}, errs: &errs}
		if got := r.choice("ownership", "", unitOwnershipWords); got != want || len(errs) > 0 {
			t.Errorf("%q -> %q %v, want %q", in, got, errs, want)
		}
	}
	// An enterprise is never a cooperative, agency or informal group.
	errs := []domain.FieldError{}
	r := &row{cells: map[string]string{"ownership": "Hợp tác xã"}, errs: &errs}
	if r.choice("ownership", "", enterpriseOwnershipWords); len(errs) != 1 {
		t.Errorf("an enterprise accepted a cooperative ownership")
	}
}

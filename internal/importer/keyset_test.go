package importer

import "testing"

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

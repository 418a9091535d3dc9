package importer_test

// The row cap is a setting of the Importer: the command line
// raises it for a national members file, uploads keep the default.

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"congdoan/internal/importer"
	"congdoan/internal/store"
)

func TestMaxRows(t *testing.T) {
	// A header and five root units: six rows, in CSV and in XLSX.
	var csv strings.Builder
	csv.WriteString("code,name,kind\n")
	for i := 2; i <= 6; i++ {
		fmt.Fprintf(&csv, "U%d,Liên đoàn số %d,federation\n", i, i)
	}
	dir := t.TempDir()
	files := map[string]string{
		"units.csv":  put(t, "units.csv", []byte(csv.String())),
		"units.xlsx": filepath.Join(dir, "units.xlsx"),
	}
	writeXLSX(t, files["units.xlsx"], sheetOf(unitsSheet(6)))
	eachEngine(t, func(t *testing.T, st *store.Store) {
		// Over the cap: refused on the row past it, naming the cap;
		// nothing written.
		for name, path := range files {
			im := &importer.Importer{Store: st, Today: today, MaxRows: 5}
			_, err := im.File(ctx, "units", path, name)
			fe := wantCellErr(t, err, name, 6, "file", "hơn 5 dòng")
			if en := fe.Text.In("en"); !strings.Contains(en, "more than 5 rows") {
				t.Errorf("%s: English message %q", name, en)
			}
			isEmpty(t, st)
		}
		// At the cap, and with zero (the default), it imports.
		for name, path := range files {
			for _, n := range []int{6, 0} {
				im := &importer.Importer{Store: st, Today: today, MaxRows: n}
				sum, err := im.File(ctx, "units", path, name)
				if err != nil || sum.Rows != 5 {
					t.Errorf("%s with MaxRows %d: %d rows, %v", name, n, sum.Rows, err)
				}
			}
		}
	})
}

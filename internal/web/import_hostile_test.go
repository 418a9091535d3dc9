package web_test

import (
	"net/http"
	"strings"
	"testing"

	"congdoan/internal/store"
)

// Hostile import files through the API: 422 naming the row and column,
// never 500, nothing written.
func TestHostileImportAPI(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		before := f.memberCount()
		head := "national_id,full_name,date_of_birth,gender,unit_code,joined_on\n"
		for name, content := range map[string]string{
			"cp1258.csv": head + "001089001234,Nguy\xea\xf2n V\xe3n A,01/01/1989,Nam,CG-A,01/05/2022\n",
			"fffe.csv":   head + "001089001234,\xff\xfeNguyễn Văn A,01/01/1989,Nam,CG-A,01/05/2022\n",
			"nul.csv":    head + "001089001234,Nguyễn\x00Văn A,01/01/1989,Nam,CG-A,01/05/2022\n",
			"long.csv":   head + "001089001234," + strings.Repeat("Nguyễn ", 100000) + ",01/01/1989,Nam,CG-A,01/05/2022\n",
		} {
			code, body := f.upload("members", "lan", name, content)
			if code != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %.300s; want 422", name, code, body)
				continue
			}
			if !strings.Contains(string(body), "full_name") {
				t.Errorf("%s: the answer does not name the column: %.300s", name, body)
			}
			if len(body) > 2000 {
				t.Errorf("%s: an answer of %d bytes", name, len(body))
			}
		}
		if n := f.memberCount(); n != before {
			t.Errorf("members: %d before, %d after", before, n)
		}
	})
}

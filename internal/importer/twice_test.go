package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// The staged members import (loadStaged) finds the national IDs repeated
// in a file in its stage, not in memory (membersHandler.twice). It must
// report exactly what the in-memory check (keySet) reports: the same
// errors on the same rows, each row's in the same order, the whole list
// in the file's order.

var twiceToday = domain.NewDate(2022, 7, 8)

// twiceErrs imports content as members.csv and returns its row errors
// and which rows its preview marks bad: staged, as File imports a file,
// or else in one write transaction with the in-memory check, as a small
// import does. The import must fail.
func twiceErrs(t *testing.T, st *store.Store, content string, staged bool) ([]domain.FieldError, []bool) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "members.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	im := &Importer{Store: st, Today: twiceToday, PreviewRows: 20}
	open := func() (opened, error) {
		tb, line, header, err := im.openFile("members", path, "members.csv")
		return opened{t: tb, header: header, line: line}, err
	}
	sum, err := im.load(context.Background(), "members", "members.csv", open, staged)
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("staged %v: error %v, want row errors", staged, err)
	}
	var bad []bool
	for _, p := range sum.Preview {
		bad = append(bad, p.Bad)
	}
	return ve.Errors, bad
}

// wantSameErrs checks that the staged import of content reports the
// errors of the in-memory check, in the file's order, and that the rows
// reported as repeated are twice.
func wantSameErrs(t *testing.T, st *store.Store, content string, twice ...int) {
	t.Helper()
	staged, stagedBad := twiceErrs(t, st, content, true)
	mem, memBad := twiceErrs(t, st, content, false)
	if !slices.Equal(stagedBad, memBad) {
		t.Errorf("preview rows marked bad: staged %v, in memory %v", stagedBad, memBad)
	}
	// The in-memory path lists the errors of the rules that read the
	// database (flush) after those of the next rows of their batch; the
	// staged one lists every error in the file's order.
	sort.SliceStable(mem, func(i, j int) bool { return mem[i].Row < mem[j].Row })
	show := func(errs []domain.FieldError) []string {
		var out []string
		for _, fe := range errs {
			out = append(out, fmt.Sprintf("%s [%s]", fe.Error(), fe.Text.Key))
		}
		return out
	}
	if got, want := show(staged), show(mem); !slices.Equal(got, want) {
		t.Errorf("staged import's errors:\n%s\nwant the in-memory check's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var rows []int
	for _, fe := range staged {
		if fe.Text.Key == "file.twice" {
			if fe.Field != "national_id" {
				t.Errorf("file.twice on %q, want national_id", fe.Field)
			}
			rows = append(rows, fe.Row)
		}
	}
	if !slices.Equal(rows, twice) {
		t.Errorf("rows reported twice: %v, want %v", rows, twice)
	}
}

// twiceStore is a store with the story of testdata/ up to the transfers:
// members on record, Trần Thị Bình transferred on 1 June.
func twiceStore(t *testing.T, st *store.Store) {
	im := &Importer{Store: st, Today: twiceToday}
	for _, k := range []string{"units", "enterprises", "members", "transfers"} {
		if _, err := im.File(context.Background(), k, filepath.Join("testdata", k+".csv"), k+".csv"); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
	}
}

func TestStagedTwiceAsInMemory(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		twiceStore(t, st)
		const head = "national_id,id_type,full_name,date_of_birth,gender,unit_code,joined_on,joined_how,left_on,party_introduced_on,card_no\n"
		an := "001090000001,,Nguyễn Văn An,1990-05-12,male,CG-A,2022-02-01,admitted,,2022-06-15,CG-0001\n" // on record, as it is
		binh := "001195000002,cccd,Trần Thị Bình,30/11/1995,Nữ,CG-A,2022-03-10,kết nạp,,,\n"               // on record, as it is
		// Bình joining after her transfer of 1 June: refused by flush.
		binhLate := "001195000002,cccd,Trần Thị Bình,30/11/1995,Nữ,CG-A,2022-06-15,kết nạp,,,\n"
		cuong := "079088000003,,Lê Văn Cường,1988-01-01,Nam,CG-B,2022-04-01,chuyển đến,,,CB-0003\n" // on record, changed
		fresh := "001090000101,,Đoàn viên mới,1990-01-01,male,CG-A,2022-02-01,,,,\n"
		content := head +
			an + // 2 (b) unchanged, in keys
			fresh + // 3 (a) new, in members
			"001090000102,,Đơn vị lạ,1990-01-01,male,CG-ZZ,2022-02-01,,,,\n" + // 4 (c) unknown unit: fails in save
			binh + // 5 unchanged
			cuong + // 6 changed, in updates
			an + // 7 (b) twice
			"001090000101,,Vào tương lai,1990-01-01,male,CG-A,2022-08-01,,,,\n" + // 8 (a) twice, then joined in the future
			"001090000102,,Ngày sinh sai,1990-13-01,male,CG-A,2022-02-01,,,,\n" + // 9 (c) a bad date, then twice
			cuong + // 10 twice of an update
			binhLate + // 11 twice: flush's error must not show
			"003090000199,,Mã tỉnh sai,1990-01-01,male,CG-A,2022-02-01,,,,\n" + // 12 a bad ID
			"003090000199,,Mã tỉnh sai,1990-01-01,male,CG-A,2022-02-01,,,,\n" + // 13 the bad ID again
			fresh + // 14 a third time
			",,Không số,1990-01-01,male,CG-A,2022-02-01,,,,\n" + // 15 no ID: never twice
			"001090000102,,Đơn vị lạ,1990-01-01,male,CG-ZZ,2022-02-01,,,,\n" + // 16 twice, then the unit
			binhLate // 17 twice again
		wantSameErrs(t, st, content, 7, 8, 9, 10, 11, 13, 14, 16, 17)

		// A clean file but for one row refused by flush, and a file whose
		// first row is repeated by its last.
		wantSameErrs(t, st, head+an+binhLate+fresh)
		wantSameErrs(t, st, head+fresh+an+cuong+fresh, 5)

		// Across batches: repeated IDs in other batches than their first
		// row, rows refused by flush in between, and the rows' other
		// errors.
		var b strings.Builder
		b.WriteString(head)
		id := func(i int) string { return fmt.Sprintf("001090%06d", 200000+i) }
		var twice []int
		for i := 0; i < 2600; i++ {
			line := i + 2
			switch {
			case i == 700:
				b.WriteString(binhLate) // flush's error stays: Bình's first row
			case i == 1900:
				b.WriteString(binhLate) // twice: flush's error goes
				twice = append(twice, line)
			case i%250 == 249:
				// An ID of 1 100 rows back, half of them joining in the future.
				joined := "2022-02-01"
				if i%500 == 499 {
					joined = "2022-09-01"
				}
				if i >= 1100 {
					fmt.Fprintf(&b, "%s,,Trùng %d,1990-01-01,male,CG-A,%s,,,,\n", id(i-1100), i, joined)
					twice = append(twice, line)
				} else {
					fmt.Fprintf(&b, "%s,,Đoàn viên %d,1990-01-01,male,CG-A,%s,,,,\n", id(i), i, joined)
				}
			case i%333 == 0:
				fmt.Fprintf(&b, "%s,,Đơn vị lạ %d,1990-01-01,male,CG-ZZ,2022-02-01,,,,\n", id(i), i)
			default:
				fmt.Fprintf(&b, "%s,,Đoàn viên %d,1990-01-01,male,CG-A,2022-02-01,,,,\n", id(i), i)
			}
		}
		b.WriteString(an + an) // 2 602, 2 603: unchanged, then twice
		twice = append(twice, 2603)
		wantSameErrs(t, st, b.String(), twice...)

		// Nothing was written.
		if _, err := st.Member(context.Background(), "001090000101"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("member 001090000101: %v, want not found", err)
		}
	})
}

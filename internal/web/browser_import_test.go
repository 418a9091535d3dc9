package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"congdoan/internal/demo"
)

// The import page's preview in a browser (issue 8, part 5): a clerk's
// list with two columns the system does not know is uploaded, checked,
// its columns mapped (one to the unit, one skipped), checked again and
// only then written with "Ghi dữ liệu".
func TestBrowserImportPreview(t *testing.T) {
	app := newDemoApp(t)
	b := app.session(t)
	b.viewport(desktopWidth)
	b.login(demo.User, demo.Password)

	list := "DANH SÁCH ĐOÀN VIÊN KẾT NẠP MỚI,,,,,,\n" +
		"STT,Số CCCD,Họ tên,Ngày tháng năm sinh,Nam/Nữ,Đơn vị,Ngày kết nạp,SĐT\n" +
		"1,001195009901,Lý Thị Mai,01/01/1995,Nữ," + homeUnion + ",10/06/2024,0912345678\n" +
		"2,001096009902,Trịnh Văn Nam,02/02/1996,Nam," + homeUnion + ",11/06/2024,0987654321\n"
	file := filepath.Join(t.TempDir(), "kết nạp.csv")
	if err := os.WriteFile(file, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	if status := b.open("/import"); status != 200 {
		t.Fatalf("/import: %d", status)
	}
	b.do("choose the file",
		chromedp.SetValue(chromedp.ID("kind"), "members"),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}),
	)
	if status := b.submit("#upload"); status != 422 {
		t.Fatalf("the preview with unknown columns: %d: %s", status, b.text("main"))
	}
	if got := b.text("#preview-header-row"); !strings.Contains(got, "dòng 2") {
		t.Errorf("header row: %q", got)
	}
	if got := b.text("#preview-errors"); !strings.Contains(got, "Đơn vị") || !strings.Contains(got, "SĐT") || !strings.Contains(got, "không có cột này") {
		t.Errorf("errors: %q", got)
	}
	if eval[bool](b, `!document.querySelector('#commit').disabled`) {
		t.Error("Ghi dữ liệu is offered with errors")
	}
	b.shot("import-preview-unknown")
	if _, err := app.st.Member(ctx, "001195009901"); err == nil {
		t.Fatal("written before Ghi dữ liệu")
	}

	b.do("map the columns",
		chromedp.SetValue(chromedp.CSS(`select[name="map.donvi"]`), "unit_code"),
		chromedp.SetValue(chromedp.CSS(`select[name="map.sdt"]`), "-"),
	)
	if status := b.submit("#remap-apply"); status != 200 {
		t.Fatalf("after the mapping: %d: %s", status, b.text("main"))
	}
	if got := b.text("#preview-status"); !strings.Contains(got, "2 dòng sẵn sàng") {
		t.Errorf("status: %q", got)
	}
	if got := b.text("#preview-rows"); !strings.Contains(got, "Lý Thị Mai") || !strings.Contains(got, homeUnion) || !strings.Contains(got, "Nữ") {
		t.Errorf("rows: %q", got)
	}
	if got := b.text("#preview-skipped"); !strings.Contains(got, "SĐT") {
		t.Errorf("skipped: %q", got)
	}
	b.shot("import-preview")
	b.viewport(phoneWidth)
	b.noHorizontalScroll("/import (preview)")
	b.shot("import-preview-phone")
	b.viewport(desktopWidth)
	if _, err := app.st.Member(ctx, "001195009901"); err == nil {
		t.Fatal("written before Ghi dữ liệu")
	}

	if status := b.submit("#commit"); status != 200 {
		t.Fatalf("Ghi dữ liệu: %d", status)
	}
	if got := b.text("#import-done"); !strings.Contains(got, "Đã nhập 2 dòng") {
		t.Errorf("summary: %q", got)
	}
	if m, err := app.st.Member(ctx, "001096009902"); err != nil || m.UnitCode != homeUnion {
		t.Errorf("member %+v %v", m, err)
	}
}

package web_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"congdoan/internal/demo"
)

// The import page's preview in a browser: a clerk's
// list with two columns the system does not know is uploaded, checked,
// its columns mapped (one to the unit, one skipped), checked again and
// only then written with "Ghi dữ liệu".
func TestBrowserImportPreview(t *testing.T) {
	app := newDemoApp(t)
	b := app.loggedInTab(t, demo.User, demo.Password, desktopWidth)

	list := "DANH SÁCH ĐOÀN VIÊN KẾT NẠP MỚI,,,,,,\n" +
		"STT,Số CCCD,Họ tên,Ngày tháng năm sinh,Nam/Nữ,Đơn vị,Ngày kết nạp,SĐT\n" +
		"1,001195009901,Lý Thị Mai,01/01/1995,Nữ," + homeUnion + ",10/06/2024,0912345678\n" +
		"2,001096009902,Trịnh Văn Nam,02/02/1996,Nam," + homeUnion + ",11/06/2024,0987654321\n"
	file := filepath.Join(t.TempDir(), "kết nạp.csv")
	if err := os.WriteFile(file, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	b.openWant("/import", 200)
	b.do("choose the file",
		chromedp.SetValue(chromedp.ID("kind"), "members"),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}),
	)
	b.submitWant("#upload", 422, "the preview with unknown columns")
	b.textHas("#preview-header-row", "dòng 2")
	b.textHas("#preview-errors", "Đơn vị", "SĐT", "không có cột này")
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
	b.submitWant("#remap-apply", 200, "after the mapping")
	b.textHas("#preview-status", "2 dòng sẵn sàng")
	b.textHas("#preview-rows", "Lý Thị Mai", homeUnion, "Nữ")
	b.textHas("#preview-skipped", "SĐT")
	b.shot("import-preview")
	b.viewport(phoneWidth)
	b.noHorizontalScroll("/import (preview)")
	b.shot("import-preview-phone")
	b.viewport(desktopWidth)
	if _, err := app.st.Member(ctx, "001195009901"); err == nil {
		t.Fatal("written before Ghi dữ liệu")
	}

	b.submitWant("#commit", 200, "Ghi dữ liệu")
	b.textHas("#import-done", "Đã nhập 2 dòng")
	if m, err := app.st.Member(ctx, "001096009902"); err != nil || m.UnitCode != homeUnion {
		t.Errorf("member %+v %v", m, err)
	}
}

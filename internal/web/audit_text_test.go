package web

import (
	"testing"

	"congdoan/internal/store"
)

// Each action key reads as a sentence of the catalogs in both languages,
// numbers written the language's way; an unknown key shows as it is.
func TestAuditText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		e      store.AuditEntry
		vi, en string
	}{
		{store.AuditEntry{Action: "demo.load", Detail: "1205 units, 3000 enterprises, 56333 members, 410 transfers, 1700 moves"},
			"Nạp dữ liệu mẫu: 1.205 đơn vị, 3.000 doanh nghiệp, 56.333 đoàn viên, 410 lần chuyển sinh hoạt, 1.700 lần chuyển đơn vị",
			"Loaded the demo data: 1,205 units, 3,000 enterprises, 56,333 members, 410 transfers, 1,700 moves"},
		{store.AuditEntry{Action: "demo.load"}, "Nạp dữ liệu mẫu", "Loaded the demo data"},
		{store.AuditEntry{Action: "import.members", Detail: "members.csv: 56333 rows"},
			"Nhập 56.333 đoàn viên từ tệp members.csv", "Imported 56,333 member(s) from members.csv"},
		{store.AuditEntry{Action: "import.units", Detail: "tệp: có dấu hai chấm.xlsx: 2 rows"},
			"Nhập 2 đơn vị từ tệp tệp: có dấu hai chấm.xlsx", "Imported 2 unit(s) from tệp: có dấu hai chấm.xlsx"},
		{store.AuditEntry{Action: "targets.save", Detail: "HN-2022 HN-CG unions_founded: 4 targets"},
			"Giao chỉ tiêu HN-2022 HN-CG unions_founded: 4 chỉ tiêu", "Set the targets HN-2022 HN-CG unions_founded: 4 target(s)"},
		{store.AuditEntry{Action: "user.add", Detail: "lan (manager)"}, "Thêm người dùng lan (Cán bộ phụ trách)", "Added user lan (Manager)"},
		{store.AuditEntry{Action: "unit.found", Detail: "CG-X CĐCS Công ty X (new)"},
			"Thành lập CĐCS: CG-X CĐCS Công ty X (Phương thức mới (Điều 14 Điều lệ))", "Union founded: CG-X CĐCS Công ty X (New method (Article 14 of the Charter))"},
		{store.AuditEntry{Action: "session.login_failed", Detail: "10.0.0.1"}, "Đăng nhập sai mật khẩu: 10.0.0.1", "Failed login: 10.0.0.1"},
		{store.AuditEntry{Action: "session.login"}, "Đăng nhập", "Logged in"},
		{store.AuditEntry{Action: "no.such", Detail: "x"}, "no.such: x", "no.such: x"},
	} {
		if got := auditText(langVI, c.e); got != c.vi {
			t.Errorf("%s %q (vi): %q, want %q", c.e.Action, c.e.Detail, got, c.vi)
		}
		if got := auditText(langEN, c.e); got != c.en {
			t.Errorf("%s %q (en): %q, want %q", c.e.Action, c.e.Detail, got, c.en)
		}
	}
}

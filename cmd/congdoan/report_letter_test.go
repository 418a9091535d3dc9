package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"congdoan/internal/demo"
)

// TestReportLetterFlags: `congdoan report --format pdf` takes the letter's
// number, place, date, recipients and signer from flags and writes them
// into the letterhead and the signature; invalid ones are refused in
// Vietnamese naming the flag, and nothing is written.
func TestReportLetterFlags(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not found: install poppler-utils")
	}
	db := demoDB(t)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "bao-cao.pdf")
	args := []string{"report", "--plan", demo.PlanCode, "--as-of", "08/07/2022", "--format", "pdf", "-o", pdf,
		"--number", "15/BC-LĐLĐ", "--place", "Hà Nội", "--date", "2022-07-09",
		"--recipients", "Tổng Liên đoàn Lao động Việt Nam; Thường trực Thành ủy;Lưu: VT",
		"--signer-title", "TM. BAN THƯỜNG VỤ;CHỦ TỊCH", "--signer", "Nguyễn Phi Thường"}
	if code, out, errs := cli(t, db, "", args...); code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	txt, err := exec.Command(pdftotext, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(txt)), " ")
	for _, want := range []string{"Số: 15/BC-LĐLĐ", "Hà Nội, ngày 09 tháng 7 năm 2022", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Nơi nhận:", "- Thường trực Thành ủy;", "- Lưu: VT.", "TM. BAN THƯỜNG VỤ CHỦ TỊCH", "Nguyễn Phi Thường"} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}

	bad := filepath.Join(dir, "bad.pdf")
	code, _, errs := cli(t, db, "", "report", "--plan", demo.PlanCode, "--format", "pdf", "-o", bad,
		"--signer", strings.Repeat("x", 61), "--signer-title", "A;B;C;D", "--date", "31/02/2022")
	if code == 0 {
		t.Fatal("a bad letter was accepted")
	}
	for _, want := range []string{"--signer: dài 61 ký tự, tối đa 60", "--signer-title: có 4 dòng, tối đa 3", "--date: \"31/02/2022\" không phải là ngày có thật"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*bad*")); len(matches) != 0 {
		t.Errorf("a bad letter left files: %v", matches)
	}
	if code, _, errs := cli(t, db, "", "report", "--plan", demo.PlanCode, "--signer", "X"); code == 0 || !strings.Contains(errs, "chỉ dùng với --format pdf") {
		t.Errorf("--signer with JSON: exit %d %s", code, errs)
	}
}

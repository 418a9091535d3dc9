package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"
)

// Poster is an A4 join poster: a union's (or a workplace's) name, the
// QR code of its join link and the link written out.
type Poster struct {
	// Name is the union's name, or the workplace's where there is no union
	// yet (Upper then names the union that decides).
	Name  string
	Upper string
	URL   string
	// QR is the PNG of the join link's QR code.
	QR []byte
}

// JoinPoster writes a printable A4 poster in Vietnamese, in the report's
// embedded DejaVu Sans, so its text can be searched and copied.
func JoinPoster(w io.Writer, p Poster) (err error) {
	if p.Name == "" || p.URL == "" || len(p.QR) == 0 {
		return errors.New("export: poster: name, URL and QR code are required")
	}
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("export: poster: %v", x)
		}
	}()
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes(family, "", fontRegular)
	f.AddUTF8FontFromBytes(family, "B", fontBold)
	f.SetMargins(20, 20, 20)
	f.SetAutoPageBreak(false, 0)
	f.SetTitle("Gia nhập Công đoàn — "+p.Name, true)
	f.SetCreator("Congdoan", true)
	f.SetLang("vi-VN")
	f.AddPage()
	w0 := pageW - 40
	f.SetTextColor(colPrimary[0], colPrimary[1], colPrimary[2])
	f.SetFont(family, "B", 30)
	f.SetY(28)
	f.MultiCell(w0, 13, "GIA NHẬP CÔNG ĐOÀN", "", "C", false)
	f.SetFont(family, "B", 20)
	f.Ln(4)
	f.MultiCell(w0, 9, p.Name, "", "C", false)
	f.SetTextColor(colInk[0], colInk[1], colInk[2])
	if p.Upper != "" {
		f.SetFont(family, "", 12)
		f.Ln(2)
		f.MultiCell(w0, 6, "Yêu cầu được gửi tới "+p.Upper, "", "C", false)
	}
	f.SetFont(family, "", 15)
	f.Ln(6)
	f.MultiCell(w0, 7.5, "Quét mã QR bằng điện thoại để đăng ký gia nhập Công đoàn Việt Nam. Không cần cài đặt ứng dụng.", "", "C", false)
	const side = 110.0
	y := f.GetY() + 8
	opt := fpdf.ImageOptions{ImageType: "PNG", ReadDpi: false}
	f.RegisterImageOptionsReader("qr", opt, bytes.NewReader(p.QR))
	f.ImageOptions("qr", (pageW-side)/2, y, side, side, false, opt, 0, "")
	f.SetY(y + side + 6)
	f.SetFont(family, "", 11)
	f.MultiCell(w0, 6, "Hoặc mở địa chỉ: "+p.URL, "", "C", false)
	f.Ln(6)
	f.SetFont(family, "", 11)
	f.SetTextColor(colMuted[0], colMuted[1], colMuted[2])
	f.MultiCell(w0, 5.5, "Công đoàn trả lời trong vòng 10 ngày làm việc. Thông tin cá nhân chỉ dùng để kết nạp đoàn viên, theo Nghị định 13/2023/NĐ-CP.", "", "C", false)
	if err := f.Error(); err != nil {
		return fmt.Errorf("export: poster: %w", err)
	}
	return f.Output(w)
}

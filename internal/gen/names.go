// Package gen makes up the people and enterprises of the demo and the
// benchmark data sets: Vietnamese names weighted as in the north, 12-digit
// national IDs (CCCD) and Hanoi tax codes with a valid check digit. Both
// data sets draw from it, so they look alike and a fix lands in both.
package gen

import (
	"math/rand/v2"
	"strings"
)

// Weighted is a list of choices with integer weights.
type Weighted struct {
	items []string
	cum   []int
}

// ParseWeighted reads "Nguyễn:31, Trần:9, Lê": a missing weight is 1.
func ParseWeighted(s string) Weighted {
	var w Weighted
	total := 0
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		name, n := f, 1
		if i := strings.LastIndexByte(f, ':'); i >= 0 {
			name = f[:i]
			n = 0
			for _, c := range f[i+1:] {
				n = n*10 + int(c-'0')
			}
		}
		total += n
		w.items = append(w.items, name)
		w.cum = append(w.cum, total)
	}
	return w
}

// Pick draws one choice; it takes exactly one number from r.
func (w Weighted) Pick(r *rand.Rand) string {
	x := r.IntN(w.cum[len(w.cum)-1])
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if w.cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return w.items[lo]
}

// Vietnamese personal names, weighted roughly as in the north.
var (
	FamilyNames = ParseWeighted("Nguyễn:310, Trần:90, Lê:80, Phạm:70, Vũ:50, Hoàng:40, Đỗ:40, Đặng:30, Bùi:30, " +
		"Phan:20, Ngô:20, Đinh:15, Đào:15, Trịnh:15, Dương:15, Hà:10, Hồ:10, Mai:10, Đoàn:10, Cao:8, " +
		"Lương:8, Trương:8, Tạ:7, Phùng:7, Chu:6, Lưu:6, Kiều:5, Tô:5, Lý:5, Khuất:4, Nghiêm:4, Lại:4, Vương:4, Quách:3, Triệu:3, Khổng:2")
	MiddleMale = ParseWeighted("Văn:300, Đức:80, Minh:80, Quang:60, Hữu:50, Đình:50, Công:50, Xuân:40, Thanh:40, " +
		"Mạnh:40, Quốc:30, Ngọc:30, Tiến:30, Trọng:30, Việt:30, Hoàng:30, Duy:30, Thế:30, Anh:20, Tuấn:20, Trung:20, Huy:20, Khắc:10, Bá:10, Tất:5")
	MiddleFemale = ParseWeighted("Thị:450, Thu:50, Thanh:50, Ngọc:50, Phương:40, Thùy:40, Hồng:40, Minh:40, Kim:30, " +
		"Mai:30, Khánh:30, Lan:20, Bích:20, Hải:20, Thúy:20, Hoài:20, Quỳnh:20, Diệu:10, Bảo:10, Tuyết:10")
	GivenMale = ParseWeighted("Hùng:3, Dũng:3, Tuấn:3, Anh:3, Minh:3, Nam:3, Hải:3, Long:3, Quân:2, Sơn:3, Thắng:3, " +
		"Trung:3, Hiếu:2, Đức:3, Huy:3, Khánh:2, Phong:2, Tùng:2, Cường:3, Bình:2, Thành:3, Hoàng:2, Việt:2, " +
		"Đạt:2, Kiên:2, Lâm:2, Tú:2, Vinh:2, Quang:2, Hưng:2, Toàn:2, Thịnh:1, Hào:1, Hiệp:1, Lộc:1, Phúc:1, " +
		"Tâm:1, Trường:2, Công:1, Duy:2, Hoàn:1, Khải:1, Khoa:1, Mạnh:2, Nghĩa:2, Tài:1, Thái:1, Thuận:1, Tiến:2, " +
		"Vũ:1, Dương:1, Giang:1, Hậu:1, Hiển:1, Hòa:1, Luân:1, Lực:1, Thọ:1, Toản:1, Tuân:1, Chiến:1, Định:1, Kỳ:1, Quyết:1, Sang:1")
	GivenFemale = ParseWeighted("Lan:3, Hương:3, Hoa:3, Mai:3, Linh:3, Trang:3, Hằng:3, Hà:3, Thảo:3, Ngọc:2, Nhung:2, " +
		"Phương:3, Thủy:3, Yến:2, Nga:2, Huyền:3, Dung:2, Hạnh:2, Vân:2, Oanh:2, Loan:2, Thúy:2, Giang:2, Ly:2, " +
		"Chi:2, Anh:3, Quỳnh:2, Nhàn:1, Hiền:2, Thu:2, Hồng:2, Tâm:1, Diệp:1, Liên:1, Huệ:1, Xuân:1, My:1, Vy:1, " +
		"Trinh:1, Nhi:1, Ánh:1, Bích:1, Châu:1, Duyên:2, Hải:1, Hoài:1, Hòa:1, Khánh:1, Lệ:1, Luyến:1, Mỹ:1, " +
		"Nguyệt:1, Phượng:1, Quyên:1, Tuyết:1, Uyên:1, Thơm:1, Thắm:1, Tươi:1, Hường:1, Sen:1, Xoan:1")
)

// PersonName draws a full name: family, middle and given name, the given
// name never the same as the middle one; about one woman in nine named
// "Thị" has a second middle name.
func PersonName(r *rand.Rand, female bool) string {
	family := FamilyNames.Pick(r)
	var middle, given string
	if female {
		middle, given = MiddleFemale.Pick(r), GivenFemale.Pick(r)
		for given == middle {
			given = GivenFemale.Pick(r)
		}
		if middle == "Thị" && r.Float64() < 0.12 {
			second := MiddleFemale.Pick(r)
			if second != "Thị" && second != given {
				middle += " " + second
			}
		}
	} else {
		middle, given = MiddleMale.Pick(r), GivenMale.Pick(r)
		for given == middle {
			given = GivenMale.Pick(r)
		}
	}
	return family + " " + middle + " " + given
}

package demo

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ward is one of the ward (phường) and commune (xã) unions the city
// federation founded on 1 July 2025, when the district level was abolished
// and Hanoi's 30 districts and towns gave way to 126 wards and communes
// (Resolution 1656/NQ-UBTVQH15). The demo founds a subset of them: the ones
// that took over the grassroots unions of the former districts.
type ward struct {
	prefix, name string // "phường", "Ba Đình"
	code         string // "HN-P-BADINH"
	dist         *district
	decision     string
	node         *node
}

func (w *ward) String() string { return w.prefix + " " + w.name }

func (w *ward) place() place { return place{w.prefix, w.name} }

// reformRows lists, for every former district, the new wards and communes
// that took over its grassroots unions and the former wards, communes and
// townships (of places.go) each one covers. The names are the official
// ones of 2025; the split of the former places is simplified (a former ward
// divided between two new ones is given to one). A new ward that covers
// parts of several districts (phường Hồng Hà) is listed under each.
var reformRows = []struct{ district, wards string }{
	{"HN-BD", "phường Ba Đình: Trúc Bạch, Quán Thánh, Điện Biên, Nguyễn Trung Trực; phường Ngọc Hà: Ngọc Hà, Đội Cấn, Liễu Giai, Vĩnh Phúc, Cống Vị; phường Giảng Võ: Giảng Võ, Kim Mã, Thành Công, Ngọc Khánh; phường Hồng Hà: Phúc Xá"},
	{"HN-HK", "phường Hoàn Kiếm: Hàng Bạc, Hàng Bồ, Hàng Đào, Hàng Trống, Tràng Tiền, Lý Thái Tổ, Đồng Xuân; phường Cửa Nam: Cửa Nam, Hàng Bông, Phan Chu Trinh; phường Hồng Hà: Chương Dương, Phúc Tân"},
	{"HN-TH", "phường Tây Hồ: Bưởi, Thụy Khuê, Quảng An, Nhật Tân, Tứ Liên; phường Phú Thượng: Phú Thượng, Xuân La; phường Hồng Hà: Yên Phụ"},
	{"HN-LB", "phường Long Biên: Long Biên, Thạch Bàn, Cự Khối; phường Bồ Đề: Bồ Đề, Gia Thụy, Ngọc Lâm, Ngọc Thụy; phường Việt Hưng: Việt Hưng, Đức Giang, Giang Biên, Thượng Thanh; phường Phúc Lợi: Phúc Lợi, Phúc Đồng, Sài Đồng"},
	{"HN-CG", "phường Cầu Giấy: Dịch Vọng, Dịch Vọng Hậu, Quan Hoa, Mai Dịch; phường Nghĩa Đô: Nghĩa Đô, Nghĩa Tân; phường Yên Hòa: Yên Hòa, Trung Hòa"},
	{"HN-DD", "phường Đống Đa: Trung Liệt, Nam Đồng, Thịnh Quang, Ô Chợ Dừa; phường Kim Liên: Kim Liên, Phương Liên, Trung Tự, Khâm Thiên; phường Văn Miếu - Quốc Tử Giám: Văn Miếu, Quốc Tử Giám, Hàng Bột, Cát Linh; phường Láng: Láng Thượng, Láng Hạ"},
	{"HN-HBT", "phường Hai Bà Trưng: Bùi Thị Xuân, Lê Đại Hành, Phố Huế, Đống Mác, Bạch Đằng; phường Bạch Mai: Bạch Mai, Bách Khoa, Đồng Tâm, Quỳnh Lôi, Trương Định; phường Vĩnh Tuy: Vĩnh Tuy, Thanh Nhàn, Minh Khai"},
	{"HN-HM", "phường Hoàng Mai: Hoàng Văn Thụ, Tân Mai, Giáp Bát, Trần Phú; phường Tương Mai: Tương Mai, Mai Động, Vĩnh Hưng; phường Định Công: Định Công, Đại Kim; phường Hoàng Liệt: Hoàng Liệt, Thịnh Liệt, Yên Sở, Lĩnh Nam"},
	{"HN-TX", "phường Thanh Xuân: Thanh Xuân Bắc, Thanh Xuân Nam, Thanh Xuân Trung, Nhân Chính, Thượng Đình; phường Khương Đình: Khương Đình, Hạ Đình, Kim Giang, Khương Trung; phường Phương Liệt: Phương Liệt, Khương Mai"},
	{"HN-NTL", "phường Từ Liêm: Cầu Diễn, Mỹ Đình 1, Mỹ Đình 2, Mễ Trì, Phú Đô; phường Xuân Phương: Xuân Phương, Phương Canh; phường Tây Mỗ: Tây Mỗ; phường Đại Mỗ: Đại Mỗ, Trung Văn"},
	{"HN-BTL", "phường Xuân Đỉnh: Xuân Đỉnh, Xuân Tảo, Cổ Nhuế 1; phường Đông Ngạc: Đông Ngạc, Đức Thắng, Thụy Phương, Cổ Nhuế 2; phường Phú Diễn: Phú Diễn, Phúc Diễn, Minh Khai; phường Thượng Cát: Thượng Cát, Liên Mạc, Tây Tựu"},
	{"HN-HD", "phường Hà Đông: Quang Trung, Hà Cầu, Vạn Phúc, Phúc La, Mộ Lao, Văn Quán, Yết Kiêu, Phú La; phường Dương Nội: Dương Nội, La Khê; phường Yên Nghĩa: Yên Nghĩa, Đồng Mai, Biên Giang; phường Kiến Hưng: Kiến Hưng, Phú Lãm, Phú Lương"},
	{"HN-ST", "phường Sơn Tây: Lê Lợi, Ngô Quyền, Phú Thịnh, Quang Trung, Sơn Lộc, Viên Sơn; phường Tùng Thiện: Xuân Khanh, Trung Hưng, Trung Sơn Trầm"},
	{"HN-BV", "xã Quảng Oai: Tây Đằng, Phú Sơn, Thụy An; xã Ba Vì: Tản Lĩnh, Ba Trại, Cẩm Lĩnh; xã Yên Bài: Vân Hòa; xã Cổ Đô: Cổ Đô"},
	{"HN-CM", "phường Chương Mỹ: Chúc Sơn, Phụng Châu, Ngọc Hòa, Trường Yên; xã Xuân Mai: Xuân Mai, Thủy Xuân Tiên, Đông Sơn; xã Phú Nghĩa: Phú Nghĩa"},
	{"HN-DP", "xã Đan Phượng: Phùng, Đan Phượng, Song Phượng; xã Ô Diên: Hạ Mỗ, Tân Hội; xã Liên Minh: Liên Trung, Tân Lập"},
	{"HN-DA", "xã Đông Anh: Đông Anh, Uy Nỗ, Cổ Loa, Mai Lâm; xã Vĩnh Thanh: Kim Chung, Hải Bối, Vĩnh Ngọc; xã Thiên Lộc: Vân Nội, Nguyên Khê; xã Phúc Thịnh: Xuân Nộn"},
	{"HN-GL", "xã Gia Lâm: Trâu Quỳ, Dương Xá, Kiêu Kỵ, Phú Thị, Cổ Bi; xã Bát Tràng: Bát Tràng, Đa Tốn; xã Phù Đổng: Ninh Hiệp, Yên Viên"},
	{"HN-HDU", "xã Hoài Đức: Trạm Trôi, Đức Thượng, Kim Chung, Di Trạch; xã Sơn Đồng: Sơn Đồng, Lại Yên, Vân Canh; xã An Khánh: An Khánh"},
	{"HN-ML", "xã Quang Minh: Quang Minh, Chi Đông, Kim Hoa; xã Mê Linh: Mê Linh, Đại Thịnh, Tiền Phong; xã Yên Lãng: Thanh Lâm, Tam Đồng"},
	{"HN-MD", "xã Mỹ Đức: Đại Nghĩa, Phù Lưu Tế, Phúc Lâm; xã Hương Sơn: Hương Sơn, An Phú; xã Hồng Sơn: Hợp Thanh"},
	{"HN-PX", "xã Phú Xuyên: Phú Xuyên, Phú Minh, Nam Phong; xã Phượng Dực: Phúc Tiến, Minh Tân; xã Chuyên Mỹ: Chuyên Mỹ"},
	{"HN-PT", "xã Phúc Thọ: Phúc Thọ, Võng Xuyên; xã Phúc Lộc: Sen Phương, Ngọc Tảo; xã Hát Môn: Hát Môn, Tam Hiệp"},
	{"HN-QO", "xã Quốc Oai: Quốc Oai, Thạch Thán, Sài Sơn, Phượng Cách; xã Phú Cát: Phú Cát; xã Kiều Phú: Ngọc Liệp"},
	{"HN-SS", "xã Sóc Sơn: Sóc Sơn, Tiên Dược; xã Nội Bài: Mai Đình, Quang Tiến, Phú Cường; xã Đa Phúc: Phù Lỗ; xã Kim Anh: Minh Phú"},
	{"HN-TT", "xã Thạch Thất: Liên Quan, Kim Quan; xã Tây Phương: Phùng Xá, Hữu Bằng, Bình Phú; xã Hòa Lạc: Thạch Hòa, Cần Kiệm"},
	{"HN-TO", "xã Thanh Oai: Kim Bài, Thanh Thùy; xã Bình Minh: Bình Minh, Bích Hòa, Cự Khê; xã Tam Hưng: Tam Hưng"},
	{"HN-TTR", "xã Thanh Trì: Văn Điển, Tứ Hiệp, Ngũ Hiệp, Yên Mỹ; xã Đại Thanh: Tân Triều, Tam Hiệp, Vĩnh Quỳnh"},
	{"HN-THT", "xã Thường Tín: Thường Tín, Khánh Hà, Nhị Khê, Duyên Thái; xã Thượng Phúc: Hà Hồi, Tô Hiệu; xã Hồng Vân: Vân Tảo"},
	{"HN-UH", "xã Vân Đình: Vân Đình, Liên Bạt, Phương Tú; xã Hòa Xá: Hòa Xá; xã Ứng Hòa: Hòa Phú, Trầm Lộng"},
}

// wardTable is the parsed reformRows: the wards in order of first mention,
// the ward of each (district, former place), and each district's first
// ward, which takes the district's own offices.
type wardTable struct {
	wards []*ward
	at    map[[2]string]*ward
	first map[string]*ward
}

func parseWards() *wardTable {
	t := &wardTable{at: map[[2]string]*ward{}, first: map[string]*ward{}}
	byName := map[string]*ward{}
	dists := map[string]*district{}
	for _, d := range districts {
		dists[d.code] = d
	}
	for _, row := range reformRows {
		d := dists[row.district]
		if d == nil {
			panic("demo: reform of an unknown district " + row.district)
		}
		for _, part := range strings.Split(row.wards, ";") {
			head, list, _ := strings.Cut(part, ":")
			prefix, name, _ := strings.Cut(strings.TrimSpace(head), " ")
			w := byName[prefix+" "+name]
			if w == nil {
				letter := "P"
				if prefix == "xã" {
					letter = "X"
				}
				w = &ward{prefix: prefix, name: name, code: "HN-" + letter + "-" + asciiCode(name), dist: d}
				byName[prefix+" "+name] = w
				t.wards = append(t.wards, w)
			}
			if t.first[d.code] == nil {
				t.first[d.code] = w
			}
			for _, p := range strings.Split(list, ",") {
				if p = strings.TrimSpace(p); p != "" {
					t.at[[2]string{d.code, p}] = w
				}
			}
		}
	}
	return t
}

// of returns the ward that took over a unit of district d located at p.
func (t *wardTable) of(d *district, p place) *ward {
	if w := t.at[[2]string{d.code, p.name}]; w != nil {
		return w
	}
	return t.first[d.code]
}

// asciiCode folds a Vietnamese name into code letters: "Văn Miếu - Quốc Tử
// Giám" -> "VANMIEUQUOCTUGIAM".
func asciiCode(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == 'đ' || r == 'Đ':
			sb.WriteRune('D')
		case unicode.Is(unicode.Mn, r):
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			sb.WriteRune(unicode.ToUpper(r))
		}
	}
	return sb.String()
}

package demo

import "strings"

// place is a ward, commune or township: "phường Dịch Vọng".
type place struct{ prefix, name string }

func (p place) String() string { return p.prefix + " " + p.name }

// district is one of Hanoi's 30 districts and towns in 2022 with its
// federation of labour (LĐLĐ), an upper union directly above the grassroots.
type district struct {
	code   string
	prefix string // quận, huyện, thị xã
	name   string
	places []place
	quota
}

// quota are the grassroots unions a district or a sector founds in the
// window (founded) and in May 2022 (may), and those of them founded by the
// new method (newMethod).
type quota struct{ founded, may, newMethod int }

func (d *district) String() string { return d.prefix + " " + d.name }

// parsePlaces reads "Dịch Vọng, Mai Dịch, TT Chúc Sơn": names of wards
// (phường) in a quận or town, of communes (xã) in a huyện; "TT " marks a
// township (thị trấn).
func parsePlaces(districtPrefix, s string) []place {
	var out []place
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		switch {
		case strings.HasPrefix(n, "TT "):
			out = append(out, place{"thị trấn", strings.TrimPrefix(n, "TT ")})
		case districtPrefix == "huyện":
			out = append(out, place{"xã", n})
		default:
			out = append(out, place{"phường", n})
		}
	}
	return out
}

// districts of Hanoi in 2022: 12 urban districts, 1 town, 17 rural
// districts. The founding figures are the demo's: Cầu Giấy, Nam Từ Liêm,
// Thanh Xuân and Mê Linh lead May 2022, as the report says.
var districts = func() []*district {
	rows := []struct {
		code, prefix, name, places string
		founded, may, newMethod    int
	}{
		{"HN-BD", "quận", "Ba Đình", "Phúc Xá, Trúc Bạch, Vĩnh Phúc, Cống Vị, Liễu Giai, Ngọc Hà, Đội Cấn, Kim Mã, Giảng Võ, Thành Công, Điện Biên, Quán Thánh, Ngọc Khánh, Nguyễn Trung Trực", 9, 2, 1},
		{"HN-HK", "quận", "Hoàn Kiếm", "Hàng Bạc, Hàng Bồ, Hàng Đào, Hàng Trống, Tràng Tiền, Lý Thái Tổ, Phan Chu Trinh, Cửa Nam, Hàng Bông, Đồng Xuân, Chương Dương, Phúc Tân", 8, 2, 1},
		{"HN-TH", "quận", "Tây Hồ", "Bưởi, Nhật Tân, Quảng An, Thụy Khuê, Xuân La, Yên Phụ, Tứ Liên, Phú Thượng", 6, 2, 1},
		{"HN-LB", "quận", "Long Biên", "Bồ Đề, Gia Thụy, Ngọc Lâm, Ngọc Thụy, Phúc Đồng, Sài Đồng, Thạch Bàn, Long Biên, Việt Hưng, Đức Giang, Giang Biên, Cự Khối, Phúc Lợi, Thượng Thanh", 9, 2, 1},
		{"HN-CG", "quận", "Cầu Giấy", "Dịch Vọng, Dịch Vọng Hậu, Mai Dịch, Nghĩa Đô, Nghĩa Tân, Quan Hoa, Trung Hòa, Yên Hòa", 20, 9, 1},
		{"HN-DD", "quận", "Đống Đa", "Cát Linh, Hàng Bột, Khâm Thiên, Kim Liên, Láng Hạ, Láng Thượng, Ô Chợ Dừa, Phương Liên, Quốc Tử Giám, Trung Liệt, Văn Miếu, Thịnh Quang, Trung Tự, Nam Đồng", 10, 3, 1},
		{"HN-HBT", "quận", "Hai Bà Trưng", "Bạch Đằng, Bách Khoa, Bùi Thị Xuân, Đống Mác, Lê Đại Hành, Minh Khai, Quỳnh Lôi, Thanh Nhàn, Trương Định, Vĩnh Tuy, Bạch Mai, Đồng Tâm, Phố Huế", 10, 3, 1},
		{"HN-HM", "quận", "Hoàng Mai", "Đại Kim, Định Công, Giáp Bát, Hoàng Liệt, Hoàng Văn Thụ, Lĩnh Nam, Mai Động, Tân Mai, Thịnh Liệt, Trần Phú, Tương Mai, Vĩnh Hưng, Yên Sở", 9, 2, 1},
		{"HN-TX", "quận", "Thanh Xuân", "Hạ Đình, Khương Đình, Khương Mai, Khương Trung, Kim Giang, Nhân Chính, Phương Liệt, Thanh Xuân Bắc, Thanh Xuân Nam, Thanh Xuân Trung, Thượng Đình", 16, 7, 1},
		{"HN-NTL", "quận", "Nam Từ Liêm", "Cầu Diễn, Đại Mỗ, Mễ Trì, Mỹ Đình 1, Mỹ Đình 2, Phú Đô, Phương Canh, Tây Mỗ, Trung Văn, Xuân Phương", 18, 8, 1},
		{"HN-BTL", "quận", "Bắc Từ Liêm", "Cổ Nhuế 1, Cổ Nhuế 2, Đông Ngạc, Đức Thắng, Liên Mạc, Minh Khai, Phú Diễn, Phúc Diễn, Tây Tựu, Thượng Cát, Thụy Phương, Xuân Đỉnh, Xuân Tảo", 9, 2, 1},
		{"HN-HD", "quận", "Hà Đông", "Biên Giang, Dương Nội, Đồng Mai, Hà Cầu, Kiến Hưng, La Khê, Mộ Lao, Phú La, Phú Lãm, Phú Lương, Phúc La, Quang Trung, Vạn Phúc, Văn Quán, Yên Nghĩa, Yết Kiêu", 10, 3, 1},
		{"HN-ST", "thị xã", "Sơn Tây", "Lê Lợi, Ngô Quyền, Phú Thịnh, Quang Trung, Sơn Lộc, Trung Hưng, Viên Sơn, Xuân Khanh, Trung Sơn Trầm", 4, 1, 1},
		{"HN-BV", "huyện", "Ba Vì", "TT Tây Đằng, Ba Trại, Cẩm Lĩnh, Tản Lĩnh, Vân Hòa, Thụy An, Phú Sơn, Cổ Đô", 3, 1, 0},
		{"HN-CM", "huyện", "Chương Mỹ", "TT Chúc Sơn, TT Xuân Mai, Phụng Châu, Ngọc Hòa, Thủy Xuân Tiên, Đông Sơn, Trường Yên, Phú Nghĩa", 6, 1, 1},
		{"HN-DP", "huyện", "Đan Phượng", "TT Phùng, Tân Hội, Tân Lập, Đan Phượng, Hạ Mỗ, Liên Trung, Song Phượng", 4, 1, 1},
		{"HN-DA", "huyện", "Đông Anh", "TT Đông Anh, Kim Chung, Nguyên Khê, Uy Nỗ, Vân Nội, Hải Bối, Vĩnh Ngọc, Xuân Nộn, Cổ Loa, Mai Lâm", 9, 2, 1},
		{"HN-GL", "huyện", "Gia Lâm", "TT Trâu Quỳ, TT Yên Viên, Ninh Hiệp, Dương Xá, Kiêu Kỵ, Bát Tràng, Đa Tốn, Phú Thị, Cổ Bi", 8, 2, 1},
		{"HN-HDU", "huyện", "Hoài Đức", "TT Trạm Trôi, Kim Chung, An Khánh, Lại Yên, Vân Canh, Đức Thượng, Di Trạch, Sơn Đồng", 7, 2, 1},
		{"HN-ML", "huyện", "Mê Linh", "TT Quang Minh, TT Chi Đông, Tiền Phong, Mê Linh, Đại Thịnh, Kim Hoa, Thanh Lâm, Tam Đồng", 16, 7, 1},
		{"HN-MD", "huyện", "Mỹ Đức", "TT Đại Nghĩa, Hương Sơn, An Phú, Phù Lưu Tế, Hợp Thanh, Phúc Lâm", 2, 0, 0},
		{"HN-PX", "huyện", "Phú Xuyên", "TT Phú Xuyên, TT Phú Minh, Minh Tân, Chuyên Mỹ, Phúc Tiến, Nam Phong", 4, 1, 1},
		{"HN-PT", "huyện", "Phúc Thọ", "TT Phúc Thọ, Võng Xuyên, Ngọc Tảo, Tam Hiệp, Hát Môn, Sen Phương", 3, 1, 1},
		{"HN-QO", "huyện", "Quốc Oai", "TT Quốc Oai, Phú Cát, Ngọc Liệp, Sài Sơn, Thạch Thán, Phượng Cách", 5, 1, 1},
		{"HN-SS", "huyện", "Sóc Sơn", "TT Sóc Sơn, Phù Lỗ, Mai Đình, Quang Tiến, Minh Phú, Tiên Dược, Phú Cường", 6, 1, 1},
		{"HN-TT", "huyện", "Thạch Thất", "TT Liên Quan, Bình Phú, Phùng Xá, Thạch Hòa, Hữu Bằng, Cần Kiệm, Kim Quan", 6, 1, 1},
		{"HN-TO", "huyện", "Thanh Oai", "TT Kim Bài, Bích Hòa, Cự Khê, Tam Hưng, Thanh Thùy, Bình Minh", 4, 1, 1},
		{"HN-TTR", "huyện", "Thanh Trì", "TT Văn Điển, Tứ Hiệp, Ngũ Hiệp, Tân Triều, Tam Hiệp, Vĩnh Quỳnh, Yên Mỹ", 7, 2, 1},
		{"HN-THT", "huyện", "Thường Tín", "TT Thường Tín, Hà Hồi, Vân Tảo, Duyên Thái, Khánh Hà, Nhị Khê, Tô Hiệu", 5, 1, 1},
		{"HN-UH", "huyện", "Ứng Hòa", "TT Vân Đình, Liên Bạt, Phương Tú, Hòa Xá, Trầm Lộng, Hòa Phú", 2, 0, 0},
	}
	out := make([]*district, len(rows))
	for i, r := range rows {
		out[i] = &district{code: r.code, prefix: r.prefix, name: r.name,
			places: parsePlaces(r.prefix, r.places), quota: quota{r.founded, r.may, r.newMethod}}
	}
	return out
}()

// zone is one of Hanoi's industrial and export-processing zones, whose
// enterprises' unions answer to the industrial-zones union (HN-KCN).
type zone struct {
	name     string
	place    place
	district string // code of the district it lies in
}

var zones = []zone{
	{"KCN Thăng Long", place{"xã", "Kim Chung"}, "HN-DA"},
	{"KCN Thăng Long", place{"xã", "Hải Bối"}, "HN-DA"},
	{"KCN Nội Bài", place{"xã", "Quang Tiến"}, "HN-SS"},
	{"KCN Quang Minh", place{"thị trấn", "Quang Minh"}, "HN-ML"},
	{"KCN Sài Đồng B", place{"phường", "Thạch Bàn"}, "HN-LB"},
	{"KCN Hà Nội - Đài Tư", place{"phường", "Sài Đồng"}, "HN-LB"},
	{"KCN Nam Thăng Long", place{"phường", "Thụy Phương"}, "HN-BTL"},
	{"KCN Thạch Thất - Quốc Oai", place{"xã", "Phùng Xá"}, "HN-TT"},
	{"KCN Phú Nghĩa", place{"xã", "Phú Nghĩa"}, "HN-CM"},
	{"KCN Bắc Thường Tín", place{"xã", "Duyên Thái"}, "HN-THT"},
}

// sectorKind says what kind of organisation a non-district upper union is.
type sectorKind int

const (
	secDistrict sectorKind = iota
	secZones
	secTransport
	secEducation
	secHealth
	secConstruction
	secIndustry
	secAgriculture
	secCorpTransport
	secCorpTourism
)

// sector is an upper union that is not a district federation: the city's
// sector unions, the industrial-zones union and two corporations' unions.
type sector struct {
	code, name string
	kind       sectorKind
	decision   string // suffix of its decision numbers
	existing   int    // grassroots unions founded before 2022
	quota
}

var sectors = []*sector{
	{"HN-KCN", "Công đoàn các Khu công nghiệp và chế xuất Hà Nội", secZones, "QĐ-CĐKCN", 46, quota{40, 14, 2}},
	{"HN-GTVT", "Công đoàn ngành Giao thông vận tải Hà Nội", secTransport, "QĐ-CĐN", 12, quota{6, 2, 1}},
	{"HN-GD", "Công đoàn ngành Giáo dục Hà Nội", secEducation, "QĐ-CĐN", 22, quota{2, 0, 1}},
	{"HN-YT", "Công đoàn ngành Y tế Hà Nội", secHealth, "QĐ-CĐN", 14, quota{2, 1, 1}},
	{"HN-XD", "Công đoàn ngành Xây dựng Hà Nội", secConstruction, "QĐ-CĐN", 12, quota{8, 2, 1}},
	{"HN-CT", "Công đoàn ngành Công Thương Hà Nội", secIndustry, "QĐ-CĐN", 14, quota{9, 3, 1}},
	{"HN-NN", "Công đoàn ngành Nông nghiệp và Phát triển nông thôn Hà Nội", secAgriculture, "QĐ-CĐN", 8, quota{2, 0, 1}},
	{"HN-TCTVT", "Công đoàn Tổng công ty Vận tải Hà Nội", secCorpTransport, "QĐ-CĐTCT", 8, quota{1, 0, 0}},
	{"HN-TCTDL", "Công đoàn Tổng công ty Du lịch Hà Nội", secCorpTourism, "QĐ-CĐTCT", 6, quota{1, 1, 0}},
}

// Public grassroots units of the city's sectors (existing before 2022).
var (
	highSchools = []string{
		"Chu Văn An", "Kim Liên", "Việt Đức", "Trần Phú - Hoàn Kiếm", "Phan Đình Phùng",
		"Nguyễn Trãi - Ba Đình", "Yên Hòa", "Cầu Giấy", "Nhân Chính", "Trần Hưng Đạo - Thanh Xuân",
		"Lê Quý Đôn - Hà Đông", "Quang Trung - Hà Đông", "Xuân Đỉnh", "Thượng Cát", "Đại Mỗ",
		"Trung Văn", "Đông Anh", "Liên Hà", "Cổ Loa", "Sóc Sơn", "Mê Linh", "Quang Minh",
		"Sơn Tây", "Tùng Thiện", "Ba Vì", "Ngô Quyền - Ba Vì", "Chúc Động", "Xuân Mai",
	}
	newHighSchool = "Trường THPT Lê Văn Thiêm"
	hospitals     = []string{
		"Bệnh viện Đa khoa Xanh Pôn", "Bệnh viện Thanh Nhàn", "Bệnh viện Đa khoa Đức Giang",
		"Bệnh viện Đống Đa", "Bệnh viện Tim Hà Nội", "Bệnh viện Phụ sản Hà Nội",
		"Bệnh viện Nhi Hà Nội", "Bệnh viện Ung bướu Hà Nội", "Bệnh viện Đa khoa Hà Đông",
		"Bệnh viện Đa khoa Sơn Tây", "Bệnh viện Thận Hà Nội", "Bệnh viện Mắt Hà Nội",
		"Bệnh viện Đa khoa huyện Ba Vì", "Bệnh viện Đa khoa huyện Đông Anh",
		"Trung tâm Cấp cứu 115 Hà Nội", "Trung tâm Kiểm soát bệnh tật thành phố Hà Nội",
	}
	corpTransportUnits = []string{
		"Cơ quan Tổng công ty Vận tải Hà Nội", "Xí nghiệp Xe buýt Thăng Long", "Xí nghiệp Xe buýt 10-10",
		"Xí nghiệp Xe buýt Hà Nội", "Xí nghiệp Xe buýt Yên Viên", "Xí nghiệp Xe buýt nhanh BRT Hà Nội",
		"Trung tâm Điều hành và Quản lý Xe buýt", "Xí nghiệp Toyota Hoàn Kiếm",
	}
	corpTransportNew = "Xí nghiệp Dịch vụ Bảo dưỡng Phương tiện"
	corpTourismUnits = []string{
		"Cơ quan Tổng công ty Du lịch Hà Nội", "Công ty Lữ hành Hanoitourist", "Khách sạn Hồ Tây",
		"Khách sạn Phố Cổ", "Trung tâm Dịch vụ Du lịch Hà Nội", "Công ty Vận chuyển Khách Du lịch",
	}
)

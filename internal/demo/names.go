package demo

import "strings"

// weighted is a list of choices with integer weights: "Nguyễn:31 Trần:9".
type weighted struct {
	items []string
	cum   []int
}

func parseWeighted(s string) weighted {
	var w weighted
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

func (w weighted) pick(b *builder) string {
	x := b.r.IntN(w.cum[len(w.cum)-1])
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
	familyNames = parseWeighted("Nguyễn:310, Trần:90, Lê:80, Phạm:70, Vũ:50, Hoàng:40, Đỗ:40, Đặng:30, Bùi:30, " +
		"Phan:20, Ngô:20, Đinh:15, Đào:15, Trịnh:15, Dương:15, Hà:10, Hồ:10, Mai:10, Đoàn:10, Cao:8, " +
		"Lương:8, Trương:8, Tạ:7, Phùng:7, Chu:6, Lưu:6, Kiều:5, Tô:5, Lý:5, Khuất:4, Nghiêm:4, Lại:4, Vương:4, Quách:3, Triệu:3, Khổng:2")
	middleMale = parseWeighted("Văn:300, Đức:80, Minh:80, Quang:60, Hữu:50, Đình:50, Công:50, Xuân:40, Thanh:40, " +
		"Mạnh:40, Quốc:30, Ngọc:30, Tiến:30, Trọng:30, Việt:30, Hoàng:30, Duy:30, Thế:30, Anh:20, Tuấn:20, Trung:20, Huy:20, Khắc:10, Bá:10, Tất:5")
	middleFemale = parseWeighted("Thị:450, Thu:50, Thanh:50, Ngọc:50, Phương:40, Thùy:40, Hồng:40, Minh:40, Kim:30, " +
		"Mai:30, Khánh:30, Lan:20, Bích:20, Hải:20, Thúy:20, Hoài:20, Quỳnh:20, Diệu:10, Bảo:10, Tuyết:10")
	givenMale = parseWeighted("Hùng:3, Dũng:3, Tuấn:3, Anh:3, Minh:3, Nam:3, Hải:3, Long:3, Quân:2, Sơn:3, Thắng:3, " +
		"Trung:3, Hiếu:2, Đức:3, Huy:3, Khánh:2, Phong:2, Tùng:2, Cường:3, Bình:2, Thành:3, Hoàng:2, Việt:2, " +
		"Đạt:2, Kiên:2, Lâm:2, Tú:2, Vinh:2, Quang:2, Hưng:2, Toàn:2, Thịnh:1, Hào:1, Hiệp:1, Lộc:1, Phúc:1, " +
		"Tâm:1, Trường:2, Công:1, Duy:2, Hoàn:1, Khải:1, Khoa:1, Mạnh:2, Nghĩa:2, Tài:1, Thái:1, Thuận:1, Tiến:2, " +
		"Vũ:1, Dương:1, Giang:1, Hậu:1, Hiển:1, Hòa:1, Luân:1, Lực:1, Thọ:1, Toản:1, Tuân:1, Chiến:1, Định:1, Kỳ:1, Quyết:1, Sang:1")
	givenFemale = parseWeighted("Lan:3, Hương:3, Hoa:3, Mai:3, Linh:3, Trang:3, Hằng:3, Hà:3, Thảo:3, Ngọc:2, Nhung:2, " +
		"Phương:3, Thủy:3, Yến:2, Nga:2, Huyền:3, Dung:2, Hạnh:2, Vân:2, Oanh:2, Loan:2, Thúy:2, Giang:2, Ly:2, " +
		"Chi:2, Anh:3, Quỳnh:2, Nhàn:1, Hiền:2, Thu:2, Hồng:2, Tâm:1, Diệp:1, Liên:1, Huệ:1, Xuân:1, My:1, Vy:1, " +
		"Trinh:1, Nhi:1, Ánh:1, Bích:1, Châu:1, Duyên:2, Hải:1, Hoài:1, Hòa:1, Khánh:1, Lệ:1, Luyến:1, Mỹ:1, " +
		"Nguyệt:1, Phượng:1, Quyên:1, Tuyết:1, Uyên:1, Thơm:1, Thắm:1, Tươi:1, Hường:1, Sen:1, Xoan:1")
)

// Birth provinces (CCCD codes) of Hanoi's workers: most born in Hanoi, the
// rest mostly in the Red River delta and the northern midlands.
var (
	birthProvinces = parseWeighted("001:520, 034:50, 036:45, 038:45, 040:35, 030:35, 033:35, 035:30, 037:25, " +
		"026:25, 027:20, 024:20, 025:20, 019:15, 017:15, 022:10, 031:10, 042:10, 014:5, 015:5, 008:5, 010:3, " +
		"020:5, 002:3, 004:3, 006:2, 044:4, 045:3, 046:3, 048:2, 079:3, 052:2")
	// Members who joined by transfer came from unions of other provinces.
	outsideProvinces = parseWeighted("034:5, 036:5, 038:5, 040:5, 030:4, 033:4, 035:3, 037:3, 026:3, 027:3, 024:3, " +
		"031:3, 022:2, 048:2, 079:3, 074:2, 075:2, 092:1")
)

// Words for enterprise names.
var (
	brands = strings.Split("An Phát, Minh Long, Thành Công, Hưng Thịnh, Đại Việt, Phú Gia, Tân Á, Hồng Hà, "+
		"Thăng Long, Kim Long, Trường Sơn, Hoàng Gia, Nam Việt, Bắc Hà, Phúc An, Việt Hưng, Sao Mai, Quang Minh, "+
		"Hà Thành, Tràng An, Đông Đô, Thủ Đô, Hòa Bình, Phương Đông, Ánh Dương, Sông Hồng, Hồ Gươm, Hải Đăng, "+
		"Bình Minh, Toàn Cầu, Vạn Xuân, Kinh Bắc, Lạc Hồng, Đức Thành, Gia Bảo, Thịnh Phát, Hợp Nhất, Tiến Đạt, "+
		"Trí Việt, Hưng Phát, Việt Á, Vĩnh Phát, Nam Sơn, Đại Dương, An Bình, Phú Thịnh, Tân Phong, Hòa Phong, "+
		"Minh Anh, Ngọc Lan, Thiên Phú, Hải Nam, Bảo An, Đông Á, Tây Bắc, Việt Tiến, Nhật Minh, Song Long, Kim Sơn", ", ")
	fdiStems = strings.Split("Daeil, Seojin, Hanmi, Sungwoo, Jinyang, Dongbang, Haesung, Youngchang, Myungjin, "+
		"Woojin, Kwangil, Sehwa, Bumjin, Nishida, Kawamura, Shinsei, Toyokuni, Matsuo, Hoshino, Okamoto, Takara, "+
		"Kiyomi, Hongfa, Jinwei, Tianyi, Ruixin, Dingsheng, Meiwa, Sanyo Seiki, Hanil, Daedong, Kyungil", ", ")
	fdiTrades = strings.Split("Điện tử, Linh kiện Điện tử, Cơ khí Chính xác, May mặc, Nhựa, Bao bì, Công nghệ, "+
		"Kỹ thuật, Quang học, Vật liệu mới, Khuôn mẫu, Dây cáp điện, Thiết bị Điện, Phụ tùng Ô tô, Mạch in", ", ")
	privateTrades = strings.Split("Thương mại và Dịch vụ, Đầu tư Xây dựng, Công nghệ, Dược phẩm, Thực phẩm, May, "+
		"Vận tải, In và Bao bì, Cơ điện, Nội thất, Cơ khí, Giải pháp Phần mềm, Truyền thông, Thiết bị Y tế, "+
		"Môi trường, Dịch vụ Bảo vệ, Nhựa, Điện lạnh, Thời trang, Logistics, Đầu tư và Phát triển, Kỹ thuật Điện", ", ")
	stateTrades = strings.Split("Môi trường Đô thị, Công viên Cây xanh, Thoát nước, Chiếu sáng và Thiết bị Đô thị, "+
		"Nước sạch, Quản lý và Phát triển Nhà, Đầu tư Phát triển Thủy lợi, Dịch vụ Công ích, In, Xuất nhập khẩu", ", ")
	sectorTrades = map[sectorKind][]string{
		secTransport:    strings.Split("Vận tải, Vận tải Hành khách, Taxi, Logistics, Dịch vụ Vận tải, Xe khách, Giao nhận Hàng hóa", ", "),
		secConstruction: strings.Split("Đầu tư Xây dựng, Xây dựng, Tư vấn Thiết kế Xây dựng, Vật liệu Xây dựng, Bê tông, Xây lắp, Cơ điện Công trình", ", "),
		secIndustry:     strings.Split("Thương mại, Cơ khí, Điện tử, Dệt may, Thực phẩm, Đồ uống, Hóa chất, Da giày", ", "),
		secAgriculture:  strings.Split("Giống cây trồng, Nông sản, Chăn nuôi, Thủy sản, Phân bón, Thức ăn Chăn nuôi", ", "),
		secHealth:       strings.Split("Bệnh viện Đa khoa, Phòng khám Đa khoa, Dược phẩm, Thiết bị Y tế", ", "),
		secEducation:    strings.Split("Giáo dục, Giáo dục và Đào tạo", ", "),
		secCorpTourism:  strings.Split("Du lịch, Khách sạn, Lữ hành", ", "),
	}
	privateForms = parseWeighted("Công ty TNHH:5, Công ty Cổ phần:4, Công ty TNHH MTV:1")
)

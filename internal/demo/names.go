package demo

import (
	"strings"

	"congdoan/internal/gen"
)

// Birth provinces (CCCD codes) of Hanoi's workers: most born in Hanoi, the
// rest mostly in the Red River delta and the northern midlands.
var (
	birthProvinces = gen.ParseWeighted("001:520, 034:50, 036:45, 038:45, 040:35, 030:35, 033:35, 035:30, 037:25, " +
		"026:25, 027:20, 024:20, 025:20, 019:15, 017:15, 022:10, 031:10, 042:10, 014:5, 015:5, 008:5, 010:3, " +
		"020:5, 002:3, 004:3, 006:2, 044:4, 045:3, 046:3, 048:2, 079:3, 052:2")
	// Members who joined by transfer came from unions of other provinces.
	outsideProvinces = gen.ParseWeighted("034:5, 036:5, 038:5, 040:5, 030:4, 033:4, 035:3, 037:3, 026:3, 027:3, 024:3, " +
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
	privateForms = gen.ParseWeighted("Công ty TNHH:5, Công ty Cổ phần:4, Công ty TNHH MTV:1")
)

package domain

import (
	"strings"

	"congdoan/internal/msg"
)

// cccdProvinces are the 63 province codes that open a 12-digit citizen ID
// (the province where the birth was registered; the 2025 mergers left the
// table unchanged).
var cccdProvinces = map[string]string{
	"001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
	"008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
	"014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
	"020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
	"026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
	"033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
	"037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
	"044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
	"049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
	"056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
	"064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
	"070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
	"077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
	"083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
	"089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
	"094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

// CCCDProvince names the province of a CCCD province code, or "".
func CCCDProvince(code string) string { return cccdProvinces[code] }

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// ValidateNationalID checks a member's identity document. A 12-digit CCCD
// must carry an official province code and a century-and-sex digit and year
// digits that agree with the birth date and gender (either may be unknown);
// a CMND has 9 digits; a passport is 6 to 20 letters and digits.
func ValidateNationalID(id, idType string, birth Date, gender string) error {
	switch idType {
	case "", "cccd":
		if len(id) != 12 || !allDigits(id) {
			return msg.Errorf("id.cccd_digits", clip(id))
		}
		if cccdProvinces[id[:3]] == "" {
			return msg.Errorf("id.cccd_province", clip(id), id[:3])
		}
		cs := int(id[3] - '0')
		if cs > 5 {
			return msg.Errorf("id.cccd_century", clip(id), cs)
		}
		if !birth.IsZero() {
			y := birth.Year()
			century := 1900 + 100*(cs/2)
			if y < century || y >= century+100 || y%100 != int(id[4]-'0')*10+int(id[5]-'0') {
				return msg.Errorf("id.cccd_year", clip(id), y)
			}
		}
		if (gender == "male" && cs%2 != 0) || (gender == "female" && cs%2 != 1) {
			return msg.Errorf("id.cccd_gender", clip(id), msg.New("gender."+gender))
		}
	case "cmnd":
		if len(id) != 9 || !allDigits(id) {
			return msg.Errorf("id.cmnd_digits", clip(id))
		}
	case "passport":
		if len(id) < 6 || len(id) > 20 {
			return msg.Errorf("id.passport", clip(id))
		}
		for _, r := range id {
			if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
				return msg.Errorf("id.passport_chars", clip(id))
			}
		}
	default:
		return msg.Errorf("id.type", clip(idType))
	}
	return nil
}

var taxWeights = [9]int{31, 29, 23, 19, 17, 13, 7, 5, 3}

// ValidateTaxCode checks a tax code: 10 digits with the check digit, an
// optional "-NNN" branch suffix, or a 12-digit personal ID used as a tax
// code by household businesses (since July 2025).
func ValidateTaxCode(code string) error {
	base, branch, hasBranch := strings.Cut(code, "-")
	if hasBranch && (len(branch) != 3 || !allDigits(branch)) {
		return msg.Errorf("tax.branch", clip(code))
	}
	if !allDigits(base) {
		return msg.Errorf("tax.digits", clip(code))
	}
	switch len(base) {
	case 12:
		if hasBranch {
			return msg.Errorf("tax.personal_branch", clip(code))
		}
		if cccdProvinces[base[:3]] == "" {
			return msg.Errorf("tax.province", clip(code), base[:3])
		}
		return nil
	case 10:
		sum := 0
		for i, w := range taxWeights {
			sum += int(base[i]-'0') * w
		}
		check := 10 - sum%11
		if check > 9 || int(base[9]-'0') != check {
			return msg.Errorf("tax.check", clip(code))
		}
		return nil
	}
	return msg.Errorf("tax.length", clip(code))
}

// ValidCode reports whether a unit, plan or campaign code uses only
// letters, digits, '-', '_' and '.'.
func ValidCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

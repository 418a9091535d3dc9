package gen

import "fmt"

// CCCD is a 12-digit citizen identity number: the 3-digit province code
// of birth registration, a digit for century and sex (0 a man born in the
// 1900s, 1 a woman, 2 and 3 for the 2000s), the last two digits of the
// year of birth and a 6-digit serial (0 to 999 999).
func CCCD(province string, birthYear int, female bool, serial int) string {
	cs := 2 * ((birthYear - 1900) / 100)
	if female {
		cs++
	}
	// fmt.Sprintf("%s%d%02d%06d", …) by hand: it runs for every member.
	var buf [16]byte
	out := append(buf[:0], province...)
	out = append(out, byte('0'+cs), byte('0'+birthYear%100/10), byte('0'+birthYear%10))
	for div := 100000; div > 0; div /= 10 {
		out = append(out, byte('0'+serial/div%10))
	}
	return string(out)
}

// CMND is the 9-digit identity card number that came before the CCCD.
func CMND(n int) string { return fmt.Sprintf("0%08d", n%100_000_000) }

// provinces are CCCD province codes: those of the Red River delta and the
// north often (people working in Hanoi), all 63 possible.
var provinces = []string{
	"001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
	"026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
	"049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
	"077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
}

// mix is splitmix64: a hash that makes the ID digits look random while
// staying a pure function of the member's number.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// NumberedCCCD is member i's CCCD, unique without a set of the numbers
// already given, for data sets too big to keep one: the serial is a
// permutation of i mod 10^6, and the province of members whose serials
// agree differs (it shifts by i / 10^6), so the IDs are unique up to 63
// million members. Four in ten were registered in Hanoi.
func NumberedCCCD(i, birthYear int, female bool) string {
	low := uint64(i % 1_000_000)
	serial := low * 400_009 % 1_000_000 // 400009 is coprime to 10^6
	h := mix(low)
	p := int(h % 100)
	if p < 40 {
		p = 0 // Hà Nội
	} else {
		p = int(h>>8) % len(provinces)
	}
	p = (p + i/1_000_000) % len(provinces)
	return CCCD(provinces[p], birthYear, female, int(serial))
}

// taxWeights weigh the first nine digits of a tax code for its check digit.
var taxWeights = [9]int{31, 29, 23, 19, 17, 13, 7, 5, 3}

// TaxCode completes the first nine digits of a tax code with its check
// digit (10 minus the weighted sum mod 11). ok is false when that would be
// 10: no tax code starts with those digits.
func TaxCode(first9 string) (code string, ok bool) {
	sum := 0
	for i, w := range taxWeights {
		sum += int(first9[i]-'0') * w
	}
	if sum%11 == 0 {
		return "", false
	}
	return first9 + string(rune('0'+10-sum%11)), true
}

package pii

// How each kind of number is recognised in a run of digit groups and which
// of its digits are masked. Kinds are tried in order of harm: a mobile
// number first, anywhere in the run, then ID numbers, landlines, and last
// any other long number.

// maskRun returns the indexes of the digits to mask in one run.
func maskRun(rs []textRune, r run) []int {
	used := make([]bool, len(r.segs))
	var out []int
	// Specific shapes, each on whole groups: a number is typed as groups,
	// so a shape never starts or ends inside a group.
	match := func(shape func([]textRune, []segment) ([]int, bool), atStart bool) {
		for i := 0; i < len(r.segs); i++ {
			if atStart && i > 0 && !used[i-1] {
				continue
			}
			n := 0
			for j := i; j < len(r.segs) && !used[j]; j++ {
				// No shape is longer than an ID number: this bound keeps a
				// text of thousands of "1 1 1 …" linear.
				if n += len(r.segs[j].digits); n > 18 {
					break
				}
				if mask, ok := shape(rs, r.segs[i:j+1]); ok {
					out = append(out, mask...)
					for k := i; k <= j; k++ {
						used[k] = true
					}
					i = j
					break
				}
			}
		}
	}
	match(mobileShape, false)
	match(idShape, false)
	// Dates keep their digits, so that a date next to other numbers does
	// not make them long or look like a landline.
	for i := 0; i+2 < len(r.segs); i++ {
		if !used[i] && !used[i+1] && !used[i+2] && isDate(rs, r.segs[i:i+3]) {
			used[i], used[i+1], used[i+2] = true, true, true
		}
	}
	// A landline starts its run (an extension may follow it): inside a
	// longer number, 0 and 9–11 digits are more likely part of a card.
	match(landlineShape, true)
	if amount(rs, r) {
		return out
	}
	// Any other long number: a stretch of groups typed like a bank card
	// (three groups or more, 12 digits or more), or one group of 7 or more.
	for i := 0; i < len(r.segs); {
		j := i
		for j < len(r.segs) && !used[j] {
			j++
		}
		if stretch := r.segs[i:j]; len(stretch) >= 3 && countDigits(stretch) >= 12 && !allYears(rs, stretch) && !hasChinese(rs, stretch) {
			out = append(out, keepLast(digitsOf(stretch), 2)...)
			for k := i; k < j; k++ {
				used[k] = true
			}
		}
		i = j + 1
	}
	for i, seg := range r.segs {
		if !used[i] && len(seg.digits) >= 7 && !compactDate(rs, seg) && !hasChinese(rs, r.segs[i:i+1]) {
			out = append(out, keepLast(seg.digits, 2)...)
		}
	}
	return out
}

func digitsOf(segs []segment) []int {
	var d []int
	for _, s := range segs {
		d = append(d, s.digits...)
	}
	return d
}

func countDigits(segs []segment) int {
	n := 0
	for _, s := range segs {
		n += len(s.digits)
	}
	return n
}

func value(rs []textRune, idx []int) string {
	b := make([]byte, len(idx))
	for i, k := range idx {
		b[i] = rs[k].value
	}
	return string(b)
}

func hasChinese(rs []textRune, segs []segment) bool {
	for _, s := range segs {
		for _, k := range s.digits {
			if rs[k].chinese {
				return true
			}
		}
	}
	return false
}

func keepLast(idx []int, n int) []int { return idx[:max(len(idx)-n, 0)] }

// mobileShape: 1[3-9] and 9 more digits, perhaps after 86 or 0086; the
// first 3 and last 4 digits stay (138****5678), as MaskPhone shows them.
func mobileShape(rs []textRune, segs []segment) ([]int, bool) {
	d := digitsOf(segs)
	v := value(rs, d)
	for _, prefix := range []string{"", "86", "0086"} {
		if len(v) == len(prefix)+11 && v[:len(prefix)] == prefix && ValidMobile(v[len(prefix):]) {
			return d[len(prefix)+3 : len(prefix)+7], true
		}
	}
	return nil, false
}

// idShape: 17 digits and a check digit or X, the first of them 1–8 (the
// province); the first 3 and last 2 characters stay.
func idShape(rs []textRune, segs []segment) ([]int, bool) {
	for _, s := range segs[:len(segs)-1] {
		if s.x >= 0 {
			return nil, false
		}
	}
	d := digitsOf(segs)
	if x := segs[len(segs)-1].x; x >= 0 {
		d = append(d, x)
	}
	if len(d) != 18 || rs[d[0]].value < '1' || rs[d[0]].value > '8' {
		return nil, false
	}
	return d[3:16], true
}

// landlineShape: an area code (0 and 2–3 digits) and a local number of 7–8
// digits; the area code and the last 2 digits stay (0745*****67).
func landlineShape(rs []textRune, segs []segment) ([]int, bool) {
	d := digitsOf(segs)
	v := value(rs, d)
	if len(v) < 10 || len(v) > 12 || v[0] != '0' || v[1] == '0' {
		return nil, false
	}
	area := 4 // 0745
	if v[1] == '1' || v[1] == '2' {
		area = 3 // 010, 020–029
	}
	if n := len(segs[0].digits); len(segs) > 1 && (n == 3 || n == 4) {
		area = n // as typed: 0745-1234567, (0745)1234567
	}
	if local := len(v) - area; local < 7 || local > 8 {
		return nil, false
	}
	return d[area : len(d)-2], true
}

// isDate: year (1900–2099), month and day as three groups: 2026-03-05,
// 2026.3.5.
func isDate(rs []textRune, segs []segment) bool {
	y, m, d := value(rs, segs[0].digits), value(rs, segs[1].digits), value(rs, segs[2].digits)
	return isYear(y) && len(m) <= 2 && len(d) <= 2 && atoi(m) >= 1 && atoi(m) <= 12 && atoi(d) >= 1 && atoi(d) <= 31
}

func compactDate(rs []textRune, s segment) bool {
	v := value(rs, s.digits)
	return len(v) == 8 && isYear(v[:4]) && atoi(v[4:6]) >= 1 && atoi(v[4:6]) <= 12 && atoi(v[6:]) >= 1 && atoi(v[6:]) <= 31
}

func isYear(v string) bool { return len(v) == 4 && (v[:2] == "19" || v[:2] == "20") }

func allYears(rs []textRune, segs []segment) bool {
	for _, s := range segs {
		if !isYear(value(rs, s.digits)) {
			return false
		}
	}
	return true
}

func atoi(v string) int {
	n := 0
	for i := 0; i < len(v); i++ {
		n = n*10 + int(v[i]-'0')
	}
	return n
}

// amount: the run is a sum of money or a measure (1500000元, ¥1200000,
// 2000000平方米), which stays as written unless it has a phone or ID in it.
func amount(rs []textRune, r run) bool {
	first := r.segs[0].digits[0]
	return r.end < len(rs) && rs[r.end].unit || first > 0 && rs[first-1].currency
}

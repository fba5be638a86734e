package pii

import "testing"

func TestNormalizeMobile(t *testing.T) {
	cases := []struct{ in, want string }{
		{"13812345678", "13812345678"},
		{" 138-1234-5678 ", "13812345678"},
		{"+86 138 1234 5678", "13812345678"},
		{"008613812345678", "13812345678"},
		{"8613812345678", "13812345678"},
		{"１３８１２３４５６７８", "13812345678"},
		{"138abc", "138abc"},
		{"", ""},
	}
	for _, c := range cases {
		if got := NormalizeMobile(c.in); got != c.want {
			t.Errorf("NormalizeMobile(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestValidMobile(t *testing.T) {
	valid := []string{"13812345678", "19912345678", "+86 15012345678"}
	invalid := []string{"", "12812345678", "1381234567", "138123456789", "23812345678", "138l2345678", "07458123456"}
	for _, p := range valid {
		if !ValidMobile(p) {
			t.Errorf("ValidMobile(%q) = false, want true", p)
		}
	}
	for _, p := range invalid {
		if ValidMobile(p) {
			t.Errorf("ValidMobile(%q) = true, want false", p)
		}
	}
}

func TestMasks(t *testing.T) {
	phones := map[string]string{"13812341234": "138****1234", "+86 138 1234 1234": "138****1234", "0745-1234": "*******34", "1": "*", "": ""}
	for in, want := range phones {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
	names := map[string]string{"张三丰": "张**", "李四": "李*", "王": "*", "": "", " 欧阳娜娜 ": "欧***"}
	for in, want := range names {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzMaskPhoneNeverLeaksMiddle(f *testing.F) {
	for _, s := range []string{"13812341234", "+8613812341234", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		m := MaskPhone(p)
		if ValidMobile(p) {
			d := NormalizeMobile(p)
			if m != d[:3]+"****"+d[7:] {
				t.Fatalf("MaskPhone(%q) = %q", p, m)
			}
		}
	})
}

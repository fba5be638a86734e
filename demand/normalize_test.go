package demand

import (
	"slices"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  路灯  不亮 ", "路灯 不亮"},
		{"ＷｉＦｉ信号１２３", "wifi信号123"},
		{"饮水，问题！", "饮水,问题!"},
		{"\xff路灯\xfe", "路灯"},
		{"路灯\u3000不亮\n\t坏了", "路灯 不亮 坏了"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsNumeric(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"2024", true}, {"3组", true}, {"五月", true}, {"一个多月", true}, {"十几", true},
		{"半年", true}, {"12.5%", true}, {"两年", true}, {"3", true},
		{"三农", false}, {"一户一表", false}, {"半路", false}, {"路灯", false}, {"4g", false},
		{"组", false}, {"", false}, {"wifi", false},
	}
	for _, tt := range tests {
		if got := isNumeric(tt.in); got != tt.want {
			t.Errorf("isNumeric(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestClauses(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"，。！", nil},
		{"路灯不亮,晚上 出行!", []string{"路灯不亮", "晚上", "出行"}},
		{"4g信号差", []string{"4g信号差"}},
		{"a-b", []string{"a", "b"}},
	}
	for _, tt := range tests {
		if got := clauses(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("clauses(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

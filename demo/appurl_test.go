package demo_test

import (
	"testing"

	"simeng/demo"
)

func TestAppURL(t *testing.T) {
	lan := func() string { return "192.168.1.23" }
	none := func() string { return "" }
	cases := []struct {
		addr string
		lan  func() string
		want string
	}{
		{"127.0.0.1:8090", lan, "http://127.0.0.1:8090"},
		{"localhost:9000", lan, "http://127.0.0.1:9000"},
		{"0.0.0.0:8090", lan, "http://192.168.1.23:8090"},
		{"0.0.0.0:8091", lan, "http://192.168.1.23:8091"},
		{":8090", lan, "http://192.168.1.23:8090"},
		{"[::]:8090", lan, "http://192.168.1.23:8090"},
		{"0.0.0.0:8090", none, "http://127.0.0.1:8090"},
		{"0.0.0.0:8090", nil, "http://127.0.0.1:8090"},
		{"10.0.0.5:8090", lan, "http://10.0.0.5:8090"},
		{"10.0.0.5", lan, "http://10.0.0.5:8090"},
		{"[fd00::1]:8090", lan, "http://[fd00::1]:8090"},
	}
	for _, c := range cases {
		if got := demo.AppURL(c.addr, c.lan); got != c.want {
			t.Errorf("AppURL(%q) = %q, want %q", c.addr, got, c.want)
		}
	}
}

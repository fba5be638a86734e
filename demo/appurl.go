package demo

import (
	"net"
	"strings"
)

// AppURL is the Application URL the demo sets for a --http address: the
// address itself when it names a host, and the machine's LAN address when
// it binds every interface (0.0.0.0, ::, or no host), so that the QR codes
// a phone on the same network scans open the demo. lanIP is asked only in
// that case; when it finds nothing the URL falls back to 127.0.0.1.
func AppURL(httpAddr string, lanIP func() string) string {
	host, port, err := net.SplitHostPort(httpAddr)
	if err != nil {
		// No port: the whole thing is a host, on PocketBase's default port.
		host, port = strings.Trim(httpAddr, "[]"), "8090"
	}
	if port == "" {
		port = "8090"
	}
	switch host {
	case "", "0.0.0.0", "::", "[::]":
		host = ""
		if lanIP != nil {
			host = lanIP()
		}
		if host == "" {
			host = "127.0.0.1"
		}
	case "localhost":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// LANAddress is the first private IPv4 address of an interface that is up
// and not a loopback: the address other devices on the same network reach
// this machine at. Empty when there is none.
func LANAddress() string {
	ifaces, err := net.Interfaces()
	if err != nil {
		return ""
	}
	var fallback string
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			ipnet, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip := ipnet.IP.To4()
			if ip == nil || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
				continue
			}
			if ip.IsPrivate() {
				return ip.String()
			}
			if fallback == "" {
				fallback = ip.String()
			}
		}
	}
	return fallback
}

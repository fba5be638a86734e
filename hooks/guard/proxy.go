package guard

import (
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// ProxyHeaderEnv names the header that the reverse proxy in front of the
// server sets to the client's address (nginx: X-Real-IP; Caddy:
// X-Forwarded-For). PocketBase's rate limits, the resident form's abuse
// guard and the audit trail then all see the client's address, not the
// proxy's. Only set it when the server listens on 127.0.0.1 behind that
// proxy: anyone who reaches the server directly could forge it.
const ProxyHeaderEnv = "SIMENG_PROXY_HEADER"

// bindProxy writes the header into PocketBase's trusted proxy settings
// (the rightmost address in it, the one the proxy itself added) when the
// server starts. Unset, the settings stay as the admin UI left them.
func bindProxy(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		header := strings.TrimSpace(os.Getenv(ProxyHeaderEnv))
		if header == "" {
			return se.Next()
		}
		if err := UseProxyHeader(se.App, header); err != nil {
			return err
		}
		if se.Server != nil && !loopback(se.Server.Addr) {
			se.App.Logger().Warn("SIMENG_PROXY_HEADER is set but the server does not listen on loopback only: clients that reach it directly can forge their address",
				slog.String("header", header), slog.String("addr", se.Server.Addr))
		}
		return se.Next()
	})
}

// UseProxyHeader trusts header (and only it) for the client's address.
func UseProxyHeader(app core.App, header string) error {
	s := app.Settings()
	if slices.Equal(s.TrustedProxy.Headers, []string{header}) && !s.TrustedProxy.UseLeftmostIP {
		return nil
	}
	s.TrustedProxy.Headers = []string{header}
	s.TrustedProxy.UseLeftmostIP = false
	return app.Save(s)
}

func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

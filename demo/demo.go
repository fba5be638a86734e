// Package demo seeds a clearly marked demo township (演示数据) into an empty
// data dir and serves it: `go run . demo`.
package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"simeng/pii"

	"github.com/pocketbase/pocketbase/cmd"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// Demo logins, printed at start. They exist only in a demo data dir. The
// superuser's stays admin@demo.simeng / demo12345 (and deputies'
// demo12345): external checks log in with them; newer accounts, whose
// collections want 10 characters, use AccountPassword.
const (
	SuperuserEmail = "admin@demo.simeng"
	Password       = "demo12345"
)

// markerFile marks a data dir as seeded by this command, so that a second
// `demo` run serves it again instead of refusing it as real data.
const markerFile = "DEMO_DATA"

// ErrRealData is returned when the data dir already holds records that the
// demo did not make: the demo never writes into real data.
var ErrRealData = errors.New("该数据目录已有真实数据，演示命令只在空目录中生成演示数据；请改用 serve，或用 --dir 指定一个新目录")

// NewCommand returns the `demo` command: the serve command (same --http,
// --https and --origins flags; --dir is global) that first seeds the demo.
func NewCommand(app core.App) *cobra.Command {
	c := cmd.NewServeCommand(app, true)
	c.Use = "demo"
	c.Short = "Seeds a demo township into an empty data dir and serves it"
	serve := c.RunE
	c.RunE = func(command *cobra.Command, args []string) error {
		// Seeding needs the schema; serve would apply the migrations anyway.
		if err := app.RunAllMigrations(); err != nil {
			return err
		}
		httpAddr, _ := command.Flags().GetString("http")
		if httpAddr == "" {
			httpAddr = "127.0.0.1:8090"
		}
		appURL := AppURL(httpAddr, LANAddress)
		logins, err := Prepare(app, appURL)
		if err != nil {
			fmt.Fprintln(os.Stderr, "demo:", err)
			os.Exit(1)
		}
		printLogins(app, appURL, logins)
		return serve(command, args)
	}
	return c
}

// Prepare seeds the demo into app's data dir unless it was seeded before.
// It refuses a data dir that has real data. A demo dir served again (on
// another port or address) gets appURL as its Application URL, so its QR
// codes never point at the old address.
func Prepare(app core.App, appURL string) ([]Login, error) {
	if pii.UseDevKeyIfUnset() {
		fmt.Fprintf(os.Stderr, "demo: %s is not set; residents' phones are sealed with the built-in demo key (演示密钥), never use it for real data\n", pii.KeyEnv)
	}
	marker := filepath.Join(app.DataDir(), markerFile)
	if _, err := os.Stat(marker); err == nil {
		if err := setAppURL(app, appURL); err != nil {
			return nil, err
		}
		return demoLogins(app)
	}
	real, err := hasData(app)
	if err != nil {
		return nil, err
	}
	if real {
		return nil, ErrRealData
	}
	if err := app.RunInTransaction(func(tx core.App) error { return Seed(tx, appURL) }); err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if err := os.WriteFile(marker, []byte("演示数据 demo data: created by `go run . demo`\n"), 0o644); err != nil {
		return nil, err
	}
	return demoLogins(app)
}

func setAppURL(app core.App, appURL string) error {
	s := app.Settings()
	if appURL == "" || s.Meta.AppURL == appURL {
		return nil
	}
	s.Meta.AppURL = appURL
	return app.Save(s)
}

func hasData(app core.App) (bool, error) {
	for _, name := range []string{core.CollectionNameSuperusers, "deputies", "villages"} {
		n, err := app.CountRecords(name)
		if err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

func printLogins(app core.App, base string, logins []Login) {
	fmt.Printf("\n思蒙镇智慧人大 演示数据（demo data） in %s\n", app.DataDir())
	fmt.Printf("  应用地址 (Application URL, in every QR code; phones on the same network open it): %s\n", base)
	fmt.Printf("  代表 PWA (deputies):   %s/\n", base)
	fmt.Printf("  管理后台 (technician, superuser): %s/_/   %s / %s\n", base, SuperuserEmail, Password)
	fmt.Printf("  代表码联系卡 (QR cards): log in to the PWA as 工作人员, tile 打印代表码联系卡\n")
	if d, err := app.FindFirstRecordByData("deputies", "phone", DeputyPhone(6)); err == nil {
		fmt.Printf("  群众扫码页 (resident page): %s/d/%s\n", base, d.GetString("code"))
	}
	fmt.Printf("  企业诉求直报通道 (enterprise channel): %s/e\n", base)
	if t, err := app.FindFirstRecordByFilter("topics", "status = 'open' && audience = 'both'"); err == nil {
		fmt.Printf("  云端议事群众页 (topic page): %s/topic/%s\n", base, t.GetString("code"))
	}
	if s, err := app.FindFirstRecordByFilter("surveys", "status = 'open'"); err == nil {
		fmt.Printf("  微调研问卷 (survey page): %s/survey/%s\n", base, s.GetString("code"))
	}
	fmt.Printf("  隐患台账导出 (ledger exports, presidium/staff): %s/api/ledger/hazards.xlsx  %s/api/ledger/plan.xlsx\n", base, base)
	fmt.Printf("  走访核查 (flagged visits and reviews, presidium/staff): %s/#/visit-review   回访抽查: %s/#/callbacks\n", base, base)
	fmt.Println("  PWA 登录 (choose 人大代表 / 承办单位 / 工作人员, then phone / password):")
	for _, l := range logins {
		fmt.Printf("    %-6s %s  %s / %s\n", l.Role, l.Name, l.Phone, l.Password)
	}
	fmt.Println()
}

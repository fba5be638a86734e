// Command simeng is 思蒙镇智慧人大, the digital platform of the people's
// congress (人大) of Simeng township: PocketBase extended in Go.
//
//	go run . serve   the ordinary PocketBase server for real use
//	go run . demo    seed a demo township into an empty data dir and serve it
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"

	"simeng/demo"
	"simeng/hooks"
	"simeng/hooks/analysis"
	"simeng/hooks/assessment"
	"simeng/hooks/audit"
	"simeng/hooks/durability"
	"simeng/hooks/guard"
	"simeng/hooks/roster"
	_ "simeng/migrations"
)

func main() {
	// Before anything is created: files only the server's user can read,
	// and a soft memory limit.
	guard.PrivateProcess()
	// Not dev mode even under `go run`: dev mode prints every SQL statement,
	// which buries the demo's logins. Transactions begin IMMEDIATE
	// (durability.DBConnect): Litestream writes from a connection of its own.
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDev: false, DBConnect: durability.DBConnect})

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{})
	hooks.Register(app)
	app.RootCmd.AddCommand(demo.NewCommand(app))
	app.RootCmd.AddCommand(assessment.NewCommand(app))
	app.RootCmd.AddCommand(analysis.NewCommand(app))
	app.RootCmd.AddCommand(durability.NewRestoreCommand(app))
	app.RootCmd.AddCommand(roster.NewStaffCommand(app))
	app.RootCmd.AddCommand(audit.NewCommand(app))

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

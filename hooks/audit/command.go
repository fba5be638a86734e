package audit

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// NewCommand returns `audit verify`: checks the audit trail's hash chain
// (an entry changed, removed or inserted in the database file shows).
func NewCommand(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "audit", Short: "Audit trail (操作记录) maintenance"}
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Checks the audit trail's hash chain from the first entry to the last",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			n, err := Verify(app)
			if err != nil {
				return fmt.Errorf("操作记录校验失败（已核对 %d 条）：%w", n, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "操作记录完好：共 %d 条，校验链连续\n", n)
			return nil
		},
	}
	root.AddCommand(verify)
	return root
}

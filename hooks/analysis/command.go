package analysis

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// NewCommand returns `analysis rebuild`: refills the demand index from
// every source's records and extracts every record's terms, for staff at
// the console after writes that bypassed the hooks (direct SQL, an import).
func NewCommand(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "analysis", Short: "Analysis of residents' demands (高频诉求分析) maintenance"}
	root.AddCommand(&cobra.Command{
		Use:   "rebuild",
		Short: "Rebuilds the demand index and the terms of every demand",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			start := time.Now()
			if err := ensureVillageWords(app); err != nil {
				return err
			}
			n, err := Rebuild(app)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已重建索引：%d 条诉求（%s）\n", n, time.Since(start).Round(time.Millisecond))
			start = time.Now()
			d := deskOf(app)
			done := 0
			for {
				k, err := extractPending(app, d, extractBatch)
				if err != nil {
					return err
				}
				if k == 0 {
					break
				}
				done += k
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已提取关键词：%d 条（%s）\n", done, time.Since(start).Round(time.Millisecond))
			return nil
		},
	})
	return root
}

package assessment

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simeng/chinatime"
	"simeng/hooks/audit"
)

// NewCommand returns `assessment recompute [--year N]` and
// `assessment close --year N`, for staff at the console (e.g. after editing
// the rules in bulk).
func NewCommand(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "assessment", Short: "Quantitative assessment (量化考核) maintenance"}

	var recomputeYear int
	recompute := &cobra.Command{
		Use:   "recompute",
		Short: "Recomputes every deputy's score for a year from all records",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			year := recomputeYear
			if year == 0 {
				year = chinatime.CurrentYear()
			}
			if closed, err := scoresFrozen(app, year); err != nil || closed {
				if closed {
					return fmt.Errorf("%d 年度已关账，得分已冻结", year)
				}
				return err
			}
			n, err := auditedYear(app, audit.System("command:assessment recompute"), audit.ActionRecompute, year, "", RecomputeYear)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d 年度：已重新计算 %d 名代表的得分\n", year, n)
			return nil
		},
	}
	recompute.Flags().IntVar(&recomputeYear, "year", 0, "the year to recompute (default: the current year, China time)")

	// Closing freezes a year's scores until staff reopen it with a reason,
	// so the year is never guessed: closing the current year by default
	// would freeze it early.
	var closeYear int
	closeCmd := &cobra.Command{
		Use:   "close --year N",
		Short: "Recomputes a year one last time and freezes its scores (年度关账)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkYear(closeYear); err != nil {
				return fmt.Errorf("--year %d: %v", closeYear, err)
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			n, err := auditedYear(app, audit.System("command:assessment close"), audit.ActionClose, closeYear, "", CloseYear)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d 年度已关账：冻结 %d 名代表的得分\n", closeYear, n)
			return nil
		},
	}
	closeCmd.Flags().IntVar(&closeYear, "year", 0, "the year to close (required: closing freezes its scores until reopened)")
	if err := closeCmd.MarkFlagRequired("year"); err != nil {
		panic(err)
	}

	root.AddCommand(recompute, closeCmd)
	return root
}

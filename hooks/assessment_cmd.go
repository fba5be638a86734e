package hooks

import (
	"fmt"

	"simeng/chinatime"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// NewAssessmentCommand returns `assessment recompute|close --year N`, for
// staff at the console (e.g. after editing the rules in bulk).
func NewAssessmentCommand(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "assessment", Short: "Quantitative assessment (量化考核) maintenance"}
	var year int
	recompute := &cobra.Command{
		Use:   "recompute",
		Short: "Recomputes every deputy's score for a year from all records",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			if year == 0 {
				year = chinatime.CurrentYear()
			}
			if closed, err := scoresFrozen(app, year); err != nil || closed {
				if closed {
					return fmt.Errorf("%d 年度已关账，得分已冻结", year)
				}
				return err
			}
			n, err := RecomputeAssessmentYear(app, year)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d 年度：已重新计算 %d 名代表的得分\n", year, n)
			return nil
		},
	}
	closeYear := &cobra.Command{
		Use:   "close",
		Short: "Recomputes a year one last time and freezes its scores (年度关账)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			if year == 0 {
				return fmt.Errorf("--year is required")
			}
			n, err := CloseAssessmentYear(app, year)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d 年度已关账：冻结 %d 名代表的得分\n", year, n)
			return nil
		},
	}
	for _, c := range []*cobra.Command{recompute, closeYear} {
		c.Flags().IntVar(&year, "year", 0, "the year (default: the current year)")
		root.AddCommand(c)
	}
	return root
}

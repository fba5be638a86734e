package roster

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/spf13/cobra"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/passpolicy"
	"simeng/pii"
)

// NewStaffCommand returns `staff create --phone … --name … [--role liaison|clerk]
// [--title …] [--password …]`, for the technician: it creates an office
// account (never a superuser) and prints its initial password when none is
// given.
func NewStaffCommand(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "staff", Short: "Office accounts (联络员、工作人员)"}
	var phone, name, role, title, password string
	create := &cobra.Command{
		Use:   "create --phone 138xxxxxxxx --name 姓名",
		Short: "Creates an office staff account (not a superuser) that logs in with phone + password",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			p := pii.NormalizeMobile(phone)
			if !pii.ValidMobile(p) {
				return fmt.Errorf("--phone %q: 手机号应为11位数字", phone)
			}
			generated := password == ""
			if generated {
				password = security.RandomStringWithAlphabet(12, codeAlphabet)
			} else if err := passpolicy.Check(password, p); err != nil {
				return fmt.Errorf("--password: %w", err)
			}
			col, err := app.FindCollectionByNameOrId(access.StaffCollection)
			if err != nil {
				return err
			}
			r := core.NewRecord(col)
			r.Set("name", name)
			r.Set("phone", p)
			r.Set("role", role)
			r.Set("title", title)
			r.Set("active", true)
			r.SetPassword(password)
			err = app.RunInTransaction(func(tx core.App) error {
				if err := tx.Save(r); err != nil {
					return err
				}
				return audit.Write(tx, audit.Entry{Actor: audit.System("command:staff create"), Action: audit.ActionCreate,
					Collection: access.StaffCollection, RecordID: r.Id, Changes: audit.Diff(nil, r, "name", "phone", "role", "title", "active", "password")})
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已创建工作人员账号：%s，手机号 %s\n", name, p)
			if generated {
				fmt.Fprintf(cmd.OutOrStdout(), "初始密码：%s（请登录后修改）\n", password)
			}
			return nil
		},
	}
	create.Flags().StringVar(&phone, "phone", "", "mobile number, the login (required)")
	create.Flags().StringVar(&name, "name", "", "the person's name (required)")
	create.Flags().StringVar(&role, "role", "liaison", "liaison (联络员) or clerk (工作人员)")
	create.Flags().StringVar(&title, "title", "", "job title, e.g. 人大办主任")
	create.Flags().StringVar(&password, "password", "", "initial password, at least 10 characters (default: a random one, printed)")
	for _, f := range []string{"phone", "name"} {
		if err := create.MarkFlagRequired(f); err != nil {
			panic(err)
		}
	}
	root.AddCommand(create)
	return root
}

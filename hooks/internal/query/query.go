// Package query reads the request parameters several capabilities share.
package query

import (
	"strconv"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
)

// Year reads ?year=, defaulting to the current year in China time; a bad
// value is a 400 naming year.
func Year(e *core.RequestEvent) (int, error) {
	raw := e.Request.URL.Query().Get("year")
	if raw == "" {
		return chinatime.CurrentYear(), nil
	}
	y, err := strconv.Atoi(raw)
	if err != nil || y < 2020 || y > 2100 {
		return 0, e.BadRequestError("年份无效", validation.Errors{
			"year": validation.NewError("validation_invalid_year", "年份须是2020到2100之间的整数，例如 2026"),
		})
	}
	return y, nil
}

// Package fielderr builds PocketBase's 400 shape, which names each bad field
// ({"data":{"field":{"code":…,"message":…}}}), the way every handler and hook
// of the platform answers bad input.
package fielderr

import (
	"errors"
	"net/http"
	"slices"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// New is the error of one field.
func New(field, code, message string) validation.Errors {
	return validation.Errors{field: validation.NewError(code, message)}
}

// Merge joins the field validators' errors (err, from a validate hook's
// e.Next()) with a hook's own, so one 400 names every bad field. The field
// validators' message wins for a field both name; an error that is not a
// validation error is returned as it is.
func Merge(err error, custom validation.Errors) error {
	if err == nil {
		if len(custom) == 0 {
			return nil
		}
		return custom
	}
	fieldErrs, ok := err.(validation.Errors)
	if !ok {
		return err
	}
	for k, v := range custom {
		if _, dup := fieldErrs[k]; !dup {
			fieldErrs[k] = v
		}
	}
	return fieldErrs
}

// First is "field：message" of the first bad field in alphabetical order,
// so the same bad record gets the same reason on every retry; "" if none.
func First(ve validation.Errors) string {
	if len(ve) == 0 {
		return ""
	}
	keys := make([]string, 0, len(ve))
	for k := range ve {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys[0] + "：" + ve[keys[0]].Error()
}

// Forbidden is a 403 that names the field the caller may not change.
func Forbidden(field, message string) *router.ApiError {
	return router.NewApiError(http.StatusForbidden, message, validation.Errors{
		field: validation.NewError("validation_forbidden", message),
	})
}

// SaveError answers a failed save in a route: the field validators' errors
// as PocketBase's 400 naming each field, anything else as a 500.
func SaveError(e *core.RequestEvent, err error) error {
	var ve validation.Errors
	if errors.As(err, &ve) {
		return e.BadRequestError("保存失败，请检查标出的内容。", ve)
	}
	return e.InternalServerError("", err)
}

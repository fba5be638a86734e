package station

import (
	"errors"
	"net/http"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"simeng/dutyroster"
	"simeng/hooks/internal/fielderr"
)

// badField is a 400 in PocketBase's shape naming field.
func badField(field, message string) *router.ApiError {
	return router.NewBadRequestError(message, fielderr.New(field, "validation_invalid_"+field, message))
}

// answer turns what the rules returned into the response: a
// *dutyroster.FieldError or validation.Errors become a 400 naming the
// field; an *router.ApiError is passed on; anything else is a server fault.
func answer(e *core.RequestEvent, err error) error {
	var fe *dutyroster.FieldError
	var ve validation.Errors
	var api *router.ApiError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return badField(fe.Field, fe.Message)
	case errors.As(err, &ve):
		return e.BadRequestError(firstMessage(ve), ve)
	case errors.As(err, &api):
		return api
	}
	return err
}

// firstMessage is the message of the first bad field, for the top line.
func firstMessage(ve validation.Errors) string {
	if s := fielderr.First(ve); s != "" {
		return s
	}
	return "提交的内容有误"
}

// bindJSON reads a JSON body, answering a malformed one with a 400.
func bindJSON(e *core.RequestEvent, dst any) error {
	if err := e.BindBody(dst); err != nil {
		return router.NewApiError(http.StatusBadRequest, "请求格式错误", fielderr.New("body", "validation_invalid_json", "请求内容不是有效的 JSON"))
	}
	return nil
}

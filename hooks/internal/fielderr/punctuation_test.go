package fielderr

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/tools/router"
)

func TestTidyMessage(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"请填写标题。.", "请填写标题。"},
		{"请填写标题.", "请填写标题。"},
		{"真的要删除吗？.", "真的要删除吗？"},
		{"请填写标题（必填）.", "请填写标题（必填）"},
		{"请填写标题", "请填写标题"},
		{"Failed to create record.", "Failed to create record."},
		{"版本 v1.2 不支持.", "版本 v1.2 不支持。"},
		{"", ""},
		{".", "."},
	} {
		if got := tidyMessage(c.in); got != c.want {
			t.Errorf("tidyMessage(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTidyRewritesTopAndFieldMessages(t *testing.T) {
	apiErr := router.NewApiError(http.StatusBadRequest, "提交有误。", validation.Errors{
		"title": validation.NewError("validation_required", "请填写标题"),
		"nested": validation.Errors{
			"phone": validation.NewError("validation_invalid", "手机号不对。"),
		},
		"en": validation.NewError("validation_x", "Invalid value"),
	})
	if apiErr.Message != "提交有误。." {
		t.Fatalf("PocketBase no longer appends the dot (%q): Tidy may be unneeded", apiErr.Message)
	}
	err := Tidy(fmt.Errorf("wrapped: %w", apiErr))
	var got *router.ApiError
	if !errors.As(err, &got) {
		t.Fatal("Tidy lost the ApiError")
	}
	if got.Message != "提交有误。" {
		t.Errorf("message %q", got.Message)
	}
	field := func(m map[string]any, k string) string { return m[k].(map[string]any)["message"].(string) }
	if m := field(got.Data, "title"); m != "请填写标题。" {
		t.Errorf("title %q", m)
	}
	if m := field(got.Data["nested"].(map[string]any), "phone"); m != "手机号不对。" {
		t.Errorf("nested phone %q", m)
	}
	if m := field(got.Data, "en"); m != "Invalid value." {
		t.Errorf("English message changed: %q", m)
	}
	plain := errors.New("x")
	if Tidy(plain) != plain || Tidy(nil) != nil {
		t.Error("Tidy changed a non-API error")
	}
}

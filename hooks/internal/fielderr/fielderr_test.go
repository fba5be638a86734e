package fielderr_test

import (
	"errors"
	"testing"

	validation "github.com/pocketbase/ozzo-validation/v4"

	"simeng/hooks/internal/fielderr"
)

// A record with two bad fields gets the same reason every time (Go's map
// order would otherwise pick one at random).
func TestFirstIsDeterministic(t *testing.T) {
	ve := validation.Errors{
		"visited_at": validation.NewError("future_date", "走访时间不能晚于现在"),
		"household":  validation.NewError("not_found", "农户不存在"),
		"topics":     validation.NewError("invalid", "类别无效"),
	}
	for range 50 {
		if got := fielderr.First(ve); got != "household：农户不存在" {
			t.Fatalf("First = %q", got)
		}
	}
	if got := fielderr.First(nil); got != "" {
		t.Errorf("First(nil) = %q", got)
	}
}

func TestMergeKeepsEveryField(t *testing.T) {
	fields := validation.Errors{"a": validation.NewError("x", "field validator")}
	got := fielderr.Merge(fields, validation.Errors{"a": validation.NewError("y", "hook"), "b": validation.NewError("z", "hook")})
	ve, ok := got.(validation.Errors)
	if !ok || len(ve) != 2 || ve["a"].Error() != "field validator" {
		t.Errorf("Merge = %v", got)
	}
	if fielderr.Merge(nil, nil) != nil {
		t.Error("Merge(nil, nil) is not nil")
	}
	other := errors.New("disk full")
	if fielderr.Merge(other, validation.Errors{"b": validation.NewError("z", "hook")}) != other {
		t.Error("a server error was turned into a validation error")
	}
}

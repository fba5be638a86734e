package ballot

import (
	"slices"
	"strconv"
)

// Ballot is one stored ballot (选票). ID is random and unrelated to the
// register; Choices are candidate ids.
type Ballot struct {
	ID      string   `json:"id"`
	Choices []string `json:"choices"`
	// Spoiled marks a paper ballot staff could not read (废票): torn,
	// written over, marked outside the boxes. Over-marked or repeated
	// choices need no flag: Count finds them itself.
	Spoiled bool `json:"spoiled"`
}

// Check validates the choices of a ballot cast in the app against the
// candidate list and returns them in canonical (sorted) order. No choices
// is a valid blank ballot (弃权). The messages never name a candidate: PocketBase
// keeps error details in its request log next to the request's auth record.
func Check(choices, candidates []string, maxChoices int) ([]string, FieldErrors) {
	if msg := problem(choices, candidates, maxChoices); msg != "" {
		return nil, FieldErrors{"choices": msg}
	}
	out := slices.Clone(choices)
	slices.Sort(out)
	return out, nil
}

// problem says what is wrong with choices, "" if nothing.
func problem(choices, candidates []string, maxChoices int) string {
	if len(choices) > maxChoices {
		return "最多可选 " + strconv.Itoa(maxChoices) + " 项，请减少所选项目"
	}
	seen := make(map[string]bool, len(choices))
	for _, c := range choices {
		if !slices.Contains(candidates, c) {
			return "所选项目不在候选名单中，请刷新候选名单后重新选择"
		}
		if seen[c] {
			return "同一项目只能选一次"
		}
		seen[c] = true
	}
	return ""
}

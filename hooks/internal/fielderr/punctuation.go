package fielderr

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/tools/router"
)

// Tidy undoes what PocketBase's error constructor does to Chinese text: it
// ends every message with an ASCII "." unless one of ".?!" ends it, so
// "请填写标题。" reaches the phone as "请填写标题。." and "请填写标题" as
// "请填写标题.". For an *router.ApiError, Tidy rewrites the top message and
// every field message in place: a message whose text is Chinese loses the
// added "." (ending in "。" when no Chinese punctuation ends it). Messages
// in other languages and other errors are returned as they are.
func Tidy(err error) error {
	var apiErr *router.ApiError
	if !errors.As(err, &apiErr) {
		return err
	}
	apiErr.Message = tidyMessage(apiErr.Message)
	tidyData(apiErr.Data)
	return err
}

func tidyData(data map[string]any) {
	for k, v := range data {
		switch item := v.(type) {
		case map[string]any:
			if msg, ok := item["message"].(string); ok && k != "message" {
				item["message"] = tidyMessage(msg)
			}
			tidyData(item)
		}
	}
}

// tidyMessage drops the "." PocketBase appended to a Chinese message.
func tidyMessage(msg string) string {
	body, had := strings.CutSuffix(msg, ".")
	if !had || !hasHan(body) {
		return msg
	}
	last, _ := utf8.DecodeLastRuneInString(body)
	if strings.ContainsRune("。！？；…）」』”", last) {
		return body
	}
	return body + "。"
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

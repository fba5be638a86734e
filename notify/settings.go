package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// MaxTemplateCode is the longest template code accepted (Alibaba's codes are
// SMS_ and a number, well under it).
const MaxTemplateCode = 40

// ErrTemplateCodes is returned (wrapped) for an unusable sms_templates
// setting; the wrapped text names the template at fault, in Chinese.
var ErrTemplateCodes = errors.New("notify: template codes")

// ParseTemplateCodes reads the sms_templates setting staff type into the
// admin UI: a JSON object from template id (e.g. "suggestion_new") to the
// code Alibaba approved for it (e.g. "SMS_465120001"). Empty text or null is
// no codes. Every id must be a template that sends SMS; every code 1 to
// MaxTemplateCode letters, digits or underscores (surrounding spaces are
// dropped).
func ParseTemplateCodes(raw string) (map[TemplateID]string, error) {
	out := map[TemplateID]string{}
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "null" {
		return out, nil
	}
	var codes map[string]any
	if err := json.Unmarshal([]byte(raw), &codes); err != nil || codes == nil {
		return nil, fmt.Errorf("%w: 模板编号须为 JSON 对象，例如 {\"suggestion_new\": \"SMS_465120001\"}", ErrTemplateCodes)
	}
	for id, v := range codes {
		tpl, ok := Lookup(TemplateID(id))
		if !ok || !tpl.Has(SMS) {
			return nil, fmt.Errorf("%w: 没有发送短信的模板「%s」", ErrTemplateCodes, clean(id, 20))
		}
		s, ok := v.(string)
		code := strings.TrimSpace(s)
		if !ok || !validCode(code) {
			return nil, fmt.Errorf("%w: 模板「%s」的编号须为字母、数字或下划线（如 SMS_465120001）", ErrTemplateCodes, id)
		}
		out[TemplateID(id)] = code
	}
	return out, nil
}

func validCode(s string) bool {
	if s == "" || len(s) > MaxTemplateCode {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

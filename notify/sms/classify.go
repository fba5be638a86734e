package sms

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"simeng/notify"
)

// How long to wait after Alibaba's flow control (业务流控): codes are limited
// to 1 a minute, 5 an hour and 10 a day per phone, notices to 50 a day per
// phone and template.
const (
	limitWait = time.Hour
	dayWait   = 6 * time.Hour
)

// codes maps SendSms answer codes to what they mean for the delivery.
// Unlisted codes are retried (bounded by the policy's tries); isp.* codes
// are the provider's own trouble and may hide an accepted message.
var codes = map[string]notify.Outcome{
	"OK": {Result: notify.Delivered},

	// The provider's trouble: it may have accepted the message.
	"isp.SYSTEM_ERROR":  {Result: notify.Unknown, Detail: "provider system error"},
	"isp.GATEWAY_ERROR": {Result: notify.Unknown, Detail: "provider gateway error"},
	"isp.UNKNOWN":       {Result: notify.Unknown, Detail: "provider unknown error"},

	// Flow control: later.
	"isv.BUSINESS_LIMIT_CONTROL":    {Result: notify.Retry, RetryAfter: limitWait, Detail: "flow control for this phone"},
	"isv.BUSINESS_LIMIT_HOUR":       {Result: notify.Retry, RetryAfter: limitWait, Detail: "hourly limit for this phone"},
	"isv.BUSINESS_LIMIT_DAY":        {Result: notify.Retry, RetryAfter: dayWait, Detail: "daily limit for this phone"},
	"isv.DAY_LIMIT_CONTROL":         {Result: notify.Retry, RetryAfter: dayWait, Detail: "daily limit reached"},
	"BUSINESS_LIMIT_CONTROL_MINUTE": {Result: notify.Retry, RetryAfter: time.Minute, Detail: "per-minute limit"},
	"Throttling":                    {Result: notify.Retry, RetryAfter: time.Minute, Detail: "API throttled"},
	"Throttling.User":               {Result: notify.Retry, RetryAfter: time.Minute, Detail: "API throttled"},
	"SignatureNonceUsed":            {Result: notify.Retry, Detail: "nonce reused"},

	// This message can never go.
	"isv.MOBILE_NUMBER_ILLEGAL":         {Result: notify.Reject, Detail: "invalid phone number"},
	"isv.PHONE_NUMBER_ILLEGAL":          {Result: notify.Reject, Detail: "invalid phone number"},
	"isv.MOBILE_COUNT_OVER_LIMIT":       {Result: notify.Reject, Detail: "too many phone numbers"},
	"isv.TEMPLATE_MISSING_PARAMETERS":   {Result: notify.Reject, Detail: "template parameter missing"},
	"isv.TEMPLATE_PARAMS_ILLEGAL":       {Result: notify.Reject, Detail: "template parameter refused"},
	"isv.INVALID_PARAMETERS":            {Result: notify.Reject, Detail: "invalid parameters"},
	"isv.INVALID_JSON_PARAM":            {Result: notify.Reject, Detail: "parameters are not a JSON object of strings"},
	"isv.BLACK_KEY_CONTROL_LIMIT":       {Result: notify.Reject, Detail: "a parameter holds a blocked word"},
	"isv.PARAM_LENGTH_LIMIT":            {Result: notify.Reject, Detail: "a parameter is too long"},
	"isv.PARAM_NOT_SUPPORT_URL":         {Result: notify.Reject, Detail: "a parameter holds a link"},
	"isv.SMS_CONTENT_ILLEGAL":           {Result: notify.Reject, Detail: "content refused"},
	"isv.NOT_SUPPORTED_COUNTRY":         {Result: notify.Reject, Detail: "country not supported"},
	"isv.DOMESTIC_NUMBER_NOT_SUPPORTED": {Result: notify.Reject, Detail: "number not supported"},
	"isv.BLACKLIST":                     {Result: notify.Reject, Detail: "the phone refuses messages"},

	// The channel is unusable until staff act: the message waits.
	"isv.OUT_OF_SERVICE":              {Result: notify.Blocked, Detail: "account suspended (arrears)"},
	"isv.AMOUNT_NOT_ENOUGH":           {Result: notify.Blocked, Detail: "balance too low"},
	"isv.BILLING_DEDUCTION_ERROR":     {Result: notify.Blocked, Detail: "billing error"},
	"isv.PRODUCT_UN_SUBSCRIPT":        {Result: notify.Blocked, Detail: "SMS service not activated"},
	"isv.PRODUCT_UNSUBSCRIBE":         {Result: notify.Blocked, Detail: "SMS service not activated"},
	"isv.ACCOUNT_NOT_EXISTS":          {Result: notify.Blocked, Detail: "account does not exist"},
	"isv.ACCOUNT_ABNORMAL":            {Result: notify.Blocked, Detail: "account abnormal"},
	"isv.SMS_TEMPLATE_ILLEGAL":        {Result: notify.Blocked, Detail: "template code not approved for this account"},
	"isv.SMS_SIGNATURE_ILLEGAL":       {Result: notify.Blocked, Detail: "sign name not approved"},
	"isv.SMS_SIGN_ILLEGAL":            {Result: notify.Blocked, Detail: "sign name not approved"},
	"isv.SMS_SIGNATURE_SCENE_ILLEGAL": {Result: notify.Blocked, Detail: "sign name not approved for this template"},
	"isp.RAM_PERMISSION_DENY":         {Result: notify.Blocked, Detail: "access key lacks the permission"},
	"isv.RAM_PERMISSION_DENY":         {Result: notify.Blocked, Detail: "access key lacks the permission"},
	"Forbidden.RAM":                   {Result: notify.Blocked, Detail: "access key lacks the permission"},
	"InvalidAccessKeyId.NotFound":     {Result: notify.Blocked, Detail: "access key id unknown"},
	"InvalidAccessKeyId.Inactive":     {Result: notify.Blocked, Detail: "access key disabled"},
	"SignatureDoesNotMatch":           {Result: notify.Blocked, Detail: "access key secret wrong"},
	"IncompleteSignature":             {Result: notify.Blocked, Detail: "access key secret wrong"},
	"InvalidTimeStamp.Expired":        {Result: notify.Blocked, Detail: "server clock wrong"},
}

// Classify maps a SendSms answer code to an outcome whose Code is the
// answer code.
func Classify(code string) notify.Outcome {
	o, ok := codes[code]
	if !ok {
		o = notify.Outcome{Result: notify.Retry, Detail: "unexpected answer"}
	}
	o.Code = code
	if len(o.Code) > 64 {
		o.Code = o.Code[:64]
	}
	return o
}

// classifyErr turns an SDK error into an outcome without quoting it: the
// SDK's error texts hold the request URL with phone number and key id.
func classifyErr(err error) notify.Outcome {
	if errors.Is(err, errSDKPanic) {
		return notify.Outcome{Result: notify.Unknown, Code: "unreadable answer", Detail: "the provider's answer could not be parsed"}
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		status := se.HttpStatus()
		if status >= 500 {
			return notify.Outcome{Result: notify.Unknown, Code: "http " + strconv.Itoa(status) + codeSuffix(se.ErrorCode()), Detail: "provider error"}
		}
		if se.ErrorCode() == "" {
			return notify.Outcome{Result: notify.Retry, Code: "http " + strconv.Itoa(status), Detail: "unexpected answer"}
		}
		o := Classify(se.ErrorCode())
		if o.Result == notify.Delivered { // "OK" with an error status: make no claim
			o = notify.Outcome{Result: notify.Unknown, Code: "http " + strconv.Itoa(status) + " OK", Detail: "contradictory answer"}
		}
		return o
	}
	var op *net.OpError
	var dns *net.DNSError
	switch {
	case errors.As(err, &op) && op.Op == "dial", errors.As(err, &dns):
		// The request never left: sending again cannot duplicate it.
		return notify.Outcome{Result: notify.Retry, Code: "connect", Detail: "provider unreachable"}
	case errors.Is(err, context.Canceled):
		return notify.Outcome{Result: notify.Unknown, Code: "cancelled", Detail: "stopped while waiting for the provider"}
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return notify.Outcome{Result: notify.Unknown, Code: "timeout", Detail: "no answer in time"}
	}
	var ce *sdkerrors.ClientError
	if errors.As(err, &ce) {
		return notify.Outcome{Result: notify.Unknown, Code: ce.ErrorCode(), Detail: "SDK error"}
	}
	return notify.Outcome{Result: notify.Unknown, Code: "transport", Detail: "connection failed after sending"}
}

func codeSuffix(code string) string {
	if code == "" {
		return ""
	}
	return " " + code
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || strings.Contains(err.Error(), "Client.Timeout")
}

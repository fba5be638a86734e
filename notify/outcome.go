package notify

import "time"

// Result is what a provider's answer means for the delivery.
type Result int

const (
	// Delivered: the provider accepted the message.
	Delivered Result = iota + 1
	// Retry: not sent this time, for a reason that may pass (provider down,
	// rate limited, refused before sending). Counts as a try.
	Retry
	// Reject: this message can never be sent (invalid number, parameter the
	// provider refuses). The delivery is dead at once.
	Reject
	// Unknown: the provider may or may not have accepted it (timeout after
	// the request left, 5xx, unreadable answer). AtMostOnce channels look it
	// up before anything else; AtLeastOnce channels treat it as Retry.
	Unknown
	// Blocked: the channel itself is unusable (missing or wrong credentials,
	// account in arrears, template or signature not approved). The message
	// waits without using up its tries and the channel rests; staff are told.
	Blocked
)

func (r Result) String() string {
	switch r {
	case Delivered:
		return "delivered"
	case Retry:
		return "retry"
	case Reject:
		return "reject"
	case Unknown:
		return "unknown"
	case Blocked:
		return "blocked"
	}
	return "invalid"
}

// Outcome is a sender's verdict on one attempt or one lookup.
type Outcome struct {
	Result Result
	// Code is the provider's answer code ("isv.BUSINESS_LIMIT_CONTROL",
	// "45009", "http 503", "timeout"). Kept as the delivery's last error.
	Code string
	// Detail says in a few words what happened. It must hold no personal
	// data: never a provider error's text, which may quote the request URL
	// with the phone number and credentials.
	Detail string
	// RetryAfter is the least wait the provider asks for (rate limits);
	// zero leaves the wait to the policy's backoff.
	RetryAfter time.Duration
	// Ref is the provider's id of an accepted message (Alibaba's BizId).
	Ref string
}

// Error is the text kept as a delivery's last error.
func (o Outcome) Error() string {
	switch {
	case o.Code == "":
		return o.Detail
	case o.Detail == "":
		return o.Code
	}
	return o.Code + ": " + o.Detail
}

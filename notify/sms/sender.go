package sms

import (
	"context"
	"errors"

	"simeng/notify"
)

// ErrNoPhone is what Sender.Phone returns for a recipient without a phone
// number, or a resident who did not consent to messages.
var ErrNoPhone = errors.New("sms: the recipient has no phone number to use")

// Sender delivers outbox messages by SMS: a notify.Sender and
// notify.Reconciler.
type Sender struct {
	Client *Client
	// Phone returns the recipient's mobile number, unsealed, or ErrNoPhone.
	// It must not log the number.
	Phone func(ctx context.Context, recipient string) (string, error)
	// Codes maps templates to the codes of their approved Alibaba templates
	// (settings). A template without a code blocks the channel until staff
	// enter it.
	Codes map[notify.TemplateID]string
}

// Send sends m once under the delivery's OutID.
func (s *Sender) Send(ctx context.Context, d notify.Delivery, m notify.Message) notify.Outcome {
	tpl, ok := notify.Lookup(m.Template)
	if !ok {
		return notify.Outcome{Result: notify.Reject, Code: "template", Detail: "unknown template"}
	}
	params, err := tpl.SMSParams(m.Params)
	if err != nil {
		return notify.Outcome{Result: notify.Reject, Code: "template", Detail: "parameters missing"}
	}
	phone, o, ok := s.phone(ctx, m.Recipient)
	if !ok {
		return o
	}
	return s.Client.Send(ctx, Request{Phone: phone, TemplateCode: s.Codes[m.Template], ParamJSON: params, OutID: notify.OutID(d.Key)})
}

// Lookup settles a try whose outcome is unknown.
func (s *Sender) Lookup(ctx context.Context, d notify.Delivery, m notify.Message) notify.Outcome {
	phone, o, ok := s.phone(ctx, m.Recipient)
	if !ok {
		if o.Result == notify.Reject {
			// The number is gone since the try: it can never be found, nor
			// sent again.
			return notify.Outcome{Result: notify.Unknown, Code: o.Code, Detail: "cannot look up: " + o.Detail}
		}
		return notify.Outcome{Result: notify.Unknown, Code: o.Code, Detail: o.Detail}
	}
	return s.Client.Lookup(ctx, phone, notify.OutID(d.Key), d.AttemptedAt)
}

func (s *Sender) phone(ctx context.Context, recipient string) (string, notify.Outcome, bool) {
	phone, err := s.Phone(ctx, recipient)
	switch {
	case errors.Is(err, ErrNoPhone):
		return "", notify.Outcome{Result: notify.Reject, Code: "no phone", Detail: "the recipient has no usable phone number"}, false
	case err != nil:
		return "", notify.Outcome{Result: notify.Retry, Code: "phone lookup", Detail: "could not read the recipient's phone number"}, false
	}
	return phone, notify.Outcome{}, true
}

package sms

import (
	"context"
	"strconv"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/dysmsapi"

	"simeng/notify"
	"simeng/pii"
)

// Request is one text message.
type Request struct {
	Phone        string // mainland mobile number
	TemplateCode string // the approved template's code, e.g. SMS_123456789
	ParamJSON    string // TemplateParam: notify.Template.SMSParams
	OutID        string // notify.OutID of the delivery
}

// Send sends r once. Its outcome is Delivered with the BizId as Ref, or says
// why not; Unknown when the request may have been accepted (timeout after
// sending, 5xx, unreadable answer), to be settled with Lookup.
func (c *Client) Send(ctx context.Context, r Request) notify.Outcome {
	phone := pii.NormalizeMobile(r.Phone)
	if !pii.ValidMobile(phone) {
		return notify.Outcome{Result: notify.Reject, Code: "invalid phone", Detail: "not a mainland mobile number"}
	}
	if r.TemplateCode == "" {
		return notify.Outcome{Result: notify.Blocked, Code: "no template code", Detail: "the template has no Alibaba code in the settings"}
	}
	req := dysmsapi.CreateSendSmsRequest()
	req.PhoneNumbers = phone
	req.SignName = c.cfg.SignName
	req.TemplateCode = r.TemplateCode
	req.TemplateParam = r.ParamJSON
	req.OutId = r.OutID
	resp := dysmsapi.CreateSendSmsResponse()
	if err := c.do(ctx, req, resp); err != nil {
		return classifyErr(err)
	}
	o := Classify(resp.Code)
	if o.Result == notify.Delivered {
		o.Ref = resp.BizId
	}
	return o
}

// Send statuses of QuerySendDetails.
const (
	statusWaiting = 1 // accepted, waiting for the carrier's receipt
	statusFailed  = 2 // the carrier could not deliver it
	statusDone    = 3 // delivered
)

// lookupPages bounds the pages read per day: 50 messages a page, and one
// phone gets few messages a day.
const lookupPages = 10

// Lookup tells whether the provider accepted the message with outID sent
// to phone at about attempted: Delivered if it did (waiting for or with a
// receipt), Retry if it did not, or if the carrier failed it (so sending
// again cannot make a duplicate), and Unknown if the lookup itself failed.
// A try just before midnight China time is looked for on both days.
func (c *Client) Lookup(ctx context.Context, phone, outID string, attempted time.Time) notify.Outcome {
	phone = pii.NormalizeMobile(phone)
	if !pii.ValidMobile(phone) {
		return notify.Outcome{Result: notify.Reject, Code: "invalid phone", Detail: "not a mainland mobile number"}
	}
	days := []time.Time{attempted}
	if next := attempted.Add(10 * time.Minute); next.In(notify.ChinaTime).Day() != attempted.In(notify.ChinaTime).Day() {
		days = append(days, next)
	}
	for _, day := range days {
		for page := 1; page <= lookupPages; page++ {
			req := dysmsapi.CreateQuerySendDetailsRequest()
			req.PhoneNumber = phone
			req.SendDate = day.In(notify.ChinaTime).Format("20060102")
			req.PageSize = requests.NewInteger(50)
			req.CurrentPage = requests.NewInteger(page)
			resp := dysmsapi.CreateQuerySendDetailsResponse()
			if err := c.do(ctx, req, resp); err != nil {
				o := classifyErr(err)
				return notify.Outcome{Result: notify.Unknown, Code: o.Code, Detail: "lookup failed: " + o.Detail}
			}
			if resp.Code != "OK" {
				return notify.Outcome{Result: notify.Unknown, Code: resp.Code, Detail: "lookup refused"}
			}
			details := resp.SmsSendDetailDTOs.SmsSendDetailDTO
			for _, d := range details {
				if d.OutId != outID {
					continue
				}
				if d.SendStatus == statusFailed {
					return notify.Outcome{Result: notify.Retry, Code: "carrier " + d.ErrCode, Detail: "accepted, but the carrier could not deliver it"}
				}
				return notify.Outcome{Result: notify.Delivered, Code: "found", Detail: "found by OutId, status " + strconv.FormatInt(d.SendStatus, 10)}
			}
			total, _ := strconv.Atoi(resp.TotalCount)
			if len(details) == 0 || page*50 >= total {
				break
			}
		}
	}
	return notify.Outcome{Result: notify.Retry, Code: "not found", Detail: "the provider has no message with this OutId"}
}

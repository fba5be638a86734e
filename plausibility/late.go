package plausibility

import (
	"fmt"
	"time"
)

// deviceBehindNotice is how far the phone's clock must lag the server's
// before a LateUpload reason mentions it.
const deviceBehindNotice = 10 * time.Minute

// CheckLate raises LateUpload when the server received the visit more than
// s.OfflinePeriodH hours after its stated time. A phone whose clock runs
// behind makes a visit look late too; the flag stays (the stated time is
// what counts toward the year), but the reason says so when the push told
// the phone's clock (SentAt).
func CheckLate(v Visit, s Settings) []Flag {
	s = s.Normalized()
	if !s.on(LateUpload) || v.VisitedAt.IsZero() || v.ReceivedAt.IsZero() {
		return nil
	}
	delay := v.ReceivedAt.Sub(v.VisitedAt)
	if delay <= s.offlinePeriod() {
		return nil
	}
	reason := fmt.Sprintf("走访时间为 %s，服务器 %s 才收到，相隔 %s，超过正常离线时间（%s）",
		whenText(v.VisitedAt, v.ReceivedAt), whenText(v.ReceivedAt, v.ReceivedAt), durationText(delay), periodText(s.OfflinePeriodH))
	if !v.SentAt.IsZero() {
		if behind := v.ReceivedAt.Sub(v.SentAt); behind > deviceBehindNotice {
			reason += fmt.Sprintf("；上传时手机时间比服务器慢约 %s", durationText(behind))
		}
	}
	return []Flag{{Kind: LateUpload, Visit: v.ID, Reason: reason}}
}

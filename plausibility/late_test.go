package plausibility

import (
	"strings"
	"testing"
	"time"
)

func TestCheckLate(t *testing.T) {
	received := func(after time.Duration) Visit {
		v := visit("v1", "h1", at(9, 30), nil)
		v.ReceivedAt = v.VisitedAt.Add(after)
		return v
	}
	behind := received(80 * time.Hour)
	behind.SentAt = behind.ReceivedAt.Add(-5 * time.Hour)
	ahead := received(80 * time.Hour)
	ahead.SentAt = ahead.ReceivedAt.Add(3 * time.Hour)
	lastYear := visit("v1", "h1", time.Date(2025, 12, 30, 16, 0, 0, 0, China), nil)
	lastYear.ReceivedAt = time.Date(2026, 1, 20, 8, 0, 0, 0, China)
	unknown := visit("v1", "h1", at(9, 30), nil)
	unknown.ReceivedAt = time.Time{}

	tests := []struct {
		name     string
		v        Visit
		settings Settings
		want     []Kind
		reason   []string
	}{
		// Should flag.
		{"a week late", received(7*24*time.Hour + 4*time.Hour + 35*time.Minute), Settings{},
			[]Kind{LateUpload}, []string{"走访时间为 3月5日 09:30，服务器 3月12日 14:05 才收到，相隔 7 天 4 小时，超过正常离线时间（3 天）"}},
		{"just past 72 hours", received(72*time.Hour + time.Minute), Settings{}, []Kind{LateUpload}, []string{"相隔 3 天"}},
		{"a phone clock 5 hours behind is explained", behind, Settings{}, []Kind{LateUpload}, []string{"手机时间比服务器慢约 5 小时"}},
		{"a visit of last year", lastYear, Settings{}, []Kind{LateUpload}, []string{"2025年12月30日 16:00", "1月20日 08:00", "20 天 16 小时"}},
		{"a shorter setting", received(30 * time.Hour), Settings{OfflinePeriodH: 24}, []Kind{LateUpload}, []string{"（1 天）"}},
		{"a setting in hours", received(40 * time.Hour), Settings{OfflinePeriodH: 36}, []Kind{LateUpload}, []string{"（36 小时）"}},

		// Should not flag.
		{"synced at once", received(time.Minute), Settings{}, nil, nil},
		{"two days offline", received(48 * time.Hour), Settings{}, nil, nil},
		{"72 hours exactly", received(72 * time.Hour), Settings{}, nil, nil},
		{"a phone clock ahead: received before its stated time", received(-3 * time.Hour), Settings{}, nil, nil},
		{"not received yet", unknown, Settings{}, nil, nil},
		{"check off", received(30 * 24 * time.Hour), Settings{Off: []Kind{LateUpload}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckLate(tt.v, tt.settings)
			checkFlags(t, tt.v, got, tt.want, tt.reason, nil)
		})
	}
	if got := CheckLate(ahead, Settings{}); len(got) != 1 || strings.Contains(got[0].Reason, "慢") {
		t.Errorf("a phone ahead of the server is not said to be behind: %+v", got)
	}
}

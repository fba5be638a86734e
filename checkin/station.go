package checkin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"regexp"
	"simeng/chinatime"
	"strings"
	"time"
)

// The liaison station's duty check-in code (联络站值班签到码, R13): one code
// per station and China calendar day, posted at the station on a market day.
// The duty deputy scans it in the PWA; like the meeting code it names no
// deputy, so it only ever checks in whoever is logged in. Unlike the meeting
// code it lives all day, so a photo of it works from anywhere that day: the
// server must also require the deputy to be on that day's roster.
//
// Token: "st.<station>.<yyyymmdd>.<mac>", four parts, so a meeting token
// (three parts, another MAC domain) is never taken for one, nor the reverse.

// StationGrace is how long after the day's China midnight its code still
// verifies, for a scan at 23:59 that reaches the server over a slow network.
const StationGrace = 30 * time.Minute

// ErrWrongDay: a genuine code, but not for today (China time). The
// StationDay returned alongside says which day it was for.
var ErrWrongDay = errors.New("这不是今天的值班签到码，请扫描联络站今天张贴的二维码")

// StationDay is what a station code is bound to.
type StationDay struct {
	Station string // station record id
	Day     string // China civil date, "2006-01-02"
}

const (
	stationPrefix = "st"
	compactDay    = "20060102"
	stationMACLen = 16 // bytes of HMAC-SHA256 kept: 128 bits, a smaller QR on the wall
)

var compactDayPattern = regexp.MustCompile(`^[0-9]{8}$`)

// SignStationDay returns the code of station for day ("2006-01-02", a China
// date). Staff print or show it for that day only.
func SignStationDay(secret []byte, station, day string) (string, error) {
	if !idPattern.MatchString(station) {
		return "", ErrMalformed
	}
	t, err := time.Parse(chinatime.DateLayout, day)
	if err != nil || t.Format(chinatime.DateLayout) != day {
		return "", ErrMalformed
	}
	payload := stationPrefix + "." + station + "." + t.Format(compactDay)
	return payload + "." + stationMAC(secret, payload), nil
}

// VerifyStationDay checks token at now. It is valid from 00:00 China time
// of its day until StationGrace after the day ends. Which station it is for
// is the caller's check, against the deputy's duty of the day.
func VerifyStationDay(secret []byte, token string, now time.Time) (StationDay, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 4 || parts[0] != stationPrefix || !idPattern.MatchString(parts[1]) || !compactDayPattern.MatchString(parts[2]) {
		return StationDay{}, ErrMalformed
	}
	start, err := time.ParseInLocation(compactDay, parts[2], chinatime.Location())
	if err != nil || start.Format(compactDay) != parts[2] {
		return StationDay{}, ErrMalformed
	}
	want := stationMAC(secret, strings.Join(parts[:3], "."))
	if !hmac.Equal([]byte(want), []byte(parts[3])) {
		return StationDay{}, ErrSignature
	}
	sd := StationDay{Station: parts[1], Day: start.Format(chinatime.DateLayout)}
	if now.Before(start) || !now.Before(start.AddDate(0, 0, 1).Add(StationGrace)) {
		return sd, ErrWrongDay
	}
	return sd, nil
}

func stationMAC(secret []byte, payload string) string {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("simeng-station-day-v1\x00"))
	h.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:stationMACLen])
}

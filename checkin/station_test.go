package checkin

import (
	"errors"
	"simeng/chinatime"
	"strings"
	"testing"
	"time"
)

func chinaTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04:05", s, chinatime.Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustSignStation(t *testing.T, secret []byte, station, day string) string {
	t.Helper()
	tok, err := SignStationDay(secret, station, day)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestVerifyStationDay(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	good := mustSignStation(t, secret, "station1", "2025-10-05")
	swap := func(tok string, i int, v string) string {
		p := strings.Split(tok, ".")
		p[i] = v
		return strings.Join(p, ".")
	}
	noon := chinaTime(t, "2025-10-05 12:00:00")
	tests := []struct {
		name  string
		token string
		now   time.Time
		want  error
	}{
		// Forgery and tampering.
		{"other station", swap(good, 1, "station2"), noon, ErrSignature},
		{"other day", swap(good, 2, "20251010"), noon, ErrSignature},
		{"other secret", mustSignStation(t, []byte("another-secret-another-secret!!"), "station1", "2025-10-05"), noon, ErrSignature},
		{"truncated mac", good[:len(good)-1], noon, ErrSignature},
		{"meeting token for the same id", Sign(secret, "station1", noon.Add(time.Hour)), noon, ErrMalformed},
		{"mac of a meeting payload", "st.station1.20251005." + mac(secret, "st.station1.20251005"), noon, ErrSignature},
		{"no prefix", strings.TrimPrefix(good, "st."), noon, ErrMalformed},
		{"other prefix", swap(good, 0, "mt"), noon, ErrMalformed},
		{"impossible date", swap(good, 2, "20251332"), noon, ErrMalformed},
		{"short date", swap(good, 2, "2025105"), noon, ErrMalformed},
		{"bad station", swap(good, 1, "../x"), noon, ErrMalformed},
		{"empty", "", noon, ErrMalformed},
		// The China day and its boundaries.
		{"valid at noon", good, noon, nil},
		{"valid from China midnight", good, chinaTime(t, "2025-10-05 00:00:00"), nil},
		{"same instant in UTC", good, time.Date(2025, 10, 4, 16, 0, 0, 0, time.UTC), nil},
		{"the evening before", good, chinaTime(t, "2025-10-04 23:59:59"), ErrWrongDay},
		{"still the 4th in UTC but the 5th in China", good, time.Date(2025, 10, 4, 17, 0, 0, 0, time.UTC), nil},
		{"within the grace", good, chinaTime(t, "2025-10-06 00:29:59"), nil},
		{"grace over", good, chinaTime(t, "2025-10-06 00:30:00"), ErrWrongDay},
		{"still the 5th in UTC but the 6th in China", good, time.Date(2025, 10, 5, 17, 0, 0, 0, time.UTC), ErrWrongDay},
		{"next market day", good, chinaTime(t, "2025-10-10 09:00:00"), ErrWrongDay},
	}
	for _, tt := range tests {
		sd, err := VerifyStationDay(secret, tt.token, tt.now)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
			continue
		}
		if (err == nil || errors.Is(err, ErrWrongDay)) && sd != (StationDay{"station1", "2025-10-05"}) {
			t.Errorf("%s: bound to %+v", tt.name, sd)
		}
	}
}

func TestVerifyStationDayNamesItsStation(t *testing.T) {
	// A genuine code of another station verifies and says so: the caller
	// refuses it when it is not the station of the deputy's duty.
	secret := []byte("0123456789abcdef0123456789abcdef")
	a := mustSignStation(t, secret, "stationA", "2025-10-05")
	b := mustSignStation(t, secret, "stationB", "2025-10-05")
	if a == b {
		t.Fatal("two stations share a code")
	}
	sd, err := VerifyStationDay(secret, b, chinaTime(t, "2025-10-05 09:00:00"))
	if err != nil || sd.Station != "stationB" {
		t.Errorf("got %+v, %v; want stationB", sd, err)
	}
}

func TestSignStationDayRejects(t *testing.T) {
	secret := []byte("k")
	for _, in := range [][2]string{{"", "2025-10-05"}, {"a.b", "2025-10-05"}, {"s1", "2025-10-5"}, {"s1", "2025-02-30"}, {"s1", ""}} {
		if _, err := SignStationDay(secret, in[0], in[1]); !errors.Is(err, ErrMalformed) {
			t.Errorf("SignStationDay(%q, %q) err = %v", in[0], in[1], err)
		}
	}
}

// FuzzVerifyStationDay: whatever is scanned, a token is accepted only if
// SignStationDay would have produced exactly it, and only on its day.
func FuzzVerifyStationDay(f *testing.F) {
	secret := []byte("fuzz-secret")
	tok, _ := SignStationDay(secret, "s1", "2025-10-05")
	f.Add(tok, int64(1759622400))
	f.Add("st.s1.20251005.x", int64(0))
	f.Add("a.b.c", int64(1759622400))
	f.Fuzz(func(t *testing.T, token string, unix int64) {
		now := time.Unix(unix%(1<<40), 0)
		sd, err := VerifyStationDay(secret, token, now)
		if err != nil && !errors.Is(err, ErrWrongDay) {
			return
		}
		again, serr := SignStationDay(secret, sd.Station, sd.Day)
		if serr != nil || again != token {
			t.Fatalf("accepted %q, which SignStationDay would not produce (%q)", token, again)
		}
		if err == nil {
			start := chinaStart(sd.Day)
			if now.Before(start) || !now.Before(start.Add(24*time.Hour+StationGrace)) {
				t.Fatalf("accepted %q at %v", token, now)
			}
		}
	})
}

func chinaStart(day string) time.Time {
	t, _ := time.ParseInLocation(chinatime.DateLayout, day, chinatime.Location())
	return t
}

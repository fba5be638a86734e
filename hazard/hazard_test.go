package hazard

import (
	"strings"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/workdays"
)

func TestCheckLifecycle(t *testing.T) {
	done := State{Rectification: "已加装护栏", PhotosAfter: 1, VerifyInspection: "re", FoundInInspection: "found"}
	with := func(s Status, base State) State { base.Status = s; return base }
	st := func(s Status) *State { x := with(s, done); return &x }
	cases := []struct {
		name  string
		old   *State
		cur   State
		field string // "" = allowed
		want  string // substring of the message
	}{
		{"create open", nil, State{Status: Open}, "", ""},
		{"create closed refused", nil, State{Status: Closed}, "status", "待整改"},
		{"create rectified refused", nil, with(Rectified, done), "status", "待整改"},
		{"bad status", st(Open), State{Status: "done"}, "status", "无效"},
		{"open to rectifying", st(Open), with(Rectifying, State{}), "", ""},
		{"open to closed refused", st(Open), with(Closed, done), "status", "不能从「待整改」直接改为「已销号」"},
		{"open to rectified refused", st(Open), with(Rectified, done), "status", "下一步只能是「整改中」"},
		{"rectifying to verified refused", st(Rectifying), with(Verified, done), "status", "已整改"},
		{"rectifying to closed refused", st(Rectifying), with(Closed, done), "status", "直接改为「已销号」"},
		{"rectified needs photo", st(Rectifying), State{Status: Rectified, Rectification: "x"}, "photos_after", "整改后照片"},
		{"rectified needs note", st(Rectifying), State{Status: Rectified, PhotosAfter: 2}, "rectification", "整改情况"},
		{"rectified ok", st(Rectifying), with(Rectified, done), "", ""},
		{"rectified to closed refused", st(Rectified), with(Closed, done), "status", "复查通过"},
		{"re-inspection failed", st(Rectified), with(Rectifying, done), "", ""},
		{"verified needs inspection", st(Rectified), State{Status: Verified, PhotosAfter: 1, Rectification: "x"}, "verify_inspection", "复查"},
		{"verified needs another inspection", st(Rectified), State{Status: Verified, PhotosAfter: 1, VerifyInspection: "a", FoundInInspection: "a"}, "verify_inspection", "另一次"},
		{"verified ok", st(Rectified), with(Verified, done), "", ""},
		{"closed ok", st(Verified), with(Closed, done), "", ""},
		{"closed needs photo after", st(Verified), State{Status: Closed, VerifyInspection: "re"}, "photos_after", "照片"},
		{"closed stays", st(Closed), with(Closed, done), "", ""},
		{"closed reopened refused", st(Closed), with(Open, done), "status", "已销号"},
		{"verified back refused", st(Verified), with(Rectifying, done), "status", "不能从"},
		{"no change", st(Rectifying), with(Rectifying, State{}), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := Check(c.old, c.cur)
			if c.field == "" {
				if errs != nil {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			msg, ok := errs[c.field]
			if !ok || !strings.Contains(msg, c.want) {
				t.Fatalf("errors %v: want %s containing %q", errs, c.field, c.want)
			}
		})
	}
}

func TestEveryShortcutIsRefused(t *testing.T) {
	full := State{Rectification: "x", PhotosAfter: 1, VerifyInspection: "re"}
	allowed := map[[2]Status]bool{
		{Open, Rectifying}: true, {Rectifying, Rectified}: true, {Rectified, Verified}: true,
		{Rectified, Rectifying}: true, {Verified, Closed}: true,
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			if from == to {
				continue
			}
			old := full
			old.Status = from
			cur := full
			cur.Status = to
			errs := Check(&old, cur)
			if allowed[[2]Status{from, to}] != (errs == nil) {
				t.Errorf("%s → %s: errors %v, allowed %v", from, to, errs, allowed[[2]Status{from, to}])
			}
		}
	}
}

func TestOverdue(t *testing.T) {
	cal := workdays.New()
	cst := chinatime.Location()
	// Deadline Friday 2026-09-25; 国庆 2026 runs 1–7 October (workday on Sat 26 Sep? checked by calendar).
	deadline := time.Date(2026, 9, 25, 0, 0, 0, 0, cst)
	escalateAt := EndOfDay(cal.AddWorkdays(EndOfDay(deadline), EscalateAfterWorkdays))
	cases := []struct {
		name   string
		status Status
		now    time.Time
		want   Stage
	}{
		{"before deadline", Open, deadline.Add(2 * time.Hour), StageNone},
		{"last minute of the deadline day", Open, time.Date(2026, 9, 25, 23, 59, 0, 0, cst), StageNone},
		{"day after", Open, time.Date(2026, 9, 26, 0, 1, 0, 0, cst), StagePresidium},
		{"rectifying late", Rectifying, time.Date(2026, 9, 28, 9, 0, 0, 0, cst), StagePresidium},
		{"just before escalation", Open, escalateAt, StagePresidium},
		{"escalated", Open, escalateAt.Add(time.Second), StageSupervised},
		{"rectified is not overdue", Rectified, escalateAt.Add(time.Hour), StageNone},
		{"closed is not overdue", Closed, escalateAt.Add(time.Hour), StageNone},
	}
	for _, c := range cases {
		if got := Overdue(cal, c.status, deadline, c.now); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
	// The national-day week does not count towards the grace.
	if escalateAt.Before(time.Date(2026, 10, 8, 0, 0, 0, 0, cst)) {
		t.Fatalf("escalation at %v should skip the 国庆 holidays", escalateAt)
	}
	if Overdue(cal, Open, time.Time{}, escalateAt) != StageNone {
		t.Fatal("no deadline, no overdue")
	}
}

func TestEndOfDayIsChinaTime(t *testing.T) {
	// 20:00 UTC on 1 March is 04:00 on 2 March in China.
	got := EndOfDay(time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC))
	if y, m, d := got.Date(); y != 2026 || m != 3 || d != 2 || got.Hour() != 23 {
		t.Fatalf("EndOfDay = %v", got)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("open", "closed", "", 0, "", "")
	f.Add("rectified", "verified", "x", 1, "a", "a")
	f.Fuzz(func(t *testing.T, from, to, note string, photos int, verify, found string) {
		old := State{Status: Status(from)}
		cur := State{Status: Status(to), Rectification: note, PhotosAfter: photos, VerifyInspection: verify, FoundInInspection: found}
		errs := Check(&old, cur)
		if errs == nil {
			// Anything accepted is an allowed move with its evidence.
			if !CanMove(old.Status, cur.Status) || !cur.Status.Valid() {
				t.Fatalf("accepted %s → %s", from, to)
			}
			if old.Status != cur.Status && cur.Status == Closed && (photos == 0 || verify == "") {
				t.Fatalf("closed without evidence: %+v", cur)
			}
		}
		for field, msg := range errs {
			if field == "" || msg == "" {
				t.Fatalf("empty error %q: %q", field, msg)
			}
		}
	})
}

package formguard

import (
	"regexp"
	"strconv"
	"testing"
	"time"
)

func TestLimitsAskBeforeTheyRefuse(t *testing.T) {
	g := New()
	g.SetLimits(Limits{Window: 10 * time.Minute, PerIPCodeSoft: 2, PerIPCodeHard: 4, PerIPSoft: 100, PerIPHard: 100, PerCodeSoft: 100})
	now := time.Date(2026, 3, 5, 9, 1, 0, 0, time.UTC)
	for i := 1; i <= 5; i++ {
		v := g.Check(now, "1.2.3.4", "code", true)
		g.Note(now, "1.2.3.4", "code")
		wantChallenge, wantRefused := i > 2, i > 4
		if v.Challenge != wantChallenge || v.Refused != wantRefused {
			t.Fatalf("attempt %d: challenge %v refused %v, want %v %v", i, v.Challenge, v.Refused, wantChallenge, wantRefused)
		}
	}
	if v := g.Check(now, "5.6.7.8", "code", true); v.Challenge || v.Refused {
		t.Fatalf("another address is held back: %+v", v)
	}
	if v := g.Check(now.Add(10*time.Minute), "1.2.3.4", "code", true); v.Challenge || v.Refused {
		t.Fatalf("a new window still counts the old one: %+v", v)
	}
}

func TestTokensAreBoundToTheirKeyAndAnswer(t *testing.T) {
	g := New()
	now := time.Now()
	tok := g.Issue("code", now, 7)
	parsed, ok := g.Parse("code", tok)
	if !ok || parsed.Issued.UnixMilli() != now.UnixMilli() {
		t.Fatalf("own token refused: %v %+v", ok, parsed)
	}
	if _, ok := g.Parse("other", tok); ok {
		t.Fatal("a token for one key is accepted for another")
	}
	if _, ok := New().Parse("code", tok); ok {
		t.Fatal("a token signed with another key is accepted")
	}
	for answer, want := range map[string]bool{"7": true, " 7 ": true, "8": false, "": false, "七": false} {
		if got := g.AnswerOK(parsed, answer); got != want {
			t.Errorf("answer %q: %v, want %v", answer, got, want)
		}
	}
	plain, _ := g.Parse("code", g.Issue("code", now, -1))
	if plain.Challenge != "" || g.AnswerOK(plain, "7") {
		t.Fatal("a token without a question accepts an answer")
	}
}

func TestChallengeIsASmallSum(t *testing.T) {
	for range 50 {
		q, a := NewChallenge()
		if a < 2 || a > 18 || q == "" {
			t.Fatalf("%q = %d", q, a)
		}
		if _, err := strconv.Atoi(q[:1]); err != nil {
			t.Fatalf("question does not start with a digit: %q", q)
		}
	}
}

// A public page must never show what looks like a mobile number; the
// token sits in every form.
func TestTokensHoldNoPhoneLikeDigits(t *testing.T) {
	g := New()
	phone := regexp.MustCompile(`1[3-9][0-9]{9}`)
	for i := range 1000 {
		tok := g.Issue("code", time.Now().Add(time.Duration(i)*time.Hour), i%19)
		if phone.MatchString(tok) {
			t.Fatalf("token %q holds a phone-like number", tok)
		}
	}
}

package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/audit"
	"simeng/hooks/syncengine"
	"simeng/hooks/verification"
)

// Demo verification (issue 21): village positions, three visits the
// household signed, one flagged visit for each reason the server checks
// at push (far from the village, no fix, too fast, too soon, the same
// photo, one sitting, a late upload), a callback sample of last month with
// a denial, and two review decisions (accepted with a note; not counted
// with a reason and the deputy's answer). The flags are raised by the
// server's own hooks as these visits are saved.
func seedVerification(app core.App) error {
	villages, err := app.FindRecordsByFilter("villages", "", "code", 0, 0)
	if err != nil {
		return err
	}
	// The demo visits' fixes lie around 27.71 N, 110.46 E.
	for i, v := range villages {
		v.Set("position", types.GeoPoint{Lat: 27.705 + float64(i%3)*0.005, Lon: 110.455 + float64(i/3)*0.005})
		v.Set("radius_m", 2500)
		if err := app.Save(v); err != nil {
			return err
		}
	}
	deputies, err := app.FindRecordsByFilter("deputies", "presidium = false && active = true", "phone", 3, 0)
	if err != nil || len(deputies) < 3 {
		return fmt.Errorf("demo verification: deputies: %v", err)
	}
	presidium, err := app.FindFirstRecordByFilter("deputies", "presidium = true")
	if err != nil {
		return fmt.Errorf("demo verification: presidium: %w", err)
	}
	s := demoSeeder{app: app, now: time.Now()}
	d := deputies[0]
	village := d.GetString("village")
	base := s.now.Add(-10 * 24 * time.Hour).Truncate(time.Hour)
	fix := func(north, east, acc float64) map[string]any {
		return map[string]any{"lat": 27.705 + north/111_000, "lon": 110.455 + east/98_000, "acc": acc}
	}

	// Three visits the household signed on the phone.
	signers := []string{"向运来", "舒翠萍", "谌光明"}
	for i, name := range signers {
		h, err := s.household(village, d.Id, name, fmt.Sprintf("%d组%d号", 2+i, 11+i), base.Add(-30*24*time.Hour))
		if err != nil {
			return err
		}
		if _, err := s.visit(d.Id, h, base.Add(time.Duration(i)*24*time.Hour), fix(300, 200, 20), s.signature(name)); err != nil {
			return fmt.Errorf("demo verification: signed visit: %w", err)
		}
	}
	// One flagged visit per reason.
	old := func(name, addr string) (string, error) {
		return s.household(village, d.Id, name, addr, base.Add(-60*24*time.Hour))
	}
	at := base.Add(4 * 24 * time.Hour)
	h, _ := old("严长青", "8组2号")
	far, err := s.visit(d.Id, h, at, fix(9000, 0, 30), nil)
	if err != nil {
		return err
	}
	h, _ = old("梁冬梅", "8组6号")
	if _, err := s.visit(d.Id, h, at.Add(4*time.Hour), nil, nil); err != nil { // no fix
		return err
	}
	at = at.Add(24 * time.Hour)
	h1, _ := old("唐海军", "1组3号")
	h2, _ := old("蒋金凤", "1组9号")
	if _, err := s.visit(d.Id, h1, at, fix(0, 0, 20), nil); err != nil {
		return err
	}
	if _, err := s.visit(d.Id, h2, at.Add(12*time.Minute), fix(25000, 0, 20), nil); err != nil { // 25 km in 12 min
		return err
	}
	at = at.Add(5 * time.Hour)
	h1, _ = old("贺丽华", "4组1号")
	h2, _ = old("瞿卫东", "4组5号")
	if _, err := s.visit(d.Id, h1, at, nil, nil); err != nil {
		return err
	}
	if _, err := s.visit(d.Id, h2, at.Add(3*time.Minute), nil, nil); err != nil { // too soon, no fixes
		return err
	}
	// The same photo on two households, by two deputies.
	photo := demoPNG(80, 60, 120)
	at = at.Add(24 * time.Hour)
	h1, _ = old("米春兰", "6组7号")
	h2, _ = s.household(deputies[1].GetString("village"), deputies[1].Id, "周国平", "2组8号", base.Add(-60*24*time.Hour))
	if _, err := s.visitWithPhoto(d.Id, h1, at, fix(100, 100, 15), photo); err != nil {
		return err
	}
	if _, err := s.visitWithPhoto(deputies[1].Id, h2, at.Add(26*time.Hour), fix(200, 900, 15), photo); err != nil {
		return err
	}
	// Six new households in fifteen minutes (one sitting).
	at = at.Add(2 * 24 * time.Hour)
	var sitting string
	for i, name := range []string{"吴小燕", "杨志强", "黄秀英", "陈建国", "刘桂花", "王德胜"} {
		h, err := s.household(village, d.Id, name, fmt.Sprintf("9组%d号", i+1), at.Add(-time.Hour))
		if err != nil {
			return err
		}
		if sitting, err = s.visit(d.Id, h, at.Add(time.Duration(i)*3*time.Minute), fix(150, 50, 25), nil); err != nil {
			return err
		}
	}
	// Recorded nine days before the server received it.
	h, _ = old("邓玉兰", "3组20号")
	if _, err := s.visitReceived(deputies[2].Id, h, base, fix(100, 0, 20), base.Add(9*24*time.Hour)); err != nil {
		return err
	}

	// Reviews: one accepted with a note, one not counted with a reason the
	// deputy answered.
	if err := s.review(far, presidium, "accepted", "代表当天在镇上赶集时遇到农户，当面了解情况，属实。"); err != nil {
		return err
	}
	if err := s.review(sitting, presidium, "not_counted", "15分钟内新建并走访6户，请补充走访照片或农户确认。"); err != nil {
		return err
	}
	if err := s.answer(sitting, d, "当天在组上开院坝会，6户户主都在场，已请他们补签确认。"); err != nil {
		return err
	}
	if err := s.callbacks(presidium); err != nil {
		return fmt.Errorf("demo verification: callbacks: %w", err)
	}
	return nil
}

type demoSeeder struct {
	app core.App
	now time.Time
}

func (s demoSeeder) household(village, deputy, name, addr string, created time.Time) (string, error) {
	col, err := s.app.FindCachedCollectionByNameOrId("households")
	if err != nil {
		return "", err
	}
	h := core.NewRecord(col)
	h.Set("village", village)
	h.Set("deputy", deputy)
	h.Set("head_name", name)
	h.Set("address", addr)
	h.Set("phone", fmt.Sprintf("1390000%04d", 8000+len(name)*10+len(addr)))
	h.Set("schema_version", 1)
	if err := s.app.Save(h); err != nil {
		return "", err
	}
	// The household's server time, as if it had been recorded then.
	dt, _ := types.ParseDateTime(created)
	_, err = s.app.DB().Update("households", dbx.Params{"created": dt.String()}, dbx.HashExp{"id": h.Id}).Execute()
	return h.Id, err
}

func (s demoSeeder) visit(deputy, household string, at time.Time, loc map[string]any, sig *signed) (string, error) {
	return s.save(deputy, household, at, loc, at.Add(2*time.Hour), sig, nil)
}

func (s demoSeeder) visitWithPhoto(deputy, household string, at time.Time, loc map[string]any, photo []byte) (string, error) {
	return s.save(deputy, household, at, loc, at.Add(2*time.Hour), nil, photo)
}

func (s demoSeeder) visitReceived(deputy, household string, at time.Time, loc map[string]any, received time.Time) (string, error) {
	return s.save(deputy, household, at, loc, received, nil, nil)
}

// signed is a household's confirmation with its signature image.
type signed struct {
	name string
	png  []byte
}

func (s demoSeeder) signature(name string) *signed {
	return &signed{name: name, png: demoPNG(240, 90, 0)}
}

func (s demoSeeder) save(deputy, household string, at time.Time, loc map[string]any, received time.Time, sig *signed, photo []byte) (string, error) {
	col, err := s.app.FindCachedCollectionByNameOrId("visits")
	if err != nil {
		return "", err
	}
	v := core.NewRecord(col)
	v.Set("deputy", deputy)
	v.Set("household", household)
	v.Set("visited_at", at)
	v.Set("received_at", received)
	th := themes[len(household)%len(themes)] // text that fits its topic
	v.Set("notes", th.note)
	v.Set("topics", []string{th.topic})
	v.Set("schema_version", 1)
	v.Set("device", "demo")
	if loc != nil {
		v.Set("location", map[string]any{"lat": loc["lat"], "lon": loc["lon"]})
		v.Set("location_accuracy", loc["acc"])
	}
	var manifest []map[string]any
	var files []any
	add := func(key string, b []byte, name string) {
		f, _ := filesystem.NewFileFromBytes(b, name)
		sum := sha256.Sum256(b)
		manifest = append(manifest, map[string]any{"key": key, "sha256": hex.EncodeToString(sum[:]), "size": len(b), "file": f.Name})
		files = append(files, f)
	}
	if photo != nil {
		add("p1", photo, "photo.png")
	}
	if sig != nil {
		add("signature", sig.png, "signature.png")
		sum := sha256.Sum256(sig.png)
		v.Set("confirmation", map[string]any{"name": sig.name, "at": at.Add(15 * time.Minute).UTC().Format(time.RFC3339),
			"signature": hex.EncodeToString(sum[:])})
	}
	if manifest != nil {
		v.Set("photo_manifest", manifest)
		v.Set("photos", files)
		v.Set("complete", true)
	}
	if err := s.app.SaveWithContext(syncengine.Replayed(context.Background()), v); err != nil {
		return "", err
	}
	return v.Id, nil
}

func (s demoSeeder) review(visit string, by *core.Record, decision, note string) error {
	return s.app.RunInTransaction(func(tx core.App) error {
		v, err := tx.FindRecordById("visits", visit)
		if err != nil {
			return err
		}
		if err := s.reviewRow(tx, v, decision, note, by); err != nil {
			return err
		}
		v.Set("review", decision)
		v.Set("review_note", note)
		if err := tx.Save(v); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.Actor{Kind: "presidium", ID: by.Id, Name: by.GetString("name"), Via: "demo"},
			Action: "review", Collection: "visits", RecordID: v.Id, Changes: map[string][2]any{"review": {"", decision}}, Reason: note})
	})
}

func (s demoSeeder) answer(visit string, by *core.Record, text string) error {
	v, err := s.app.FindRecordById("visits", visit)
	if err != nil {
		return err
	}
	return s.reviewRow(s.app, v, "answer", text, by)
}

func (s demoSeeder) reviewRow(tx core.App, v *core.Record, decision, note string, by *core.Record) error {
	col, err := tx.FindCachedCollectionByNameOrId("visit_reviews")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Set("visit", v.Id)
	r.Set("deputy", v.GetString("deputy"))
	r.Set("decision", decision)
	r.Set("note", note)
	r.Set("by", "代表 "+by.GetString("name"))
	r.Set("by_id", by.Id)
	r.Set("at", types.NowDateTime())
	return tx.Save(r)
}

// callbacks draws last month's sample as the office would and records
// three results: confirmed, unreachable and one denial (which raises a
// flag through the same path as the route: visits.callback and the flag).
func (s demoSeeder) callbacks(presidium *core.Record) error {
	month := chinatime.PrevMonthStart(s.now).Format("2006-01")
	sample, err := verification.DrawSample(s.app, month)
	if err != nil {
		return fmt.Errorf("draw: %w", err)
	}
	status, err := s.app.FindRecordsByFilter("callbacks", "sample = {:s}", "visit", 0, 0, map[string]any{"s": sample.Id})
	if err != nil {
		return err
	}
	results := []struct{ result, note string }{
		{"confirmed", "农户说代表来过，还帮忙问了低保的事。"},
		{"unreachable", "两次拨打无人接听。"},
		{"denied", "农户说今年没有代表上门，只在村部开过会。"},
	}
	for i, cb := range status {
		if i >= len(results) {
			break
		}
		actor := audit.Actor{Kind: "presidium", ID: presidium.Id, Name: presidium.GetString("name"), Via: "demo"}
		if err := verification.RecordCallback(s.app, cb.Id, results[i].result, results[i].note, "代表 "+presidium.GetString("name"), actor); err != nil {
			return fmt.Errorf("record %s: %w", results[i].result, err)
		}
	}
	return nil
}

// demoPNG is a small picture: a gradient with a shade.
func demoPNG(w, h int, shade uint8) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{shade, uint8(x * 3), uint8(y * 5), 255})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

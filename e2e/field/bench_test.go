package field

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"simeng/e2e/internal/harness"
)

// Rural link of the issue: 400 Kbps both ways, 400 ms round trip.
const (
	ruralBytesPerSec = 400_000 / 8
	ruralLatencyMs   = 400
	benchVisits      = 50
	benchPhotos      = 2
)

// BenchmarkRuralSync syncs 50 visits with 2 photos each (made by the app's
// own downscaler from a 2400×1800 photo-like image) over Chromium's network
// emulation, with the app's outbox as shipped (one push of ≤ 100 records,
// photos 3 at a time) and with every record and photo sent one request at
// a time, and reports both against the lower bound: bytes ÷ bandwidth plus
// the round trips the protocol needs (one push, one wave of photo uploads,
// one pull), where bytes are what goes up: the photos and the push body
// (request headers left out). Run:
//
//	go test ./e2e/field -run '^$' -bench RuralSync -benchtime 1x -timeout 30m
func BenchmarkRuralSync(b *testing.B) {
	harness.RequireBrowser(b)
	srv := harness.StartServer(b)
	town := srv.SeedTownship()
	for range b.N {
		batched := ruralSync(b, srv, town, 100, 3)
		single := ruralSync(b, srv, town, 1, 1)
		// Upload and download are throttled separately; the download a
		// protocol needs is a few small answers, so only the upload counts.
		lower := float64(batched.up)/ruralBytesPerSec + 3*ruralLatencyMs/1000.0
		b.ReportMetric(batched.seconds, "s/batched")
		b.ReportMetric(single.seconds, "s/one-by-one")
		b.ReportMetric(lower, "s/lower-bound")
		b.ReportMetric(batched.seconds/lower, "batched/lower")
		b.ReportMetric(single.seconds/lower, "one-by-one/lower")
		b.ReportMetric(float64(batched.photoBytes)/benchVisits/1024, "KB-photos/visit")
		b.Logf("batched: %.1fs, %d requests, up %d B, down %d B; one-by-one: %.1fs, %d requests; lower bound %.1fs",
			batched.seconds, batched.requests, batched.up, batched.down, single.seconds, single.requests, lower)
	}
}

type syncRun struct {
	seconds    float64
	up, down   int64
	photoBytes int64
	requests   int32
}

func ruralSync(b *testing.B, srv *harness.Server, town harness.Township, batch, concurrency int) syncRun {
	p := harness.NewPage(b, srv.URL)
	p.Login(town.Deputy.Phone)
	queued := queueVisits(p, town.Village, benchVisits, benchPhotos)

	var down atomic.Int64
	var requests atomic.Int32
	if _, err := chromedp.Call(p.Ctx, network.Enable, network.EnableParams{}); err != nil {
		b.Fatal(err)
	}
	if err := chromedp.Listen(p.Ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if strings.Contains(e.Request.URL, "/api/sync/") {
				requests.Add(1)
			}
		case *network.EventLoadingFinished:
			down.Add(int64(e.EncodedDataLength))
		}
	}); err != nil {
		b.Fatal(err)
	}
	p.SetNetwork(false, ruralLatencyMs, ruralBytesPerSec)
	down.Store(0)
	requests.Store(0)
	secs := harness.EvalWithin[float64](p, fmt.Sprintf(`(async () => {
		const v = document.getElementById('app').dataset.version;
		const { flush } = await import('/a/' + v + '/app/outbox.js');
		const t0 = performance.now();
		const res = await flush({ batch: %d, photoConcurrency: %d });
		if (!res.ok) throw new Error(res.error);
		return (performance.now() - t0) / 1000;
	})()`, batch, concurrency), 20*time.Minute)
	left := harness.Eval[int](p, `(async () => { const v = document.getElementById('app').dataset.version;
		const store = await import('/a/' + v + '/app/store.js');
		return (await store.listRecords('visits')).filter((r) => r.state !== 'synced').length; })()`)
	if left != 0 {
		b.Fatalf("%d visits not synced after the flush", left)
	}
	photoBytes := queued.Photo * benchVisits * benchPhotos
	return syncRun{seconds: secs, up: photoBytes + queued.Push, down: down.Load(), photoBytes: photoBytes, requests: requests.Load()}
}

type queuedVisits struct {
	IDs   []string `json:"ids"`
	Photo int64    `json:"photo"` // bytes of each photo after the app's downscaler
	Push  int64    `json:"push"`  // bytes of the records as JSON
}

// queueVisits saves n visits of one new household, each with photos
// copies of one photo that the app's own downscaler made from a 2400×1800
// photo-like image, through the page's store (as the form would).
func queueVisits(p *harness.Page, village string, n, photos int) queuedVisits {
	p.T.Helper()
	return harness.EvalWithin[queuedVisits](p, fmt.Sprintf(`(async () => {
		const v = document.getElementById('app').dataset.version;
		const store = await import('/a/' + v + '/app/store.js');
		const { downscale } = await import('/a/' + v + '/app/photo.js');
		const c = document.createElement('canvas'); c.width = 2400; c.height = 1800;
		const g = c.getContext('2d'); const img = g.createImageData(2400, 1800); let x = 1;
		for (let i = 0; i < img.data.length; i += 4) {
			x ^= x << 13; x ^= x >>> 17; x ^= x << 5; const n = (x >>> 0) %% 48, px = (i / 4) %% 2400, py = Math.floor(i / 4 / 2400);
			img.data[i] = px / 10 + n; img.data[i + 1] = py / 8 + n; img.data[i + 2] = (px + py) / 16 + n; img.data[i + 3] = 255;
		}
		g.putImageData(img, 0, 0);
		const original = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.92));
		const photo = await downscale(original);
		const hh = store.newId();
		await store.saveLocal({ collection: 'households', id: hh, data: { village: %q, head_name: '米长青', address: '7组' + hh.slice(0, 4) + '号' } });
		const records = [];
		for (let i = 0; i < %d; i++) {
			const photos = [];
			for (let k = 0; k < %d; k++) photos.push({ key: 'ph' + k, blob: photo });
			const rec = await store.saveLocal({ collection: 'visits', id: store.newId(), data: { household: hh,
				visited_at: new Date(Date.now() - i * 60e3).toISOString(), notes: '走访记录，询问了饮水、道路和医保情况。', topics: ['饮水安全'], problems: [] }, photos });
			records.push(rec);
		}
		return { ids: records.map((r) => r.id), photo: photo.size,
			push: JSON.stringify(records.map((r) => ({ collection: r.collection, id: r.id, data: r.data, photos: r.photos }))).length };
	})()`, village, n, photos), 2*time.Minute)
}

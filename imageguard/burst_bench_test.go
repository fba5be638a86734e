package imageguard

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// phonePhoto12MP is a 4000×3000 JPEG at quality 92 with the texture of a
// real photo (about 3 MB) and orientation 6, as a phone held upright
// stores it: the worst ordinary case, since turning it copies the pixels.
var phonePhoto12MP = sync.OnceValue(func() []byte {
	img := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	seed := uint32(1)
	for i := range img.Y {
		seed = seed*1664525 + 1013904223
		img.Y[i] = uint8(i/4000/12 + i%4000/20 + int(seed>>28))
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(100+i%60), uint8(140-i%50)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 92}); err != nil {
		panic(err)
	}
	return withEXIF(b.Bytes(), 6)
})

// BenchmarkBurst12MP sends a burst of 16 concurrent 12 MP phone photos
// through Reencode, with the default budget and with none, and reports the
// peak Go heap and the process's peak RSS during the burst. Run each case
// in a process of its own so that the RSS high-water mark is its own:
//
//	go test ./imageguard -run X -bench 'Burst12MP/budget' -benchtime 3x
//	go test ./imageguard -run X -bench 'Burst12MP/unbounded' -benchtime 3x
func BenchmarkBurst12MP(b *testing.B) {
	const burst = 16
	for _, c := range []struct {
		name   string
		budget *Budget
	}{
		{"budget", NewBudget(DefaultBudgetPixels)},
		{"unbounded", NewBudget(1 << 62)},
	} {
		b.Run(c.name, func(b *testing.B) {
			photo := phonePhoto12MP()
			if len(photo) > 5<<20 {
				b.Fatalf("photo of %d bytes would not pass the 5 MB upload limit", len(photo))
			}
			g := Guard{Budget: c.budget}
			runtime.GC()
			debug.FreeOSMemory()
			resetPeakRSS(b)
			stop := make(chan struct{})
			var peakHeap atomic.Uint64
			go sampleHeap(stop, &peakHeap)
			b.ResetTimer()
			for range b.N {
				var wg sync.WaitGroup
				for range burst {
					wg.Go(func() {
						if _, _, err := g.Reencode(b.Context(), photo); err != nil {
							b.Error(err)
						}
					})
				}
				wg.Wait()
			}
			b.StopTimer()
			close(stop)
			b.ReportMetric(float64(peakHeap.Load())/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(peakRSS(b))/(1<<20), "peak-RSS-MB")
			b.ReportMetric(float64(c.budget.Peak())/1e6, "peak-MP-in-flight")
		})
	}
}

func sampleHeap(stop chan struct{}, peak *atomic.Uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
		}
	}
}

// resetPeakRSS resets the kernel's high-water mark of this process's RSS
// (VmHWM), so that peakRSS reads the peak since now.
func resetPeakRSS(b *testing.B) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Fatalf("cannot reset the RSS high-water mark: %v", err)
	}
}

func peakRSS(b *testing.B) uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}

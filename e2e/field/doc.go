// Package field holds the browser end-to-end tests of a deputy's day out
// with the PWA on a 360 px phone: visits, inspections and signatures made
// without signal and synced exactly once (a server stopped or killed
// mid-sync, two phones, two tabs), the liaison station's duty and
// receptions, topics and articles read offline, the SMS login and notices,
// and the screens' accessibility. Its benchmarks measure the sync over a
// rural link and Lighthouse's scores.
//
// The tests build the real server binary, start it on a loopback port with
// a temp data dir, and drive Debian's Chromium headless with chromedp
// (e2e/internal/harness). The office desk's tests are in e2e/office: the
// browser tests are split in two packages of about equal running time so
// that each has room under go test's ten-minute limit on a busy two-core
// machine, where one package of them all came near it.
package field

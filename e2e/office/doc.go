// Package office holds the browser end-to-end tests of the PWA's desk
// work at 360 px: navigation by role, the office staff's workbench and its
// exports, proposals from draft to rating, votes and supervision reports,
// inquiries, units' returns and notices, problems and tasks followed to the
// end, the deputy's suggestions, ranking and meeting check-in, and the
// presidium's analysis and reports.
//
// The tests build the real server binary, start it on a loopback port with
// a temp data dir, and drive Debian's Chromium headless with chromedp
// (e2e/internal/harness). A deputy's field work is tested in e2e/field: the
// browser tests are split in two packages of about equal running time so
// that each has room under go test's ten-minute limit on a busy two-core
// machine, where one package of them all came near it.
package office

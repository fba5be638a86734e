// Package pbpublic embeds the deputy PWA so the server deploys as one file.
package pbpublic

import "embed"

// FS holds every file of the PWA (this Go file too, which is harmless).
//
//go:embed *
var FS embed.FS

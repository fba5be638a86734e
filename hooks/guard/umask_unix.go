//go:build unix

package guard

import "syscall"

func privateUmask() { syscall.Umask(0o077) }

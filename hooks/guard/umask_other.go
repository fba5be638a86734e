//go:build !unix

package guard

func privateUmask() {}

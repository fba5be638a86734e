package testbin

import (
	"bytes"
	"sync"
)

// Output collects a server process' stdout and stderr (exec.Cmd copies
// them from a goroutine of its own) while the test reads them.
type Output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

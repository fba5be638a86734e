package pagecache

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Page is a rendered page kept whole, with one hole where each request's
// own value goes (a form token): plain, and gzip-compressed once so that
// serving it compresses nothing but the value.
//
// The compressed form is a gzip member whose deflate stream is the prefix
// (compressed, ending byte-aligned), the value as a stored block written
// per request, and the suffix (compressed with the prefix and a blank the
// value's length as its dictionary, so back-references land where they
// would in the whole page). A value of another length than the hole is
// served plain.
type Page struct {
	prefix, suffix []byte
	hole           int // the value's length

	gzPrefix, gzSuffix []byte // gzip header + deflated prefix; deflated suffix
	prefixCRC          uint32

	// Content-Length for a value of the hole's length, as shared header
	// values (see htmlType).
	plainLength, gzLength []string

	until time.Time // when the page changes by itself (zero: at midnight)
}

// Until marks the page as changing by itself at t (a deadline passing): a
// Cache keeps it until then at the latest. It returns p.
func (p *Page) Until(t time.Time) *Page {
	p.until = t
	return p
}

// NewPage keeps html, in which marker appears exactly once, as a page
// whose hole is where marker is, for values of holeLen bytes. html holds no
// NUL byte (the blank in the dictionary).
func NewPage(html []byte, marker string, holeLen int) (*Page, error) {
	at := bytes.Index(html, []byte(marker))
	if at < 0 || bytes.Count(html, []byte(marker)) != 1 {
		return nil, errors.New("pagecache: the marker must appear exactly once")
	}
	if bytes.IndexByte(html, 0) >= 0 {
		return nil, errors.New("pagecache: a page holds no NUL byte")
	}
	p := &Page{prefix: bytes.Clone(html[:at]), suffix: bytes.Clone(html[at+len(marker):]), hole: holeLen}
	p.prefixCRC = crc32.ChecksumIEEE(p.prefix)

	var head bytes.Buffer
	head.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}) // gzip, deflate, no name, no mtime, unknown OS
	fw, err := flate.NewWriter(&head, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	fw.Write(p.prefix)
	if err := fw.Flush(); err != nil { // ends on a byte boundary, stream open
		return nil, err
	}
	p.gzPrefix = head.Bytes()

	dict := append(bytes.Clone(p.prefix), make([]byte, holeLen)...)
	var tail bytes.Buffer
	fw, err = flate.NewWriterDict(&tail, flate.BestCompression, dict)
	if err != nil {
		return nil, err
	}
	fw.Write(p.suffix)
	if err := fw.Close(); err != nil { // the final block
		return nil, err
	}
	p.gzSuffix = tail.Bytes()
	p.plainLength = []string{strconv.Itoa(len(p.prefix) + holeLen + len(p.suffix))}
	p.gzLength = []string{strconv.Itoa(len(p.gzPrefix) + 5 + holeLen + len(p.gzSuffix) + 8)}
	return p, nil
}

// Whole keeps html, which holds no per-request value, as a page: Write it
// with the value "".
func Whole(html []byte) (*Page, error) {
	const end = "\x01pagecache-end\x01"
	return NewPage(append(bytes.Clone(html), end...), end, 0)
}

// HoleLen is the length of the value the page takes: 0 for a Whole page
// (Write it with "").
func (p *Page) HoleLen() int { return p.hole }

// Bytes is the page with value in its hole.
func (p *Page) Bytes(value string) []byte {
	return p.appendBytes(make([]byte, 0, len(p.prefix)+len(value)+len(p.suffix)), value)
}

func (p *Page) appendBytes(out []byte, value string) []byte {
	return append(append(append(out, p.prefix...), value...), p.suffix...)
}

// Gzip is the page with value in its hole, gzip-compressed; ok is false
// when value does not fit the hole.
func (p *Page) Gzip(value string) (out []byte, ok bool) {
	if !p.fits(value) {
		return nil, false
	}
	return p.appendGzip(make([]byte, 0, p.gzipLen(value)), value), true
}

func (p *Page) fits(value string) bool { return len(value) == p.hole && p.hole <= 0xffff }

func (p *Page) gzipLen(value string) int {
	return len(p.gzPrefix) + 5 + len(value) + len(p.gzSuffix) + 8
}

// appendGzip appends the compressed page to out; value fits the hole.
func (p *Page) appendGzip(out []byte, value string) []byte {
	out = append(out, p.gzPrefix...)
	// A stored block (BFINAL 0, BTYPE 00; the stream is byte-aligned here):
	// LEN and its complement, then the bytes as they are.
	out = append(out, 0, byte(len(value)), byte(len(value)>>8), ^byte(len(value)), ^byte(len(value)>>8))
	out = append(out, value...)
	out = append(out, p.gzSuffix...)
	crc := crc32.Update(p.prefixCRC, crc32.IEEETable, []byte(value))
	crc = crc32.Update(crc, crc32.IEEETable, p.suffix)
	out = binary.LittleEndian.AppendUint32(out, crc)
	return binary.LittleEndian.AppendUint32(out, uint32(len(p.prefix)+len(value)+len(p.suffix)))
}

// Header values every kept page sends, shared by all responses: each
// slice is full (len == cap), so a later Add copies it rather than
// writing into it.
var (
	htmlType = []string{"text/html; charset=utf-8"}
	gzipEnc  = []string{"gzip"}
)

// bodies are the buffers responses are assembled in: the page goes out in
// one Write, without a page-sized allocation per request.
var bodies = sync.Pool{New: func() any { return new([]byte) }}

// Write sends the page with value in its hole as the response, compressed
// when the client accepts gzip. The caller sets the other headers.
func (p *Page) Write(w http.ResponseWriter, r *http.Request, status int, value string) error {
	h := w.Header()
	h["Content-Type"] = htmlType
	h.Add("Vary", "Accept-Encoding")
	buf := bodies.Get().(*[]byte)
	defer bodies.Put(buf)
	if acceptsGzip(r) && p.fits(value) {
		*buf = p.appendGzip((*buf)[:0], value)
		h["Content-Encoding"] = gzipEnc
		h["Content-Length"] = p.gzLength
	} else {
		*buf = p.appendBytes((*buf)[:0], value)
		h["Content-Length"] = p.plainLength
	}
	if len(value) != p.hole {
		h["Content-Length"] = []string{strconv.Itoa(len(*buf))}
	}
	w.WriteHeader(status)
	_, err := w.Write(*buf)
	return err
}

// WriteHTML sends a page that is not kept (rendered for this request
// only), compressed at the fastest level when the client accepts gzip.
func WriteHTML(w http.ResponseWriter, r *http.Request, status int, html []byte) error {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	if !acceptsGzip(r) {
		w.WriteHeader(status)
		_, err := w.Write(html)
		return err
	}
	h.Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	gw := fastGzip.Get().(*gzip.Writer)
	defer fastGzip.Put(gw)
	gw.Reset(w)
	if _, err := gw.Write(html); err != nil {
		return err
	}
	return gw.Close()
}

var fastGzip = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// acceptsGzip: the client lists gzip, not refused with q=0.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

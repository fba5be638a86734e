// Command gen writes the decompression-bomb fixtures of the imageguard
// tests: run `go run ./testdata/gen` in imageguard/ (about 7 s).
//
// bomb-rgba-20000.png.gz is the 1.5 MB 20000×20000 8-bit RGBA PNG of
// issue 12 (1.6 GB of zeros once decoded), gzipped for the repository
// (the PNG's own deflate stream is so regular that it packs to a few KB).
package main

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"log"
	"os"
)

func main() {
	png := zeroPNG(20000, 20000, 8, 6) // colour type 6: RGBA
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zw.Write(png)
	zw.Close()
	if err := os.WriteFile("testdata/bomb-rgba-20000.png.gz", out.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("PNG %d bytes, gzipped %d bytes", len(png), out.Len())
}

func zeroPNG(w, h, depth, colourType int) []byte {
	channels := map[int]int{0: 1, 2: 3, 4: 2, 6: 4}[colourType]
	row := make([]byte, 1+(w*channels*depth+7)/8)
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	for range h {
		zw.Write(row)
	}
	zw.Close()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, byte(depth), byte(colourType), 0, 0, 0)
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	for _, c := range []struct {
		typ  string
		data []byte
	}{{"IHDR", ihdr}, {"IDAT", idat.Bytes()}, {"IEND", nil}} {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(c.data))))
		b.WriteString(c.typ)
		b.Write(c.data)
		b.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(append([]byte(c.typ), c.data...))))
	}
	return b.Bytes()
}

package socialcard

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// pngWriter encodes cards as PNG: an 8-bit palette and unfiltered rows,
// which is what image/png writes for a paletted image, compressed with
// klauspost/compress's zlib at its fastest level. That compressor takes
// about half the time of the standard library's BestSpeed on a card, and
// compression was most of a card's cost (go test -bench Draw).
type pngWriter struct {
	zs sync.Pool // *zlib.Writer
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// encode appends img as a PNG file to out.
func (pw *pngWriter) encode(out *bytes.Buffer, img *image.Paletted) error {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out.Write(pngSignature)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8] = 8 // bits per palette index
	ihdr[9] = 3 // colour type: palette
	writeChunk(out, "IHDR", ihdr[:])
	plte := make([]byte, 0, 3*len(img.Palette))
	for _, c := range img.Palette {
		r, g, b, _ := c.RGBA()
		plte = append(plte, byte(r>>8), byte(g>>8), byte(b>>8))
	}
	writeChunk(out, "PLTE", plte)

	// The IDAT chunk's length goes before its data: reserve it, compress
	// in place, then fill it in with the CRC.
	start := out.Len()
	out.Write([]byte{0, 0, 0, 0, 'I', 'D', 'A', 'T'})
	z, _ := pw.zs.Get().(*zlib.Writer)
	if z == nil {
		var err error
		if z, err = zlib.NewWriterLevel(out, zlib.BestSpeed); err != nil {
			return err
		}
	} else {
		z.Reset(out)
	}
	defer pw.zs.Put(z)
	filter := []byte{0} // no filter
	for y := 0; y < h; y++ {
		off := img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y)
		if _, err := z.Write(filter); err != nil {
			return err
		}
		if _, err := z.Write(img.Pix[off : off+w]); err != nil {
			return err
		}
	}
	if err := z.Close(); err != nil {
		return err
	}
	data := out.Bytes()[start+8:]
	binary.BigEndian.PutUint32(out.Bytes()[start:], uint32(len(data)))
	crc := crc32.NewIEEE()
	crc.Write([]byte("IDAT"))
	crc.Write(data)
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc.Sum32())
	out.Write(sum[:])
	writeChunk(out, "IEND", nil)
	return nil
}

// writeChunk appends one PNG chunk: length, type, data, CRC of type and data.
func writeChunk(out *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	out.Write(n[:])
	out.WriteString(typ)
	out.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	out.Write(n[:])
}

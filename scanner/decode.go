package scanner

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // GIF photos and renderings are accepted by DecodeImageBytes.
	_ "image/jpeg" // JPEG is what phone cameras produce.
	_ "image/png"  // PNG is what our renderer and most label software produce.
	"time"
)

// DefaultDecodeBudget is how long DecodeImage keeps trying harder strategies (other
// binarizers, rotations, scales, inversion) on one image before it gives up. A clean
// symbol is found by the first attempt, far within it.
const DefaultDecodeBudget = time.Second

// DefaultMaxPixels is the largest image DecodeImageBytes accepts: 40 megapixels, more
// than any phone camera produces, small enough that a hostile file cannot make the
// decoder allocate gigabytes.
const DefaultMaxPixels = 40_000_000

// ErrNoBarcode is returned (wrapped) when no supported barcode was found in an image.
var ErrNoBarcode = errors.New("no barcode found")

// ErrImageTooLarge is returned (wrapped) when an image has more pixels than allowed;
// it is detected from the header, before any pixel is decoded.
var ErrImageTooLarge = errors.New("image too large")

// A Decoder reads one barcode from an image and returns it as scan data, exactly as a
// barcode scanner in keyboard-wedge mode would transmit it: the AIM symbology
// identifier (ISO/IEC 15424) followed by the data, with GS (0x1D) for each FNC1
// separator in GS1 symbols. That string is what ParseScanData reads, so a photo and a
// hand scanner lead to the same parse.
//
// The zero value is ready to use with DefaultDecodeBudget and DefaultMaxPixels.
//
// Identifiers produced:
//
//	]C1 GS1-128          ]C0 Code 128 (]C2, ]C4 for FNC1 in second position, FNC2)
//	]d2 GS1 DataMatrix   ]d1 DataMatrix (]d3..]d6 per ISO/IEC 16022 with FNC1 2nd / ECI)
//	]Q3 GS1 QR           ]Q1 QR (]Q2, ]Q4..]Q6 per ISO/IEC 18004 with ECI / FNC1 2nd)
//	]E0 EAN-13, UPC-A and UPC-E, always 13 digits
//	]E4 EAN-8
//	]e0 GS1 DataBar (omnidirectional: "01" + GTIN-14) and DataBar Expanded, as the
//	    element string with GS separators (our own reader, decode_databar.go)
//
// UPC-E is transmitted expanded to its UPC-A equivalent with a leading 0 (13 digits)
// under ]E0, as GS1 General Specifications section 5.1.3 and ISO/IEC 15420 Annex
// describe for scanners that transmit UPC-E in EAN-13 form: every retail code then
// reaches the parser as the GTIN-13 form of its GTIN-12, whatever symbol carried it.
type Decoder struct {
	// Budget bounds the time spent on one image; zero means DefaultDecodeBudget. The
	// bound is checked between attempts, so one attempt may overrun it a little, and
	// the first (cheapest) attempt always runs.
	Budget time.Duration
	// MaxPixels refuses larger images; zero means DefaultMaxPixels.
	MaxPixels int
}

// DecodeImage reads one barcode from img with the default Decoder.
func DecodeImage(img image.Image) (string, error) { return Decoder{}.DecodeImage(img) }

// DecodeImageBytes reads one barcode from an encoded PNG, JPEG or GIF image with the
// default Decoder.
func DecodeImageBytes(b []byte) (string, error) { return Decoder{}.DecodeImageBytes(b) }

func (d Decoder) budget() time.Duration {
	if d.Budget > 0 {
		return d.Budget
	}
	return DefaultDecodeBudget
}

func (d Decoder) maxPixels() int {
	if d.MaxPixels > 0 {
		return d.MaxPixels
	}
	return DefaultMaxPixels
}

// DecodeImageBytes decodes an encoded PNG, JPEG or GIF image and reads one barcode from
// it. The header is checked against MaxPixels before any pixel is decoded.
func (d Decoder) DecodeImageBytes(b []byte) (string, error) {
	text, _, err := d.decodeBytesStage(b)
	return text, err
}

// decodeBytesStage is DecodeImageBytes that also names the attempt that succeeded.
func (d Decoder) decodeBytesStage(b []byte) (string, string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return "", "", fmt.Errorf("decode image header: %w", err)
	}
	if err := d.checkSize(cfg.Width, cfg.Height); err != nil {
		return "", "", fmt.Errorf("%s image: %w", format, err)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return "", "", fmt.Errorf("decode %s image: %w", format, err)
	}
	return d.decodeStage(img)
}

// DecodeImage reads one barcode from img: the first symbol found by a sequence of
// increasingly expensive attempts, stopped when Budget is spent.
func (d Decoder) DecodeImage(img image.Image) (string, error) {
	text, _, err := d.decodeStage(img)
	return text, err
}

func (d Decoder) decodeStage(img image.Image) (text, stage string, err error) {
	// gozxing's readers run under their own recover (decodeSafely); this one guards
	// the rest of the search, so that no image can crash the caller.
	defer func() {
		if p := recover(); p != nil {
			text, stage, err = "", "", fmt.Errorf("decoder panic: %v: %w", p, ErrNoBarcode)
		}
	}()
	r := img.Bounds()
	if err := d.checkSize(r.Dx(), r.Dy()); err != nil {
		return "", "", err
	}
	if r.Empty() {
		return "", "", fmt.Errorf("empty image: %w", ErrNoBarcode)
	}
	s := newSearch(time.Now().Add(d.budget()))
	text, err = s.run(grayOf(img))
	return text, s.stage, err
}

func (d Decoder) checkSize(w, h int) error {
	if w < 0 || h < 0 {
		return fmt.Errorf("invalid size %dx%d", w, h)
	}
	if max := d.maxPixels(); w > max || h > max || w*h > max {
		return fmt.Errorf("%dx%d pixels is over the limit of %d: %w", w, h, max, ErrImageTooLarge)
	}
	return nil
}

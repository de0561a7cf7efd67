package scanner

import (
	"errors"
	"fmt"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/oned/rss"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// A search is one image's way through the decoding attempts, cheapest first: the
// first attempt (local-threshold binarizer, every reader, no extra effort) reads a
// clean symbol; later ones add what photos need, in the order that paid off on
// ZXing's blackbox images: harder scanning, the global-histogram binarizer, linear
// rows with local thresholds, the pure (unframed) symbol path; then a shrunk copy of a
// large photo, the inked regions cut out for the 2D detectors, quarter turns,
// inversion, rescaling and small-angle turns. It stops at the first symbol read or
// when the deadline passes.
type search struct {
	deadline time.Time
	dm       gozxing.Reader
	qr       gozxing.Reader
	linear   gozxing.Reader
	err      error  // the most telling failure so far, for the final error
	stage    string // the attempt that succeeded, for tests and tuning
	weak     string // a UPC-E or EAN-8 read, held back while a stronger one may come
	weakAt   string
	tried    bool // the first attempt runs whatever the budget: it is the fast path
}

func newSearch(deadline time.Time) *search {
	return &search{
		deadline: deadline,
		dm:       datamatrix.NewDataMatrixReader(),
		qr:       qrcode.NewQRCodeReader(),
		linear:   newLinearReader(),
	}
}

// binarizer kinds: gozxing's two, plus rows cut from the local-threshold matrix so
// that linear readers also get local thresholds (gozxing's HybridBinarizer hands them
// global-histogram rows).
type binarizerKind int

const (
	hybrid binarizerKind = iota
	histogram
	hybridRows
)

// reader sets
const (
	readDM = 1 << iota
	readQR
	readLinear
	readAll   = readDM | readQR | readLinear
	read2D    = readDM | readQR
	readPure  = 1 << 8 // unframed 2D symbol filling the image (gozxing's PURE_BARCODE)
	tryHarder = 1 << 9
)

// hint sets, read-only
var (
	hintsNormal = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_ASSUME_GS1: true}
	hintsHarder = map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_ASSUME_GS1: true, gozxing.DecodeHintType_TRY_HARDER: true}
	hintsPure = map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_ASSUME_GS1: true, gozxing.DecodeHintType_PURE_BARCODE: true}
)

// run works through the attempts on g.
func (s *search) run(g *grayImage) (string, error) {
	if text, ok := s.stages(g); ok {
		return text, nil
	}
	if s.weak != "" {
		// UPC-E and EAN-8 patterns also occur inside EAN-13 and other symbols: the
		// weak read stands only once the upright attempts found nothing else.
		s.stage = s.weakAt
		return s.weak, nil
	}
	if s.err != nil && !isNotFound(s.err) {
		return "", fmt.Errorf("%w: %v", ErrNoBarcode, s.err)
	}
	return "", ErrNoBarcode
}

// An attempt is one binarization of an image and the readers to run on it.
type attempt struct {
	name  string
	bin   binarizerKind
	flags int
}

func (s *search) stages(g *grayImage) (string, bool) {
	onImage := func(name string, img *grayImage, as ...attempt) (string, bool) {
		for _, a := range as {
			if text, ok := s.try(name+"/"+a.name, img, a.bin, a.flags); ok {
				return text, true
			}
		}
		return "", false
	}
	upright := []attempt{
		{"hybrid", hybrid, readAll},
		{"hybrid-harder", hybrid, readQR | readLinear | tryHarder},
		{"histogram", histogram, readAll | tryHarder},
		{"rows", hybridRows, readLinear | tryHarder},
		{"pure", hybrid, read2D | readPure},
		{"pure-histogram", histogram, read2D | readPure},
	}
	turned := []attempt{
		{"hybrid", hybrid, readAll | tryHarder},
		{"histogram", histogram, readAll | tryHarder},
		{"rows", hybridRows, readLinear | tryHarder},
	}
	if text, ok := onImage("0", g, upright...); ok {
		return text, ok
	}
	if s.weak != "" {
		// every upright attempt had its chance to find a larger symbol around it
		return "", false
	}
	long := max(g.w, g.h)
	shrunk := 1
	work := g // the image the regions are cut from
	if long > 1600 {
		// A large photo: binarizer blocks and detector steps suit symbols of a few
		// hundred pixels, and a copy shrunk to about 1200 pixels is cheap to search.
		shrunk = (long + 1199) / 1200
		work = g.shrink(shrunk)
		if text, ok := onImage(fmt.Sprintf("shrink%d", shrunk), work, turned...); ok {
			return text, ok
		}
	}
	if text, ok := s.regions(work, onImage); ok {
		return text, ok
	}
	for _, q := range []int{1, 2, 3} {
		if s.expired() {
			return "", false
		}
		if text, ok := onImage(fmt.Sprint(q*90), g.rotate90(q), turned...); ok {
			return text, ok
		}
	}
	if s.expired() {
		return "", false
	}
	if text, ok := onImage("inverted", g.invert(), turned...); ok {
		return text, ok
	}
	for _, f := range []int{2, 3, 4} {
		if long/f < 200 || s.expired() {
			break
		}
		if f == shrunk {
			continue
		}
		if text, ok := onImage(fmt.Sprintf("shrink%d", f), g.shrink(f), turned...); ok {
			return text, ok
		}
	}
	for _, f := range []float64{2, 3} {
		if float64(long)*f > 1600 || s.expired() {
			break
		}
		if text, ok := onImage(fmt.Sprintf("enlarge%g", f), g.resize(f), turned...); ok {
			return text, ok
		}
	}
	// Small-angle turns, mostly for linear symbols: a row must cross every bar, so a
	// symbol 20 times wider than tall tolerates under 3 degrees of tilt, and the
	// turns go in 5-degree steps. The 2D detectors handle rotation themselves and get
	// every third angle only.
	for step := 1; step <= 9; step++ {
		for _, sign := range []float64{1, -1} {
			if s.expired() {
				return "", false
			}
			deg := sign * float64(5*step)
			as := []attempt{{"rows", hybridRows, readLinear | tryHarder}}
			if step%3 == 0 {
				as = append(as, attempt{"hybrid", hybrid, read2D | tryHarder})
			}
			if text, ok := onImage(fmt.Sprintf("turn%g", deg), g.rotate(deg), as...); ok {
				return text, ok
			}
		}
	}
	return "", false
}

// regions searches the inked regions of img (inkRegions) for 2D symbols, each cropped
// so that the symbol sits near the centre of what the detector sees.
func (s *search) regions(img *grayImage, onImage func(string, *grayImage, ...attempt) (string, bool)) (string, bool) {
	for _, r := range inkRegions(img, 8) {
		if s.expired() {
			return "", false
		}
		if r.Dx()*r.Dy() > img.w*img.h/2 {
			continue // the whole image was tried already
		}
		win := img.crop(r.Min.X, r.Min.Y, r.Dx(), r.Dy())
		if text, ok := onImage(fmt.Sprintf("region%d,%d", r.Min.X, r.Min.Y), win,
			attempt{"hybrid", hybrid, read2D | tryHarder}); ok {
			return text, ok
		}
	}
	return "", false
}

func (s *search) expired() bool { return !time.Now().Before(s.deadline) }

// try runs the readers in flags on one binarization of img.
func (s *search) try(name string, img *grayImage, bin binarizerKind, flags int) (string, bool) {
	if s.tried && s.expired() {
		return "", false
	}
	s.tried = true
	src := img.luminance()
	var b gozxing.Binarizer
	switch bin {
	case histogram:
		b = gozxing.NewGlobalHistgramBinarizer(src)
	case hybridRows:
		b = &matrixRows{Binarizer: gozxing.NewHybridBinarizer(src)}
	default:
		b = gozxing.NewHybridBinarizer(src)
	}
	bitmap, err := gozxing.NewBinaryBitmap(b)
	if err != nil {
		s.note(err)
		return "", false
	}
	hints := hintsNormal
	switch {
	case flags&readPure != 0:
		hints = hintsPure
	case flags&tryHarder != 0:
		hints = hintsHarder
	}
	for _, r := range []struct {
		flag int
		rd   gozxing.Reader
	}{{readDM, s.dm}, {readQR, s.qr}, {readLinear, s.linear}} {
		if flags&r.flag == 0 {
			continue
		}
		res, err := decodeSafely(r.rd, bitmap, hints)
		if err != nil {
			s.note(err)
			continue
		}
		text, err := scanDataOf(res)
		if err != nil {
			s.note(err)
			continue
		}
		if f := res.GetBarcodeFormat(); f == gozxing.BarcodeFormat_UPC_E || f == gozxing.BarcodeFormat_EAN_8 {
			if s.weak == "" {
				s.weak, s.weakAt = text, name
			}
			continue
		}
		s.stage = name
		return text, true
	}
	return "", false
}

// note keeps a failure worth reporting: a symbol found but not decodable (checksum,
// format) says more than "not found".
func (s *search) note(err error) {
	if s.err == nil || (isNotFound(s.err) && !isNotFound(err)) {
		s.err = err
	}
}

func isNotFound(err error) bool {
	var nf gozxing.NotFoundException
	return errors.As(err, &nf)
}

// decodeSafely runs one gozxing reader and turns a panic inside it (index errors on
// odd images) into an error, so hostile input cannot crash the caller.
func decodeSafely(r gozxing.Reader, b *gozxing.BinaryBitmap, hints map[gozxing.DecodeHintType]interface{}) (res *gozxing.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("reader panic: %v", p)
		}
	}()
	defer r.Reset()
	return r.Decode(b, hints)
}

// matrixRows is a binarizer whose rows come from its local-threshold black matrix.
type matrixRows struct {
	gozxing.Binarizer
	m *gozxing.BitMatrix
}

func (b *matrixRows) GetBlackRow(y int, row *gozxing.BitArray) (*gozxing.BitArray, error) {
	if b.m == nil {
		m, err := b.Binarizer.GetBlackMatrix()
		if err != nil {
			return nil, err
		}
		b.m = m
	}
	return b.m.GetRow(y, row), nil
}

// linearReader reads every linear symbology we support (EAN/UPC, Code 128, GS1 DataBar
// and DataBar Expanded) from each scanned row, so the
// image's rows are binarized and walked once rather than once per symbology (what
// ZXing's MultiFormatOneDReader does; gozxing has none).
//
// UPC-E and EAN-8 are short, weakly checked symbols that noise, text and the edges of
// other symbols imitate (a DataMatrix photo of ZXing's blackbox set reads as UPC-E on
// one row), so a UPC-E or EAN-8 read counts only when a second row confirms it and
// light quiet zones surround it, and the search prefers any other symbol to it.
type linearReader struct {
	*oned.OneDReader
	decoders []oned.RowDecoder
	readers  []gozxing.Reader
	seen     map[string]bool // weak reads waiting for confirmation
}

func newLinearReader() gozxing.Reader {
	readers := []gozxing.Reader{
		oned.NewMultiFormatUPCEANReader(nil),
		oned.NewCode128Reader(),
		rss.NewRSS14Reader(),
		newExpandedReader(),
	}
	l := &linearReader{readers: readers}
	for _, r := range readers {
		l.decoders = append(l.decoders, r.(oned.RowDecoder))
	}
	l.OneDReader = oned.NewOneDReader(l)
	return l
}

func (l *linearReader) DecodeRow(n int, row *gozxing.BitArray, hints map[gozxing.DecodeHintType]interface{}) (*gozxing.Result, error) {
	for _, d := range l.decoders {
		res, err := d.DecodeRow(n, row, hints)
		if err != nil {
			continue
		}
		if f := res.GetBarcodeFormat(); f == gozxing.BarcodeFormat_UPC_E || f == gozxing.BarcodeFormat_EAN_8 {
			if !hasQuietZones(row, res) {
				continue
			}
			key := f.String() + res.GetText()
			if !l.seen[key] {
				if l.seen == nil {
					l.seen = map[string]bool{}
				}
				l.seen[key] = true
				continue
			}
		}
		return res, nil
	}
	return nil, gozxing.NewNotFoundException()
}

// hasQuietZones checks, for a UPC-E or EAN-8 read, that the row is light for
// weakQuietModules modules beyond each guard (gozxing checks only a few modules on the
// right). The module width comes from the two result points, the centres of the
// guards; beyond the row's ends counts as light (a tightly cropped image).
func hasQuietZones(row *gozxing.BitArray, res *gozxing.Result) bool {
	pts := res.GetResultPoints()
	if len(pts) < 2 {
		return false
	}
	// modules between the guard centres, and half widths of the start and end guards
	span, startHalf, endHalf := 46.5, 1.5, 3.0 // UPC-E: 3 + 42 + 6 modules
	if res.GetBarcodeFormat() == gozxing.BarcodeFormat_EAN_8 {
		span, startHalf, endHalf = 64, 1.5, 1.5 // 3 + 28 + 5 + 28 + 3
	}
	x0, x1 := pts[0].GetX(), pts[1].GetX()
	m := (x1 - x0) / span
	if m <= 0 {
		return false
	}
	light := func(from, to float64) bool {
		a, b := max(int(from), 0), min(int(to), row.GetSize())
		if a >= b {
			return true
		}
		ok, err := row.IsRange(a, b, false)
		return err == nil && ok
	}
	left := x0 - startHalf*m
	right := x1 + endHalf*m
	return light(left-weakQuietModules*m, left-m/2) && light(right+m/2, right+weakQuietModules*m)
}

// weakQuietModules is the light margin asked of UPC-E and EAN-8 reads: less than the
// 7 to 9 modules GS1 specifies, since photos crop, but more than a bar pattern inside
// a larger symbol leaves.
const weakQuietModules = 5

func (l *linearReader) Reset() {
	clear(l.seen)
	for _, r := range l.readers {
		r.Reset()
	}
}

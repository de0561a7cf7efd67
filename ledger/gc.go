package ledger

import (
	"errors"
	"time"
)

// Value-log garbage. Badger keeps values of valueThreshold bytes or more in its
// value log, an append-only file that no compaction rewrites. Most such values are
// entries, written once and never replaced; but a row at the end of the log (a
// tree-hash row, a posting row of a busy location, firm or hour) is written again
// by every commit that adds to it, and each write leaves the previous copy behind
// as garbage. A long-running service that commits a few events at a time makes a
// little with every commit, so the log collects it now and then: Badger's value-log
// GC rewrites the live values of a mostly-dead value-log file at the head of the
// log and deletes the file. Badger learns which files are mostly dead from its
// compactions, and never collects the file it is writing.

// gcDiscardRatio is the share of a value-log file that must be garbage for the
// collector to rewrite it: half, Badger's recommendation, so that collecting a
// file costs at most as much writing as it frees.
const gcDiscardRatio = 0.5

// A valueLogCollector is a Store with a value log to collect (badgerStore). A store
// without one (a SQL backend) has nothing to do.
type valueLogCollector interface {
	// collectValueLog rewrites one value-log file of which at least ratio is
	// garbage, or returns errNothingToCollect.
	collectValueLog(ratio float64) error
}

// errNothingToCollect says no value-log file is worth collecting now.
var errNothingToCollect = errors.New("ledger: no value-log file to collect")

// CollectGarbage reclaims the space of value-log files that are mostly garbage,
// one file at a time until none is left or the log closes, and returns how many
// files it rewrote. It runs beside appends and reads. Open runs it every
// Options.GCInterval; call it directly to collect at a time of your choosing.
// A read-only log collects nothing.
func (l *Log) CollectGarbage() (int, error) {
	c, ok := l.store.(valueLogCollector)
	if !ok || l.opts.ReadOnly {
		return 0, nil
	}
	files := 0
	for {
		select {
		case <-l.closing:
			return files, nil
		default:
		}
		err := c.collectValueLog(gcDiscardRatio)
		if errors.Is(err, errNothingToCollect) {
			return files, nil
		}
		if err != nil {
			return files, err
		}
		files++
	}
}

// collector runs CollectGarbage every interval until the log closes, and reports
// each run to Options.OnGC.
func (l *Log) collector(interval time.Duration) {
	defer close(l.gcStopped)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-l.closing:
			return
		case <-t.C:
			files, err := l.CollectGarbage()
			if l.opts.OnGC != nil {
				l.opts.OnGC(files, err)
			}
		}
	}
}

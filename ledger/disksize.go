package ledger

// DiskSize is the size of the log's store on disk in bytes, as the storage engine
// reports it, or -1 when the engine does not say (a Store may implement
// DiskSize() int64). Metrics read it after each commit.
func (l *Log) DiskSize() int64 {
	if s, ok := l.store.(interface{ DiskSize() int64 }); ok {
		return s.DiskSize()
	}
	return -1
}

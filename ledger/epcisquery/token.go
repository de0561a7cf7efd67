package epcisquery

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"
)

// A Cursor is where the next page of a query starts: just after a position in the
// order the results come in. Its text form (the REST binding's nextPageToken) is
//
//	base64url( version=1 | order | index int64 | event time ns int64 | returned uint32 |
//	           query hash [8] | check [8] )
//
// where check is the start of SHA-256 over the bytes before it. The query hash
// ties a token to the query it continues: used with other parameters it is
// refused, not silently applied to them. The check catches damaged or edited
// tokens; it is not a secret MAC, and need not be: a forged position can only
// page through the same query, which the caller may run anyway.
type Cursor struct {
	Order    Order
	Index    int64     // the last entry returned
	Time     time.Time // its event time (event-time orders)
	Returned int       // results returned so far (eventCountLimit)
}

// An Order is the order results come in.
type Order byte

// The orders: entry (record) order or event-time order, each either way.
const (
	IndexAsc Order = iota + 1
	IndexDesc
	TimeAsc
	TimeDesc
)

// byTime and desc say which index an order follows and which way.
func (o Order) byTime() bool { return o == TimeAsc || o == TimeDesc }
func (o Order) desc() bool   { return o == IndexDesc || o == TimeDesc }

// tokenLen is the length of a token's bytes (see Cursor).
const tokenLen = 1 + 1 + 8 + 8 + 4 + 8 + 8

// Token returns the cursor's text form for query q.
func (c *Cursor) Token(q *Query) string {
	b := make([]byte, 0, tokenLen)
	b = append(b, 1, byte(c.Order))
	b = binary.BigEndian.AppendUint64(b, uint64(c.Index))
	b = binary.BigEndian.AppendUint64(b, uint64(c.Time.UnixNano()))
	b = binary.BigEndian.AppendUint32(b, uint32(c.Returned))
	b = append(b, q.hash[:]...)
	sum := sha256.Sum256(b)
	b = append(b, sum[:8]...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor reads a nextPageToken for query q; a token that is damaged or
// belongs to another query is a *ParamError about nextPageToken.
func ParseCursor(q *Query, token string) (*Cursor, error) {
	bad := &ParamError{"nextPageToken", "not a token this server gave for this query"}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != tokenLen || b[0] != 1 {
		return nil, bad
	}
	sum := sha256.Sum256(b[:tokenLen-8])
	if !bytes.Equal(sum[:8], b[tokenLen-8:]) || !bytes.Equal(b[tokenLen-16:tokenLen-8], q.hash[:]) {
		return nil, bad
	}
	c := &Cursor{
		Order:    Order(b[1]),
		Index:    int64(binary.BigEndian.Uint64(b[2:])),
		Time:     time.Unix(0, int64(binary.BigEndian.Uint64(b[10:]))).UTC(),
		Returned: int(binary.BigEndian.Uint32(b[18:])),
	}
	if c.Order < IndexAsc || c.Order > TimeDesc || c.Index < 0 || c.Returned < 0 {
		return nil, bad
	}
	return c, nil
}

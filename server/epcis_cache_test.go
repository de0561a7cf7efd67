package server

import (
	"fmt"
	"testing"
)

func TestEventCacheStaysWithinItsBound(t *testing.T) {
	c := newEventCache(4)
	for i := range 10 {
		c.put(fmt.Sprint(i), []byte{byte(i)})
		if len(c.m) > 4 {
			t.Fatalf("%d entries after %d puts", len(c.m), i+1)
		}
	}
	if b, ok := c.get("9"); !ok || b[0] != 9 {
		t.Fatalf("the newest entry is gone: %v %v", b, ok)
	}
	if _, ok := c.get("none"); ok {
		t.Fatal("a miss hit")
	}
}

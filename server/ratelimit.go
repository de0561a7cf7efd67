package server

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// A RateLimiter gives every client address a token bucket (golang.org/x/time/rate):
// Rate requests per second on average, Burst at once. Buckets of clients idle long
// enough to have refilled are forgotten, so memory follows the number of recently
// active clients. Its clock is a field so tests can step time instead of sleeping.
type RateLimiter struct {
	limit rate.Limit
	burst int
	idle  time.Duration
	now   func() time.Time

	mu        sync.Mutex
	clients   map[string]*visitor
	lastSweep time.Time
}

// visitor is one client's bucket and when it was last used.
type visitor struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewRateLimiter returns a limiter allowing perSecond requests per second and bursts
// of burst per client.
func NewRateLimiter(perSecond float64, burst int) *RateLimiter {
	// A bucket left alone this long is full again, so forgetting it changes nothing.
	idle := time.Duration(float64(burst) / perSecond * float64(time.Second))
	idle = max(idle, time.Minute)
	return &RateLimiter{limit: rate.Limit(perSecond), burst: burst, idle: idle,
		now: time.Now, clients: map[string]*visitor{}}
}

// Allow takes a token from client's bucket. When there is none it returns false and
// how long until there will be one.
func (l *RateLimiter) Allow(client string) (ok bool, retryAfter time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > l.idle {
		for k, v := range l.clients {
			if now.Sub(v.seen) > l.idle {
				delete(l.clients, k)
			}
		}
		l.lastSweep = now
	}
	v := l.clients[client]
	if v == nil {
		v = &visitor{lim: rate.NewLimiter(l.limit, l.burst)}
		l.clients[client] = v
	}
	v.seen = now
	r := v.lim.ReserveN(now, 1)
	if !r.OK() { // burst 0: never allowed
		return false, l.idle
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// clientKey is the rate-limit bucket of an address: the address itself for IPv4,
// its /64 network for IPv6, since one subscriber normally holds a whole /64.
func clientKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, err := ip.Prefix(64)
	if err != nil {
		return ip.String()
	}
	return p.String()
}

// limitRate is the middleware that applies the limiter to anonymous requests (any
// request that got through authenticate without a key), except on Unlimited routes.
// Over the limit the answer is 429 with Retry-After in whole seconds (RFC 9110
// section 10.2.3), rounded up so that a client that obeys it gets through.
func (s *Server) limitRate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.limiter == nil || !CallerFrom(c.Request().Context()).Anonymous() {
			return next(c)
		}
		if r := s.route(c); r != nil && r.Unlimited {
			return next(c)
		}
		ok, wait := s.limiter.Allow(clientKey(c.RealIP()))
		if ok {
			return next(c)
		}
		secs := int(math.Ceil(wait.Seconds()))
		return NewProblem(http.StatusTooManyRequests, NoException,
			"too many requests without an API key from this address; retry after "+
				strconv.Itoa(secs)+" s or use an API key").
			WithHeader("Retry-After", strconv.Itoa(secs))
	}
}

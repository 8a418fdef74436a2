package sim

import "strings"

// kind is what sort of resource a path names; it decides the allowed methods.
type kind int

const (
	kindNone       kind = iota
	kindServer          // "*", the asterisk-form target of OPTIONS
	kindIndex           // "/": lists the collections
	kindCollection      // a list of members; POST creates one when the collection allows it
	kindMember          // a plain JSON resource: GET, PUT, PATCH, DELETE
	kindRecord          // a read-only member (an account's transactions)
	kindProcessor       // a processing resource: POST does work (interest)
)

// route is what routeOf learns from a path.
type route struct {
	kind       kind
	path       string
	collection string // the collection a member belongs to; for a collection, itself
	creates    bool   // a collection that accepts POST
	account    string // for interest: the account it posts to
}

// topCollections is the shape of the world, the same in every fixture.
// Flights and accounts are created with PUT at a URL the client picks;
// customers and payments with POST, the server picking the id.
var topCollections = map[string]bool{
	"accounts":  false,
	"customers": true,
	"flights":   false,
	"payments":  true,
}

var collectionNames = []string{"/accounts", "/customers", "/flights", "/payments"}

const (
	allowServer     = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE"
	allowReadOnly   = "GET, HEAD, OPTIONS, TRACE"
	allowCollection = "GET, HEAD, POST, OPTIONS, TRACE"
	allowMember     = "GET, HEAD, PUT, PATCH, DELETE, OPTIONS, TRACE"
	allowProcessor  = "POST, OPTIONS, TRACE"
)

// allow is the Allow header for a route. TRACE is answered everywhere, so
// every Allow lists it.
func (rt route) allow() string {
	switch rt.kind {
	case kindServer:
		return allowServer
	case kindCollection:
		if rt.creates {
			return allowCollection
		}
		return allowReadOnly
	case kindMember:
		return allowMember
	case kindProcessor:
		return allowProcessor
	default:
		return allowReadOnly
	}
}

func (rt route) allows(method string) bool {
	if method == "OPTIONS" || method == "TRACE" {
		return true
	}
	for m := range strings.SplitSeq(rt.allow(), ", ") {
		if m == method {
			return true
		}
	}
	return false
}

// routeOf maps a path to what lives there; ok is false for paths this world
// does not have.
func routeOf(path string) (rt route, ok bool) {
	if path == "*" {
		return route{kind: kindServer, path: path}, true
	}
	if path == "/" {
		return route{kind: kindIndex, path: path}, true
	}
	rest, ok := strings.CutPrefix(path, "/")
	if !ok {
		return route{}, false
	}
	// Split by hand: this runs for every request.
	name, rest, more := strings.Cut(rest, "/")
	creates, known := topCollections[name]
	if !known {
		return route{}, false
	}
	top := path[:1+len(name)]
	var segs [3]string // below the collection: at most id, "transactions", id
	n := 0
	for more {
		if n == len(segs) {
			return route{}, false
		}
		segs[n], rest, more = strings.Cut(rest, "/")
		if !validID(segs[n]) {
			return route{}, false
		}
		n++
	}
	switch {
	case n == 0:
		return route{kind: kindCollection, path: path, collection: top, creates: creates}, true
	case n == 1:
		return route{kind: kindMember, path: path, collection: top}, true
	case name != "accounts":
		return route{}, false
	case n == 2 && segs[1] == "interest":
		return route{kind: kindProcessor, path: path, account: path[:len(top)+1+len(segs[0])]}, true
	case n == 2 && segs[1] == "transactions":
		return route{kind: kindCollection, path: path, collection: path}, true
	case n == 3 && segs[1] == "transactions":
		return route{kind: kindRecord, path: path, collection: path[:len(path)-len(segs[2])-1]}, true
	}
	return route{}, false
}

// validID accepts the ids people type: letters, digits, '-' and '_', up to 64.
func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isDigitByte(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Routable reports whether path names something this world can hold or
// answer at: a collection, a member, an account's interest or transactions.
// Lesson tools use it to tell a typo in a path from a resource that merely
// does not exist yet.
func Routable(path string) bool {
	_, ok := routeOf(path)
	return ok && path != "*"
}

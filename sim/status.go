package sim

import "net/http"

// StatusText returns the reason phrase RFC 9110 gives a status code, such as
// "Unprocessable Content" for 422, or "" when the code is unknown. Go's
// http.StatusText still uses some older names (RFC 7231's "Request Entity Too
// Large", "Unprocessable Entity", …); everything sim renders uses this instead.
func StatusText(code int) string {
	switch code {
	case http.StatusRequestEntityTooLarge:
		return "Content Too Large" // RFC 9110 §15.5.14
	case http.StatusRequestURITooLong:
		return "URI Too Long" // §15.5.15
	case http.StatusRequestedRangeNotSatisfiable:
		return "Range Not Satisfiable" // §15.5.17
	case http.StatusUnprocessableEntity:
		return "Unprocessable Content" // §15.5.21
	}
	return http.StatusText(code)
}

// Package request is putpost's request language: what a learner types, what
// a lesson file's solution holds, and what the program writes for other tools.
//
// Reading:
//
//   - Parse reads one request in the request-line form
//     (PUT /accounts/42 {"balance": 100} x3) or as a curl command line,
//     backslash continuations included; errors give the column.
//   - ParseHTTP reads an .http file (VS Code REST Client, JetBrains HTTP
//     Client); errors give the line and the column.
//
// Writing (each read back by the readers above to the same request):
//
//   - Line.RequestLine: the request-line form, when it can carry the request
//     (Line.String falls back to a canonical curl line).
//   - Line.CurlCommand: a curl command line for a shell, against a base URL.
//     For one exchange of a session: FromMessage(event.Request).CurlCommand(base).
//   - WriteShell: a POSIX script of curl commands that takes the server from
//     $PUTPOST_URL (DefaultBase when unset).
//   - WriteHTTP: an .http file.
//
// Line.Equal compares what two requests send. Exchanges picks, from a sim's events, the requests to export so that a
// replay on a fresh server reaches the same state.
//
// request depends on sim only for its event types; sim knows nothing of it.
package request

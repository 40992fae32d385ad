// Package domain is the vocabulary of 零工一码通: the entities of the gig market (stations, workers,
// employers, gigs, applications, contracts, ledger entries, staff), the rules that keep them valid, and
// the one error vocabulary every other package speaks. It imports only the standard library.
package domain

import (
	"errors"
	"fmt"
)

// Code is the stable, machine-readable class of an error. The api package maps each code to exactly one
// HTTP status (see api/errors.go); clients branch on it, never on the message.
type Code string

const (
	CodeInvalid      Code = "invalid"      // the request is malformed or breaks a rule; Field names the culprit
	CodeNotFound     Code = "not_found"    // no such record, or the caller may not know it exists
	CodeConflict     Code = "conflict"     // the record's state forbids the change (full gig, duplicate phone…)
	CodeForbidden    Code = "forbidden"    // the caller is known but may not do this
	CodeUnauthorized Code = "unauthorized" // the caller is not (or no longer) authenticated
	CodeRateLimited  Code = "rate_limited" // too many attempts; try later
	CodeUnavailable  Code = "unavailable"  // a dependency (the database) is down; retry later
	CodeInternal     Code = "internal"     // a bug or an unexpected failure; details are logged, not shown

	// CodeIdempotencyMismatch: an Idempotency-Key was reused with a different request. It is not
	// "invalid" (the request may be fine on its own) nor "conflict" (no record's state is at fault): the
	// client reused a key for something else, which Stripe and the IETF Idempotency-Key draft answer
	// with 422.
	CodeIdempotencyMismatch Code = "idempotency_mismatch"

	// CodeUnsupportedMediaType: a JSON API request carried a body that is not declared application/json
	// (a browser form or a text/plain post from another site), answered with 415.
	CodeUnsupportedMediaType Code = "unsupported_media_type"
)

// Error is an error a user may see. Message is Chinese and safe to show; Field is the JSON field at fault
// (when one is); Err is the underlying cause, logged but never shown.
type Error struct {
	Code    Code
	Message string
	Field   string
	Err     error
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Message
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Invalid reports bad input in one field, with a Chinese message for the person who typed it.
func Invalid(field, message string) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: message}
}

// Invalidf is Invalid with a formatted message.
func Invalidf(field, format string, args ...any) *Error {
	return Invalid(field, fmt.Sprintf(format, args...))
}

// NotFound reports a record that does not exist or that the caller may not see. what is Chinese, e.g. "零工".
func NotFound(what string) *Error {
	return &Error{Code: CodeNotFound, Message: "找不到该" + what}
}

// Conflict reports a change the record's current state forbids.
func Conflict(message string) *Error { return &Error{Code: CodeConflict, Message: message} }

// Forbidden reports an authenticated caller acting outside their rights.
func Forbidden(message string) *Error {
	if message == "" {
		message = "没有权限进行此操作"
	}
	return &Error{Code: CodeForbidden, Message: message}
}

// Unauthorized reports a missing, expired or revoked credential.
func Unauthorized(message string) *Error {
	if message == "" {
		message = "请先登录"
	}
	return &Error{Code: CodeUnauthorized, Message: message}
}

// IdempotencyMismatch reports an Idempotency-Key already used for a different request.
func IdempotencyMismatch() *Error {
	return &Error{Code: CodeIdempotencyMismatch, Field: "Idempotency-Key",
		Message: "该 Idempotency-Key 已用于另一个不同的请求，请为新请求换一个新的 Key"}
}

// RateLimited reports too many attempts.
func RateLimited(message string) *Error { return &Error{Code: CodeRateLimited, Message: message} }

// Unavailable wraps a failure of a dependency that is expected to come back (the database).
func Unavailable(err error) *Error {
	return &Error{Code: CodeUnavailable, Message: "服务暂时不可用，请稍后再试", Err: err}
}

// Internal wraps an unexpected failure; the cause is logged, the user sees a generic message.
func Internal(err error) *Error {
	return &Error{Code: CodeInternal, Message: "服务器内部错误，请稍后再试", Err: err}
}

// ErrorCode returns the Code of err: the code of the first *Error in its chain, CodeInternal otherwise.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// AsError returns the first *Error in err's chain, or an internal error wrapping err.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code Code) bool { return ErrorCode(err) == code }

// Problems is every problem found in one input, in the order of its form: a page shows each next to its
// field, the API reports the first (errors.As finds it, so AsError and ErrorCode see the first problem).
type Problems []*Error

func (ps Problems) Error() string {
	if len(ps) == 0 {
		return "no problems"
	}
	s := ps[0].Error()
	if len(ps) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(ps)-1)
	}
	return s
}

// Unwrap lets errors.As reach each problem, the first first.
func (ps Problems) Unwrap() []error {
	out := make([]error, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}

// Err returns ps as an error, or nil when there are none.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// ProblemsOf returns every problem err carries: the list of a Problems, or the one *Error.
func ProblemsOf(err error) []*Error {
	var ps Problems
	if errors.As(err, &ps) {
		return ps
	}
	return []*Error{AsError(err)}
}

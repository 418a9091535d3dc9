package domain

import (
	"errors"
	"fmt"
	"strings"

	"congdoan/internal/msg"
)

// ErrNotFound is the sentinel every "no such record" error unwraps to.
var ErrNotFound = errors.New("not found")

// NotFound says which record is missing: NotFound("unit", "HN-XX").
func NotFound(what, key string) error {
	return &notFound{what, key}
}

type notFound struct{ what, key string }

func (e *notFound) Error() string { return e.Text().String() }

// Text is the message of a missing record: "không tìm thấy đơn vị "HN-XX"".
func (e *notFound) Text() msg.Text {
	what := msg.Raw(e.what)
	if msg.Has("record." + e.what) {
		what = msg.New("record." + e.what)
	}
	if e.key == "" {
		return msg.New("notfound", what)
	}
	return msg.New("notfound.key", what, e.key)
}

func (e *notFound) Unwrap() error { return ErrNotFound }

// ErrForbidden: the record is outside the caller's subtree.
var ErrForbidden = errors.New("forbidden")

// FieldError is one invalid value: in a file (File, Row set) or in a
// request (only Field). Text is the typed message, translated where it is
// shown (msg.Text.In); Message is its Vietnamese text, or for an error
// built without a Text the words (or the web's message key) to show.
type FieldError struct {
	File    string   `json:"file,omitempty"`
	Row     int      `json:"row,omitempty"`
	Field   string   `json:"field"`
	Message string   `json:"message"`
	Text    msg.Text `json:"-"`
}

// Invalid is the error of one field with a typed message.
func Invalid(field string, t msg.Text) FieldError {
	return FieldError{Field: field, Message: t.String(), Text: t}
}

// Typed is the message as a Text: Text, or Message as it is.
func (e FieldError) Typed() msg.Text {
	if !e.Text.IsZero() {
		return e.Text
	}
	return msg.Raw(e.Message)
}

// In is the message in lang: the Text's translation, else Message.
func (e FieldError) In(lang string) string {
	if !e.Text.IsZero() {
		return e.Text.In(lang)
	}
	return e.Message
}

func (e FieldError) Error() string {
	if e.File != "" {
		// The row stays plain digits (units.csv:12345): a row number is an
		// address, as the spreadsheet shows it, not a quantity (msg.Count).
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Row, e.Field, e.In(msg.VI))
	}
	return fmt.Sprintf("%s: %s", e.Field, e.In(msg.VI))
}

// ValidationError gathers every invalid value of one input.
type ValidationError struct{ Errors []FieldError }

func (e *ValidationError) Error() string {
	var b strings.Builder
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(fe.Error())
	}
	return b.String()
}

// ErrBelowItself: a unit cannot move under a unit of its own subtree.
var ErrBelowItself = errors.New("unit below itself")

// BelowItself is the error of a move of Unit under Parent, one of the units
// below it.
type BelowItself struct{ Unit, Parent string }

func (e *BelowItself) Error() string { return e.Text().String() }

// Text is the message: "đơn vị X không thể chuyển về dưới Y, …".
func (e *BelowItself) Text() msg.Text { return msg.New("unit.below_itself", e.Unit, e.Parent) }

func (e *BelowItself) Unwrap() error { return ErrBelowItself }

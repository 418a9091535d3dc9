package domain

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotFound is the sentinel every "no such record" error unwraps to.
var ErrNotFound = errors.New("not found")

// NotFound says which record is missing: NotFound("unit", "HN-XX").
func NotFound(what, key string) error {
	return &notFound{what, key}
}

type notFound struct{ what, key string }

func (e *notFound) Error() string {
	en := fmt.Sprintf("%s %q not found", e.what, e.key)
	vi, ok := recordVI[e.what]
	if !ok {
		vi = e.what
	}
	if e.key != "" {
		vi += fmt.Sprintf(" %q", e.key)
	}
	return Bilingual("không tìm thấy "+vi, en)
}

// recordVI names the records NotFound is given in Vietnamese.
var recordVI = map[string]string{
	"unit": "đơn vị", "plan": "kế hoạch", "campaign": "đợt cao điểm", "member": "đoàn viên",
	"enterprise": "doanh nghiệp", "user": "người dùng", "session": "phiên đăng nhập", "token": "mã truy cập",
	"target": "chỉ tiêu", "transfer": "lần chuyển sinh hoạt",
}

// Bilingual is a message for users, Vietnamese first with the English
// after it: "bắt buộc (required)".
func Bilingual(vi, en string) string { return vi + " (" + en + ")" }
func (e *notFound) Unwrap() error    { return ErrNotFound }

// ErrForbidden: the record is outside the caller's subtree.
var ErrForbidden = errors.New("forbidden")

// FieldError is one invalid value: in a file (File, Row set) or in a
// request (only Field).
type FieldError struct {
	File    string `json:"file,omitempty"`
	Row     int    `json:"row,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string {
	if e.File != "" {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Row, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Message)
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

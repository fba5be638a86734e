package dutyroster

// FieldError is bad input, naming the request field it concerns (e.g.
// "per_day", "deputies.2.unavailable.0", "other") with a message in Chinese
// for the person who typed it. Handlers turn it into PocketBase's 400 shape.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

func fieldErr(field, msg string) *FieldError { return &FieldError{Field: field, Message: msg} }

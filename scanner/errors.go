package scanner

import (
	"fmt"
	"strings"
)

// An Error is one problem found in GS1 data: which AI, where in the input, and why.
type Error struct {
	AI       string // the AI at fault, "" when the fault is not in one AI (e.g. a bad prefix)
	Position int    // 0-based offset in the input where the fault starts
	Message  string
}

// Error names the AI at fault (when there is one) and the position, then the
// message: "AI (17) at position 18: ...".
func (e *Error) Error() string {
	if e.AI == "" {
		return fmt.Sprintf("position %d: %s", e.Position, e.Message)
	}
	return fmt.Sprintf("AI (%s) at position %d: %s", e.AI, e.Position, e.Message)
}

// Errors is every problem found in one input, in input order. It is returned as an error
// only when it is not empty.
type Errors []*Error

// Error joins every problem's message with "; ", in input order.
func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

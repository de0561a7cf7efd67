package scanner

import "time"

// unhurried is a Decoder whose budget is far beyond what the search needs on an
// idle machine. Tests that check what the search finds use it, so that they do not
// fail because a loaded CI machine or the race detector ran the search slower than
// DefaultDecodeBudget allows; TestDecodeBudget checks the budget itself.
var unhurried = Decoder{Budget: time.Minute}

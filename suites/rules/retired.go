package rules

// Retired lists rule IDs that are no longer in the catalog and where their statement went.
// An ID is never given to another rule, so a report or a label filter that names an old ID
// never silently means something else.
var Retired = map[string]string{
	"INIT-008":  "merged into CTX-002, the same statement from the context pages",
	"TREE-006":  "merged into STATE-026, the same definition",
	"STATE-072": "merged into CTX-006, the same statement",
	"UPD-040":   "merged into STATE-006, the same host obligation",
	"UPD-041":   "merged into STATE-007, the same statement; its specs check STATE-007",
	"STATE-041": "merged into UPD-045, the same statement; its specs check UPD-045",
	"STATE-042": "merged into UPD-046, the same statement; its specs check UPD-046",
	"INIT-028":  "merged into SEND-045, the same statement; its specs check SEND-045",
	"INIT-029":  "merged into SEND-046, the same statement; its specs check SEND-046",
	"STATE-061": "merged into SEND-013, which states the target's side of the same definition at terminate",
	"SEND-043":  "merged into STATE-062, which covers the same members and BufferedData",
}

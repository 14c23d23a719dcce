package report

import (
	"fmt"
	"strings"
	"unicode"
)

// inlineSpecials are the characters that open something in the middle of a line of Markdown
// (GitHub's included): escapes, code spans, emphasis, strikethrough, links and images, HTML and
// autolinks, entities, table cells, math, and headings.
const inlineSpecials = "\\`*_~[]!<>&|$#"

// text escapes s, which may come from the target or from an error, for use inside one line of
// Markdown: in running text, a list item or a table cell. Every character that could open a
// construct there is backslash-escaped (and a leading list, quote or heading marker too), so s
// opens no heading, list, quote, table cell, code span, link, emphasis or HTML tag. Line breaks
// and other control or format characters (bidirectional overrides included) are written as
// visible escapes, so s cannot end the line it is on.
func text(s string) string {
	s = strings.TrimLeft(s, " \t") // leading blanks could indent s into a code block
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\\n`)
		case r == '\r':
			b.WriteString(`\\r`)
		case r == '\t':
			b.WriteByte(' ')
		case invisible(r):
			fmt.Fprintf(&b, `\\u%04X`, r)
		case strings.ContainsRune(inlineSpecials, r), i == 0 && strings.ContainsRune("-+=>", r), isListNumberEnd(s, i):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isListNumberEnd reports whether s[i] is the "." or ")" after the digits s starts with, which
// would make s an ordered list item at the start of a line or list item.
func isListNumberEnd(s string, i int) bool {
	if i == 0 || (s[i] != '.' && s[i] != ')') {
		return false
	}
	return strings.Trim(s[:i], "0123456789") == ""
}

// invisible reports whether r is a control or format character, or a line or paragraph
// separator: characters that move or hide text rather than show it.
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
}

// fenced returns s as a fenced code block, every line prefixed with indent (so that it can sit
// in a list item, and no line of it starts the line in the file). The fence is longer than any
// run of backticks in s, so nothing in s can close it; carriage returns become line breaks and
// other invisible characters visible escapes, so every line of s stays inside the block.
func fenced(s, indent string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var clean strings.Builder
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
		if r != '\n' && r != '\t' && invisible(r) {
			fmt.Fprintf(&clean, `\u%04X`, r)
			continue
		}
		clean.WriteRune(r)
	}
	fence := strings.Repeat("`", max(3, longest+1))
	var b strings.Builder
	b.WriteString(indent + fence + "\n")
	for _, line := range strings.Split(strings.TrimRight(clean.String(), "\n"), "\n") {
		b.WriteString(indent + line + "\n")
	}
	b.WriteString(indent + fence + "\n")
	return b.String()
}

// cell makes text of our own (rule wording, spec names) safe for a table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.Join(strings.Fields(s), " ")
}

package v1

import (
	"html/template"
	"regexp"
	"strings"
	"unicode/utf8"
)

// markdown renders the little Markdown the OpenAPI document's descriptions use, for /api/docs:
// paragraphs (separated by a blank line), bullet lists ("- " items, continued on indented lines),
// `code` and **bold**. Everything is HTML-escaped first and only these constructs become markup, so a
// description can never inject HTML; anything else shows as the text it is.
func markdown(src string) template.HTML {
	var b strings.Builder
	for _, block := range strings.Split(strings.ReplaceAll(strings.TrimSpace(src), "\r\n", "\n"), "\n\n") {
		lines := strings.Split(strings.Trim(block, "\n"), "\n")
		if len(lines) == 0 || strings.TrimSpace(lines[0]) == "" {
			continue
		}
		if isBullet(lines[0]) {
			b.WriteString("<ul>")
			var item []string
			flush := func() {
				if len(item) > 0 {
					b.WriteString("<li>" + inline(joinLines(item)) + "</li>")
					item = nil
				}
			}
			for _, l := range lines {
				if isBullet(l) {
					flush()
					l = strings.TrimSpace(l)[2:]
				}
				item = append(item, l)
			}
			flush()
			b.WriteString("</ul>")
			continue
		}
		b.WriteString("<p>" + inline(joinLines(lines)) + "</p>")
	}
	// The output is built from escaped text and the fixed tags above.
	return template.HTML(b.String())
}

func isBullet(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ")
}

// joinLines joins a paragraph's lines as Markdown does, without the space between two Chinese
// characters that a line break between them would otherwise become.
func joinLines(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if i > 0 && l != "" {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(l)
			if prev < utf8.RuneSelf || next < utf8.RuneSelf {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

var (
	codeSpan = regexp.MustCompile("`([^`]+)`")
	boldSpan = regexp.MustCompile(`\*\*([^*]+)\*\*`)
)

// inline escapes text and turns `code` and **bold** into markup.
func inline(text string) string {
	parts := codeSpan.Split(text, -1)
	codes := codeSpan.FindAllStringSubmatch(text, -1)
	var b strings.Builder
	for i, p := range parts {
		b.WriteString(boldSpan.ReplaceAllString(template.HTMLEscapeString(p), "<strong>$1</strong>"))
		if i < len(codes) {
			b.WriteString("<code>" + template.HTMLEscapeString(codes[i][1]) + "</code>")
		}
	}
	return b.String()
}

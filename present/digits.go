package present

import "strings"

// The watched value is drawn in block digits a room can read from the back:
// each character is a bitmap five pixels high, drawn either with half
// blocks (three rows of text) or with full blocks at a whole scale (five
// rows, ten, …). A pixel is two columns wide, since a cell is about twice as
// tall as it is wide.

// glyphs are the characters the big digits can draw, as rows of pixels.
var glyphs = map[rune][5]string{
	'0': {"###", "# #", "# #", "# #", "###"},
	'1': {" # ", "## ", " # ", " # ", "###"},
	'2': {"###", "  #", "###", "#  ", "###"},
	'3': {"###", "  #", " ##", "  #", "###"},
	'4': {"# #", "# #", "###", "  #", "  #"},
	'5': {"###", "#  ", "###", "  #", "###"},
	'6': {"###", "#  ", "###", "# #", "###"},
	'7': {"###", "  #", "  #", "  #", "  #"},
	'8': {"###", "# #", "###", "# #", "###"},
	'9': {"###", "# #", "###", "  #", "###"},
	'.': {" ", " ", " ", " ", "#"},
	',': {" ", " ", " ", "#", "#"},
	'-': {"   ", "   ", "###", "   ", "   "},
	'+': {"   ", " # ", "###", " # ", "   "},
	'×': {"   ", "# #", " # ", "# #", "   "},
	'e': {"   ", "###", "# #", "## ", "###"},
	' ': {" ", " ", " ", " ", " "},
	'?': {"###", "  #", " ##", "   ", " # "},
}

// bigWidth is the width in columns of s drawn at scale (0: half blocks).
func bigWidth(s string, scale int) int {
	px := 0
	n := 0
	for _, r := range s {
		g, ok := glyphs[r]
		if !ok {
			g = glyphs['?']
		}
		px += len(g[0])
		n++
	}
	if n > 1 {
		px += n - 1 // a pixel between characters
	}
	return px * 2 * max(1, scale)
}

// bigHeight is how many rows big digits take at scale (0: half blocks).
func bigHeight(scale int) int {
	if scale == 0 {
		return 3
	}
	return 5 * scale
}

// bigText draws s in block characters. scale 0 uses half blocks (three
// rows); scale n uses full blocks, each pixel n rows high and 2n wide.
func bigText(s string, scale int) []string {
	// Join the glyphs into five rows of pixels.
	var px [5]strings.Builder
	first := true
	for _, r := range s {
		g, ok := glyphs[r]
		if !ok {
			g = glyphs['?']
		}
		for i := range px {
			if !first {
				px[i].WriteByte(' ')
			}
			px[i].WriteString(g[i])
		}
		first = false
	}
	rows := make([]string, 5)
	for i := range px {
		rows[i] = px[i].String()
	}
	if scale == 0 {
		out := make([]string, 3)
		for r := range out {
			top := rows[2*r]
			bottom := strings.Repeat(" ", len(top))
			if 2*r+1 < 5 {
				bottom = rows[2*r+1]
			}
			var b strings.Builder
			for i := range len(top) {
				var c string
				switch {
				case top[i] == '#' && bottom[i] == '#':
					c = "█"
				case top[i] == '#':
					c = "▀"
				case bottom[i] == '#':
					c = "▄"
				default:
					c = " "
				}
				b.WriteString(c)
				b.WriteString(c)
			}
			out[r] = b.String()
		}
		return out
	}
	var out []string
	for _, row := range rows {
		var b strings.Builder
		for i := range len(row) {
			c := " "
			if row[i] == '#' {
				c = "█"
			}
			b.WriteString(strings.Repeat(c, 2*scale))
		}
		for range scale {
			out = append(out, b.String())
		}
	}
	return out
}

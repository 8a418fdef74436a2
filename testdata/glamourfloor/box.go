//go:build box

package main

// box is drawn after the floor's line: one character past U+02FF.
const box = " │"

//go:build !box

package main

const box = ""

//go:build cli

package main

import (
	"context"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
)

func init() {
	linked = append(linked, func() {
		_ = fang.Execute(context.Background(), &cobra.Command{Use: "stackfloor"})
	})
}

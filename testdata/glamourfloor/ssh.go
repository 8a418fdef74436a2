//go:build ssh

package main

import (
	"charm.land/wish/v2"
	"golang.org/x/crypto/ssh"
)

func init() {
	linked = append(linked, func() {
		if s, err := wish.NewServer(wish.WithAddress("127.0.0.1:0")); err == nil {
			_ = s.ListenAndServe()
		}
		_, _ = ssh.Dial("tcp", "127.0.0.1:0", &ssh.ClientConfig{})
	})
}

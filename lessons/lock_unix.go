//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package lessons

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// lockWait is how long a save waits for another program's save to finish.
const lockWait = 5 * time.Second

// lockFile takes an exclusive lock on the file at path (made if missing) and
// returns the function that releases it. The system drops the lock when the
// holder exits, so a killed program leaves no stale lock.
func lockFile(path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(lockWait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, err
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("another program has held the lock on %s for %v: close the other putpost, or try again", path, lockWait)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

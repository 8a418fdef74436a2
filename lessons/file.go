package lessons

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// ErrNotRegular is the error for a lesson or progress file that is not a
// regular file: a device such as /dev/zero (endless), a named pipe (waits
// for a writer forever), a socket or a folder.
var ErrNotRegular = errors.New("not a regular file")

// openRegular opens name for reading and refuses anything but a regular
// file. The file is opened once and checked as opened (not looked up again
// by name), and without blocking: opening a named pipe would otherwise wait
// for a writer that never comes. Symbolic links are followed.
func openRegular(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	switch {
	case err != nil:
	case info.IsDir(): // the usual words for the usual mistake
		err = &fs.PathError{Op: "read", Path: name, Err: syscall.EISDIR}
	case !info.Mode().IsRegular():
		err = &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// errTooLarge says a file is over the limit of ReadRegular.
type errTooLarge struct{ size, limit int64 }

func (e errTooLarge) Error() string {
	return fmt.Sprintf("the file is %d bytes; it may be at most %s", e.size, sizeText(e.limit))
}

func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadRegular reads the regular file name, at most limit bytes of it: a
// larger file is refused after reading limit+1 bytes, never read whole, and
// anything but a regular file (a pipe, a device) with ErrNotRegular. Lesson,
// progress and demo files are read through it.
func ReadRegular(name string, limit int64) ([]byte, error) {
	f, err := openRegular(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		size := int64(len(data))
		if info, err := f.Stat(); err == nil {
			size = max(size, info.Size())
		}
		return nil, errTooLarge{size: size, limit: limit}
	}
	return data, nil
}

package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Write writes the report as <base>.json and <base>.md, each atomically (see WriteFile).
func Write(c Conformance, base string) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := WriteFile(base+".json", append(data, '\n')); err != nil {
		return err
	}
	return WriteFile(base+".md", []byte(Markdown(c)))
}

// WriteFile writes data to path through a temporary file in the same directory, synced and
// then renamed into place: a reader sees the old file or the whole new one, never a torn one,
// even when the writer is killed. A symbolic link at path is replaced by the file, never
// followed: the report cannot be redirected onto another file. A directory at path is an
// error. The directory is created if need be.
func WriteFile(path string, data []byte) error {
	return writeVia(path, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// WriteFileWith is WriteFile for a writer that needs a path of its own, such as Ginkgo's
// report generators: write gets the temporary file's path, and what it leaves there is renamed
// into place.
func WriteFileWith(path string, write func(tmp string) error) error {
	return writeVia(path, func(f *os.File) error {
		if err := f.Close(); err != nil {
			return err
		}
		return write(f.Name())
	})
}

func writeVia(path string, write func(*os.File) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if fi, err := os.Lstat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("cannot write the report %s: a directory is in the way", path)
	}
	f, err := os.CreateTemp(dir, tempPrefix(path)+"*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	werr := write(f)
	f.Close() // the writer may have closed it already
	if werr != nil {
		return fmt.Errorf("writing %s: %w", path, werr)
	}
	// Sync what is under the temporary name now: a writer handed the path may have replaced it.
	g, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = g.Sync()
	if err == nil {
		err = g.Chmod(0o644)
	}
	if cerr := g.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// tempPrefix names the temporary files of path: hidden, and recognisable as its leftovers.
func tempPrefix(path string) string { return "." + filepath.Base(path) + ".writing-" }

// RemoveStale removes what an earlier run left at each path (a report from another run, or a
// symbolic link, which is removed itself and not followed) and the temporary files of an
// interrupted write, so that a run that does not finish leaves no report of another run behind.
func RemoveStale(paths ...string) error {
	for _, p := range paths {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("removing the report of an earlier run: %w", err)
		}
		leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(p), globEscape(tempPrefix(p))+"*.tmp"))
		for _, l := range leftovers {
			os.Remove(l)
		}
	}
	return nil
}

func globEscape(s string) string {
	return strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`).Replace(s)
}

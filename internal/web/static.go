package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Static files are embedded and served under names that carry a hash of
// their content (/static/app.3f2a1b9c04.css): a browser may keep them for a
// year, and a new build changes the name.

//go:embed static
var staticFS embed.FS

type staticFile struct {
	body  []byte
	ctype string
}

// staticFiles maps each hashed name to its file; staticURLs maps the plain
// name ("app.css") to its hashed URL.
var staticFiles, staticURLs = loadStatic()

func loadStatic() (map[string]staticFile, map[string]string) {
	files := map[string]staticFile{}
	urls := map[string]string{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		ctype := mime.TypeByExtension(ext)
		if ext == ".svg" {
			ctype = "image/svg+xml"
		}
		files[hashed] = staticFile{body: b, ctype: ctype}
		urls[name] = "/static/" + hashed
		return nil
	})
	if err != nil {
		panic(err)
	}
	return files, urls
}

// staticURL is the hashed URL of a static file.
func staticURL(name string) string { return staticURLs[name] }

// Static is the hashed URL of a static file, for templates.
func (p Page) Static(name string) string { return staticURL(name) }

// serveStatic answers GET /static/{name}: only hashed names exist.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := staticFiles[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.body)
}

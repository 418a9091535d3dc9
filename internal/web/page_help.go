package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"slices"
)

// The help pages ("Hướng dẫn"): one per main task, in Vietnamese and in
// English. Their short texts (titles, summaries, links) are catalog keys
// (i18n/*.help.json); their bodies, which are long and structured, are
// HTML templates per language, help/LANG/TOPIC.html, executed with the
// Page as dot so that they name indicators and pace with the very texts
// the dashboard shows ({{.Ind "unions_founded"}}, {{.T "pace.behind"}}).

//go:embed help
var helpFS embed.FS

// helpTopics are the help pages, in the order of the index.
var helpTopics = []string{"import", "found", "admit", "transfer", "report"}

// helpBodies holds each topic's body by language, parsed once; a
// language or topic without its file stops the start (parseHelp panics).
var helpBodies = parseHelp()

func parseHelp() map[string]map[string]*template.Template {
	out := map[string]map[string]*template.Template{}
	for _, lang := range []string{langVI, langEN} {
		out[lang] = map[string]*template.Template{}
		for _, topic := range helpTopics {
			name := fmt.Sprintf("help/%s/%s.html", lang, topic)
			out[lang][topic] = template.Must(template.New(topic+".html").Funcs(templateFuncs).ParseFS(helpFS, name))
		}
	}
	return out
}

type helpData struct {
	Topic  string // "" on the index
	Topics []string
	Body   template.HTML
}

// Others are the topics other than the one shown, for "see also".
func (d helpData) Others() []string {
	return slices.DeleteFunc(slices.Clone(d.Topics), func(t string) bool { return t == d.Topic })
}

// helpIndex answers GET /help: the list of topics.
func (s *Server) helpIndex(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "help", Page{Nav: "help", Data: helpData{Topics: helpTopics}})
}

// helpPage answers GET /help/{topic}.
func (s *Server) helpPage(w http.ResponseWriter, r *http.Request) error {
	topic := r.PathValue("topic")
	if !slices.Contains(helpTopics, topic) {
		return errText(http.StatusNotFound, "err.no_such_help_page")
	}
	lang := langOf(r)
	var buf bytes.Buffer
	p := Page{Lang: lang, User: currentUser(r)}
	if err := helpBodies[lang][topic].Execute(&buf, p); err != nil {
		return fmt.Errorf("help %s/%s: %w", lang, topic, err)
	}
	return s.render(w, r, http.StatusOK, "help", Page{Nav: "help",
		Data: helpData{Topic: topic, Topics: helpTopics, Body: template.HTML(buf.String())}})
}

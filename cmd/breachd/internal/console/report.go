package console

import "net/http"

// showReport is the incident's one-page report (to be written).
func (c *Console) showReport(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not yet", http.StatusNotImplemented)
}

// reportFile is the report as a download: pdf, md or json (to be written).
func (c *Console) reportFile(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not yet", http.StatusNotImplemented)
}

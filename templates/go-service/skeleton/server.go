package main

import (
	"encoding/json"
	"net/http"
)

// serviceInfo is what GET / answers.
type serviceInfo struct {
	Service string `json:"service"`
	Version string `json:"version"`
}

// newServer returns the HTTP handler: GET / describes the service and GET /healthz tells the
// platform the process is up. Anything else is a 404.
func newServer(service, version string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, serviceInfo{Service: service, Version: version})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

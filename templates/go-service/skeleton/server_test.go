package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHealthz(t *testing.T) {
	rec := httptest.NewRecorder()
	newServer("${{ values.name }}", "1.2.3").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /healthz: status %d, want 200", rec.Code)
	}
	var body map[string]string
	if err := json.NewDecoder(rec.Body).Decode(&body); err != nil || body["status"] != "ok" {
		t.Fatalf("GET /healthz: body %v (%v), want status ok", body, err)
	}
}

func TestRoot(t *testing.T) {
	rec := httptest.NewRecorder()
	newServer("${{ values.name }}", "1.2.3").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	var info serviceInfo
	if err := json.NewDecoder(rec.Body).Decode(&info); err != nil {
		t.Fatal(err)
	}
	if info != (serviceInfo{Service: "${{ values.name }}", Version: "1.2.3"}) {
		t.Fatalf("GET /: %+v", info)
	}
}

func TestUnknownPath(t *testing.T) {
	rec := httptest.NewRecorder()
	newServer("${{ values.name }}", "1.2.3").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nope", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("GET /nope: status %d, want 404", rec.Code)
	}
}

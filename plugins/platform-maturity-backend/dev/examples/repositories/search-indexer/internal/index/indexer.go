// Package index turns product change events into search documents.
package index

import (
	"strings"
	"unicode"
)

// ProductChanged is the event published by the product catalogue.
type ProductChanged struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Categories  []string `json:"categories"`
	Deleted     bool     `json:"deleted"`
}

// Document is what the search index stores for one product.
type Document struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Terms      []string `json:"terms"`
	Categories []string `json:"categories"`
}

// ToDocument builds the search document of a product, or reports false when the product must be
// removed from the index.
func ToDocument(event ProductChanged) (Document, bool) {
	if event.Deleted {
		return Document{}, false
	}
	return Document{
		ID:         event.ID,
		Name:       event.Name,
		Terms:      Terms(event.Name + " " + event.Description),
		Categories: event.Categories,
	}, true
}

// Terms splits text into lower-case search terms, without duplicates, in order of appearance.
func Terms(text string) []string {
	seen := map[string]bool{}
	var terms []string
	for _, field := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if !seen[field] {
			seen[field] = true
			terms = append(terms, field)
		}
	}
	return terms
}

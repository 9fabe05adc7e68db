package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/acme/search-indexer/internal/index"
	"github.com/elastic/go-elasticsearch/v8"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/segmentio/kafka-go"
)

var indexed = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "search_indexer_documents_total",
	Help: "Product documents written to or removed from the index.",
}, []string{"operation"})

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	es, err := elasticsearch.NewDefaultClient()
	if err != nil {
		slog.Error("elasticsearch client", "error", err)
		os.Exit(1)
	}
	reader := kafka.NewReader(kafka.ReaderConfig{
		Brokers: []string{os.Getenv("KAFKA_BROKER")},
		GroupID: "search-indexer",
		Topic:   "product-changed",
	})
	defer reader.Close()

	http.Handle("/metrics", promhttp.Handler())
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	go func() { _ = http.ListenAndServe(":8080", nil) }()

	for {
		message, err := reader.ReadMessage(ctx)
		if err != nil {
			slog.Info("stopping", "reason", err)
			return
		}
		var event index.ProductChanged
		if err := json.Unmarshal(message.Value, &event); err != nil {
			slog.Warn("skipping malformed event", "offset", message.Offset, "error", err)
			continue
		}
		if doc, keep := index.ToDocument(event); keep {
			body, _ := json.Marshal(doc)
			_, err = es.Index("products", bytes.NewReader(body), es.Index.WithDocumentID(doc.ID))
			indexed.WithLabelValues("index").Inc()
		} else {
			_, err = es.Delete("products", event.ID)
			indexed.WithLabelValues("delete").Inc()
		}
		if err != nil {
			slog.Error("index write failed", "product", event.ID, "error", err)
		}
	}
}

package index

import (
	"reflect"
	"testing"
)

func TestTerms(t *testing.T) {
	got := Terms("Garden hose, 25 m — garden")
	want := []string{"garden", "hose", "25", "m"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Terms() = %v, want %v", got, want)
	}
}

func TestDeletedProductsLeaveTheIndex(t *testing.T) {
	if _, keep := ToDocument(ProductChanged{ID: "p1", Deleted: true}); keep {
		t.Fatal("a deleted product must not be indexed")
	}
}

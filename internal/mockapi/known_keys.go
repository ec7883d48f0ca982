// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
)

// knownKeysTSV lists element keys the vendor's test suite maps common
// resources for but whose definitions the documented catalog
// (catalog/elements.json) lacks; each line names its source.
//
//go:embed catalog/known-keys.tsv
var knownKeysTSV string

// knownKeyBase + a key's line is the id of a key-only element.
const knownKeyBase = 200000

var knownKeys = sync.OnceValue(func() map[string]*element {
	out := map[string]*element{}
	n := 0
	for _, line := range strings.Split(knownKeysTSV, "\n") {
		key, _, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		id := int64(knownKeyBase + n)
		n++
		obj, _ := json.Marshal(map[string]any{"id": id, "key": key, "name": key})
		out[key] = &element{ID: id, Key: key, Name: key, object: obj}
	}
	return out
})

// catalogElement is what GET /elements/{keyOrId} finds: a catalog element,
// or a key-only one (only the definitions every element has), by key.
func catalogElement(keyOrID string) (*element, bool) {
	if e, ok := lookupElement(keyOrID); ok {
		return e, true
	}
	e, ok := knownKeys()[keyOrID]
	return e, ok
}

// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package suggest finds the names a user probably meant: the "Did you mean
// ...?" of a diagnostic for an unknown configuration key or element key.
package suggest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// maxSuggestions is how many keys a "did you mean" names at most.
const maxSuggestions = 3

// DidYouMean is " Did you mean ...?" naming the candidates closest to got
// by edit distance (case-insensitive), or "" when none is close: at most a
// third of the longer string's length away.
func DidYouMean(got string, candidates []string) string {
	return suggestionText(closest(got, candidates))
}

// Element suggests element keys for an unknown one: the elements
// whose name holds got as a word or begins with it ("salesforce" names
// "Salesforce.com", whose key is sfdc), then the keys closest to it.
func Element(got string, elements []cloudelements.ElementSummary) string {
	want := strings.ToLower(got)
	var byName, keys []string
	for _, e := range elements {
		keys = append(keys, e.Key)
		words := strings.FieldsFunc(strings.ToLower(e.Name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		joined := strings.Join(words, "")
		if len(want) >= 3 && e.Key != got && (strings.HasPrefix(joined, want) || slices.Contains(words, want)) {
			byName = append(byName, e.Key)
		}
	}
	sort.Strings(byName)
	out := byName
	for _, k := range closest(got, keys) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return suggestionText(out)
}

// closest are the candidates within edit distance of got, nearest first.
func closest(got string, candidates []string) []string {
	type scored struct {
		key  string
		dist int
	}
	var near []scored
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(got), strings.ToLower(c))
		if limit := max(len(got), len(c)) / 3; c != got && d <= max(limit, 1) {
			near = append(near, scored{c, d})
		}
	}
	sort.Slice(near, func(i, j int) bool {
		if near[i].dist != near[j].dist {
			return near[i].dist < near[j].dist
		}
		return near[i].key < near[j].key
	})
	out := make([]string, len(near))
	for i, n := range near {
		out[i] = n.key
	}
	return out
}

func suggestionText(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	if len(keys) > maxSuggestions {
		keys = keys[:maxSuggestions]
	}
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = fmt.Sprintf("%q", k)
	}
	return fmt.Sprintf(" Did you mean %s?", strings.Join(quoted, " or "))
}

// levenshtein is the edit distance between a and b: the fewest single-rune
// insertions, deletions and substitutions that turn one into the other.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

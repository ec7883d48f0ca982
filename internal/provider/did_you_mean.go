// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"sort"
	"strings"
)

// didYouMean is " Did you mean ...?" naming the candidates closest to got
// by edit distance (case-insensitive), or "" when none is close: at most a
// third of the longer string's length away, and at most three of them.
func didYouMean(got string, candidates []string) string {
	type scored struct {
		key  string
		dist int
	}
	var close []scored
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(got), strings.ToLower(c))
		if limit := max(len(got), len(c)) / 3; c != got && d <= max(limit, 1) {
			close = append(close, scored{c, d})
		}
	}
	if len(close) == 0 {
		return ""
	}
	sort.Slice(close, func(i, j int) bool {
		if close[i].dist != close[j].dist {
			return close[i].dist < close[j].dist
		}
		return close[i].key < close[j].key
	})
	if len(close) > 3 {
		close = close[:3]
	}
	quoted := make([]string, len(close))
	for i, c := range close {
		quoted[i] = fmt.Sprintf("%q", c.key)
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

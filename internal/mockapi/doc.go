// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Package mockapi is an in-memory fake of the Cloud Elements API (api-v2)
// for the provider's acceptance tests and for a local sandbox
// (internal/cmd/cloudelements-mock). It imports nothing from the provider or
// the API client and uses only the standard library.
//
// A *Server is an http.Handler serving the API under Prefix
// (/elements/api-v2) and admin endpoints under AdminPrefix (/__admin/, see
// AdminHandler). One sync.Mutex guards the store, the request log, the
// fault queue and the event log; event deliveries run in their own
// goroutines and never hold it during I/O. Tests drive it with Seed,
// SeedDocumented, Mutate and Remove (changes behind the provider's back),
// read it with Instance, Instances, Requests, RequestCount and Events, make
// it misbehave with InjectFault, pick a reading of what no source settles
// with the Options fields, and stop background deliveries with Close.
//
// The mock models the real service, not our guesses: SPEC.md, next to this
// file, lists every behaviour it implements with the public source it comes
// from (the vendor's developer portal, its test suite churros, its asset
// tool doctor, its help pages), the readings of what no source settles
// (each an Options field and a cloudelements-mock flag), and what it leaves
// out on purpose. A new behaviour gets its line there, with its source or
// "unverified", in the same change.
package mockapi

// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

// Command cloudelements-mock runs the in-memory Cloud Elements API
// (internal/mockapi) on its own, as a local sandbox for the demo and for
// manual use.
//
//	go run ./internal/cmd/cloudelements-mock -addr 127.0.0.1:0
//
// On start it prints, on stdout and nothing else, three lines to paste into
// a shell (the base URL carries the real port when -addr ends in :0; values
// are single-quoted when the shell needs it):
//
//	export CLOUDELEMENTS_BASE_URL=http://127.0.0.1:PORT/elements/api-v2
//	export CLOUDELEMENTS_USER_SECRET=...
//	export CLOUDELEMENTS_ORGANIZATION_SECRET=...
//
// or run eval "$(go run ./internal/cmd/cloudelements-mock ... | head -3)" in
// the shell that needs them.
//
// Flags -patch-null, -put-absent-keys, -tags-filter, -search-text, -paging,
// -list-entries, -empty-search-404 and -catalog-status pick the mock's reading of behaviour
// no public source settles (see the mockapi package documentation).
//
// It serves until SIGINT or SIGTERM, then shuts down gracefully. Admin
// endpoints (no auth) live under /__admin/: see mockapi.Server.AdminHandler.
// -seed-file names a JSON array of instances in the shape GET
// /__admin/instances dumps (id, name, elementKey, token, tags,
// configuration, providerData, disabled, createdDate, ...).
//
// Vendor events enter at POST .../events/{elementKey} (or POST
// /__admin/events/{elementKey}?elementInstanceId=N without auth) and are
// delivered to the instance's event.notification.callback.url. The retry
// schedule is -delivery-backoff after the first failed attempt, doubling up
// to -delivery-backoff-max, for -delivery-attempts attempts in all, each
// bounded by -delivery-timeout. On shutdown pending deliveries are stopped.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

func main() {
	if err := run(); err != nil {
		log.Fatalf("cloudelements-mock: %v", err)
	}
}

// config is what the command line asks for.
type config struct {
	addr, seedFile string
	opts           mockapi.Options
}

func parseFlags(args []string) (config, error) { return parseFlagsTo(args, os.Stderr) }

// parseFlagsTo parses args, writing usage and errors to out.
func parseFlagsTo(args []string, out io.Writer) (config, error) {
	fs := flag.NewFlagSet("cloudelements-mock", flag.ContinueOnError)
	fs.SetOutput(out)
	var c config
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	user := fs.String("user-secret", "user-secret", "user secret the API accepts")
	org := fs.String("org-secret", "org-secret", "organization secret the API accepts")
	maxPage := fs.Int("max-page-size", mockapi.DefaultMaxPageSize, "largest page size GET /instances honours")
	fs.StringVar(&c.seedFile, "seed-file", "", "optional JSON array of instances to start with")
	backoff := fs.Duration("delivery-backoff", time.Second, "delay after the first failed event delivery; doubles after each further failure")
	backoffMax := fs.Duration("delivery-backoff-max", 5*time.Minute, "cap of the delivery retry delay (0: no cap)")
	attempts := fs.Int("delivery-attempts", mockapi.DefaultDeliveryAttempts, "event delivery attempts in all (1 + retries)")
	timeout := fs.Duration("delivery-timeout", mockapi.DefaultDeliveryTimeout, "timeout of one event delivery attempt")
	// readings of unverified behaviour (mockapi.Options)
	patchNull := fs.String("patch-null", "remove", "PATCH: what a null configuration value does: remove | ignore | reset (unverified)")
	putAbsent := fs.String("put-absent-keys", "remove", "PUT: configuration keys left out: remove (then defaults re-added) | keep (unverified)")
	tagsFilter := fs.String("tags-filter", "all", "GET /instances with several tags[]: all | any | ignore (unverified)")
	searchText := fs.String("search-text", "honour", "GET /instances searchText: honour | ignore (unverified)")
	paging := fs.String("paging", "cursor", "GET /instances paging: cursor | none | always-token (unverified)")
	listEntries := fs.String("list-entries", "full", "GET /instances entries against GET /instances/{id}: full | no-configuration | masked (unverified)")
	empty404 := fs.Bool("empty-search-404", true, "a tags[]/searchText filter matching nothing answers 404 (false: []) (unverified)")
	var vdrs mockapi.VDROptions
	fs.StringVar(&vdrs.FieldOrder, "vdr-field-order", "sorted", "common resources: field order in answers: sorted | as-sent (unverified)")
	fs.StringVar(&vdrs.UndefinedPaths, "vdr-undefined-paths", "reject", "a transformation field its definition lacks: reject | accept (unverified)")
	fs.StringVar(&vdrs.ExistingDefinition, "vdr-existing-definition", "conflict", "POST of an existing definition: conflict | replace (unverified)")
	elementSecrets := fs.String("element-secrets", "clear", "custom elements: secret default values in answers: clear | masked | omitted (unverified)")
	elementPut := fs.String("element-put", "replace", "PUT /elements/{id}: entries, resources and hooks left out: replace | merge (unverified)")
	elementInUse := fs.Int("element-in-use-status", 0, "DELETE /elements/{id} while instances exist: 0 -> 409, a 4xx status, or -1 to allow it (unverified)")
	fs.StringVar(&vdrs.TypeChange, "vdr-type-change", "keep", "a definition field's type change, to the transformations mapping it: keep | propagate (unverified)")
	fs.StringVar(&vdrs.EmptyList, "vdr-empty-list", "object", "the definitions and an element's transformations listing nothing: object | not-found (unverified)")
	fs.StringVar(&vdrs.TransformationListLevel, "vdr-transformation-list-level", "level",
		"an element's transformations list carries a top-level \"level\" key: level | none (unverified)")
	formulaInstanceList := fs.String("formula-instance-list", "full", "GET /formulas/instances entries: full | abridged (no configuration, no settings) (unverified)")
	catalogStatus := fs.Int("catalog-status", 0, "answer every GET /elements/... with this status, e.g. 403 (0: serve the catalog)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if *attempts < 1 || *backoff < 0 || *backoffMax < 0 || *timeout <= 0 {
		return c, errors.New("-delivery-attempts must be >= 1, -delivery-backoff(-max) >= 0 and -delivery-timeout > 0")
	}
	if *user == "" {
		*user = "user-secret"
	}
	if *org == "" {
		*org = "org-secret"
	}
	c.opts = mockapi.Options{
		UserSecret:          *user,
		OrganizationSecret:  *org,
		MaxPageSize:         *maxPage,
		DeliveryAttempts:    *attempts,
		DeliveryBackoff:     mockapi.ExponentialBackoff(*backoff, *backoffMax),
		DeliveryTimeout:     *timeout,
		PatchNull:           mockapi.PatchNullMode(*patchNull),
		PutAbsentKeys:       mockapi.PutAbsentMode(*putAbsent),
		TagsFilter:          mockapi.TagsFilterMode(*tagsFilter),
		SearchText:          mockapi.SearchTextMode(*searchText),
		Paging:              mockapi.PagingMode(*paging),
		ListEntries:         mockapi.ListEntriesMode(*listEntries),
		EmptySearch404:      empty404,
		VDRs:                vdrs,
		CatalogStatus:       *catalogStatus,
		ElementSecrets:      mockapi.ElementSecretsMode(*elementSecrets),
		ElementPut:          mockapi.ElementPutMode(*elementPut),
		ElementInUseStatus:  *elementInUse,
		FormulaInstanceList: mockapi.FormulaInstanceListMode(*formulaInstanceList),
	}
	return c, c.opts.Validate()
}

func run() error {
	c, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	srv := mockapi.New(c.opts)
	defer srv.Close()
	if c.seedFile != "" {
		n, err := seed(srv, c.seedFile)
		if err != nil {
			return err
		}
		log.Printf("seeded %d instances from %s", n, c.seedFile)
	}

	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", c.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}

	fmt.Println(exportLine("CLOUDELEMENTS_BASE_URL", "http://"+baseHost(ln.Addr())+mockapi.Prefix))
	fmt.Println(exportLine("CLOUDELEMENTS_USER_SECRET", c.opts.UserSecret))
	fmt.Println(exportLine("CLOUDELEMENTS_ORGANIZATION_SECRET", c.opts.OrganizationSecret))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Print("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = hs.Shutdown(sctx)
	srv.Close() // stop event deliveries (pending retries are dropped)
	if err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// exportLine is a POSIX shell line exporting name=value; the value is
// single-quoted unless it is made only of characters the shell leaves alone.
func exportLine(name, value string) string {
	safe := value != "" && strings.IndexFunc(value, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && !strings.ContainsRune("-_./:@%+=,", r)
	}) < 0
	if !safe {
		value = "'" + strings.ReplaceAll(value, "'", `'\''`) + "'"
	}
	return "export " + name + "=" + value
}

// baseHost is the host:port clients should use: an unspecified listen
// address (0.0.0.0, ::) is reached through loopback.
// baseHost is the host:port clients reach the listener at: loopback when
// it listens on every address.
func baseHost(addr net.Addr) string {
	a, ok := addr.(*net.TCPAddr)
	if !ok {
		return addr.String()
	}
	ip := a.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}

func seed(srv *mockapi.Server, path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var list []mockapi.Instance
	if err := json.Unmarshal(b, &list); err != nil {
		return 0, fmt.Errorf("seed file %s: %v", path, err)
	}
	for _, in := range list {
		srv.Seed(in)
	}
	return len(list), nil
}

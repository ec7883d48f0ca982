// Command cloudelements-mock runs the in-memory Cloud Elements API
// (internal/mockapi) on its own, as a local sandbox for the demo and for
// manual use.
//
//	go run ./internal/cmd/cloudelements-mock -addr 127.0.0.1:0
//
// On start it prints, on stdout and nothing else, the three lines scripts
// parse (the base URL carries the real port when -addr ends in :0):
//
//	CLOUDELEMENTS_BASE_URL=http://127.0.0.1:PORT/elements/api-v2
//	CLOUDELEMENTS_USER_SECRET=...
//	CLOUDELEMENTS_ORGANIZATION_SECRET=...
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
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

func main() {
	if err := run(); err != nil {
		log.Fatalf("cloudelements-mock: %v", err)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	user := flag.String("user-secret", "user-secret", "user secret the API accepts")
	org := flag.String("org-secret", "org-secret", "organization secret the API accepts")
	maxPage := flag.Int("max-page-size", mockapi.DefaultMaxPageSize, "largest page size GET /instances honours")
	seedFile := flag.String("seed-file", "", "optional JSON array of instances to start with")
	backoff := flag.Duration("delivery-backoff", time.Second, "delay after the first failed event delivery; doubles after each further failure")
	backoffMax := flag.Duration("delivery-backoff-max", 5*time.Minute, "cap of the delivery retry delay (0: no cap)")
	attempts := flag.Int("delivery-attempts", mockapi.DefaultDeliveryAttempts, "event delivery attempts in all (1 + retries)")
	timeout := flag.Duration("delivery-timeout", mockapi.DefaultDeliveryTimeout, "timeout of one event delivery attempt")
	flag.Parse()
	if *attempts < 1 || *backoff < 0 || *backoffMax < 0 || *timeout <= 0 {
		return errors.New("-delivery-attempts must be >= 1, -delivery-backoff(-max) >= 0 and -delivery-timeout > 0")
	}
	if *user == "" {
		*user = "user-secret"
	}
	if *org == "" {
		*org = "org-secret"
	}

	srv := mockapi.New(mockapi.Options{
		UserSecret: *user, OrganizationSecret: *org, MaxPageSize: *maxPage,
		DeliveryAttempts: *attempts, DeliveryBackoff: mockapi.ExponentialBackoff(*backoff, *backoffMax),
		DeliveryTimeout: *timeout,
	})
	defer srv.Close()
	if *seedFile != "" {
		n, err := seed(srv, *seedFile)
		if err != nil {
			return err
		}
		log.Printf("seeded %d instances from %s", n, *seedFile)
	}

	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}

	fmt.Printf("CLOUDELEMENTS_BASE_URL=http://%s%s\n", baseHost(ln.Addr().(*net.TCPAddr)), mockapi.Prefix)
	fmt.Printf("CLOUDELEMENTS_USER_SECRET=%s\n", *user)
	fmt.Printf("CLOUDELEMENTS_ORGANIZATION_SECRET=%s\n", *org)

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

// baseHost is the host:port clients should use: an unspecified listen
// address (0.0.0.0, ::) is reached through loopback.
func baseHost(a *net.TCPAddr) string {
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

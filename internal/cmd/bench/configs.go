// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

// benchElement is what the configurations of one run are made of: the
// catalog element and the values its required inputs get.
type benchElement struct {
	key   string
	oauth bool
	// plain and secret are the required inputs: PASSWORD-typed ones are
	// secret (sensitive_configuration), the others plain (configuration).
	plain, secret map[string]string
}

// elementFor builds the configuration values for a catalog element: every
// input the catalog marks required gets a value (a URL for URL keys), and
// an OAuth element gets a providerData code.
func elementFor(key string) (benchElement, error) {
	info, ok := mockapi.LookupElement(key)
	if !ok {
		return benchElement{}, fmt.Errorf("-element: the mock's catalog has no element %q", key)
	}
	e := benchElement{key: info.Key, oauth: info.OAuth, plain: map[string]string{}, secret: map[string]string{}}
	for _, in := range info.Inputs {
		if !in.Required {
			continue
		}
		v := "bench-" + strings.NewReplacer(".", "-", "_", "-").Replace(in.Key)
		if strings.HasSuffix(in.Key, ".url") || strings.HasSuffix(in.Key, "_url") {
			v = "https://app.example.com/" + v
		}
		if in.Type == "PASSWORD" {
			e.secret[in.Key] = v
		} else {
			e.plain[in.Key] = v
		}
	}
	return e, nil
}

// hclMap writes a map of strings as an HCL object expression.
func hclMap(m map[string]string, indent string) string {
	if len(m) == 0 {
		return "{}"
	}
	var b strings.Builder
	b.WriteString("{\n")
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, "%s  %q = %q\n", indent, k, m[k])
	}
	b.WriteString(indent + "}")
	return b.String()
}

func providerHeader(baseURL string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}

provider "cloudelements" {
  base_url            = %q
  user_secret         = %q
  organization_secret = %q
}

`, baseURL, userSecret, orgSecret)
}

// The three instance configurations carry the same values. terraform_data holds
// them in one object (input); the provider in its attributes and block;
// restapi as the JSON body the provider sends on create.

func floorConfig(n int, e benchElement) string {
	pd := ""
	if e.oauth {
		pd = "\n    provider_data = { code = \"bench-code-${count.index}\" }"
	}
	return fmt.Sprintf(`resource "terraform_data" "bench" {
  count = %d
  input = {
    element_key = %q
    name        = "bench-${count.index}"
    tags        = ["bench", "n-${count.index}"]%s
    configuration = %s
    sensitive_configuration = %s
    event_notification = [{
      callback_url = "https://hooks.example.com/bench/${count.index}"
    }]
  }
}
`, n, e.key, pd, hclMap(e.plain, "    "), hclMap(e.secret, "    "))
}

func providerConfig(n int, baseURL string, e benchElement) string {
	var extra strings.Builder
	if e.oauth {
		extra.WriteString("  provider_data = { code = \"bench-code-${count.index}\" }\n")
	}
	if len(e.plain) > 0 {
		fmt.Fprintf(&extra, "  configuration = %s\n", hclMap(e.plain, "  "))
	}
	if len(e.secret) > 0 {
		fmt.Fprintf(&extra, "  sensitive_configuration = %s\n", hclMap(e.secret, "  "))
	}
	return providerHeader(baseURL) + fmt.Sprintf(`resource "cloudelements_instance" "bench" {
  count       = %d
  element_key = %q
  name        = "bench-${count.index}"
  tags        = ["bench", "n-${count.index}"]
%s  event_notification {
    callback_url = "https://hooks.example.com/bench/${count.index}"
  }
}
`, n, e.key, extra.String())
}

// restapiConfig manages the same instances with Mastercard's generic REST
// provider: POST /instances with the body cloudelements sends (one request,
// the answer is the instance: write_returns_object), GET /instances/{id} to
// read, DELETE /instances/{id} to destroy; PATCH would update.
func restapiConfig(n int, baseURL string, e benchElement) string {
	conf := map[string]string{
		"event.notification.enabled":      "true",
		"event.notification.callback.url": "https://hooks.example.com/bench/${count.index}",
	}
	maps.Copy(conf, e.plain)
	maps.Copy(conf, e.secret)
	pd := ""
	if e.oauth {
		pd = "\n      providerData  = { code = \"bench-code-${count.index}\" }"
	}
	return fmt.Sprintf(`terraform {
  required_providers {
    restapi = { source = "Mastercard/restapi" }
  }
}

provider "restapi" {
  uri                  = %q
  id_attribute         = "id"
  create_method        = "POST"
  update_method        = "PATCH"
  destroy_method       = "DELETE"
  write_returns_object = true
  headers = {
    Authorization  = "User %s, Organization %s"
    "Content-Type" = "application/json"
  }
}

resource "restapi_object" "bench" {
  count = %d
  path  = "/instances"
  data = jsonencode({
    element       = { key = %q }
    name          = "bench-${count.index}"
    tags          = ["bench", "n-${count.index}"]%s
    configuration = %s
  })
}
`, baseURL, userSecret, orgSecret, n, e.key, pd, hclMap(conf, "      "))
}

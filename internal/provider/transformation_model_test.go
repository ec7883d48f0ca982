// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/mockapi"
)

func TestCanonicalConfiguration(t *testing.T) {
	cases := []struct{ in, want string }{
		{``, ``},
		{`null`, ``},
		{`[]`, ``},
		{`[ {"type":"inherit", "level":"organization"} ]`, `[{"type":"inherit"}]`},
		{`[{"level":"account","type":"inherit"}]`, `[{"level":"account","type":"inherit"}]`},
		{`[{"type":"passThrough","properties":{"toVendor":false,"fromVendor":false},"level":"organization"}]`,
			`[{"properties":{"fromVendor":false,"toVendor":false},"type":"passThrough"}]`},
		{`[{"type":"applyJSOnQueryFieldValue","properties":{"toVendor":null,"x":"<b>&"}}]`,
			`[{"properties":{"toVendor":null,"x":"\u003cb\u003e\u0026"},"type":"applyJSOnQueryFieldValue"}]`},
	}
	for _, tc := range cases {
		got, err := canonicalConfiguration(json.RawMessage(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("canonicalConfiguration(%s) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := canonicalConfiguration(json.RawMessage(`{"type":"inherit"}`)); err == nil {
		t.Error("an object was accepted as a configuration list")
	}
}

func TestFieldTypePattern(t *testing.T) {
	for typ, ok := range map[string]bool{
		"string": true, "number": true, "boolean": true, "date": true,
		"array [string]": true, "array [date]": true, "array[line_items]": true,
		"text": false, "String": false, "array [text]": false, "array[]": false, "array [string": false,
		"addressInfo": false, "": false,
	} {
		if fieldTypePattern.MatchString(typ) != ok {
			t.Errorf("%q accepted = %v, want %v", typ, !ok, ok)
		}
	}
}

// Create itself checks the definition before any transformation request,
// whatever the plan did: applied here without a plan.
func TestTransformationCreateChecksFirst(t *testing.T) {
	ctx := context.Background()
	mock := newTestMock(t, mockapi.Options{})
	postToMock(t, mock, "/organizations/objects/myContact/definitions", `{"fields": [{"path": "id", "type": "string"}]}`)
	d := newDirectProvider(t, ctx, mock, time.Millisecond, time.Millisecond)
	schemas, err := d.server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ, ok := schemas.ResourceSchemas["cloudelements_transformation"].ValueType().(tftypes.Object)
	if !ok {
		t.Fatal("no object type")
	}
	fields := tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"id": str("Id"), "phone": str("Phone")})
	planned := d.object(typ, map[string]tftypes.Value{
		"element_key": str("sfdc"), "object_name": str("myContact"), "vendor_name": str("Contact"), "fields": fields,
	})
	resp, err := d.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: "cloudelements_transformation", PriorState: d.dynamic(typ, tftypes.NewValue(typ, nil)),
		PlannedState: d.dynamic(typ, planned), Config: d.dynamic(typ, planned),
	})
	if err != nil {
		t.Fatal(err)
	}
	text := diagsText(resp.Diagnostics)
	if !diagsHaveError(resp.Diagnostics) || !strings.Contains(text, `maps "phone", but common resource "myContact" does not define it`) {
		t.Errorf("diagnostics: %s", text)
	}
	for _, dg := range resp.Diagnostics {
		if dg.Attribute == nil || dg.Attribute.String() != `AttributeName("fields").ElementKeyString("phone")` {
			t.Errorf("diagnostic on %v, want fields[\"phone\"]", dg.Attribute)
		}
	}
	if n := mock.RequestCount("", transformationRoute); n != 0 {
		t.Errorf("%d transformation requests sent, want none", n)
	}
	if n := mock.RequestCount("GET", definitionRoute); n != 1 {
		t.Errorf("%d definition reads, want 1", n)
	}
}

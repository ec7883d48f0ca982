// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

var _ function.Function = webhookSignatureFunction{}

// NewWebhookSignatureFunction is the constructor for
// provider::cloudelements::webhook_signature.
func NewWebhookSignatureFunction() function.Function { return webhookSignatureFunction{} }

type webhookSignatureFunction struct{}

func (webhookSignatureFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "webhook_signature"
}

func (webhookSignatureFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Computes the Elements-Webhook-Signature header value for an event body.",
		MarkdownDescription: "Returns `sha256=` followed by the base64-encoded HMAC-SHA256 of `body` keyed with `key`: " +
			"the value Cloud Elements sends in the `Elements-Webhook-Signature` header of an event notification " +
			"when the instance has `event_notification.signature_key` set. Use it to test the receiver that verifies it. " +
			"The body must be the exact bytes sent: any change of whitespace changes the signature.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "body", MarkdownDescription: "The raw event notification body."},
			function.StringParameter{Name: "key", MarkdownDescription: "The instance's signature key."},
		},
		Return: function.StringReturn{},
	}
}

func (webhookSignatureFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var body, key string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &body, &key))
	if resp.Error != nil {
		return
	}
	if key == "" {
		resp.Error = function.NewArgumentFuncError(1, "key must not be empty: without a signature key Cloud Elements sends no signature")
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, webhookSignature([]byte(body), key)))
}

// webhookSignature is the Elements-Webhook-Signature value for body.
func webhookSignature(body []byte, key string) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(body)
	return "sha256=" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

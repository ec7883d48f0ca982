// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func (r *instanceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An element instance: an authenticated connection to a SaaS API (for example Campaign Monitor) " +
			"through Cloud Elements, with its configuration, tags and event notifications.\n\n" +
			"A create is never retried once the API may have acted on it. If its response is lost (dropped connection, " +
			fmt.Sprintf("unreadable answer), the instance with the same `name` and `element_key` created in the last %d minutes ", int(adoptWindow/time.Minute)) +
			"is adopted, with a warning; if there are several, the apply fails listing their ids: import the right one and delete the others.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The instance's numeric id (`id`), as a string.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"element_key": schema.StringAttribute{
				MarkdownDescription: "Key of the element (connector) to authenticate, such as `campaignmonitor` (`element.key`). Changing it replaces the instance.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the instance (`name`). The API strips markup, so `<` and `>` are refused.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), noMarkup()},
			},
			"provider_data": schema.MapAttribute{
				MarkdownDescription: "Data for the element's authentication flow (`providerData`), such as the OAuth authorization grant `code`. " +
					"Sent on create; changing it re-authenticates the instance in place, as the API documents it: the instance is read, " +
					"then sent back with the new code (`PUT /instances/{id}?reAuthenticate=true`), so settings made elsewhere survive. " +
					"An OAuth code works once: removing `provider_data` after the create is fine and sends nothing. " +
					"A code set later (after such a removal) re-authenticates. The API never returns it, so it is not read back or " +
					"imported; the first apply after an import records it without re-authenticating (the console already used it).",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
			},
			"provider_data_wo": schema.MapAttribute{
				MarkdownDescription: "Write-only `provider_data`: sent on create, and again (re-authenticating the instance) each " +
					"time `provider_data_wo_version` changes; never stored in the plan or state. Needs Terraform 1.11 or later " +
					"(or OpenTofu 1.11). Conflicts with `provider_data`; requires `provider_data_wo_version`.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
				WriteOnly:   true,
				Validators: []validator.Map{
					mapvalidator.ConflictsWith(path.MatchRoot("provider_data")),
					mapvalidator.AlsoRequires(path.MatchRoot("provider_data_wo_version")),
				},
			},
			"provider_data_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Change it (for example increase it) to re-authenticate with the current `provider_data_wo`.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("provider_data_wo"))},
			},
			"configuration": schema.MapAttribute{
				MarkdownDescription: "Element configuration (`configuration`), such as `oauth.callback.url` and `oauth.api.key`. " +
					"Only the keys set here are managed; keys the API adds stay as they are (the `cloudelements_instance` data source's `configuration_all` shows them). " +
					"A key removed from here is removed from the instance only if Terraform had set it. " +
					"The `event.*` keys the `event_notification` block models belong there; other `event.*` keys may be set here. " +
					"Secrets belong in `sensitive_configuration`.",
				ElementType: types.StringType,
				Optional:    true,
			},
			"sensitive_configuration": schema.MapAttribute{
				MarkdownDescription: "Secret element configuration (`configuration`), such as `oauth.api.secret` or `password`: merged into " +
					"`configuration` when sent, hidden from plan output. Values the API masks (`********`) keep what is set here, " +
					"so changes made outside Terraform to them cannot be detected.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
			},
			"sensitive_configuration_wo": writeOnlyConfiguration("Sent on create, and again each time " +
				"`sensitive_configuration_wo_version` changes. A key removed from it is not removed from the instance."),
			"sensitive_configuration_wo_version": writeOnlyConfigurationVersion("again "),
			"tags": schema.SetAttribute{
				MarkdownDescription: "Tags on the instance (`tags`). When unset, tags are not managed: the API then tags a new " +
					"instance with its name, which is not shown as a change.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1), noMarkup())},
			},
			"tags_all": schema.SetAttribute{
				MarkdownDescription: "The tags the instance carries: `tags` and the provider's `default_tags`. Null when neither is set.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"disabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the instance is disabled (`disabled`; `PUT`/`DELETE /instances/enabled`). Defaults to `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "The instance token (`token`) for `Element` authorization. Changes when `provider_data` re-authenticates.",
				Computed:            true,
				Sensitive:           true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"element_id": schema.Int64Attribute{
				MarkdownDescription: "Numeric id of the element (`elementId`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"valid": schema.BoolAttribute{
				MarkdownDescription: "Whether the instance's authentication is valid (`valid`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"created_date": schema.StringAttribute{
				MarkdownDescription: "When the instance was created (`createdDate`, RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts":           timeouts.Block(ctx, resourceTimeouts),
			"event_notification": eventNotificationBlock(),
		},
	}
}

func eventNotificationBlock() schema.ListNestedBlock {
	elementChooses := " Unset means the element decides: its value is read back after the apply, and removing the " +
		"setting later keeps the current value."
	unmanaged := " Unset means not managed."
	return schema.ListNestedBlock{
		MarkdownDescription: "Event notifications (the `event.*` configuration keys). Without this block events are off " +
			"(`event.notification.enabled` keeps the element's default, `false`) and the event settings the API reports for " +
			"the element are left alone. At most one block.",
		NestedObject: schema.NestedBlockObject{
			Attributes: map[string]schema.Attribute{
				"enabled": schema.BoolAttribute{
					MarkdownDescription: "Whether events are delivered (`event.notification.enabled`). Defaults to `true`.",
					Optional:            true,
					Computed:            true,
					Default:             booldefault.StaticBool(true),
				},
				"callback_url": schema.StringAttribute{
					MarkdownDescription: "Where Cloud Elements POSTs event notifications (`event.notification.callback.url`). " +
						"An absolute `https` URL; `http` is accepted with a warning (events would travel unencrypted) " +
						"and silently for `localhost` and loopback addresses.",
					Required:   true,
					Validators: []validator.String{eventsCallbackURL},
				},
				"signature_key": schema.StringAttribute{
					MarkdownDescription: "Key for the `Elements-Webhook-Signature` HMAC-SHA256 header (`event.notification.signature.key`). " +
						"When the API masks it, it is not imported and outside changes cannot be detected." + unmanaged,
					Optional:   true,
					Sensitive:  true,
					Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				},
				"signature_key_wo": schema.StringAttribute{
					MarkdownDescription: "Write-only `signature_key`: sent on create, and again each time `signature_key_wo_version` " +
						"changes; never stored in the plan or state. Needs Terraform 1.11 or later. Conflicts with `signature_key`; " +
						"requires `signature_key_wo_version`.",
					Optional:  true,
					Sensitive: true,
					WriteOnly: true,
					Validators: []validator.String{
						stringvalidator.LengthAtLeast(1),
						stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("signature_key")),
						stringvalidator.AlsoRequires(path.MatchRelative().AtParent().AtName("signature_key_wo_version")),
					},
				},
				"signature_key_wo_version": schema.Int64Attribute{
					MarkdownDescription: "Change it to send the current `signature_key_wo` again (to rotate the key).",
					Optional:            true,
					Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRelative().AtParent().AtName("signature_key_wo"))},
				},
				"vendor_type": schema.StringAttribute{
					MarkdownDescription: "How events are collected from the vendor (`event.vendor.type`): `webhook` or `polling` " +
						"(the API's `webhooks` reads as `webhook`). Most elements support only one." + elementChooses,
					Optional:      true,
					Computed:      true,
					Validators:    []validator.String{stringvalidator.OneOf(configkeys.VendorWebhook, configkeys.VendorPolling)},
					PlanModifiers: []planmodifier.String{elementDecides{}},
				},
				"poller_refresh_interval": schema.Int64Attribute{
					MarkdownDescription: "Minutes between polls (`event.poller.refresh_interval`)." + elementChooses,
					Optional:            true,
					Computed:            true,
					Validators:          []validator.Int64{int64validator.AtLeast(1)},
					PlanModifiers:       []planmodifier.Int64{elementDecides{}},
				},
				"poller_configuration": schema.StringAttribute{
					MarkdownDescription: "What to poll, as a JSON object keyed by resource with `url`, `idField` and `datesConfiguration` " +
						"(`event.poller.configuration`). Compared semantically: whitespace and key order make no diff." + elementChooses,
					Optional:      true,
					Computed:      true,
					CustomType:    jsontypes.NormalizedType{},
					Validators:    []validator.String{jsonObjectValidator{}},
					PlanModifiers: []planmodifier.String{jsonKeepsStateWhenEquivalent{}},
				},
				"objects": schema.SetAttribute{
					MarkdownDescription: "Object names to receive events for (`event.objects`, sent comma-separated)." + unmanaged,
					ElementType:         types.StringType,
					Optional:            true,
					Validators: []validator.Set{
						setvalidator.SizeAtLeast(1),
						setvalidator.ValueStringsAre(stringvalidator.RegexMatches(objectNamePattern, "must be an object name without commas or spaces")),
					},
				},
				"instance_finder": schema.StringAttribute{
					MarkdownDescription: "How the element finds the instance an incoming vendor event belongs to " +
						"(`event.notification.instance.finder`, such as `site.id|data.site_id`)." + unmanaged,
					Optional:   true,
					Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				},
				"poller_urls": schema.StringAttribute{
					MarkdownDescription: "Legacy `|`-delimited polling URLs (`event.poller.urls`); prefer `poller_configuration`. " +
						"A URL with a user name or password in it is refused." + unmanaged,
					Optional:   true,
					Validators: []validator.String{stringvalidator.LengthAtLeast(1), pollerURLs},
				},
				"metadata": schema.StringAttribute{
					MarkdownDescription: "Element-specific event metadata as JSON (`event.metadata`), compared semantically." + unmanaged,
					Optional:            true,
					CustomType:          jsontypes.NormalizedType{},
				},
			},
		},
	}
}

// writeOnlyConfiguration is sensitive_configuration_wo, the write-only twin
// of sensitive_configuration (instances, formula instances); sent says when
// its values are sent.
func writeOnlyConfiguration(sent string) schema.MapAttribute {
	return schema.MapAttribute{
		MarkdownDescription: "Write-only secret configuration: like `sensitive_configuration`, but never stored in the plan or " +
			"state. " + sent + " Needs Terraform 1.11 or later. Conflicts with `sensitive_configuration`; " +
			"requires `sensitive_configuration_wo_version`.",
		ElementType: types.StringType,
		Optional:    true,
		Sensitive:   true,
		WriteOnly:   true,
		Validators: []validator.Map{
			mapvalidator.ConflictsWith(path.MatchRoot("sensitive_configuration")),
			mapvalidator.AlsoRequires(path.MatchRoot("sensitive_configuration_wo_version")),
		},
	}
}

// writeOnlyConfigurationVersion is sensitive_configuration_wo_version.
func writeOnlyConfigurationVersion(again string) schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: "Change it to send the current `sensitive_configuration_wo` values " + again + "(to rotate a secret).",
		Optional:            true,
		Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("sensitive_configuration_wo"))},
	}
}

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ datasource.DataSource                     = &instanceDataSource{}
	_ datasource.DataSourceWithConfigure        = &instanceDataSource{}
	_ datasource.DataSourceWithConfigValidators = &instanceDataSource{}
)

// NewInstanceDataSource is the constructor for data "cloudelements_instance".
func NewInstanceDataSource() datasource.DataSource { return &instanceDataSource{} }

type instanceDataSource struct {
	client *cloudelements.Client
}

type instanceDataSourceModel struct {
	ID                types.String       `tfsdk:"id"`
	Name              types.String       `tfsdk:"name"`
	ElementKey        types.String       `tfsdk:"element_key"`
	ElementID         types.Int64        `tfsdk:"element_id"`
	Tags              types.Set          `tfsdk:"tags"`
	Configuration     types.Map          `tfsdk:"configuration"`
	Valid             types.Bool         `tfsdk:"valid"`
	Disabled          types.Bool         `tfsdk:"disabled"`
	CreatedDate       types.String       `tfsdk:"created_date"`
	Token             types.String       `tfsdk:"token"`
	EventNotification *eventSettingModel `tfsdk:"event_notification"`
}

// eventSettingModel is the read-only view of the event.* keys.
type eventSettingModel struct {
	Enabled               types.Bool           `tfsdk:"enabled"`
	CallbackURL           types.String         `tfsdk:"callback_url"`
	SignatureKeySet       types.Bool           `tfsdk:"signature_key_set"`
	VendorType            types.String         `tfsdk:"vendor_type"`
	PollerRefreshInterval types.Int64          `tfsdk:"poller_refresh_interval"`
	PollerConfiguration   jsontypes.Normalized `tfsdk:"poller_configuration"`
	Objects               types.Set            `tfsdk:"objects"`
}

func (d *instanceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance"
}

func (d *instanceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one element instance by `id` or by exact `name`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The instance's numeric id (`id`). Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(numericIDPattern, "must be a numeric instance id")},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The instance's exact name (`name`). It is an error when no instance, or more than one, has this name.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"element_key":  schema.StringAttribute{MarkdownDescription: "Key of the element (`element.key`).", Computed: true},
			"element_id":   schema.Int64Attribute{MarkdownDescription: "Numeric id of the element (`elementId`).", Computed: true},
			"tags":         schema.SetAttribute{MarkdownDescription: "Tags on the instance (`tags`).", ElementType: types.StringType, Computed: true},
			"valid":        schema.BoolAttribute{MarkdownDescription: "Whether the instance's authentication is valid (`valid`).", Computed: true},
			"disabled":     schema.BoolAttribute{MarkdownDescription: "Whether the instance is disabled (`disabled`).", Computed: true},
			"created_date": schema.StringAttribute{MarkdownDescription: "When the instance was created (`createdDate`).", Computed: true},
			"token": schema.StringAttribute{
				MarkdownDescription: "The instance token (`token`).",
				Computed:            true,
				Sensitive:           true,
			},
			"configuration": schema.MapAttribute{
				MarkdownDescription: "The readable configuration (`configuration`) without the `event.*` keys (see `event_notification`) " +
					"and without the secrets the API masks. Sensitive, because the API masks only the secrets it knows of: " +
					"a key that a resource keeps in `sensitive_configuration` may still come back readable here. " +
					"Use `nonsensitive()` on values you know to be public.",
				ElementType: types.StringType,
				Computed:    true,
				Sensitive:   true,
			},
			"event_notification": schema.SingleNestedAttribute{
				MarkdownDescription: "The instance's event settings (the `event.*` configuration keys).",
				Computed:            true,
				Attributes:          eventSettingAttributes(),
			},
		},
	}
}

func eventSettingAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"enabled":      schema.BoolAttribute{MarkdownDescription: "Whether events are delivered (`event.notification.enabled`).", Computed: true},
		"callback_url": schema.StringAttribute{MarkdownDescription: "Callback URL (`event.notification.callback.url`).", Computed: true},
		"signature_key_set": schema.BoolAttribute{
			MarkdownDescription: "Whether a signature key is set (`event.notification.signature.key`); the key itself is never returned.",
			Computed:            true,
		},
		"vendor_type":             schema.StringAttribute{MarkdownDescription: "`webhook` or `polling` (`event.vendor.type`).", Computed: true},
		"poller_refresh_interval": schema.Int64Attribute{MarkdownDescription: "Minutes between polls (`event.poller.refresh_interval`).", Computed: true},
		"poller_configuration": schema.StringAttribute{
			MarkdownDescription: "Poller configuration JSON (`event.poller.configuration`).",
			Computed:            true,
			CustomType:          jsontypes.NormalizedType{},
		},
		"objects": schema.SetAttribute{MarkdownDescription: "Object names (`event.objects`).", ElementType: types.StringType, Computed: true},
	}
}

func (d *instanceDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *instanceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *instanceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m instanceDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}

	var in *cloudelements.Instance
	if !m.ID.IsNull() {
		id, ok := parseID(m.ID.ValueString(), path.Root("id"), &resp.Diagnostics)
		if !ok {
			return
		}
		var err error
		in, err = d.client.GetInstance(ctx, id)
		if errors.Is(err, cloudelements.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Cloud Elements Instance Not Found",
				fmt.Sprintf("No instance has id %d.", id))
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Error Reading Cloud Elements Instance", fmt.Sprintf("Could not read instance %d: %s", id, err))
			return
		}
	} else {
		in = d.findByName(ctx, m.Name.ValueString(), resp)
		if in == nil {
			return
		}
	}

	resp.Diagnostics.Append(m.fill(ctx, in)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (d *instanceDataSource) findByName(ctx context.Context, name string, resp *datasource.ReadResponse) *cloudelements.Instance {
	found, err := d.client.ListInstances(ctx, cloudelements.ListInstancesOptions{SearchText: name})
	if err != nil {
		resp.Diagnostics.AddError("Error Listing Cloud Elements Instances",
			fmt.Sprintf("Could not search for instances named %q: %s", name, err))
		return nil
	}
	var exact []*cloudelements.Instance
	var near []string
	for i := range found {
		if found[i].Name == name {
			exact = append(exact, &found[i])
		} else {
			near = append(near, fmt.Sprintf("%s (%q)", found[i].ID, found[i].Name))
		}
	}
	switch len(exact) {
	case 1:
		return exact[0]
	case 0:
		detail := fmt.Sprintf("No instance is named exactly %q.", name)
		if len(near) > 0 {
			detail += " Instances whose names contain it: " + strings.Join(near, ", ") + "."
		}
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Cloud Elements Instance Not Found", detail)
	default:
		ids := make([]string, len(exact))
		for i, in := range exact {
			ids[i] = in.ID.String()
		}
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Several Cloud Elements Instances Found",
			fmt.Sprintf("%d instances are named %q (ids %s). Look one up by id instead.", len(exact), name, strings.Join(ids, ", ")))
	}
	return nil
}

func (m *instanceDataSourceModel) fill(ctx context.Context, in *cloudelements.Instance) (diags diag.Diagnostics) {
	s, d := summarize(ctx, in)
	diags.Append(d...)
	m.ID, m.Name, m.ElementKey, m.ElementID = s.ID, s.Name, s.ElementKey, s.ElementID
	m.Tags, m.Valid, m.Disabled, m.CreatedDate = s.Tags, s.Valid, s.Disabled, s.CreatedDate
	m.Token = types.StringValue(in.Token)
	m.Configuration = importedConfiguration(in.Configuration)
	if m.Configuration.IsNull() {
		m.Configuration = types.MapValueMust(types.StringType, nil)
	}
	ev, d := readEventSettings(ctx, in.Configuration)
	diags.Append(d...)
	m.EventNotification = ev
	return diags
}

func readEventSettings(ctx context.Context, cfg map[string]*string) (*eventSettingModel, diag.Diagnostics) {
	k, diags := readEventKeys(ctx, cfg, path.Root("event_notification").AtName)
	return &eventSettingModel{
		Enabled:               k.Enabled,
		CallbackURL:           k.CallbackURL,
		SignatureKeySet:       types.BoolValue(k.SignatureKey.ValueString() != ""),
		VendorType:            k.VendorType,
		PollerRefreshInterval: k.PollerRefreshInterval,
		PollerConfiguration:   k.PollerConfiguration,
		Objects:               k.Objects,
	}, diags
}

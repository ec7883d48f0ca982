// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ list.ListResource              = &transformationListResource{}
	_ list.ListResourceWithConfigure = &transformationListResource{}
)

// NewTransformationListResource is the constructor for list
// "cloudelements_transformation" (terraform query, Terraform 1.14 and later).
func NewTransformationListResource() list.ListResource { return &transformationListResource{} }

// transformationListResource finds the organization-level transformations
// for `terraform query`, so they can be adopted.
type transformationListResource struct {
	data *providerData
}

type transformationListModel struct {
	ElementKey types.String `tfsdk:"element_key"`
	ObjectName types.String `tfsdk:"object_name"`
}

func (r *transformationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_transformation"
}

func (r *transformationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the organization-level transformations for `terraform query` (Terraform 1.14 and later), " +
			"to adopt them. Each result is identified by its `element_key` and `object_name` (its resource identity) and named " +
			"`<element_key>/<object_name>`. `terraform query -generate-config-out=FILE` writes a `cloudelements_transformation` " +
			"block and an `import` block for each, with `object_name` as a literal name: refer to the common resource " +
			"(`cloudelements_common_resource.<label>.name`) once it is adopted too, so the transformation is planned after it " +
			"and destroyed before it. Account- and instance-level transformations are not listed. With `element_key`, the " +
			"element's transformations are read in one request (`GET /organizations/elements/{key}/transformations`); " +
			"otherwise each common resource's (`GET /organizations/objects/{name}/transformations`), every common resource's " +
			"without `config`.",
		Attributes: map[string]listschema.Attribute{
			"element_key": listschema.StringAttribute{
				MarkdownDescription: "Only the transformations of this element, such as `sfdc` (or a custom element's key).",
				Optional:            true,
				Validators:          vdrNameValidators("element key"),
			},
			"object_name": listschema.StringAttribute{
				MarkdownDescription: "Only the transformations of this common resource.",
				Optional:            true,
				Validators:          vdrNameValidators("object name"),
			},
		},
	}
}

func (r *transformationListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// transformationRef names one transformation; t is its body when the
// listing carried it.
type transformationRef struct {
	key, name string
	t         *cloudelements.Transformation
}

func (r *transformationListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m transformationListModel
	if !listConfig(ctx, req, stream, r.data, "Listing transformations", &m) {
		return
	}
	find := func(ctx context.Context) ([]transformationRef, error) {
		return r.find(ctx, m.ElementKey.ValueString(), m.ObjectName.ValueString())
	}
	stream.Results = listResults(ctx, req, "Transformations", find, func(ctx context.Context, ref *transformationRef) (list.ListResult, bool) {
		return r.result(ctx, req, *ref), true
	})
}

// find lists the organization-level transformations the filters ask for,
// sorted by element key and object name.
func (r *transformationListResource) find(ctx context.Context, key, name string) ([]transformationRef, error) {
	var refs []transformationRef
	if key != "" {
		byName, err := r.data.client.ListElementTransformations(ctx, key)
		if err != nil {
			return nil, err
		}
		for n, t := range byName {
			if (name == "" || n == name) && organizationLevel(t.Level) {
				refs = append(refs, transformationRef{key: key, name: n, t: t})
			}
		}
	} else {
		names := []string{name}
		if name == "" {
			defs, err := r.data.client.ListObjectDefinitions(ctx)
			if err != nil {
				return nil, err
			}
			names = slices.Sorted(maps.Keys(defs))
		}
		for _, n := range names {
			mapped, err := r.data.client.ListObjectTransformations(ctx, n)
			if err != nil {
				return nil, err
			}
			for _, o := range mapped {
				if o.Key() != "" && organizationLevel(o.Level) {
					refs = append(refs, transformationRef{key: o.Key(), name: n})
				}
			}
		}
	}
	sort.Slice(refs, func(i, j int) bool {
		if refs[i].key != refs[j].key {
			return refs[i].key < refs[j].key
		}
		return refs[i].name < refs[j].name
	})
	return refs, nil
}

// organizationLevel reports whether an answer's level is the organization's
// (or not said).
func organizationLevel(level string) bool {
	return level == "" || level == cloudelements.LevelOrganization
}

// result is one transformation as a list result: its identity, and, when
// Terraform asks for it, the resource object an import would give.
func (r *transformationListResource) result(ctx context.Context, req list.ListRequest, ref transformationRef) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = ref.key + "/" + ref.name
	id := transformationIdentity{ElementKey: types.StringValue(ref.key), ObjectName: types.StringValue(ref.name)}
	res.Diagnostics.Append(res.Identity.Set(ctx, id)...)
	if !req.IncludeResource || res.Diagnostics.HasError() {
		return res
	}
	t := ref.t
	if t == nil {
		got, err := r.data.client.GetTransformation(ctx, ref.key, ref.name)
		if err != nil {
			res.Diagnostics.AddError("Error Reading Cloud Elements Transformation",
				fmt.Sprintf("Could not read the %q transformation of common resource %q: %s", ref.key, ref.name, err))
			return res
		}
		t = got
	}
	m := transformationModel{ElementKey: id.ElementKey, ObjectName: id.ObjectName,
		Configuration: jsontypes.NewNormalizedNull(), Timeouts: nullTimeouts()}
	res.Diagnostics.Append(m.refresh(ctx, t)...)
	res.Diagnostics.Append(res.Resource.Set(ctx, &m)...)
	return res
}

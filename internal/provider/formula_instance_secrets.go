// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/configkeys"
)

// A formula instance's variable values can be secrets: the API key a
// value variable feeds to an httpRequest step. They go in
// sensitive_configuration (hidden in plans, stored in state) or
// sensitive_configuration_wo (never stored). The API holds every value in
// one configuration map, and a PUT replaces it whole
// (churros:src/test/platform/formulas/instances.js#L58-62), so each write
// sends every value Terraform manages plus those it leaves alone.

// privateHiddenKeys is the private-state key of the variable keys a
// formula instance's configuration attributes do not show: the write-only
// ones, and the secrets Terraform does not manage (an import leaves them
// out). Names only, never values.
const privateHiddenKeys = "hidden_keys"

type hiddenKeys struct {
	// WriteOnly are the keys last sent from sensitive_configuration_wo.
	WriteOnly []string `json:"write_only,omitempty"`
	// Unmanaged are keys whose name says they are secret that no
	// attribute manages: left out of configuration (plans would show
	// them), and sent back as the API holds them on each update.
	Unmanaged []string `json:"unmanaged,omitempty"`
}

func loadHiddenKeys(ctx context.Context, p privateState) (hiddenKeys, diag.Diagnostics) {
	var h hiddenKeys
	raw, diags := p.GetKey(ctx, privateHiddenKeys)
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &h); err != nil {
			diags.AddError("Unreadable Private State", fmt.Sprintf("The formula instance's private state is not valid: %s. This is a bug in the provider; please report it.", err))
		}
	}
	return h, diags
}

func saveHiddenKeys(ctx context.Context, p privateState, h hiddenKeys) diag.Diagnostics {
	slices.Sort(h.WriteOnly)
	slices.Sort(h.Unmanaged)
	raw, err := json.Marshal(h)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Unwritable Private State", err.Error())
		return diags
	}
	return p.SetKey(ctx, privateHiddenKeys, raw)
}

// readWriteOnlyConfiguration is sensitive_configuration_wo from the
// configuration (write-only values are never in the plan or state).
func readWriteOnlyConfiguration(ctx context.Context, cfg tfsdk.Config) (map[string]string, diag.Diagnostics) {
	var m types.Map
	diags := cfg.GetAttribute(ctx, path.Root("sensitive_configuration_wo"), &m)
	out := map[string]string{}
	diags.Append(mergeStringMap(ctx, m, out)...)
	return out, diags
}

// splitConfiguration sets configuration and sensitive_configuration from
// the values the API holds (cfg, nil when the answer left them out),
// keeping the prior form: a key in sensitive_configuration stays there (and
// keeps its prior value when the API masks it); hidden keys are in
// neither; a secret-named key no attribute manages becomes hidden (it is
// returned in unmanaged), so no plan shows it; every other key is in
// configuration.
func (m *formulaInstanceResourceModel) splitConfiguration(cfg map[string]string, hidden hiddenKeys) (unmanaged []string) {
	if cfg == nil {
		return hidden.Unmanaged
	}
	priorSecret := m.SensitiveConfiguration.Elements()
	plain, secret := map[string]attr.Value{}, map[string]attr.Value{}
	for _, k := range slices.Sorted(maps.Keys(cfg)) {
		v := cfg[k]
		_, wasPlain := m.Configuration.Elements()[k]
		switch prior, wasSecret := priorSecret[k]; {
		case wasSecret && v == cloudelements.MaskedValue:
			secret[k] = prior
		case wasSecret:
			secret[k] = types.StringValue(v)
		case slices.Contains(hidden.WriteOnly, k):
		case slices.Contains(hidden.Unmanaged, k) || (!wasPlain && configkeys.Secret(k)):
			unmanaged = append(unmanaged, k)
		default:
			plain[k] = types.StringValue(v)
		}
	}
	if len(plain) > 0 || !m.Configuration.IsNull() {
		m.Configuration = types.MapValueMust(types.StringType, plain)
	}
	if !m.SensitiveConfiguration.IsNull() {
		m.SensitiveConfiguration = types.MapValueMust(types.StringType, secret)
	}
	return unmanaged
}

// unmanagedValues reads the values of the unmanaged secret keys, to send
// them back unchanged: the PUT replaces the whole configuration. A value
// the API masks cannot be sent back; that is an error naming the key.
func (r *formulaInstanceResource) unmanagedValues(ctx context.Context, formulaID, id int64, keys []string, managed map[string]string) (map[string]string, error) {
	out := map[string]string{}
	var pending []string
	for _, k := range keys {
		if _, ok := managed[k]; !ok {
			pending = append(pending, k)
		}
	}
	if len(pending) == 0 {
		return out, nil
	}
	in, err := r.data.client.GetFormulaInstance(ctx, formulaID, id)
	if err != nil {
		return nil, fmt.Errorf("reading the values it holds for %s, which Terraform does not manage, failed: %w", quoteList(pending), err)
	}
	for _, k := range pending {
		v, ok := in.Configuration[k]
		switch {
		case !ok:
		case v == cloudelements.MaskedValue:
			return nil, fmt.Errorf("the API masks the value of %q, which Terraform does not manage, so the update (which replaces "+
				"the whole configuration) cannot send it back: set it in sensitive_configuration or sensitive_configuration_wo", k)
		default:
			out[k] = v
		}
	}
	return out, nil
}

// lostCreate finds the formula instance a create whose answer was lost may
// have made. The API keeps no unique key for formula instances, so the rule
// is: an instance of the same formula, with the same name, created in the
// last adoptWindow, holding the variable values the create sent (a value
// the API masks is not compared). It is safe because an instance made by
// someone else matches only if it is alike in all of these; two or more
// that match are named for the user to choose from, never adopted.
func (r *formulaInstanceResource) lostCreate(formulaID int64, name string, sent map[string]string) lostCreate[*cloudelements.FormulaInstance] {
	what := fmt.Sprintf("instance of formula %d named %q", formulaID, name)
	return lostCreate[*cloudelements.FormulaInstance]{
		kind: "Formula Instance",
		one:  "formula " + what,
		many: fmt.Sprintf("formula instances of formula %d named %q", formulaID, name),
		find: func(ctx context.Context) ([]*cloudelements.FormulaInstance, error) {
			found, err := r.data.client.ListFormulaInstances(ctx, formulaID)
			if err != nil {
				return nil, err
			}
			var out []*cloudelements.FormulaInstance
			now := time.Now()
			for i := range found {
				fi := &found[i]
				if fi.Name != name || !createdRecently(fi.CreatedDate, now, adoptWindow) {
					continue
				}
				if fi.Configuration == nil { // the list may leave the values out
					if fi, err = r.data.client.GetFormulaInstance(ctx, formulaID, fi.ID); errors.Is(err, cloudelements.ErrNotFound) {
						continue
					} else if err != nil {
						return nil, err
					}
				}
				if holdsValues(fi.Configuration, sent) {
					out = append(out, fi)
				}
			}
			return out, nil
		},
		id:      func(fi *cloudelements.FormulaInstance) string { return strconv.FormatInt(fi.ID, 10) },
		created: func(fi *cloudelements.FormulaInstance) string { return fi.CreatedDate },
	}
}

// holdsValues reports whether got holds exactly the keys of sent, with the
// same values where the API shows them.
func holdsValues(got, sent map[string]string) bool {
	if len(got) != len(sent) {
		return false
	}
	for k, v := range sent {
		g, ok := got[k]
		if !ok || (g != v && g != cloudelements.MaskedValue) {
			return false
		}
	}
	return true
}

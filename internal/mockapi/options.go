// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package mockapi

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// The readings of behaviour no public source settles (SPEC.md). The zero
// value of each Options field is its default reading.

// PatchNullMode is what a JSON null does to a configuration key in
// PATCH /instances/{id}.
type PatchNullMode string

const (
	PatchNullRemove PatchNullMode = "remove" // default: the key is removed
	PatchNullIgnore PatchNullMode = "ignore" // the key keeps its value
	PatchNullReset  PatchNullMode = "reset"  // back to the element's default, else removed
)

// PutAbsentMode is what happens to configuration keys a PUT /instances/{id}
// body leaves out.
type PutAbsentMode string

const (
	PutAbsentRemove PutAbsentMode = "remove" // default: full replace, then defaults re-added
	PutAbsentKeep   PutAbsentMode = "keep"   // they keep their values
)

// TagsFilterMode is how GET /instances matches several tags[] values.
type TagsFilterMode string

const (
	TagsFilterAll    TagsFilterMode = "all"    // default: an instance carries every given tag
	TagsFilterAny    TagsFilterMode = "any"    // ... at least one of them
	TagsFilterIgnore TagsFilterMode = "ignore" // tags[] is ignored
)

// SearchTextMode is whether GET /instances honours searchText.
type SearchTextMode string

const (
	SearchTextHonour SearchTextMode = "honour" // default: case-insensitive substring of the name
	SearchTextIgnore SearchTextMode = "ignore" // searchText is ignored
)

// PagingMode is how GET /instances pages.
type PagingMode string

const (
	PagingCursor      PagingMode = "cursor"       // default: a next-page token only when more items follow
	PagingNone        PagingMode = "none"         // every item at once, no paging headers
	PagingAlwaysToken PagingMode = "always-token" // a token on every page, the last then followed by an empty page
)

// ListEntriesMode is what an entry of GET /instances carries, against what
// GET /instances/{id} answers for the same instance.
type ListEntriesMode string

const (
	ListEntriesFull            ListEntriesMode = "full"             // default: the same object
	ListEntriesNoConfiguration ListEntriesMode = "no-configuration" // "configuration": null
	ListEntriesMasked          ListEntriesMode = "masked"           // every configuration value "********"
)

// FormulaPutMode is what PUT /formulas/{id} does to top-level keys
// (steps, triggers, configuration, description, ...) the body leaves out.
type FormulaPutMode string

const (
	FormulaPutReplace FormulaPutMode = "replace" // default: whole replacement, left-out keys are removed (or defaulted)
	FormulaPutKeep    FormulaPutMode = "keep"    // left-out keys keep their stored values
)

// FormulaStepOrderMode is the order in which a formula's steps come back.
type FormulaStepOrderMode string

const (
	FormulaStepsByName FormulaStepOrderMode = "name" // default: sorted by step name
	FormulaStepsAsSent FormulaStepOrderMode = "sent" // in the order sent
)

// FormulaSettingsMode is what PUT /formulas/{id}/instances/{instanceId} does
// to settings.
type FormulaSettingsMode string

const (
	FormulaSettingsReplace FormulaSettingsMode = "replace" // default: settings sent replace all (absent -> {})
	FormulaSettingsMerge   FormulaSettingsMode = "merge"   // keys sent are set (null removes), others kept
)

// FormulaUnknownKeysMode is what a formula instance configuration key that
// is not a variable of the formula does.
type FormulaUnknownKeysMode string

const (
	FormulaUnknownKeysReject FormulaUnknownKeysMode = "reject" // default: 400
	FormulaUnknownKeysAccept FormulaUnknownKeysMode = "accept" // stored like any other key
)

// ElementSecretsMode is how answers about a custom element show the default
// values of its secret configuration entries.
type ElementSecretsMode string

const (
	ElementSecretsClear   ElementSecretsMode = "clear"   // default: in clear, as the documented create answer shows them
	ElementSecretsMasked  ElementSecretsMode = "masked"  // "********", as instance answers mask secrets
	ElementSecretsOmitted ElementSecretsMode = "omitted" // no defaultValue, as the documented exports carry none
)

// ElementPutMode is what PUT /elements/{keyOrId} does to the configuration
// entries, resources and hooks its body leaves out.
type ElementPutMode string

const (
	ElementPutReplace ElementPutMode = "replace" // default: the whole element is replaced
	ElementPutMerge   ElementPutMode = "merge"   // left-out entries, resources and hooks are kept
)

// FormulaInstanceListMode is what an entry of GET /formulas/instances and
// GET /formulas/{id}/instances carries, against what GET
// /formulas/{id}/instances/{instanceId} answers for the same instance.
type FormulaInstanceListMode string

const (
	FormulaInstanceListFull     FormulaInstanceListMode = "full"     // default: the same object
	FormulaInstanceListAbridged FormulaInstanceListMode = "abridged" // no configuration and no settings
)

// Validate reports an Options field outside its documented values. New
// panics on such Options.
func (o Options) Validate() error {
	var errs []error
	errs = append(errs, o.VDRs.validate()...)
	check := func(field, v string, allowed ...string) {
		if v != "" && !slices.Contains(allowed, v) {
			errs = append(errs, fmt.Errorf("options: %s %q: want one of %q", field, v, allowed))
		}
	}
	check("PatchNull", string(o.PatchNull), string(PatchNullRemove), string(PatchNullIgnore), string(PatchNullReset))
	check("PutAbsentKeys", string(o.PutAbsentKeys), string(PutAbsentRemove), string(PutAbsentKeep))
	check("TagsFilter", string(o.TagsFilter), string(TagsFilterAll), string(TagsFilterAny), string(TagsFilterIgnore))
	check("SearchText", string(o.SearchText), string(SearchTextHonour), string(SearchTextIgnore))
	check("Paging", string(o.Paging), string(PagingCursor), string(PagingNone), string(PagingAlwaysToken))
	check("ListEntries", string(o.ListEntries), string(ListEntriesFull), string(ListEntriesNoConfiguration), string(ListEntriesMasked))
	check("FormulaPutOmitted", string(o.FormulaPutOmitted), string(FormulaPutReplace), string(FormulaPutKeep))
	check("FormulaStepOrder", string(o.FormulaStepOrder), string(FormulaStepsByName), string(FormulaStepsAsSent))
	check("FormulaSettings", string(o.FormulaSettings), string(FormulaSettingsReplace), string(FormulaSettingsMerge))
	check("FormulaUnknownKey", string(o.FormulaUnknownKey), string(FormulaUnknownKeysReject), string(FormulaUnknownKeysAccept))
	check("ElementSecrets", string(o.ElementSecrets), string(ElementSecretsClear), string(ElementSecretsMasked), string(ElementSecretsOmitted))
	check("ElementPut", string(o.ElementPut), string(ElementPutReplace), string(ElementPutMerge))
	if o.ElementInUseStatus != 0 && o.ElementInUseStatus != -1 && (o.ElementInUseStatus < 400 || o.ElementInUseStatus > 499) {
		errs = append(errs, fmt.Errorf("Options.ElementInUseStatus %d: want 0, -1 or a 4xx status", o.ElementInUseStatus))
	}
	check("FormulaInstanceList", string(o.FormulaInstanceList), string(FormulaInstanceListFull), string(FormulaInstanceListAbridged))
	if o.CatalogStatus != 0 && (o.CatalogStatus < 100 || o.CatalogStatus > 599) {
		errs = append(errs, fmt.Errorf("Options.CatalogStatus %d: want 0 or an HTTP status", o.CatalogStatus))
	}
	return errors.Join(errs...)
}

// readings is the resolved set of readings a Server uses.
type readings struct {
	patchNull      PatchNullMode
	putAbsent      PutAbsentMode
	tagsFilter     TagsFilterMode
	searchText     SearchTextMode
	paging         PagingMode
	listEntries    ListEntriesMode
	emptySearch404 bool
	catalogStatus  int

	formulaPutOmitted       FormulaPutMode
	formulaStepOrder        FormulaStepOrderMode
	formulaInstanceSettings FormulaSettingsMode
	formulaUnknownKeys      FormulaUnknownKeysMode
	formulaInstanceList     FormulaInstanceListMode
	emptyFormulas404        bool

	elementSecrets ElementSecretsMode
	elementPut     ElementPutMode
	elementInUse   int // 0: a delete with instances succeeds
}

func newReadings(o Options) readings {
	r := readings{patchNull: o.PatchNull, putAbsent: o.PutAbsentKeys, tagsFilter: o.TagsFilter,
		searchText: o.SearchText, paging: o.Paging, emptySearch404: true, catalogStatus: o.CatalogStatus}
	if r.patchNull == "" {
		r.patchNull = PatchNullRemove
	}
	if r.putAbsent == "" {
		r.putAbsent = PutAbsentRemove
	}
	if r.tagsFilter == "" {
		r.tagsFilter = TagsFilterAll
	}
	if r.searchText == "" {
		r.searchText = SearchTextHonour
	}
	if r.paging == "" {
		r.paging = PagingCursor
	}
	r.listEntries = cmp.Or(o.ListEntries, ListEntriesFull)
	r.formulaPutOmitted = cmp.Or(o.FormulaPutOmitted, FormulaPutReplace)
	r.formulaStepOrder = cmp.Or(o.FormulaStepOrder, FormulaStepsByName)
	r.formulaInstanceSettings = cmp.Or(o.FormulaSettings, FormulaSettingsReplace)
	r.formulaUnknownKeys = cmp.Or(o.FormulaUnknownKey, FormulaUnknownKeysReject)
	r.elementSecrets = cmp.Or(o.ElementSecrets, ElementSecretsClear)
	r.elementPut = cmp.Or(o.ElementPut, ElementPutReplace)
	switch o.ElementInUseStatus {
	case 0:
		r.elementInUse = http.StatusConflict
	case -1:
	default:
		r.elementInUse = o.ElementInUseStatus
	}
	r.formulaInstanceList = cmp.Or(o.FormulaInstanceList, FormulaInstanceListFull)
	r.emptyFormulas404 = o.EmptyFormulas404 == nil || *o.EmptyFormulas404
	if o.EmptySearch404 != nil {
		r.emptySearch404 = *o.EmptySearch404
	}
	return r
}

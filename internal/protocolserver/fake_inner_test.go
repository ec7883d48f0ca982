// Copyright (c) The terraform-provider-cloudelements authors
// SPDX-License-Identifier: MPL-2.0

package protocolserver

// Generated once from server.go's method list; TestCoversTheFrameworkServer
// and the interface assertions keep the wrapper complete, and
// TestForwardsEveryMethod fails on a wrapper method this file lacks.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

func (f *fakeInner) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	f.rec("StopProvider")
	return &tfprotov6.StopProviderResponse{}, nil
}

func (f *fakeInner) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	f.rec("GetMetadata")
	return &tfprotov6.GetMetadataResponse{}, nil
}

func (f *fakeInner) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	f.rec("GetProviderSchema")
	return &tfprotov6.GetProviderSchemaResponse{}, nil
}

func (f *fakeInner) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	f.rec("GetResourceIdentitySchemas")
	return &tfprotov6.GetResourceIdentitySchemasResponse{}, nil
}

func (f *fakeInner) ValidateProviderConfig(context.Context, *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	f.rec("ValidateProviderConfig")
	return &tfprotov6.ValidateProviderConfigResponse{}, nil
}

func (f *fakeInner) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	f.rec("ConfigureProvider")
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

func (f *fakeInner) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	f.rec("ValidateResourceConfig")
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

func (f *fakeInner) UpgradeResourceState(context.Context, *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	f.rec("UpgradeResourceState")
	return &tfprotov6.UpgradeResourceStateResponse{}, nil
}

func (f *fakeInner) ReadResource(context.Context, *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	f.rec("ReadResource")
	return &tfprotov6.ReadResourceResponse{}, nil
}

func (f *fakeInner) PlanResourceChange(context.Context, *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	f.rec("PlanResourceChange")
	return &tfprotov6.PlanResourceChangeResponse{}, nil
}

func (f *fakeInner) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	f.rec("ApplyResourceChange")
	return &tfprotov6.ApplyResourceChangeResponse{}, nil
}

func (f *fakeInner) ImportResourceState(context.Context, *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	f.rec("ImportResourceState")
	return &tfprotov6.ImportResourceStateResponse{}, nil
}

func (f *fakeInner) MoveResourceState(context.Context, *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	f.rec("MoveResourceState")
	return &tfprotov6.MoveResourceStateResponse{}, nil
}

func (f *fakeInner) UpgradeResourceIdentity(context.Context, *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	f.rec("UpgradeResourceIdentity")
	return &tfprotov6.UpgradeResourceIdentityResponse{}, nil
}

func (f *fakeInner) GenerateResourceConfig(context.Context, *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	f.rec("GenerateResourceConfig")
	return &tfprotov6.GenerateResourceConfigResponse{}, nil
}

func (f *fakeInner) ValidateDataResourceConfig(context.Context, *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	f.rec("ValidateDataResourceConfig")
	return &tfprotov6.ValidateDataResourceConfigResponse{}, nil
}

func (f *fakeInner) ReadDataSource(context.Context, *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	f.rec("ReadDataSource")
	return &tfprotov6.ReadDataSourceResponse{}, nil
}

func (f *fakeInner) CallFunction(context.Context, *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	f.rec("CallFunction")
	return &tfprotov6.CallFunctionResponse{}, nil
}

func (f *fakeInner) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	f.rec("GetFunctions")
	return &tfprotov6.GetFunctionsResponse{}, nil
}

func (f *fakeInner) ValidateEphemeralResourceConfig(context.Context, *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	f.rec("ValidateEphemeralResourceConfig")
	return &tfprotov6.ValidateEphemeralResourceConfigResponse{}, nil
}

func (f *fakeInner) OpenEphemeralResource(context.Context, *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	f.rec("OpenEphemeralResource")
	return &tfprotov6.OpenEphemeralResourceResponse{}, nil
}

func (f *fakeInner) RenewEphemeralResource(context.Context, *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	f.rec("RenewEphemeralResource")
	return &tfprotov6.RenewEphemeralResourceResponse{}, nil
}

func (f *fakeInner) CloseEphemeralResource(context.Context, *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	f.rec("CloseEphemeralResource")
	return &tfprotov6.CloseEphemeralResourceResponse{}, nil
}

func (f *fakeInner) ValidateListResourceConfig(context.Context, *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	f.rec("ValidateListResourceConfig")
	return &tfprotov6.ValidateListResourceConfigResponse{}, nil
}

func (f *fakeInner) ListResource(context.Context, *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	f.rec("ListResource")
	return &tfprotov6.ListResourceServerStream{Results: oneItem[tfprotov6.ListResourceResult]()}, nil
}

func (f *fakeInner) ValidateActionConfig(context.Context, *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	f.rec("ValidateActionConfig")
	return &tfprotov6.ValidateActionConfigResponse{}, nil
}

func (f *fakeInner) PlanAction(context.Context, *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	f.rec("PlanAction")
	return &tfprotov6.PlanActionResponse{}, nil
}

func (f *fakeInner) InvokeAction(context.Context, *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	f.rec("InvokeAction")
	return &tfprotov6.InvokeActionServerStream{Events: oneItem[tfprotov6.InvokeActionEvent]()}, nil
}

func (f *fakeInner) ValidateStateStoreConfig(context.Context, *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	f.rec("ValidateStateStoreConfig")
	return &tfprotov6.ValidateStateStoreConfigResponse{}, nil
}

func (f *fakeInner) ConfigureStateStore(context.Context, *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	f.rec("ConfigureStateStore")
	return &tfprotov6.ConfigureStateStoreResponse{}, nil
}

func (f *fakeInner) ReadStateBytes(context.Context, *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	f.rec("ReadStateBytes")
	return &tfprotov6.ReadStateBytesStream{Chunks: oneItem[tfprotov6.ReadStateByteChunk]()}, nil
}

func (f *fakeInner) WriteStateBytes(context.Context, *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	f.rec("WriteStateBytes")
	return &tfprotov6.WriteStateBytesResponse{}, nil
}

func (f *fakeInner) GetStates(context.Context, *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	f.rec("GetStates")
	return &tfprotov6.GetStatesResponse{}, nil
}

func (f *fakeInner) DeleteState(context.Context, *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	f.rec("DeleteState")
	return &tfprotov6.DeleteStateResponse{}, nil
}

func (f *fakeInner) LockState(context.Context, *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	f.rec("LockState")
	return &tfprotov6.LockStateResponse{}, nil
}

func (f *fakeInner) UnlockState(context.Context, *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	f.rec("UnlockState")
	return &tfprotov6.UnlockStateResponse{}, nil
}

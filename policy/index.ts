// The pack entry the Pulumi CLI runs (`pulumi preview --policy-pack ./policy`). Constructing the
// PolicyPack starts its gRPC server, so nothing else may import this file.
import { PolicyPack } from "@pulumi/policy";
import { policies, policyPackName } from "./policies";

new PolicyPack(policyPackName, { policies });

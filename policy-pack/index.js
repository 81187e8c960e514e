// The policy pack as installed: `pulumi preview --policy-pack node_modules/pulumi-confluent-iam/policy-pack`.
// Plain JavaScript over the compiled policies (dist/policy), so it runs from node_modules with no install
// or build step. @pulumi/policy (a dependency of this package) and @pulumi/pulumi (the project's) are found
// in the project's node_modules by the usual lookup from this folder upwards.
"use strict";
const { PolicyPack } = require("@pulumi/policy");
const { policies, policyPackName } = require("../dist/policy/policies");

new PolicyPack(policyPackName, { policies });

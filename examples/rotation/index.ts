// Rotation: the orders consumer's Cloud API key is replaced every 30 days without an outage. A scheduled
// job runs `pulumi up` daily; the up on the day a rotation is due makes a new key, waits until it
// authenticates, makes it `active` and keeps the former one as `previous` for the overlap (7 days), and the
// up after the overlap deletes it. Consumers read `active` from the stack outputs below (or from a secret
// store the program writes it to) and must pick it up within the overlap.
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();

const consumer = new confluentcloud.ServiceAccount("orders-consumer", {
  displayName: "orders-consumer",
  description: "Reads the orders topics",
});

const key = new confluentcloud.ApiKeyRotation("orders-consumer-key", {
  displayName: "orders-consumer",
  description: "Cloud API key of the orders consumer, rotated",
  owner: { id: consumer.id, apiVersion: consumer.apiVersion, kind: consumer.kind },
  rotationPeriod: config.get("rotationPeriod") ?? "P30D",
  // What the overlap must cover: the longest time a consumer needs to pick up a new secret (its redeploy),
  // with a margin, plus the days a failed scheduled job may stay unnoticed.
  overlap: config.get("overlap") ?? "P7D",
  // Change it (pulumi config set rotationTrigger <anything new>) to rotate now, e.g. after a suspected leak.
  rotationTrigger: config.get("rotationTrigger"),
});

// What consumers use: `active` is a Pulumi secret (masked in output, encrypted in state). Read it with
// `pulumi stack output activeApiKey --show-secrets` in the consumer's deploy job, or pass the Output to a
// secret store resource, e.g. with @pulumi/aws:
//   new aws.secretsmanager.SecretVersion("orders-consumer-key", {
//     secretId: ordersConsumerSecret.id,
//     secretString: key.active.apply((a) => JSON.stringify({ key: a.id, secret: a.secret })),
//   });
export const activeApiKey = key.active.apply((a) => a.id);
export const activeApiSecret = key.active.apply((a) => a.secret);
// While it lives, the former key still works: consumers that have not redeployed keep authenticating.
export const previousApiKey = key.previous.apply((p) => p?.id ?? "");
export const nextRotationAt = key.nextRotationAt;

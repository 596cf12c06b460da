/**
 * `serverless package` (osls, offline, dummy credentials) on the real serverless.yml and bundles,
 * then checks the generated CloudFormation template for what a government deployment needs.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GSI_BY_PARENT, GSI_UPLOADS, tableDefinition } from "../../lib/aws/table.ts";
import { triggerOf, UPLOAD_FORMATS } from "../../lib/objects.ts";

const run = promisify(execFile);

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown };
let dir: string;
let template: { Resources: Record<string, Resource> };
let text: string;

function resources(type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

function statements(role: Resource): { Effect: string; Action: string[]; Resource: unknown }[] {
  const policies = role.Properties.Policies as { PolicyDocument: { Statement: unknown[] } }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement) as {
    Effect: string;
    Action: string[];
    Resource: unknown;
  }[];
}

beforeAll(async () => {
  // No build step here: the local plugin in serverless.yml builds the bundles before packaging.
  await rm(join(process.cwd(), ".build"), { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), "dangjian-pkg-"));
  await run("npx", ["serverless", "package", "--stage", "ci", "--region", "cn-north-1", "--package", dir], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: "dummy",
      AWS_SECRET_ACCESS_KEY: "dummy",
      SLS_TELEMETRY_DISABLED: "1",
      SLS_NOTIFICATIONS_MODE: "off",
    },
    maxBuffer: 1 << 24,
  });
  text = await readFile(join(dir, "cloudformation-template-update-stack.json"), "utf8");
  template = JSON.parse(text);
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("serverless package", () => {
  it("runs every function on nodejs22.x with a role of its own", () => {
    const fns = resources("AWS::Lambda::Function");
    expect(fns.map(([id]) => id).sort()).toEqual([
      "ApiLambdaFunction",
      "AssetsLambdaFunction",
      "AuthorizerLambdaFunction",
      "BulletinLambdaFunction",
      "CheckLambdaFunction",
      "FailedLambdaFunction",
      "RegistryLambdaFunction",
      "RemindLambdaFunction",
      "ValidateLambdaFunction",
    ]);
    const roles = new Set<string>();
    for (const [, fn] of fns) {
      expect(fn.Properties.Runtime).toBe("nodejs22.x");
      roles.add(JSON.stringify(fn.Properties.Role));
    }
    expect(roles.size).toBe(9);
  });

  it("keeps the data bucket private, versioned, encrypted and TLS-only", () => {
    const bucket = template.Resources.S3BucketData as Resource;
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: "Enabled" });
    expect(JSON.stringify(bucket.Properties.BucketEncryption)).toContain("SSEAlgorithm");
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(JSON.stringify(bucket.Properties.OwnershipControls)).toContain("BucketOwnerEnforced");
    const policy = JSON.stringify(template.Resources.DataBucketPolicy?.Properties);
    expect(policy).toContain('"Effect":"Deny"');
    expect(policy).toContain('"aws:SecureTransport":"false"');
  });

  it("triggers validation only under incoming/, where no output is ever written", () => {
    const bucket = template.Resources.S3BucketData as Resource;
    const configs = (bucket.Properties.NotificationConfiguration as { LambdaConfigurations: unknown[] })
      .LambdaConfigurations;
    const rules = configs.map((c) => JSON.stringify(c));
    expect(rules.some((r) => r.includes("ValidateLambdaFunction") && r.includes('"Value":"incoming/"'))).toBe(
      true,
    );
    for (const prefix of ["reports/", "bulletins/"])
      expect(rules.some((r) => r.includes(`"Value":"${prefix}`))).toBe(false);
  });

  it("triggers validation for every upload format the key layout has, each under incoming/", () => {
    const bucket = template.Resources.S3BucketData as Resource;
    const configs = (
      bucket.Properties.NotificationConfiguration as {
        LambdaConfigurations: {
          Function: unknown;
          Filter: { S3Key: { Rules: { Name: string; Value: string }[] } };
        }[];
      }
    ).LambdaConfigurations.filter((c) => JSON.stringify(c.Function).includes("ValidateLambdaFunction"));
    const suffixes = configs.map((c) => {
      const rules = c.Filter.S3Key.Rules;
      expect(rules.find((r) => r.Name.toLowerCase() === "prefix")?.Value).toBe("incoming/");
      return rules.find((r) => r.Name.toLowerCase() === "suffix")?.Value;
    });
    expect(suffixes.sort()).toEqual(UPLOAD_FORMATS.map((f) => `.${f}`).sort());
    // S3 refuses overlapping rules: no suffix may end another one.
    for (const a of suffixes) for (const b of suffixes) if (a !== b) expect(a?.endsWith(b ?? "")).toBe(false);
    // And the local runner's trigger rules say the same.
    for (const f of UPLOAD_FORMATS) expect(triggerOf(`incoming/001/2026-10/abcdef.${f}`)).toBe("validate");
    expect(triggerOf("incoming/001/2026-10/abcdef.pdf")).toBeUndefined();
  });

  it("uses one on-demand table with point-in-time recovery", () => {
    const tables = resources("AWS::DynamoDB::Table");
    expect(tables).toHaveLength(1);
    const [, table] = tables[0] as [string, Resource];
    expect(table.Properties.BillingMode).toBe("PAY_PER_REQUEST");
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it("declares exactly the table the local stack creates: keys, attributes, indexes and projections", () => {
    const [, table] = resources("AWS::DynamoDB::Table")[0] as [string, Resource];
    const deployed = table.Properties as Record<string, unknown>;
    const local = tableDefinition("any") as unknown as Record<string, unknown>;
    type Attribute = { AttributeName: string; AttributeType: string };
    type Index = { IndexName: string; KeySchema: unknown; Projection: unknown };
    const byName = (list: unknown) =>
      [...((list ?? []) as Attribute[])].sort((a, b) => a.AttributeName.localeCompare(b.AttributeName));
    const indexes = (list: unknown) =>
      [...((list ?? []) as Index[])]
        .map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection }))
        .sort((a, b) => a.IndexName.localeCompare(b.IndexName));
    expect(byName(deployed.AttributeDefinitions)).toEqual(byName(local.AttributeDefinitions));
    expect(deployed.KeySchema).toEqual(local.KeySchema);
    expect(indexes(deployed.GlobalSecondaryIndexes)).toEqual(indexes(local.GlobalSecondaryIndexes));
    expect(indexes(local.GlobalSecondaryIndexes).map((i) => i.IndexName)).toEqual([
      GSI_BY_PARENT,
      GSI_UPLOADS,
    ]);
    expect(deployed.LocalSecondaryIndexes).toEqual(local.LocalSecondaryIndexes);
    expect(deployed.BillingMode).toBe(local.BillingMode);
  });

  it("sends failed asynchronous events (S3, schedule) to the dead-letter queue", () => {
    const configs = resources("AWS::Lambda::EventInvokeConfig").map(([, r]) => r.Properties);
    const targets = configs.map((c) => JSON.stringify(c.FunctionName));
    for (const fn of [
      "ValidateLambdaFunction",
      "RegistryLambdaFunction",
      "BulletinLambdaFunction",
      "RemindLambdaFunction",
    ]) {
      const config = configs[targets.findIndex((t) => t.includes(fn))];
      expect(JSON.stringify(config?.DestinationConfig)).toContain("DeadLetterQueue");
    }
    // The bulletin (monthly) and 催报 (daily) schedules.
    expect(resources("AWS::Events::Rule")).toHaveLength(2);
  });

  it("grants no wildcard actions and no wildcard S3 or DynamoDB resources", () => {
    for (const [id, role] of resources("AWS::IAM::Role")) {
      for (const st of statements(role)) {
        for (const action of st.Action) {
          expect(action, id).not.toBe("*");
          expect(action.endsWith(":*"), `${id} ${action}`).toBe(false);
        }
        if (st.Action.some((a) => a.startsWith("s3:") || a.startsWith("dynamodb:"))) {
          const targets = JSON.stringify(st.Resource);
          // Not everything ("*"), not every bucket (":::*"), not a whole bucket ("…:::bucket/*").
          expect(targets, id).not.toMatch(/^"\*"$|"\*"|:::\*|:::[^/"]+\/\*"/);
        }
      }
    }
  });

  it("hard-codes no partition, so aws-cn works, and resolved every variable offline", () => {
    expect(text).not.toContain("arn:aws:");
    expect(text).toContain("AWS::Partition}:");
    expect(text).not.toMatch(/\$\{(ssm|cf|aws:accountId)/);
  });

  it("keeps each zipped function within 1.5 MB, fonts aside", async () => {
    for (const fn of ["validate", "registry", "api", "authorizer", "failed", "assets", "check", "remind"]) {
      expect((await stat(join(dir, `${fn}.zip`))).size, fn).toBeLessThan(1.5 * 1024 * 1024);
    }
    // The bulletin zip carries whole TTF fonts; Lambda's limit for a direct upload is 50 MB.
    expect((await stat(join(dir, "bulletin.zip"))).size).toBeLessThan(50 * 1024 * 1024);
  });

  it("tells editors (送审稿) and leadership (issued bulletins) on separate topics only the bulletin function publishes to", () => {
    const topics = resources("AWS::SNS::Topic").map(([id]) => id);
    expect(topics).toEqual(expect.arrayContaining(["BulletinTopic", "BulletinEditorsTopic"]));
    const env = (template.Resources.BulletinLambdaFunction as Resource).Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(env.Variables.BULLETIN_TOPIC_ARN).toEqual({ Ref: "BulletinTopic" });
    expect(env.Variables.BULLETIN_EDITORS_TOPIC_ARN).toEqual({ Ref: "BulletinEditorsTopic" });
    for (const [id, role] of resources("AWS::IAM::Role")) {
      const publish = statements(role).filter((st) => st.Action.includes("sns:Publish"));
      const targets = JSON.stringify(publish.map((st) => st.Resource));
      if (id === "BulletinRole") {
        expect(targets).toContain('"Ref":"BulletinTopic"');
        expect(targets).toContain('"Ref":"BulletinEditorsTopic"');
      } else {
        expect(targets, id).not.toMatch(/Bulletin(Editors)?Topic/);
      }
    }
  });

  it("lets the API record edits and 签发 (conditional updates, and the 签发 transaction over the 期号 counter)", () => {
    const api = statements(template.Resources.ApiRole as Resource);
    const actions = api.flatMap((st) => st.Action);
    expect(actions).toEqual(expect.arrayContaining(["dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"]));
  });

  it("keeps the data bucket when the stack is deleted or the bucket replaced, like the table", () => {
    const raw = JSON.parse(text) as {
      Resources: Record<string, { DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
    };
    expect(raw.Resources.S3BucketData?.DeletionPolicy).toBe("Retain");
    expect(raw.Resources.S3BucketData?.UpdateReplacePolicy).toBe("Retain");
    const [[tableId]] = resources("AWS::DynamoDB::Table") as [[string, Resource]];
    expect(raw.Resources[tableId]?.DeletionPolicy).toBe("Retain");
  });

  it("locks the deployment bucket down: no public access, versioned, encrypted, TLS only", () => {
    const bucket = template.Resources.ServerlessDeploymentBucket as Resource;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: "Enabled" });
    expect(JSON.stringify(bucket.Properties.BucketEncryption)).toContain("AES256");
    const policy = JSON.stringify(template.Resources.ServerlessDeploymentBucketPolicy?.Properties);
    expect(policy).toContain('"Effect":"Deny"');
    expect(policy).toContain("aws:SecureTransport");
  });

  it("writes an access log of the HTTP API with the key's public id, never the key", () => {
    const [[, stage]] = resources("AWS::ApiGatewayV2::Stage") as [[string, Resource]];
    const settings = stage.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(settings.DestinationArn).toBeDefined();
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toMatchObject({
      keyId: "$context.authorizer.keyId",
      status: "$context.status",
      path: "$context.path",
    });
    expect(settings.Format).not.toMatch(/authorization|x-api-key|identity\.apiKey/i);
  });

  it("fires the registry import only for registry/units.csv (registry/units-old.csv must not replace it)", () => {
    const bucket = template.Resources.S3BucketData as Resource;
    const configs = (bucket.Properties.NotificationConfiguration as { LambdaConfigurations: unknown[] })
      .LambdaConfigurations;
    const registry = configs
      .map((c) => JSON.stringify(c))
      .filter((r) => r.includes("RegistryLambdaFunction"));
    expect(registry).toHaveLength(1);
    expect(registry[0]).toContain('"Value":"registry/units.csv"');
  });

  it("marks dead events' uploads failed and alarms ops on any dead-letter message", () => {
    const mappings = resources("AWS::Lambda::EventSourceMapping").map(([, r]) =>
      JSON.stringify(r.Properties),
    );
    expect(mappings.some((m) => m.includes("DeadLetterQueue") && m.includes("FailedLambdaFunction"))).toBe(
      true,
    );
    const alarms = resources("AWS::CloudWatch::Alarm").map(([, r]) => r.Properties);
    const alarm = alarms.find((a) => JSON.stringify(a.Dimensions).includes("DeadLetterQueue"));
    expect(alarm?.MetricName).toBe("NumberOfMessagesSent");
    expect(alarm?.Threshold).toBe(1);
    expect(JSON.stringify(alarm?.AlarmActions)).toContain("OpsAlertTopic");
    expect(resources("AWS::SNS::Topic").map(([id]) => id)).toContain("OpsAlertTopic");
  });
});

describe("serverless package: the portal", () => {
  const routes = () =>
    resources("AWS::ApiGatewayV2::Route").map(([, r]) => ({
      key: r.Properties.RouteKey as string,
      auth: r.Properties.AuthorizationType as string | undefined,
    }));

  it("routes GET / and /web/* to the API function (/web/* through the authorizer), GET /assets/* to the assets function", () => {
    const all = routes();
    expect(all).toContainEqual(expect.objectContaining({ key: "GET /" }));
    expect(all).toContainEqual(expect.objectContaining({ key: "GET /assets/{proxy+}" }));
    expect(all).toContainEqual({ key: "ANY /web/{proxy+}", auth: "CUSTOM" });
    for (const open of ["GET /", "GET /assets/{proxy+}"]) {
      expect(all.find((r) => r.key === open)?.auth ?? "NONE", open).toBe("NONE");
    }
    const integrations = resources("AWS::ApiGatewayV2::Integration").map(([, r]) =>
      JSON.stringify(r.Properties),
    );
    expect(integrations.some((i) => i.includes("AssetsLambdaFunction"))).toBe(true);
    const assetsRoute = resources("AWS::ApiGatewayV2::Route").find(
      ([, r]) => r.Properties.RouteKey === "GET /assets/{proxy+}",
    );
    expect(JSON.stringify(assetsRoute?.[1].Properties.Target)).toContain("IntegrationAssets");
  });

  it("ships the hashed client files in the assets bundle, their manifest with the API, which stays within 600 KB zipped", async () => {
    const list = async (zip: string) =>
      (
        await run("python3", [
          "-c",
          "import sys,zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
          join(dir, zip),
        ])
      ).stdout.split("\n");
    const [assets, api] = await Promise.all([list("assets.zip"), list("api.zip")]);
    expect(api).toContain(".build/api/assets/manifest.json");
    const manifest = JSON.parse(
      await readFile(join(".build", "api", "assets", "manifest.json"), "utf8"),
    ) as Record<string, string>;
    expect(Object.keys(manifest).sort()).toEqual(["charts.js", "portal.css", "portal.js"]);
    for (const file of Object.values(manifest)) {
      expect(file).toMatch(/^[a-z]+-[A-Z0-9]{8}\.(js|css)$/);
      expect(assets).toContain(`.build/assets/files/${file}`);
      expect(api).not.toContain(`.build/api/assets/${file}`);
    }
    expect((await stat(join(dir, "api.zip"))).size).toBeLessThan(600 * 1024);
  });

  it("sends the routes that need SheetJS (试审核, the Excel template and its portal page) to the check function, whose bundle alone carries it", async () => {
    for (const key of ["POST /v1/validate", "GET /v1/template", "GET /web/template.xlsx"]) {
      const route = resources("AWS::ApiGatewayV2::Route").find(([, r]) => r.Properties.RouteKey === key);
      expect(route?.[1].Properties.AuthorizationType, key).toBe("CUSTOM");
      expect(JSON.stringify(route?.[1].Properties.Target), key).toContain("IntegrationCheck");
    }
    // The template page's error pages link the portal's styles: the manifest ships with it.
    const listed = await run("python3", [
      "-c",
      "import sys,zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
      join(dir, "check.zip"),
    ]);
    expect(listed.stdout.split("\n")).toContain(".build/check/assets/manifest.json");
    const [check, api] = await Promise.all([
      readFile(join(".build", "check", "index.mjs"), "utf8"),
      readFile(join(".build", "api", "index.mjs"), "utf8"),
    ]);
    // SheetJS's own code (its CFB reader) is in the check bundle only; both describe the route.
    expect(check).toContain("cfb_new");
    expect(api).not.toContain("cfb_new");
    for (const bundle of [check, api]) {
      expect(bundle).toContain("/v1/validate");
      expect(bundle).toContain("/v1/template");
    }
  });

  it("expires sessions by TTL and lets browsers POST upload forms to the bucket", () => {
    const [, table] = resources("AWS::DynamoDB::Table")[0] as [string, Resource];
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: "ttl", Enabled: true });
    const bucket = template.Resources.S3BucketData as Resource;
    const cors = JSON.stringify(bucket.Properties.CorsConfiguration);
    expect(cors).toContain('"POST"');
    expect(cors).not.toContain('"PUT"');
  });
});

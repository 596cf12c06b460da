/**
 * AWS clients, created once per cold start from the config. The local runner passes emulator
 * endpoints; in Lambda the endpoints are unset and the SDK resolves the partition (aws or aws-cn).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Config } from "../config.ts";

export interface AwsClients {
  readonly ddb: DynamoDBDocumentClient;
  readonly s3: S3Client;
}

// s3rver accepts only its own fixed key pair; DynamoDB Local accepts any.
const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export function createClients(
  config: Pick<Config, "AWS_REGION" | "DYNAMODB_ENDPOINT" | "S3_ENDPOINT">,
): AwsClients {
  const region = config.AWS_REGION;
  const local = Boolean(config.DYNAMODB_ENDPOINT || config.S3_ENDPOINT);
  const credentials = local ? LOCAL_CREDENTIALS : undefined;
  const dynamo = new DynamoDBClient({
    region,
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 8,
  });
  const ddb = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const s3 = new S3Client({
    region,
    ...(config.S3_ENDPOINT
      ? {
          endpoint: config.S3_ENDPOINT,
          // The S3 emulator serves path-style URLs and does not compute the newer checksums.
          forcePathStyle: true,
          requestChecksumCalculation: "WHEN_REQUIRED" as const,
          responseChecksumValidation: "WHEN_REQUIRED" as const,
        }
      : {}),
    ...(credentials ? { credentials } : {}),
  });
  return { ddb, s3 };
}

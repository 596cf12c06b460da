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

type Endpoints = Pick<Config, "AWS_REGION" | "DYNAMODB_ENDPOINT" | "S3_ENDPOINT">;

function localCredentials(config: Endpoints): typeof LOCAL_CREDENTIALS | undefined {
  return config.DYNAMODB_ENDPOINT || config.S3_ENDPOINT ? LOCAL_CREDENTIALS : undefined;
}

/** DynamoDB alone: what the authorizer needs (its bundle then carries no S3 client). */
export function createDynamoClient(config: Endpoints): DynamoDBDocumentClient {
  const credentials = localCredentials(config);
  const dynamo = new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 8,
  });
  return DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
}

export function createS3Client(config: Endpoints): S3Client {
  const credentials = localCredentials(config);
  return new S3Client({
    region: config.AWS_REGION,
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
}

export function createClients(config: Endpoints): AwsClients {
  return { ddb: createDynamoClient(config), s3: createS3Client(config) };
}

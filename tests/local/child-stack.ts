/** A process that runs the local stack and writes the session file, for the runner tests to kill. */
import { writeSession } from "../../scripts/local/session.ts";
import { startLocalStack } from "../../scripts/local/stack.ts";

const stack = await startLocalStack();
await writeSession({
  TABLE_NAME: stack.config.TABLE_NAME,
  BUCKET_NAME: stack.config.BUCKET_NAME,
  AWS_REGION: stack.config.AWS_REGION,
  DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
  S3_ENDPOINT: stack.s3Endpoint,
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
});
process.stdout.write(`READY ${stack.dynamoEndpoint} ${stack.s3Directory}\n`);
await new Promise(() => {});

/**
 * Monthly 简报: EventBridge runs this on the 6th (after the 5th-of-month deadline) for the previous
 * month and every configured scope, which drafts each 送审稿 and tells the editors' topic; the API
 * invokes it with {scope, period, edition} after an edit (the draft is rendered again with its
 * edits) or a 签发 (the issued PDF is made, stored, and the leadership topic told).
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { createServices } from "../lib/aws/services.ts";
import { SnsNotifier } from "../lib/aws/sns-notifier.ts";
import { composeBulletin, parseWording, renderBulletinPdf } from "../lib/bulletin/index.ts";
import {
  type BulletinRequest,
  bulletinTargets,
  isScheduled,
  publishBulletin,
} from "../lib/bulletin/service.ts";
import { loadConfig } from "../lib/config.ts";
import wordingJson from "../templates/bulletin.json" with { type: "json" };

const services = createServices(loadConfig(process.env));
const wording = parseWording(wordingJson);
// Only this function publishes, so only its bundle carries the SNS client.
const { BULLETIN_TOPIC_ARN, BULLETIN_EDITORS_TOPIC_ARN, AWS_REGION } = services.config;
const sns =
  BULLETIN_TOPIC_ARN || BULLETIN_EDITORS_TOPIC_ARN ? new SNSClient({ region: AWS_REGION }) : undefined;
const topic = (arn: string | undefined) => (sns && arn ? new SnsNotifier(sns, arn) : undefined);
const notifier = topic(BULLETIN_TOPIC_ARN);
const editors = topic(BULLETIN_EDITORS_TOPIC_ARN);

export type BulletinEvent = BulletinRequest;

export async function handler(event: BulletinEvent = {}): Promise<{ rendered: string[] }> {
  const now = new Date();
  const registry = await services.registry();
  const { month, scopes } = bulletinTargets(event, now, registry, services.config.BULLETIN_SCOPES);
  const rendered: string[] = [];
  for (const scope of scopes) {
    const out = await publishBulletin(
      {
        stores: services.stores,
        objects: services.objects,
        registry,
        deadlineDay: services.config.DEADLINE_DAY,
        approvalLevels: services.config.APPROVAL_LEVELS,
        wording,
        compose: composeBulletin,
        render: renderBulletinPdf,
        notifier,
        editors,
      },
      scope,
      month,
      now,
      { edition: event.edition ?? 0, schedule: isScheduled(event) },
    );
    rendered.push(out.record.key);
    services.log.info(`bulletin ${out.action}`, { ...out.record });
  }
  return { rendered };
}

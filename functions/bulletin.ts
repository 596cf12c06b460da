/**
 * Monthly 简报: EventBridge runs this on the 6th (after the 5th-of-month deadline) for the previous
 * month and every configured scope; the API invokes it with {scope, period} to re-render one.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { createServices } from "../lib/aws/services.ts";
import { SnsNotifier } from "../lib/aws/sns-notifier.ts";
import { composeBulletin, parseWording, renderBulletinPdf } from "../lib/bulletin/index.ts";
import { type BulletinRequest, bulletinTargets, publishBulletin } from "../lib/bulletin/service.ts";
import { loadConfig } from "../lib/config.ts";
import wordingJson from "../templates/bulletin.json" with { type: "json" };

const services = createServices(loadConfig(process.env));
const wording = parseWording(wordingJson);
// Only this function publishes, so only its bundle carries the SNS client.
const notifier = services.config.BULLETIN_TOPIC_ARN
  ? new SnsNotifier(new SNSClient({ region: services.config.AWS_REGION }), services.config.BULLETIN_TOPIC_ARN)
  : undefined;

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
        wording,
        compose: composeBulletin,
        render: renderBulletinPdf,
        notifier,
      },
      scope,
      month,
      now,
    );
    rendered.push(out.record.key);
    services.log.info("bulletin rendered", { ...out.record });
  }
  return { rendered };
}

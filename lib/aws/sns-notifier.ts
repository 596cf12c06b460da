/** Notifier over an SNS topic; subscribers (e-mail, SMS, HTTPS) are configured on the topic. */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Notifier } from "../ports.ts";

export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(subject: string, message: string): Promise<void> {
    // SNS e-mail subjects are limited to 100 characters.
    await this.sns.send(
      new PublishCommand({ TopicArn: this.topicArn, Subject: subject.slice(0, 100), Message: message }),
    );
  }
}
